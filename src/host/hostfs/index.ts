/**
 * HostFS: host directories as network shares (`\FileSystem\HostFs`, a network file system).
 *
 * DriverEntry creates the control device `\Device\HostFs` (FILE_DEVICE_NETWORK_FILE_SYSTEM) and
 * registers it with IoRegisterFileSystem, which puts it on the network queue and tells every
 * notification-driven filter, so filters attach to it as they do to a redirector's. Network file
 * systems mount nothing: `\Device\HostFs` has no VPB, so the I/O manager sends every open of
 * `\Device\HostFs\<share>\<path>` to the top of the control device's stack with the rest of the
 * name, and every later request on that file goes there too — a filter on the control device sees
 * all of them. A drive letter is a symbolic link: `\??\H:` → `\Device\HostFs\<share>`.
 *
 * Shares come and go with HostFsAddShare / HostFsRemoveShare (or the control IOCTLs). The
 * containment guarantee (nothing outside a share's root is ever reached) is kept by
 * host-namespace.ts and resolve.ts; names by host-names.ts; host errors become NTSTATUS in
 * host-errors.ts. Host calls are synchronous (fs.*Sync), so every request completes at once and
 * the synchronous path stays synchronous. Per-system state lives on the driver object (HostFsData).
 *
 * Files, one per major function: create.ts, read-write.ts, information.ts + set-information.ts +
 * rename.ts, directory.ts, volume-information.ts, flush.ts, device-control.ts, cleanup-close.ts.
 * Unload is possible only while nothing is open on HostFS.
 */
import {
  FILE_DEVICE_NETWORK_FILE_SYSTEM,
  FILE_REMOTE_DEVICE,
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
  IRP_MJ_WRITE,
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_BAD_NETWORK_NAME,
  STATUS_IMAGE_ALREADY_LOADED,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  type DriverModule,
  type DriverObject,
  IoCreateDevice,
  IoDeleteDevice,
  IoLoadDriver,
  IoRegisterFileSystem,
  IoUnregisterFileSystem,
  type System,
} from '../../io/index.ts';
import { ObDereferenceObject, ObReferenceObject } from '../../ob/index.ts';
import { HostFsCleanup, HostFsClose } from './cleanup-close.ts';
import type { HostFsShareInfo, HostFsShareOptions } from './control-codes.ts';
import { HostFsCreate } from './create.ts';
import { HostFsDeviceControl } from './device-control.ts';
import { HostFsDirectoryControl } from './directory.ts';
import { HostFsFileSystemControl } from './file-system-control.ts';
import { HostFsFlushBuffers } from './flush.ts';
import { HostNamespace } from './host-namespace.ts';
import { HostFsQueryInformation } from './information.ts';
import { HostFsRead, HostFsWrite } from './read-write.ts';
import { HostFsSetInformation } from './set-information.ts';
import { addShare, listShares, removeShare } from './shares.ts';
import { HostFsControl, HostFsData } from './structures.ts';
import { HostFsQueryVolumeInformation } from './volume-information.ts';

export * from './control-codes.ts';
export { HOST_ERROR_STATUS, ntStatusFromHostError } from './host-errors.ts';
export { isDosDeviceName, isValidHostFsComponent, isValidShareName } from './host-names.ts';
export type { ContainmentMode } from './host-namespace.ts';
export { HOSTFS_FILE_SYSTEM_NAME } from './volume-information.ts';

export const HOSTFS_CONTROL_DEVICE_NAME = '\\Device\\HostFs';

export const manifest = {
  name: 'HostFs',
  kind: 'file-system',
  description: 'HostFS: host directories as network shares (\\Device\\HostFs\\<share>)',
} as const;

/** DriverUnload: only installed while nothing is open. Withdraws every share. */
function HostFsUnload(driverObject: DriverObject): void {
  const data = driverObject.driverExtension as HostFsData;
  for (const share of [...data.shares.values()]) removeShare(data, share.name);
  const controlDevice = data.controlDevice;
  if (controlDevice === null) return;
  data.controlDevice = null;
  IoUnregisterFileSystem(controlDevice);
  ObDereferenceObject(controlDevice);
  IoDeleteDevice(controlDevice);
}

export function DriverEntry(driverObject: DriverObject, _registryPath: string): NTSTATUS {
  const data = new HostFsData(new HostNamespace(HostNamespace.detect()), HostFsUnload);
  driverObject.driverExtension = data;
  const created = IoCreateDevice(
    driverObject,
    new HostFsControl(),
    HOSTFS_CONTROL_DEVICE_NAME,
    FILE_DEVICE_NETWORK_FILE_SYSTEM,
    FILE_REMOTE_DEVICE,
    false,
  );
  if (!NT_SUCCESS(created.status) || created.deviceObject === null) return created.status;
  data.controlDevice = created.deviceObject;

  const dispatch = driverObject.majorFunction;
  dispatch[IRP_MJ_CREATE] = HostFsCreate;
  dispatch[IRP_MJ_CLEANUP] = HostFsCleanup;
  dispatch[IRP_MJ_CLOSE] = HostFsClose;
  dispatch[IRP_MJ_READ] = HostFsRead;
  dispatch[IRP_MJ_WRITE] = HostFsWrite;
  dispatch[IRP_MJ_QUERY_INFORMATION] = HostFsQueryInformation;
  dispatch[IRP_MJ_SET_INFORMATION] = HostFsSetInformation;
  dispatch[IRP_MJ_DIRECTORY_CONTROL] = HostFsDirectoryControl;
  dispatch[IRP_MJ_QUERY_VOLUME_INFORMATION] = HostFsQueryVolumeInformation;
  dispatch[IRP_MJ_FLUSH_BUFFERS] = HostFsFlushBuffers;
  dispatch[IRP_MJ_DEVICE_CONTROL] = HostFsDeviceControl;
  dispatch[IRP_MJ_FILE_SYSTEM_CONTROL] = HostFsFileSystemControl;
  driverObject.driverUnload = HostFsUnload;

  IoRegisterFileSystem(created.deviceObject);
  ObReferenceObject(created.deviceObject);
  return STATUS_SUCCESS;
}

export const hostFsDriver: DriverModule = { manifest, DriverEntry };
export default hostFsDriver;

/** The HostFS instance of a system, loading the driver first if needed. */
function hostFsData(system: System): { status: NTSTATUS; data: HostFsData | null } {
  const loaded = IoLoadDriver(system, hostFsDriver);
  if (!NT_SUCCESS(loaded.status) && loaded.status !== STATUS_IMAGE_ALREADY_LOADED)
    return { status: loaded.status, data: null };
  return { status: STATUS_SUCCESS, data: loaded.driverObject!.driverExtension as HostFsData };
}

/**
 * Exposes a host directory as `\Device\HostFs\<name>` (loading HostFS if it is not loaded). Give
 * it a drive letter with `system.ob.createSymbolicLink('\\??\\H:', '\\Device\\HostFs\\<name>')`.
 */
export function HostFsAddShare(system: System, options: HostFsShareOptions): NTSTATUS {
  const { status, data } = hostFsData(system);
  return data === null ? status : addShare(data, options);
}

/** Withdraws a share; STATUS_BAD_NETWORK_NAME when there is none by that name. */
export function HostFsRemoveShare(system: System, name: string): NTSTATUS {
  const driver = system.io.drivers.get(manifest.name.toUpperCase());
  return driver === undefined
    ? STATUS_BAD_NETWORK_NAME
    : removeShare(driver.driverExtension as HostFsData, name);
}

/** The shares of a system's HostFS (none when HostFS is not loaded). */
export function HostFsQueryShares(system: System): HostFsShareInfo[] {
  const driver = system.io.drivers.get(manifest.name.toUpperCase());
  return driver === undefined ? [] : listShares(driver.driverExtension as HostFsData);
}
