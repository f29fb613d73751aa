/**
 * IRP_MJ_DEVICE_CONTROL on a FAT volume: passed untouched to the disk the volume is mounted on,
 * as FastFat does (FatCommonDeviceControl), so a handle on the volume or a file can ask the disk
 * its geometry or length. A dismounted volume refuses, like every other request.
 */
import { type NTSTATUS, STATUS_INVALID_DEVICE_REQUEST, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  IoCallDriver,
  IoGetCurrentIrpStackLocation,
  IoSkipCurrentIrpStackLocation,
  type Irp,
} from '../../../io/index.ts';
import { checkMounted, vcbOfOpen } from './common.ts';

export function FatDeviceControl(_device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  IoSkipCurrentIrpStackLocation(irp);
  return IoCallDriver(vcb.storage, irp);
}
