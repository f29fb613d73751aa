/**
 * RAW: the file system of last resort (ntoskrnl's rawfs).
 *
 * It registers three control devices at boot — `\Device\RawDisk`, `\Device\RawCdRom`,
 * `\Device\RawTape`, in that order, as ReactOS does — so they sit last in the disk, CD-ROM and tape
 * queues. The I/O manager knows RAW by its driver name (`\FileSystem\RAW`): it never reports RAW in
 * the notification replay and offers it a volume only when raw mount is allowed, i.e. when the open
 * names the volume itself. RAW then mounts anything and gives sector access to the whole volume.
 *
 * Files: fsctl.ts (mount, verify, lock/unlock/dismount), create.ts, read-write.ts (pass-through to
 * the disk), volume-information.ts, cleanup-close.ts, shutdown.ts, vcb.ts (volume state and dismount),
 * io/private-request.ts (RAW's own IRPs to the disk).
 */
import {
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_DEVICE_TAPE_FILE_SYSTEM,
} from '../../../base/device-codes.ts';
import {
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_QUERY_VOLUME_INFORMATION,
  IRP_MJ_READ,
  IRP_MJ_SHUTDOWN,
  IRP_MJ_WRITE,
} from '../../../base/irp-codes.ts';
import { NT_SUCCESS, type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  type DriverModule,
  type DriverObject,
  IoCreateDevice,
  IoRegisterFileSystem,
} from '../../../io/index.ts';
import { RawCleanup, RawClose } from './cleanup-close.ts';
import { RawCreate } from './create.ts';
import { RawFileSystemControl } from './fsctl.ts';
import { RawReadWriteDeviceControl } from './read-write.ts';
import { RawShutdown } from './shutdown.ts';
import { RawControlDevice } from './vcb.ts';
import { RawQueryVolumeInformation } from './volume-information.ts';

export { RawVcb } from './vcb.ts';

export const manifest = {
  name: 'RAW',
  kind: 'file-system',
  description: 'The RAW file system: mounts any volume opened by itself, for sector access',
} as const;

/** RAW's control devices, in registration order. */
export const RAW_CONTROL_DEVICES: ReadonlyArray<readonly [name: string, deviceType: number]> = [
  ['\\Device\\RawDisk', FILE_DEVICE_DISK_FILE_SYSTEM],
  ['\\Device\\RawCdRom', FILE_DEVICE_CD_ROM_FILE_SYSTEM],
  ['\\Device\\RawTape', FILE_DEVICE_TAPE_FILE_SYSTEM],
];

export function DriverEntry(driverObject: DriverObject, _registryPath: string): NTSTATUS {
  driverObject.majorFunction[IRP_MJ_CREATE] = RawCreate;
  driverObject.majorFunction[IRP_MJ_CLEANUP] = RawCleanup;
  driverObject.majorFunction[IRP_MJ_CLOSE] = RawClose;
  driverObject.majorFunction[IRP_MJ_READ] = RawReadWriteDeviceControl;
  driverObject.majorFunction[IRP_MJ_WRITE] = RawReadWriteDeviceControl;
  driverObject.majorFunction[IRP_MJ_DEVICE_CONTROL] = RawReadWriteDeviceControl;
  driverObject.majorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = RawFileSystemControl;
  driverObject.majorFunction[IRP_MJ_QUERY_VOLUME_INFORMATION] = RawQueryVolumeInformation;
  driverObject.majorFunction[IRP_MJ_SHUTDOWN] = RawShutdown;
  // Create every control device first, so a failure leaves nothing registered (the loader deletes them).
  const controlDevices = [];
  for (const [name, deviceType] of RAW_CONTROL_DEVICES) {
    const created = IoCreateDevice(
      driverObject,
      new RawControlDevice(deviceType),
      name,
      deviceType,
      0,
      false,
    );
    if (!NT_SUCCESS(created.status) || created.deviceObject === null) return created.status;
    controlDevices.push(created.deviceObject);
  }
  for (const device of controlDevices) IoRegisterFileSystem(device);
  return STATUS_SUCCESS;
}

export const rawFileSystemDriver: DriverModule = { manifest, DriverEntry };
export default rawFileSystemDriver;
