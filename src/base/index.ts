/** Statuses, codes, bug checks and small runtime helpers shared by every layer. */

export * from './bugcheck.ts';
export * from './device-codes.ts';
export * from './disk-structures.ts';
export * from './file-codes.ts';
export * from './information-classes.ts';
export * from './irp-codes.ts';
export * from './maybe-promise.ts';
export * from './ntstatus.ts';
export * from './query-operation.ts';
export * from './status-name.ts';
