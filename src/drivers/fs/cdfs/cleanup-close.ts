/**
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE for CDFS (CdCommonCleanup, CdCommonClose). Neither can fail,
 * and both work on a dismounted volume.
 *
 * Cleanup (the last handle of a file object is gone): return the open's share access and release a
 * volume lock the handle held. Close (the last reference is gone): the FCB loses the file object
 * and goes away with the last; the volume loses an open; a dismounted volume with no opens left
 * deletes its volume device. Opens of the control device hold nothing.
 */
import { VPB_LOCKED } from '../../../base/device-codes.ts';
import { type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  IoRemoveShareAccess,
  type Irp,
} from '../../../io/index.ts';
import { vcbOfOpen } from './common.ts';
import { deleteVolumeIfUnused } from './dismount.ts';
import { Fcb } from './structures.ts';

export function CdfsCleanup(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const vcb = vcbOfOpen(fileObject);
  if (vcb !== null && fileObject !== null) {
    const context = fileObject.fsContext;
    IoRemoveShareAccess(fileObject, context instanceof Fcb ? context.shareAccess : vcb.shareAccess);
    if (vcb.lockedBy === fileObject) {
      vcb.lockedBy = null;
      vcb.vpb.flags &= ~VPB_LOCKED;
    }
  }
  return completeRequest(irp, STATUS_SUCCESS);
}

export function CdfsClose(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const vcb = vcbOfOpen(fileObject);
  if (vcb !== null && fileObject !== null) {
    const context = fileObject.fsContext;
    if (context instanceof Fcb) {
      context.openCount--;
      if (context.openCount === 0 && context.node.fcb === context) context.node.fcb = null;
    }
    fileObject.fsContext = null;
    fileObject.fsContext2 = null;
    vcb.openCount--;
    deleteVolumeIfUnused(vcb);
  }
  return completeRequest(irp, STATUS_SUCCESS);
}
