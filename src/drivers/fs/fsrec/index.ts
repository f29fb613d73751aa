/**
 * Fs_Rec: the file system recognizer (ReactOS drivers/filesystems/fs_rec; reference §1.3, §5.2,
 * §8, D4).
 *
 * DriverEntry registers a small control device for each format whose real driver is not loaded yet
 * (formats.ts): `\FileSystem\CdfsRecognizer`, `\FileSystem\FatDiskRecognizer`,
 * `\FileSystem\FatCdRomRecognizer`. Registered file systems that they are, they sit in the mount
 * walk, and notification-driven filters hear them arrive (the replay does not skip recognizers,
 * D4; well-behaved filters skip `\FileSystem\Fs_Rec` themselves). On a mount a recognizer reads
 * just enough of the volume to say STATUS_FS_DRIVER_REQUIRED (its format) or
 * STATUS_UNRECOGNIZED_VOLUME; the I/O manager then sends IRP_MN_LOAD_FILE_SYSTEM, the recognizer
 * loads the real driver and retires (load.ts), and the walk starts over, reaching the real driver.
 * When every real driver is already loaded, DriverEntry creates nothing and returns
 * STATUS_IMAGE_ALREADY_LOADED (a success code, so the driver stays loaded and idle, as in ReactOS).
 *
 * Files: formats.ts (the table), fat.ts and cdfs.ts (recognition), read-block.ts (reading through
 * the storage device), fsctl.ts (dispatch), load.ts (loading and retiring), extension.ts (state).
 */
import {
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_SHUTDOWN,
} from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_IMAGE_ALREADY_LOADED,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  type DriverModule,
  type DriverObject,
  IoCreateDevice,
  IoDeleteDevice,
  IoRegisterFileSystem,
  IoUnregisterFileSystem,
  isFileSystemRegistered,
} from '../../../io/index.ts';
import { RecognizerGroup, recognizerGroup } from './extension.ts';
import { RECOGNIZED_FORMATS } from './formats.ts';
import { FsRecCreate, FsRecFsControl, FsRecSucceed } from './fsctl.ts';

export { isIso9660VolumeDescriptor } from './cdfs.ts';
export { RecognizerGroup, type RecognizerState, recognizerGroup } from './extension.ts';
export { FsRecIsFatVolume } from './fat.ts';
export { RECOGNIZED_FORMATS, type RecognizedFormat } from './formats.ts';

export const manifest = {
  name: 'Fs_Rec',
  kind: 'recognizer',
  description: 'File system recognizer: stands in for FAT and CDFS until a volume needs them',
} as const;

export function DriverEntry(driverObject: DriverObject, _registryPath: string): NTSTATUS {
  driverObject.majorFunction[IRP_MJ_CREATE] = FsRecCreate;
  driverObject.majorFunction[IRP_MJ_CLEANUP] = FsRecSucceed;
  driverObject.majorFunction[IRP_MJ_CLOSE] = FsRecSucceed;
  driverObject.majorFunction[IRP_MJ_SHUTDOWN] = FsRecSucceed;
  driverObject.majorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = FsRecFsControl;
  driverObject.driverUnload = FsRecUnload;
  const system = driverObject.system;
  // Create every device first, so a failure leaves nothing registered (the loader deletes them).
  const created: DeviceObject[] = [];
  for (const format of RECOGNIZED_FORMATS) {
    if (system.io.drivers.has(format.serviceName.toUpperCase())) continue;
    const group = new RecognizerGroup(format);
    for (const [name, deviceType] of format.devices) {
      const result = IoCreateDevice(driverObject, group, name, deviceType, 0, false);
      if (!NT_SUCCESS(result.status) || result.deviceObject === null) return result.status;
      group.devices.push(result.deviceObject);
      created.push(result.deviceObject);
    }
  }
  for (const device of created) IoRegisterFileSystem(device);
  return created.length > 0 ? STATUS_SUCCESS : STATUS_IMAGE_ALREADY_LOADED;
}

/** Unregisters the recognizers still registered and deletes every device. */
export function FsRecUnload(driverObject: DriverObject): void {
  for (const device of [...driverObject.deviceObjects]) {
    if (isFileSystemRegistered(device)) IoUnregisterFileSystem(device);
    const devices = recognizerGroup(device)?.devices ?? [];
    const index = devices.indexOf(device as DeviceObject<RecognizerGroup>);
    if (index >= 0) devices.splice(index, 1);
    IoDeleteDevice(device);
  }
}

export const fsRecDriver: DriverModule = { manifest, DriverEntry };
export default fsRecDriver;
