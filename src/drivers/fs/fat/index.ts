/**
 * FAT: the FAT12/FAT16/FAT32 file system with VFAT long names, read-write (FastFat, the Windows
 * driver sample, is the model: names, order of checks, statuses).
 *
 * DriverEntry creates FastFat's two control devices, `\Fat` (FILE_DEVICE_DISK_FILE_SYSTEM) and
 * `\FatCdrom` (FILE_DEVICE_CD_ROM_FILE_SYSTEM), registers both with IoRegisterFileSystem and takes
 * its own reference on each, as FastFat does. The I/O manager then offers it every unmounted disk
 * and CD-ROM; FAT claims those whose boot sector is FAT (volume-layout.ts). Per-system state lives
 * on the driver object (FatData) and on each volume device (the VCB); nothing in module variables.
 * The service name is `Fat`, so the file system recognizer can load it with IoLoadDriver;
 * `fatDriverWith({ codePage })` is the same image with another OEM code page for short names.
 *
 * Layers, bottom up: on-disk.ts (byte layouts), volume-layout.ts (recognition), fat-table.ts and
 * cluster-runs.ts (the FAT and chains), code-page.ts / short-name.ts / lfn.ts / timestamps.ts
 * (names and times), format.ts (mkfs.fat's choices); disk-io.ts and irp-context.ts (I/O that
 * completes now or posts the request); allocation.ts, directory-contents.ts,
 * directory-entries.ts, entry-builder.ts, data-io.ts (the volume in memory); then one file per
 * major function: create.ts, read-write.ts, information.ts, set-information.ts, rename.ts,
 * directory.ts, volume-information.ts, fsctl.ts (+ mount.ts, dismount.ts, format-fsctl.ts),
 * flush.ts, device-control.ts, cleanup-close.ts.
 *
 * Unload is possible only while no volume is mounted.
 */
import { FILE_DEVICE_CD_ROM_FILE_SYSTEM, FILE_DEVICE_DISK_FILE_SYSTEM } from '../../../base/device-codes.ts';
import {
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_DIRECTORY_CONTROL,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_FLUSH_BUFFERS,
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
  IoUnregisterFileSystem,
} from '../../../io/index.ts';
import { ObDereferenceObject, ObReferenceObject } from '../../../ob/index.ts';
import { FatCleanup, FatClose } from './cleanup-close.ts';
import { type CodePage, CP850 } from './code-page.ts';
import { FatCreate } from './create.ts';
import { FatDeviceControl } from './device-control.ts';
import { FatDirectoryControl } from './directory.ts';
import { FatFlushBuffers, FatShutdown } from './flush.ts';
import { FatFileSystemControl } from './fsctl.ts';
import { FatQueryInformation } from './information.ts';
import { FatRead, FatWrite } from './read-write.ts';
import { FatSetInformation } from './set-information.ts';
import { FatControl, FatData } from './structures.ts';
import { FatQueryVolumeInformation, FatSetVolumeInformation } from './volume-information.ts';

export { CodePage, CP437, CP850 } from './code-page.ts';
export {
  type FatFormatOptions,
  type FatFormatPlan,
  fatFormat,
  formatFatVolume,
  planFatFormat,
} from './format.ts';
export { type FatFormatRequest, FSCTL_FAT_FORMAT_VOLUME } from './format-fsctl.ts';
export { type BootSector, readBootSector } from './on-disk.ts';
export { Fcb, Vcb } from './structures.ts';
export type { FatType } from './volume-layout.ts';

export const FAT_CONTROL_DEVICE_NAME = '\\Fat';
export const FAT_CDROM_CONTROL_DEVICE_NAME = '\\FatCdrom';

export const manifest = {
  name: 'Fat',
  kind: 'file-system',
  description: 'FAT12/16/32 with VFAT long names, read-write, on disks and CD-ROMs',
} as const;

function FatUnload(driverObject: DriverObject): void {
  const data = driverObject.driverExtension as FatData;
  for (const controlDevice of data.controlDevices.splice(0)) {
    IoUnregisterFileSystem(controlDevice);
    ObDereferenceObject(controlDevice);
    IoDeleteDevice(controlDevice);
  }
}

export interface FatOptions {
  /** The OEM code page of short names: CP850 (the default, as mtools on Debian) or CP437. */
  codePage?: CodePage;
}

function driverEntryWith(options: FatOptions): DriverModule['DriverEntry'] {
  return (driverObject, registryPath) => fatDriverEntry(driverObject, registryPath, options);
}

function fatDriverEntry(driverObject: DriverObject, _registryPath: string, options: FatOptions): NTSTATUS {
  const data = new FatData(FatUnload, options.codePage ?? CP850);
  driverObject.driverExtension = data;
  const controls: Array<[string, number, boolean]> = [
    [FAT_CONTROL_DEVICE_NAME, FILE_DEVICE_DISK_FILE_SYSTEM, false],
    [FAT_CDROM_CONTROL_DEVICE_NAME, FILE_DEVICE_CD_ROM_FILE_SYSTEM, true],
  ];
  for (const [name, type, cdrom] of controls) {
    const created = IoCreateDevice(driverObject, new FatControl(cdrom), name, type, 0, false);
    if (!NT_SUCCESS(created.status) || created.deviceObject === null) return created.status;
    data.controlDevices.push(created.deviceObject);
  }
  const dispatch = driverObject.majorFunction;
  dispatch[IRP_MJ_CREATE] = FatCreate;
  dispatch[IRP_MJ_CLEANUP] = FatCleanup;
  dispatch[IRP_MJ_CLOSE] = FatClose;
  dispatch[IRP_MJ_READ] = FatRead;
  dispatch[IRP_MJ_WRITE] = FatWrite;
  dispatch[IRP_MJ_QUERY_INFORMATION] = FatQueryInformation;
  dispatch[IRP_MJ_SET_INFORMATION] = FatSetInformation;
  dispatch[IRP_MJ_DIRECTORY_CONTROL] = FatDirectoryControl;
  dispatch[IRP_MJ_QUERY_VOLUME_INFORMATION] = FatQueryVolumeInformation;
  dispatch[IRP_MJ_SET_VOLUME_INFORMATION] = FatSetVolumeInformation;
  dispatch[IRP_MJ_FILE_SYSTEM_CONTROL] = FatFileSystemControl;
  dispatch[IRP_MJ_DEVICE_CONTROL] = FatDeviceControl;
  dispatch[IRP_MJ_FLUSH_BUFFERS] = FatFlushBuffers;
  dispatch[IRP_MJ_SHUTDOWN] = FatShutdown;
  driverObject.driverUnload = FatUnload;
  for (const controlDevice of data.controlDevices) {
    IoRegisterFileSystem(controlDevice);
    ObReferenceObject(controlDevice);
  }
  return STATUS_SUCCESS;
}

/**
 * The FAT driver image with options: register it (IoRegisterDriverImage) before the recognizer
 * loads `Fat` by name, or load it directly with IoLoadDriver.
 */
export function fatDriverWith(options: FatOptions): DriverModule {
  return { manifest, DriverEntry: driverEntryWith(options) };
}

export const DriverEntry = driverEntryWith({});

export const fatDriver: DriverModule = { manifest, DriverEntry };
export default fatDriver;
