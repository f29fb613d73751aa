/**
 * IRP_MJ_CREATE, IRP_MJ_CLEANUP and IRP_MJ_CLOSE on a disk or partition device: the class
 * driver's ClassCreateClose (classpnp), which every Strata storage driver uses.
 *
 * A disk has no files. An open reaches it only as a direct open of the device itself (attributes
 * only, which mounts nothing) or as a file system's own I/O, so it succeeds with FILE_OPENED. An
 * open of a name below the device would have gone to a mounted file system; one that arrives here
 * (a path on a volume nothing could mount) is STATUS_OBJECT_PATH_NOT_FOUND. Cleanup and close
 * keep no per-open state and succeed.
 */
import {
  FILE_OPENED,
  IRP_MJ_CREATE,
  type NTSTATUS,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import { completeRequest } from '../complete-request.ts';
import type { DeviceObject } from '../device-object.ts';
import { IoGetCurrentIrpStackLocation, type Irp } from '../irp.ts';

export function ClassCreateClose(_deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  if (location.majorFunction !== IRP_MJ_CREATE) return completeRequest(irp, STATUS_SUCCESS, 0);
  const fileObject = location.fileObject;
  if (fileObject !== null && fileObject.fileName !== '')
    return completeRequest(irp, STATUS_OBJECT_PATH_NOT_FOUND, 0);
  return completeRequest(irp, STATUS_SUCCESS, FILE_OPENED);
}
