/**
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE for CDFS (CdCommonCleanup, CdCommonClose), by the rules every
 * file system shares (src/io/fsrtl/cleanup.ts). Neither can fail, and both work on a dismounted
 * volume.
 *
 * Cleanup (the last handle of a file object is gone): return the open's share access and release a
 * volume lock the handle held. Close (the last reference is gone): the FCB loses the file object
 * and goes away with the last; the volume loses an open; a dismounted volume with no opens left
 * deletes its volume device. Opens of the control device hold nothing.
 */
import { type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  cleanupVolumeOpen,
  closeFileObject,
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  IoRemoveShareAccess,
  type Irp,
} from '../../../io/index.ts';
import { fcbOf, vcbOfOpen } from './common.ts';
import { deleteVolumeIfUnused } from './dismount.ts';
import { Fcb } from './structures.ts';

export function CdfsCleanup(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const vcb = vcbOfOpen(fileObject);
  if (vcb !== null && fileObject !== null) {
    const context = fileObject.fsContext;
    if (context instanceof Fcb) IoRemoveShareAccess(fileObject, context.shareAccess);
    else cleanupVolumeOpen(fileObject, vcb);
  }
  return completeRequest(irp, STATUS_SUCCESS);
}

export function CdfsClose(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const vcb = vcbOfOpen(fileObject);
  if (vcb !== null && fileObject !== null) {
    closeFileObject(fileObject, vcb, fcbOf(fileObject));
    deleteVolumeIfUnused(vcb);
  }
  return completeRequest(irp, STATUS_SUCCESS);
}
