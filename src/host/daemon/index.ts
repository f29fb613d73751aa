/**
 * The Strata daemon's public face: `runDaemon` (strata up), the in-process runner
 * (strata --config), the host, its configuration and catalogue.
 */
export * from './catalogue.ts';
export * from './config.ts';
export * from './config-json.ts';
export * from './config-validate.ts';
export { HostError, NtStatusError } from './errors.ts';
export * from './host.ts';
export * from './in-process.ts';
export { DaemonRunningError } from './socket-file.ts';
export * from './up.ts';
