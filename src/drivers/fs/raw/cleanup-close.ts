/**
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE for RAW. Neither can fail (§6.4).
 *
 * Cleanup (last handle gone): the open's share access is returned and a lock it holds is released.
 * Close (last reference gone): the open count drops; at zero the volume dismounts (a RAW mount lasts
 * only while someone has it open) and the unused volume device is deleted.
 */
import { VPB_LOCKED } from '../../../base/device-codes.ts';
import { type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  IoCompleteRequest,
  IoGetCurrentIrpStackLocation,
  IoRemoveShareAccess,
  type Irp,
} from '../../../io/index.ts';
import { rawDeleteIfUnused, rawDismount, rawVcbOf } from './vcb.ts';

function succeed(irp: Irp): NTSTATUS {
  irp.ioStatus.status = STATUS_SUCCESS;
  irp.ioStatus.information = 0;
  IoCompleteRequest(irp);
  return STATUS_SUCCESS;
}

export function RawCleanup(device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = rawVcbOf(device);
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  if (vcb !== null && fileObject !== null && fileObject.fsContext === vcb) {
    IoRemoveShareAccess(fileObject, vcb.shareAccess);
    if (vcb.lockedBy === fileObject) {
      vcb.lockedBy = null;
      vcb.vpb.flags &= ~VPB_LOCKED;
    }
  }
  return succeed(irp);
}

export function RawClose(device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = rawVcbOf(device);
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  if (vcb !== null && fileObject !== null && fileObject.fsContext === vcb) {
    fileObject.fsContext = null;
    vcb.openCount--;
    if (vcb.openCount === 0) {
      rawDismount(vcb);
      rawDeleteIfUnused(vcb);
    }
  }
  return succeed(irp);
}
