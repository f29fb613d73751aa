/**
 * IRP_MJ_DEVICE_CONTROL on a FAT volume: passed untouched to the disk the volume is mounted on,
 * as FastFat's FatCommonDeviceControl does (passDeviceControlToDisk in the I/O library), so a
 * handle on the volume or a file can ask the disk its geometry or length. A dismounted volume
 * refuses, like every other request.
 */
import type { NTSTATUS } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  passDeviceControlToDisk,
} from '../../../io/index.ts';
import { vcbOfOpen } from './common.ts';

export function FatDeviceControl(_device: DeviceObject, irp: Irp): NTSTATUS {
  return passDeviceControlToDisk(vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject), irp);
}
