/**
 * The Parameters union of IO_STACK_LOCATION, one record per request kind.
 *
 * A stack location holds one of these records; which one follows from its major (and minor)
 * function, exactly as the C union does. IoCopyCurrentIrpStackLocationToNext gives the next driver
 * its own copy, so a filter may change the copy without touching what the caller sees.
 */

import type { DeviceObject } from './device-object.ts';
import type { FileObject } from './file-object.ts';
import type { Vpb } from './vpb.ts';

/** IRP_MJ_CREATE: `options` holds the disposition in its top byte and the create options below. */
export interface CreateParameters {
  desiredAccess: number;
  options: number;
  fileAttributes: number;
  shareAccess: number;
}

/** IRP_MJ_READ / IRP_MJ_WRITE: the data travels in Irp.userBuffer. A write at byteOffset -1 appends. */
export interface ReadWriteParameters {
  length: number;
  byteOffset: number;
  key: number;
}

/** IRP_MJ_QUERY_INFORMATION: the file system puts the record in Irp.systemBuffer. */
export interface QueryFileParameters {
  length: number;
  fileInformationClass: number;
}

/** IRP_MJ_SET_INFORMATION: the record arrives in Irp.systemBuffer. */
export interface SetFileParameters {
  length: number;
  fileInformationClass: number;
  /** Rename/link: the open target directory (SL_OPEN_TARGET_DIRECTORY), or null for a simple rename. */
  fileObject: FileObject | null;
  replaceIfExists: boolean;
}

/** IRP_MJ_QUERY_VOLUME_INFORMATION / IRP_MJ_SET_VOLUME_INFORMATION. */
export interface VolumeInformationParameters {
  length: number;
  fsInformationClass: number;
}

/** IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY; SL_RESTART_SCAN and SL_RETURN_SINGLE_ENTRY in Flags. */
export interface QueryDirectoryParameters {
  length: number;
  /** The search expression, or null to keep the one the enumeration started with. */
  fileName: string | null;
  fileInformationClass: number;
  fileIndex: number;
}

/** IRP_MJ_FILE_SYSTEM_CONTROL / IRP_MN_USER_FS_REQUEST, and IRP_MJ_(INTERNAL_)DEVICE_CONTROL. */
export interface ControlParameters {
  outputBufferLength: number;
  inputBufferLength: number;
  /** FsControlCode or IoControlCode. */
  controlCode: number;
}

/** IRP_MN_MOUNT_VOLUME and IRP_MN_VERIFY_VOLUME. */
export interface MountVolumeParameters {
  /** The VPB to mount; a file system that remounts a known volume may swap it (§5.2). */
  vpb: Vpb;
  /** The top of the storage stack. Filters should not use it. */
  deviceObject: DeviceObject;
}

/** Requests without parameters: CLEANUP, CLOSE, FLUSH_BUFFERS, SHUTDOWN, LOAD_FILE_SYSTEM. */
export interface NoParameters {
  readonly none?: undefined;
}

export type IoParameters =
  | CreateParameters
  | ReadWriteParameters
  | QueryFileParameters
  | SetFileParameters
  | VolumeInformationParameters
  | QueryDirectoryParameters
  | ControlParameters
  | MountVolumeParameters
  | NoParameters;

export const NO_PARAMETERS: NoParameters = Object.freeze({});

/** The create disposition in CreateParameters.options. */
export function createDisposition(options: number): number {
  return (options >>> 24) & 0xff;
}

/** The create options in CreateParameters.options. */
export function createOptions(options: number): number {
  return options & 0x00ffffff;
}
