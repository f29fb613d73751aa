/**
 * MemFS: an in-memory disk file system that persists to its disk (the complete example of a
 * Strata file system driver).
 *
 * DriverEntry creates the control device `\Device\MemFs` (FILE_DEVICE_DISK_FILE_SYSTEM), registers
 * it with IoRegisterFileSystem and takes its own reference on it, as FastFat does. From then on the
 * I/O manager offers it every unmounted disk; MemFS claims those that carry its format (format.ts,
 * on-disk.ts), builds the tree in memory (tree.ts) and writes it back on flush, lock, dismount and
 * shutdown. Per-system state lives on the driver object (MemFsData) and on each volume device (the
 * VCB), never in module variables.
 *
 * Files, one per major function: create.ts, read-write.ts, information.ts + set-information.ts +
 * rename.ts, directory.ts, volume-information.ts, fsctl.ts (+ mount.ts, dismount.ts), flush.ts,
 * device-control.ts, cleanup-close.ts; pure helpers: names.ts, tree.ts, on-disk.ts, format.ts.
 *
 * Unload is possible only while no volume is mounted: MemFS removes its DriverUnload while it has
 * volumes and puts it back when the last volume device goes.
 */
import { FILE_DEVICE_DISK_FILE_SYSTEM } from '../../../base/device-codes.ts';
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
import { MemFsCleanup, MemFsClose } from './cleanup-close.ts';
import { MemFsCreate } from './create.ts';
import { MemFsDeviceControl } from './device-control.ts';
import { MemFsDirectoryControl } from './directory.ts';
import { MemFsFlushBuffers, MemFsShutdown } from './flush.ts';
import { MemFsFileSystemControl } from './fsctl.ts';
import { MemFsQueryInformation } from './information.ts';
import { MemFsRead, MemFsWrite } from './read-write.ts';
import { MemFsSetInformation } from './set-information.ts';
import { MemFsControl, MemFsData } from './structures.ts';
import { MemFsQueryVolumeInformation, MemFsSetVolumeInformation } from './volume-information.ts';

export {
  formatMemFsVolume,
  MEMFS_MINIMUM_MEDIA_SIZE,
  type MemFsFormatOptions,
  memFsFormat,
} from './format.ts';
export { MEMFS_MAGIC, MEMFS_VERSION } from './on-disk.ts';
export { Fcb, Vcb } from './structures.ts';
export { MEMFS_FILE_SYSTEM_NAME } from './volume-information.ts';

export const MEMFS_CONTROL_DEVICE_NAME = '\\Device\\MemFs';

export const manifest = {
  name: 'MemFs',
  kind: 'file-system',
  description: 'MemFS: an in-memory disk file system that writes its tree back to its disk',
} as const;

/** DriverUnload: only installed while no volume is mounted. */
function MemFsUnload(driverObject: DriverObject): void {
  const data = driverObject.driverExtension as MemFsData;
  const controlDevice = data.controlDevice;
  if (controlDevice === null) return;
  data.controlDevice = null;
  IoUnregisterFileSystem(controlDevice);
  ObDereferenceObject(controlDevice);
  IoDeleteDevice(controlDevice);
}

export function DriverEntry(driverObject: DriverObject, _registryPath: string): NTSTATUS {
  const data = new MemFsData(MemFsUnload);
  driverObject.driverExtension = data;
  const created = IoCreateDevice(
    driverObject,
    new MemFsControl(),
    MEMFS_CONTROL_DEVICE_NAME,
    FILE_DEVICE_DISK_FILE_SYSTEM,
    0,
    false,
  );
  if (!NT_SUCCESS(created.status) || created.deviceObject === null) return created.status;
  data.controlDevice = created.deviceObject;

  const dispatch = driverObject.majorFunction;
  dispatch[IRP_MJ_CREATE] = MemFsCreate;
  dispatch[IRP_MJ_CLEANUP] = MemFsCleanup;
  dispatch[IRP_MJ_CLOSE] = MemFsClose;
  dispatch[IRP_MJ_READ] = MemFsRead;
  dispatch[IRP_MJ_WRITE] = MemFsWrite;
  dispatch[IRP_MJ_QUERY_INFORMATION] = MemFsQueryInformation;
  dispatch[IRP_MJ_SET_INFORMATION] = MemFsSetInformation;
  dispatch[IRP_MJ_DIRECTORY_CONTROL] = MemFsDirectoryControl;
  dispatch[IRP_MJ_QUERY_VOLUME_INFORMATION] = MemFsQueryVolumeInformation;
  dispatch[IRP_MJ_SET_VOLUME_INFORMATION] = MemFsSetVolumeInformation;
  dispatch[IRP_MJ_FILE_SYSTEM_CONTROL] = MemFsFileSystemControl;
  dispatch[IRP_MJ_DEVICE_CONTROL] = MemFsDeviceControl;
  dispatch[IRP_MJ_FLUSH_BUFFERS] = MemFsFlushBuffers;
  dispatch[IRP_MJ_SHUTDOWN] = MemFsShutdown;
  driverObject.driverUnload = MemFsUnload;

  IoRegisterFileSystem(created.deviceObject);
  ObReferenceObject(created.deviceObject);
  return STATUS_SUCCESS;
}

export const memFsDriver: DriverModule = { manifest, DriverEntry };
export default memFsDriver;
