/**
 * File objects (FILE_OBJECT): one open instance of a file, directory, volume or device.
 *
 * Ownership: the file system owns `fsContext` (its per-file FCB) and `fsContext2` (its per-open
 * CCB); the I/O manager owns the rest. `deviceObject` is the device the name resolved to (the
 * storage device for a volume path) and `vpb` the volume it was opened through, null for a direct
 * device open. The file object holds one I/O reference on `deviceObject` and one VPB reference
 * while it lives; IRP_MJ_CLEANUP goes out when the last handle closes and IRP_MJ_CLOSE when the
 * last reference goes (reference §6.4).
 */

import type { Process } from '../ob/index.ts';
import { KernelObject } from '../ob/index.ts';
import type { DeviceObject } from './device-object.ts';
import { FileObjectType } from './object-types.ts';
import type { Vpb } from './vpb.ts';

export class FileObject extends KernelObject {
  readonly type = FileObjectType;
  vpb: Vpb | null = null;
  fsContext: unknown = null;
  fsContext2: unknown = null;
  /** The name relative to the volume (or to `relatedFileObject`), as given to the file system. */
  fileName: string;
  relatedFileObject: FileObject | null;
  flags = 0;
  currentByteOffset = 0;
  /** Share-access bookkeeping (IoCheckShareAccess stores the caller's intent here). */
  readAccess = false;
  writeAccess = false;
  deleteAccess = false;
  sharedRead = false;
  sharedWrite = false;
  sharedDelete = false;
  deletePending = false;
  /** The access granted at open time. */
  grantedAccess = 0;
  /** The process that opened it, for traces. */
  readonly process: Process | null;
  /** Set after IRP_MJ_CLEANUP was sent. */
  cleanupDone = false;
  /** Set after IRP_MJ_CLOSE was sent. */
  closed = false;

  constructor(
    readonly deviceObject: DeviceObject,
    fileName: string,
    relatedFileObject: FileObject | null,
    process: Process | null,
  ) {
    super();
    this.fileName = fileName;
    this.relatedFileObject = relatedFileObject;
    this.process = process;
  }
}
