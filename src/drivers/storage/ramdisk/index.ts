/**
 * RamDisk: a storage driver whose disks are memory (the WDK ramdisk sample, without PnP).
 *
 * `\Driver\RamDisk` owns devices `\Device\RamDisk0`, `\Device\RamDisk1`, … of type
 * FILE_DEVICE_DISK, so IoCreateDevice gives each a VPB and the first open of a path on it mounts a
 * file system. Each device extension holds the media (see extension.ts). Disks can be created in
 * DriverEntry or any time later with `createRamDisk`; a disk created later clears its own
 * DO_DEVICE_INITIALIZING, as NT requires of devices created outside DriverEntry.
 *
 * Every request completes synchronously, except reads and writes on a disk created with
 * `completeAsynchronously`, which pend and complete from a microtask.
 */
import {
  DO_DEVICE_INITIALIZING,
  FILE_DEVICE_DISK,
  FILE_READ_ONLY_DEVICE,
} from '../../../base/device-codes.ts';
import {
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_FLUSH_BUFFERS,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
} from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  ClassCreateClose,
  type DeviceObject,
  type DriverModule,
  type DriverObject,
  IoCreateDevice,
  IoDeleteDevice,
  IoLoadDriver,
  type System,
} from '../../../io/index.ts';
import { RamDiskDeviceControl } from './device-control.ts';
import type { RamDiskDriverState, RamDiskExtension } from './extension.ts';
import { RamDiskFlush } from './flush.ts';
import { isValidSectorSize } from './geometry.ts';
import { RamDiskRead, RamDiskWrite } from './read-write.ts';

export { type DiskGeometry, FixedMedia, type GetLengthInformation } from '../../../base/disk-structures.ts';
export type { RamDiskExtension } from './extension.ts';
export { ramDiskGeometry } from './geometry.ts';

export const manifest = {
  name: 'RamDisk',
  kind: 'storage',
  description: 'RAM disk storage driver: \\Device\\RamDiskN disks backed by memory',
} as const;

export interface RamDiskOptions {
  /** Disk size in bytes, a positive multiple of the sector size. Defaults to `media.length` when media is given. */
  sizeBytes?: number;
  /** Bytes per sector, a power of two from 128 to 64 KiB. Default 512. */
  sectorSize?: number;
  /** A write-protected disk. Default false. */
  readOnly?: boolean;
  /** The device type; FILE_DEVICE_DISK (default) or another type that has a VPB (FILE_DEVICE_VIRTUAL_DISK). */
  deviceType?: number;
  /** Use this memory as the media (no copy): an image to mount, or a buffer a test wants to inspect. */
  media?: Uint8Array;
  /**
   * Writes a file system onto the media before the disk appears (a format utility's job, e.g.
   * MemFS's `memFsFormat()`). A failing status it returns fails the creation.
   */
  format?: (media: Uint8Array, sectorSize: number) => NTSTATUS | undefined;
  /** Reads and writes pend and complete from a microtask. Default false. */
  completeAsynchronously?: boolean;
}

export interface CreateRamDiskResult {
  status: NTSTATUS;
  deviceObject: DeviceObject<RamDiskExtension> | null;
}

function driverState(driverObject: DriverObject): RamDiskDriverState {
  if (driverObject.driverExtension === null) driverObject.driverExtension = { nextDiskNumber: 0 };
  return driverObject.driverExtension as RamDiskDriverState;
}

/**
 * Creates a RAM disk device `\Device\RamDiskN` on a loaded RamDisk driver. Bad sizes are
 * STATUS_INVALID_PARAMETER; the media is zero-filled unless given.
 */
export function createRamDisk(driverObject: DriverObject, options: RamDiskOptions): CreateRamDiskResult {
  const sectorSize = options.sectorSize ?? 512;
  const sizeBytes = options.sizeBytes ?? options.media?.length;
  const failed: CreateRamDiskResult = { status: STATUS_INVALID_PARAMETER, deviceObject: null };
  if (!isValidSectorSize(sectorSize)) return failed;
  if (sizeBytes === undefined || !Number.isSafeInteger(sizeBytes) || sizeBytes <= 0) return failed;
  if (sizeBytes % sectorSize !== 0) return failed;
  if (options.media !== undefined && options.media.length !== sizeBytes) return failed;
  let media: Uint8Array;
  try {
    media = options.media ?? new Uint8Array(sizeBytes);
  } catch {
    return failed; // larger than this runtime can allocate
  }
  const formatted = options.format?.(media, sectorSize);
  if (formatted !== undefined && !NT_SUCCESS(formatted)) return { status: formatted, deviceObject: null };

  const readOnly = options.readOnly ?? false;
  const extension: RamDiskExtension = {
    media,
    sectorSize,
    readOnly,
    completeAsynchronously: options.completeAsynchronously ?? false,
  };
  const state = driverState(driverObject);
  // Skip numbers someone else already took in \Device, as a PnP disk class would.
  for (;;) {
    const name = `\\Device\\RamDisk${state.nextDiskNumber++}`;
    const created = IoCreateDevice(
      driverObject,
      extension,
      name,
      options.deviceType ?? FILE_DEVICE_DISK,
      readOnly ? FILE_READ_ONLY_DEVICE : 0,
      false,
    );
    if (created.status === STATUS_OBJECT_NAME_COLLISION) continue;
    const device = created.deviceObject;
    if (!NT_SUCCESS(created.status) || device === null) return { status: created.status, deviceObject: null };
    device.sectorSize = sectorSize;
    device.alignmentRequirement = 0;
    if (driverObject.system.io.driverEntryRunning !== driverObject) device.flags &= ~DO_DEVICE_INITIALIZING;
    return { status: STATUS_SUCCESS, deviceObject: device };
  }
}

export function DriverEntry(driverObject: DriverObject, _registryPath: string): NTSTATUS {
  driverState(driverObject);
  driverObject.majorFunction[IRP_MJ_CREATE] = ClassCreateClose;
  driverObject.majorFunction[IRP_MJ_CLEANUP] = ClassCreateClose;
  driverObject.majorFunction[IRP_MJ_CLOSE] = ClassCreateClose;
  driverObject.majorFunction[IRP_MJ_FLUSH_BUFFERS] = RamDiskFlush;
  driverObject.majorFunction[IRP_MJ_READ] = RamDiskRead;
  driverObject.majorFunction[IRP_MJ_WRITE] = RamDiskWrite;
  driverObject.majorFunction[IRP_MJ_DEVICE_CONTROL] = RamDiskDeviceControl;
  driverObject.driverUnload = (driver) => {
    // The disks go with the driver; a disk still referenced finishes deleting when released.
    for (const device of [...driver.deviceObjects]) IoDeleteDevice(device);
  };
  return STATUS_SUCCESS;
}

export const ramDiskDriver: DriverModule = { manifest, DriverEntry };
export default ramDiskDriver;

/**
 * Loads the RamDisk driver if it is not loaded yet and creates a disk on it: the one-call way to
 * get a volume-capable device in a system.
 */
export function IoCreateRamDisk(system: System, options: RamDiskOptions): CreateRamDiskResult {
  const loaded = IoLoadDriver(system, ramDiskDriver);
  if (loaded.driverObject === null) return { status: loaded.status, deviceObject: null };
  return createRamDisk(loaded.driverObject, options);
}
