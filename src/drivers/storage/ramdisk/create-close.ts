/**
 * IRP_MJ_CREATE, IRP_MJ_CLEANUP, IRP_MJ_CLOSE and IRP_MJ_FLUSH_BUFFERS for the RAM disk.
 *
 * A disk has no files: an open reaches it only as a direct device open (the device itself, with
 * attributes-only access, which does not mount a file system) or as a file system's own I/O. Opens
 * of a name below the device would have gone to the mounted file system, so one arriving here
 * (a path under an unmountable disk) fails with STATUS_OBJECT_PATH_NOT_FOUND. The media is memory,
 * so a flush has nothing to write.
 */
import { FILE_OPENED } from '../../../base/file-codes.ts';
import { type NTSTATUS, STATUS_OBJECT_PATH_NOT_FOUND, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
} from '../../../io/index.ts';

export function RamDiskCreate(_deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  if (fileObject !== null && fileObject.fileName !== '')
    return completeRequest(irp, STATUS_OBJECT_PATH_NOT_FOUND, 0);
  return completeRequest(irp, STATUS_SUCCESS, FILE_OPENED);
}

/** CLEANUP, CLOSE and FLUSH_BUFFERS: nothing to undo, nothing to write back. */
export function RamDiskSucceed(_deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  return completeRequest(irp, STATUS_SUCCESS, 0);
}
