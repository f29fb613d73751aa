/** The user-mode face of Strata: system services over handles, and createSystem. */
export * from './create-system.ts';
export * from './devstack.ts';
export * from './irp-trace.ts';
export * from './nt-close.ts';
export * from './nt-control.ts';
export * from './nt-create-file.ts';
export * from './nt-information.ts';
export * from './nt-query-directory.ts';
export * from './nt-read-write.ts';
export * from './nt-shutdown-system.ts';
export * from './nt-volume-information.ts';
