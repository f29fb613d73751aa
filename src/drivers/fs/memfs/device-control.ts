/**
 * IRP_MJ_DEVICE_CONTROL on a MemFS volume: passed untouched to the disk the volume is mounted on,
 * as FastFat does (passDeviceControlToDisk in the I/O library), so a handle on the volume (or a
 * file on it) can ask the disk its geometry or length. A dismounted volume refuses, like every
 * other request.
 */
import type { NTSTATUS } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  passDeviceControlToDisk,
} from '../../../io/index.ts';
import { vcbOfOpen } from './common.ts';

export function MemFsDeviceControl(_device: DeviceObject, irp: Irp): NTSTATUS {
  return passDeviceControlToDisk(vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject), irp);
}
