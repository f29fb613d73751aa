/**
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE for RAW. Neither can fail (§6.4).
 *
 * Cleanup (last handle gone): the open's share access is returned and a lock it holds is released.
 * Close (last reference gone): the open count drops; at zero the volume dismounts (a RAW mount lasts
 * only while someone has it open) and the unused volume device is deleted.
 */
import { type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  cleanupVolumeOpen,
  closeFileObject,
  completeRequest,
  type DeviceObject,
  dismountVolume,
  IoGetCurrentIrpStackLocation,
  type Irp,
} from '../../../io/index.ts';
import { rawDeleteIfUnused, rawVcbOf } from './vcb.ts';

export function RawCleanup(device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = rawVcbOf(device);
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  if (vcb !== null && fileObject !== null && fileObject.fsContext === vcb) {
    cleanupVolumeOpen(fileObject, vcb);
  }
  return completeRequest(irp, STATUS_SUCCESS);
}

export function RawClose(device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = rawVcbOf(device);
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  if (vcb !== null && fileObject !== null && fileObject.fsContext === vcb) {
    closeFileObject(fileObject, vcb, null);
    if (vcb.openCount === 0) {
      dismountVolume(vcb, true);
      rawDeleteIfUnused(vcb);
    }
  }
  return completeRequest(irp, STATUS_SUCCESS);
}
