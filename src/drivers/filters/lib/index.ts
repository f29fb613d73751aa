/**
 * The sample filters' library. `sfilter`, `spy`, `readonly` and `crypt` are samples of one family
 * (the WDK's sfilter/FileSpy lineage), so the attach logic they share lives here once: the control
 * device and its attach/detach/list protocol, notification-driven attachment (file system control
 * devices, RAW by name, volumes already mounted, new mounts, recognizer loads), attachment on
 * demand, FastIoDetachDevice, and DriverUnload. A filter supplies its definition (manifest, control
 * device name, the routines it wants on volume devices) and gets a DriverModule.
 *
 * This is not an NT interface: Windows filters each carry their own copy of this code. Read
 * `sfilter/` first: it is this library with nothing added.
 */

export * from './file-request.ts';
export * from './filter-device.ts';
export * from './fs-attach.ts';
export * from './legacy-filter.ts';
export * from './legacy-filter-state.ts';
export * from './on-demand.ts';
export * from './post-process.ts';
export * from './protocol.ts';
