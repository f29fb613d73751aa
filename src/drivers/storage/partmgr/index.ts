/**
 * PartMgr: partition devices over any disk device (disk.sys's partition objects and the volume
 * names of the volume manager, without PnP).
 *
 * `IoCreatePartitionDevices(disk)` reads the disk's MBR and extended boot records through IRPs
 * (read-partition-table.ts, layout.ts), then creates one `\Device\HarddiskN\PartitionK` device per
 * partition, each with a `\Device\HarddiskVolumeM` link (partition-devices.ts). A disk without a
 * partition table is one volume, Partition1 over the whole disk (mbr.ts has the rule). Bad table
 * entries are skipped and reported with a reason; the others still appear. The partition devices
 * forward I/O to the disk with the offset moved and bounds checked (dispatch.ts).
 *
 * Lifetime: each partition device holds an I/O reference on its disk; when a partition device's
 * delete completes (its last file object gone), PartMgr hears the I/O manager's device-deleted
 * event and returns that reference, so a disk never finishes deleting under a partition still in
 * use. PartMgr has no DriverUnload: like the boot driver it models, it stays for the life of the
 * system.
 */
import { FILE_DEVICE_DISK, FILE_DEVICE_VIRTUAL_DISK } from '../../../base/device-codes.ts';
import {
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_FLUSH_BUFFERS,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
} from '../../../base/irp-codes.ts';
import { type MaybePromise, whenReady } from '../../../base/maybe-promise.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_NO_SUCH_DEVICE,
  STATUS_NOT_FOUND,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import { statusName } from '../../../base/status-name.ts';
import {
  ClassCreateClose,
  type DeviceObject,
  type DriverModule,
  type DriverObject,
  IoLoadDriver,
  IopDereferenceDeviceObject,
} from '../../../io/index.ts';
import { PartitionDeviceControl, PartitionFlush, PartitionReadWrite } from './dispatch.ts';
import { partitionExtension } from './extension.ts';
import type { PartitionStyle, SkippedEntry } from './layout.ts';
import {
  createPartitionDevices,
  deletePartitionDevices,
  type PartitionDevice,
  partMgrState,
} from './partition-devices.ts';
import { IoReadPartitionLayout } from './read-partition-table.ts';

export { PartitionExtension } from './extension.ts';
export {
  LayoutBuilder,
  MAX_EXTENDED_BOOT_RECORDS,
  type PartitionLayout,
  type PartitionSlot,
  type PartitionStyle,
  type SkippedEntry,
} from './layout.ts';
export { classifySector0, hasBootSignature, type MbrEntry, readMbrEntries } from './mbr.ts';
export type { PartitionDevice } from './partition-devices.ts';
export { IoReadPartitionLayout, type ReadLayoutResult } from './read-partition-table.ts';

export const manifest = {
  name: 'PartMgr',
  kind: 'storage',
  description: 'Partition manager: \\Device\\HarddiskN\\PartitionK devices for the partitions of a disk',
} as const;

export function DriverEntry(driverObject: DriverObject, _registryPath: string): NTSTATUS {
  partMgrState(driverObject);
  driverObject.majorFunction[IRP_MJ_CREATE] = ClassCreateClose;
  driverObject.majorFunction[IRP_MJ_CLEANUP] = ClassCreateClose;
  driverObject.majorFunction[IRP_MJ_CLOSE] = ClassCreateClose;
  driverObject.majorFunction[IRP_MJ_READ] = PartitionReadWrite;
  driverObject.majorFunction[IRP_MJ_WRITE] = PartitionReadWrite;
  driverObject.majorFunction[IRP_MJ_DEVICE_CONTROL] = PartitionDeviceControl;
  driverObject.majorFunction[IRP_MJ_FLUSH_BUFFERS] = PartitionFlush;
  // IoDeleteDevice has no driver callback; the device-deleted event is when NT would free the
  // partition's extension, so that is when its reference on the disk goes.
  driverObject.system.io.addListener((event) => {
    if (event.kind !== 'device-deleted' || event.device.driverObject !== driverObject) return;
    const partition = partitionExtension(event.device);
    if (partition !== null) IopDereferenceDeviceObject(partition.disk);
  });
  return STATUS_SUCCESS;
}

export const partMgrDriver: DriverModule = { manifest, DriverEntry };
export default partMgrDriver;

export interface CreatePartitionDevicesResult {
  /** STATUS_SUCCESS once the table was read, even when some entries were skipped or none exist. */
  status: NTSTATUS;
  /** How the disk was read; null when it could not be read. */
  style: PartitionStyle | null;
  /** The sector 0 rule that applied, or why the scan failed. */
  reason: string;
  partitions: PartitionDevice[];
  skipped: SkippedEntry[];
}

function failed(status: NTSTATUS, reason: string): CreatePartitionDevicesResult {
  return { status, style: null, reason, partitions: [], skipped: [] };
}

/**
 * Reads the partition table of `disk` (a FILE_DEVICE_DISK or FILE_DEVICE_VIRTUAL_DISK) and creates a
 * device per partition (IoReadPartitionTable followed by the partition devices disk.sys creates).
 * Loads PartMgr if needed. A disk that already has partition devices (or is being scanned) is
 * STATUS_OBJECT_NAME_COLLISION: delete them first to scan again. Synchronous when the disk answers
 * at once.
 */
export function IoCreatePartitionDevices(disk: DeviceObject): MaybePromise<CreatePartitionDevicesResult> {
  const loaded = IoLoadDriver(disk.system, partMgrDriver);
  const driverObject = loaded.driverObject;
  if (driverObject === null)
    return failed(loaded.status, `PartMgr did not load (${statusName(loaded.status)})`);
  if (disk.deviceType !== FILE_DEVICE_DISK && disk.deviceType !== FILE_DEVICE_VIRTUAL_DISK) {
    return failed(STATUS_INVALID_DEVICE_REQUEST, 'only disk devices have partition tables');
  }
  if (disk.deletePending) return failed(STATUS_NO_SUCH_DEVICE, 'the disk is being deleted');
  const state = partMgrState(driverObject);
  if (state.sets.has(disk)) {
    return failed(
      STATUS_OBJECT_NAME_COLLISION,
      'the disk already has partition devices (or is being scanned)',
    );
  }
  state.sets.set(disk, null);
  return whenReady(IoReadPartitionLayout(disk), ({ status, layout }) => {
    state.sets.delete(disk);
    if (!NT_SUCCESS(status) || layout === null) {
      return failed(status, `reading the partition table failed with ${statusName(status)}`);
    }
    if (disk.deletePending) return failed(STATUS_NO_SUCH_DEVICE, 'the disk was deleted during the scan');
    const created = createPartitionDevices(driverObject, disk, layout);
    return {
      status: created.status,
      style: layout.style,
      reason: NT_SUCCESS(created.status)
        ? layout.reason
        : `creating the partition devices failed with ${statusName(created.status)}`,
      partitions: created.devices,
      skipped: [...layout.skipped],
    };
  });
}

/**
 * Deletes the partition devices of `disk` and their names. STATUS_NOT_FOUND when it has none.
 * Devices still referenced finish deleting when their last file object goes.
 */
export function IoDeletePartitionDevices(disk: DeviceObject): NTSTATUS {
  const driverObject = disk.system.io.drivers.get(manifest.name.toUpperCase());
  if (driverObject === undefined) return STATUS_NOT_FOUND;
  return deletePartitionDevices(driverObject, disk) ? STATUS_SUCCESS : STATUS_NOT_FOUND;
}
