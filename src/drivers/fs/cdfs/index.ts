/**
 * CDFS: the ISO 9660 file system, read-only, with Joliet and Rock Ridge (Windows-driver-samples
 * filesys/cdfs, service `Cdfs`, driver `\FileSystem\Cdfs`).
 *
 * DriverEntry creates the control device `\Cdfs` of type FILE_DEVICE_CD_ROM_FILE_SYSTEM with
 * DO_LOW_PRIORITY_FILESYSTEM, so it is asked to mount a CD only after every other CD-ROM file system
 * (reference §1.2), registers it with IoRegisterFileSystem and takes its own reference on it, as
 * cdinit.c does. With the `mountDiskDevices` option it also registers `\CdfsDisk`, a disk file
 * system control device, so ISO images on disk devices mount too. Per-system state lives on the
 * driver object (CdfsData) and on each volume device (the Vcb), never in module variables.
 *
 * Files, one per major function: create.ts (+ lookup.ts), read.ts, directory.ts, information.ts,
 * volume-information.ts, write-protect.ts (write, set information, set volume information),
 * fsctl.ts (+ mount.ts, dismount.ts; device control and shutdown), cleanup-close.ts. Reading the
 * disc: device-io.ts, directory-cache.ts. Pure format helpers: on-disk.ts, names.ts, joliet.ts,
 * rock-ridge.ts, time.ts, extents.ts.
 *
 * Unload is possible only while no volume is mounted.
 */
import {
  DO_LOW_PRIORITY_FILESYSTEM,
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK_FILE_SYSTEM,
} from '../../../base/device-codes.ts';
import {
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_DIRECTORY_CONTROL,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_QUERY_INFORMATION,
  IRP_MJ_QUERY_VOLUME_INFORMATION,
  IRP_MJ_READ,
  IRP_MJ_SET_INFORMATION,
  IRP_MJ_SET_VOLUME_INFORMATION,
  IRP_MJ_SHUTDOWN,
  IRP_MJ_WRITE,
} from '../../../base/irp-codes.ts';
import { NT_SUCCESS, type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  type DriverModule,
  type DriverObject,
  IoCreateDevice,
  IoDeleteDevice,
  IoRegisterFileSystem,
} from '../../../io/index.ts';
import { ObReferenceObject } from '../../../ob/index.ts';
import { CdfsCleanup, CdfsClose } from './cleanup-close.ts';
import { CdfsCreate } from './create.ts';
import { CdfsDirectoryControl } from './directory.ts';
import { CdfsDeviceControl, CdfsFileSystemControl, CdfsShutdown, removeControlDevices } from './fsctl.ts';
import { CdfsQueryInformation } from './information.ts';
import { CdfsRead } from './read.ts';
import { CdfsControl, CdfsData, type CdfsOptions } from './structures.ts';
import { CdfsQueryVolumeInformation } from './volume-information.ts';
import { CdfsSetInformation, CdfsSetVolumeInformation, CdfsWrite } from './write-protect.ts';

export type { SymbolicLinkReparseInfo } from '../../../io/index.ts';
export { MAX_LINK_HOPS } from './lookup.ts';
export { cdSerial32 } from './on-disk.ts';
export type { CdfsOptions, NamePreference, NameSet } from './structures.ts';
export { CDFS_FILE_SYSTEM_NAME } from './volume-information.ts';

export const CDFS_CONTROL_DEVICE_NAME = '\\Cdfs';
export const CDFS_DISK_CONTROL_DEVICE_NAME = '\\CdfsDisk';

export const manifest = {
  name: 'Cdfs',
  kind: 'file-system',
  description: 'CDFS: ISO 9660 CD-ROM file system, read-only, with Joliet and Rock Ridge',
} as const;

/** DriverUnload: only installed while no volume is mounted. */
function CdfsUnload(driverObject: DriverObject): void {
  removeControlDevices(driverObject.driverExtension as CdfsData);
}

function createControlDevice(driverObject: DriverObject, name: string, deviceType: number): NTSTATUS {
  const created = IoCreateDevice(driverObject, new CdfsControl(deviceType), name, deviceType, 0, false);
  if (!NT_SUCCESS(created.status) || created.deviceObject === null) return created.status;
  const data = driverObject.driverExtension as CdfsData;
  data.controlDevices.push(created.deviceObject);
  return STATUS_SUCCESS;
}

function driverEntryWith(options: CdfsOptions) {
  return function DriverEntry(driverObject: DriverObject, _registryPath: string): NTSTATUS {
    const data = new CdfsData(
      {
        preferredNames: options.preferredNames ?? 'rock-ridge',
        mountDiskDevices: options.mountDiskDevices ?? false,
      },
      CdfsUnload,
    );
    driverObject.driverExtension = data;
    let status = createControlDevice(driverObject, CDFS_CONTROL_DEVICE_NAME, FILE_DEVICE_CD_ROM_FILE_SYSTEM);
    if (NT_SUCCESS(status) && data.options.mountDiskDevices)
      status = createControlDevice(driverObject, CDFS_DISK_CONTROL_DEVICE_NAME, FILE_DEVICE_DISK_FILE_SYSTEM);
    if (!NT_SUCCESS(status)) {
      for (const device of data.controlDevices.splice(0)) IoDeleteDevice(device);
      return status;
    }

    const dispatch = driverObject.majorFunction;
    dispatch[IRP_MJ_CREATE] = CdfsCreate;
    dispatch[IRP_MJ_CLEANUP] = CdfsCleanup;
    dispatch[IRP_MJ_CLOSE] = CdfsClose;
    dispatch[IRP_MJ_READ] = CdfsRead;
    dispatch[IRP_MJ_WRITE] = CdfsWrite;
    dispatch[IRP_MJ_QUERY_INFORMATION] = CdfsQueryInformation;
    dispatch[IRP_MJ_SET_INFORMATION] = CdfsSetInformation;
    dispatch[IRP_MJ_DIRECTORY_CONTROL] = CdfsDirectoryControl;
    dispatch[IRP_MJ_QUERY_VOLUME_INFORMATION] = CdfsQueryVolumeInformation;
    dispatch[IRP_MJ_SET_VOLUME_INFORMATION] = CdfsSetVolumeInformation;
    dispatch[IRP_MJ_FILE_SYSTEM_CONTROL] = CdfsFileSystemControl;
    dispatch[IRP_MJ_DEVICE_CONTROL] = CdfsDeviceControl;
    dispatch[IRP_MJ_SHUTDOWN] = CdfsShutdown;
    driverObject.driverUnload = CdfsUnload;

    // Low priority: asked to mount after every other file system of its queue, as cdinit.c does.
    for (const cdo of data.controlDevices) {
      cdo.flags |= DO_LOW_PRIORITY_FILESYSTEM;
      IoRegisterFileSystem(cdo);
      ObReferenceObject(cdo);
    }
    return STATUS_SUCCESS;
  };
}

/**
 * The CDFS driver image with options: register it (IoRegisterDriverImage) before the recognizer
 * loads `Cdfs` by name, or load it directly with IoLoadDriver.
 */
export function cdfsDriverWith(options: CdfsOptions): DriverModule {
  return { manifest, DriverEntry: driverEntryWith(options) };
}

export const DriverEntry = driverEntryWith({});

export const cdfsDriver: DriverModule = { manifest, DriverEntry };
export default cdfsDriver;
