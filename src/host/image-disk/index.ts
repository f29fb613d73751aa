/**
 * ImageDisk: a storage driver whose disks are files on the host (a VHD-less "attach this image").
 *
 * `\Driver\ImageDisk` owns two kinds of devices, created by IoCreateImageDisk:
 * - disks, `\Device\HarddiskN\Partition0` (the whole disk) in a new object directory
 *   `\Device\HarddiskN`, FILE_DEVICE_DISK with 512-byte sectors by default; PartMgr then reads the
 *   partition table and adds `\Device\HarddiskN\PartitionK` and `\Device\HarddiskVolumeM`;
 * - CD-ROMs, `\Device\CdRomN`, FILE_DEVICE_CD_ROM with 2048-byte sectors, read-only and removable
 *   (the default for a path ending in `.iso`).
 * N counts per system and skips names already taken. The file is read and written in place at
 * random offsets through one descriptor (open-image.ts, read-write.ts), never loaded; every request
 * completes before its dispatch routine returns.
 *
 * Lifetime: IoRemoveImageDisk (or DriverUnload) deletes the partition devices and the disk. The
 * descriptor is flushed and closed when the disk's delete completes, i.e. once no file object (and
 * no partition device, each of which holds a reference) uses it. IoDeleteDevice has no driver
 * callback, so the driver listens for the I/O manager's device-deleted event for its own devices:
 * that is the moment NT would free the device extension. Each disk registers for last-chance
 * shutdown notification (told after the file systems flushed) and fsyncs on IRP_MJ_SHUTDOWN.
 *
 * This driver lives in host/ because it uses node:fs; nothing below host/ may import it.
 */
import {
  DO_DEVICE_INITIALIZING,
  FILE_DEVICE_CD_ROM,
  FILE_DEVICE_DISK,
  FILE_READ_ONLY_DEVICE,
  FILE_REMOVABLE_MEDIA,
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_FLUSH_BUFFERS,
  IRP_MJ_READ,
  IRP_MJ_SHUTDOWN,
  IRP_MJ_WRITE,
  mustBeSync,
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_DELETE_PENDING,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  type CreatePartitionDevicesResult,
  IoCreatePartitionDevices,
  IoDeletePartitionDevices,
} from '../../drivers/storage/partmgr/index.ts';
import {
  ClassCreateClose,
  type DeviceObject,
  type DriverModule,
  type DriverObject,
  IoCreateDevice,
  IoDeleteDevice,
  IoLoadDriver,
  IoRegisterLastChanceShutdownNotification,
  type System,
} from '../../io/index.ts';
import { ObjectDirectory } from '../../ob/index.ts';
import { flushImage, ImageDiskCreate, ImageDiskFlush, ImageDiskShutdown } from './create-close.ts';
import { ImageDiskDeviceControl } from './device-control.ts';
import {
  type ImageDiskDriverState,
  ImageDiskExtension,
  type ImageMediaType,
  imageDiskExtension,
} from './extension.ts';
import { closeQuietly, openImage } from './open-image.ts';
import { ImageDiskRead, ImageDiskWrite } from './read-write.ts';

export { imageDiskGeometry, imageDiskToc } from './device-control.ts';
export { ImageDiskExtension, type ImageMediaType, imageDiskExtension } from './extension.ts';
export { hostErrorStatus } from './host-status.ts';

export const manifest = {
  name: 'ImageDisk',
  kind: 'storage',
  description: 'Image-file disks: \\Device\\HarddiskN and \\Device\\CdRomN backed by files on the host',
} as const;

export interface ImageDiskOptions {
  /** The host file. It must exist and be at least one sector long. */
  path: string;
  /** Refuse writes (STATUS_MEDIA_WRITE_PROTECTED). Also the case when the file cannot be opened for writing. */
  readOnly?: boolean;
  /** Bytes per sector, a power of two from 512 to 64 KiB. Default 512 for disks, 2048 for CD-ROMs. */
  sectorSize?: number;
  /** Default 'cdrom' for a path ending in `.iso`, else 'disk'. CD-ROMs are always read-only. */
  mediaType?: ImageMediaType;
  /** Disks only: read the partition table and create the partition devices. Default true. */
  partitions?: boolean;
}

export interface CreateImageDiskResult {
  status: NTSTATUS;
  deviceObject: DeviceObject<ImageDiskExtension> | null;
  /** The partition scan of a disk; null for CD-ROMs, with `partitions: false`, or on failure. */
  partitions: CreatePartitionDevicesResult | null;
}

function driverState(driverObject: DriverObject): ImageDiskDriverState {
  if (driverObject.driverExtension === null) {
    const state: ImageDiskDriverState = {
      nextDiskNumber: 0,
      nextCdRomNumber: 0,
      openDescriptors: 0,
      removeListener: null,
      unloading: false,
    };
    driverObject.driverExtension = state;
  }
  return driverObject.driverExtension as ImageDiskDriverState;
}

function isValidSectorSize(sectorSize: number): boolean {
  return (
    Number.isInteger(sectorSize) &&
    sectorSize >= 512 &&
    sectorSize <= 65536 &&
    (sectorSize & (sectorSize - 1)) === 0
  );
}

function failed(status: NTSTATUS): CreateImageDiskResult {
  return { status, deviceObject: null, partitions: null };
}

/** Flushes and closes a disk's descriptor: its delete has completed. */
function releaseImage(driverObject: DriverObject, disk: ImageDiskExtension): void {
  const fd = disk.fd;
  if (fd === null) return;
  flushImage(disk);
  disk.fd = null;
  closeQuietly(fd);
  const state = driverState(driverObject);
  state.openDescriptors--;
  if (state.unloading && state.openDescriptors === 0) stopListening(state);
}

function stopListening(state: ImageDiskDriverState): void {
  state.removeListener?.();
  state.removeListener = null;
}

/** Deletes the partition devices, the disk and its directory name; the descriptor follows the delete. */
function removeDisk(device: DeviceObject): void {
  const disk = imageDiskExtension(device)!;
  IoDeletePartitionDevices(device);
  IoDeleteDevice(device);
  if (disk.directory !== null) {
    const ob = device.system.ob;
    const directory = ob.lookupNoParse(disk.directory);
    if (directory instanceof ObjectDirectory && directory.entries.size === 0) ob.removeObject(directory);
  }
}

export function DriverEntry(driverObject: DriverObject, _registryPath: string): NTSTATUS {
  const state = driverState(driverObject);
  driverObject.majorFunction[IRP_MJ_CREATE] = ImageDiskCreate;
  driverObject.majorFunction[IRP_MJ_CLEANUP] = ClassCreateClose;
  driverObject.majorFunction[IRP_MJ_CLOSE] = ClassCreateClose;
  driverObject.majorFunction[IRP_MJ_READ] = ImageDiskRead;
  driverObject.majorFunction[IRP_MJ_WRITE] = ImageDiskWrite;
  driverObject.majorFunction[IRP_MJ_DEVICE_CONTROL] = ImageDiskDeviceControl;
  driverObject.majorFunction[IRP_MJ_FLUSH_BUFFERS] = ImageDiskFlush;
  driverObject.majorFunction[IRP_MJ_SHUTDOWN] = ImageDiskShutdown;
  state.removeListener = driverObject.system.io.addListener((event) => {
    if (event.kind !== 'device-deleted' || event.device.driverObject !== driverObject) return;
    const disk = imageDiskExtension(event.device);
    if (disk !== null) releaseImage(driverObject, disk);
  });
  driverObject.driverUnload = (driver) => {
    const unloading = driverState(driver);
    unloading.unloading = true;
    for (const device of [...driver.deviceObjects]) if (!device.deletePending) removeDisk(device);
    if (unloading.openDescriptors === 0) stopListening(unloading);
  };
  return STATUS_SUCCESS;
}

export const imageDiskDriver: DriverModule = { manifest, DriverEntry };
export default imageDiskDriver;

/** Creates an image disk on a loaded ImageDisk driver (see IoCreateImageDisk). */
export function createImageDisk(
  driverObject: DriverObject,
  options: ImageDiskOptions,
): CreateImageDiskResult {
  const path: unknown = options?.path;
  if (typeof path !== 'string' || path.length === 0) return failed(STATUS_OBJECT_NAME_INVALID);
  const mediaType = options.mediaType ?? (/\.iso$/i.test(path) ? 'cdrom' : 'disk');
  if (mediaType !== 'disk' && mediaType !== 'cdrom') return failed(STATUS_INVALID_PARAMETER);
  const cdrom = mediaType === 'cdrom';
  const sectorSize = options.sectorSize ?? (cdrom ? 2048 : 512);
  if (!isValidSectorSize(sectorSize)) return failed(STATUS_INVALID_PARAMETER);

  const opened = openImage(path, cdrom || options.readOnly === true, sectorSize);
  const image = opened.image;
  if (image === null) return failed(opened.status);
  for (const device of driverObject.deviceObjects) {
    const other = imageDiskExtension(device);
    if (
      other !== null &&
      other.fd !== null &&
      other.fileId === image.fileId &&
      !(other.readOnly && image.readOnly)
    ) {
      closeQuietly(image.fd);
      return failed(STATUS_SHARING_VIOLATION);
    }
  }

  const state = driverState(driverObject);
  const ob = driverObject.system.ob;
  const characteristics = (image.readOnly ? FILE_READ_ONLY_DEVICE : 0) | (cdrom ? FILE_REMOVABLE_MEDIA : 0);
  let device: DeviceObject<ImageDiskExtension> | null = null;
  let status: NTSTATUS = STATUS_OBJECT_NAME_COLLISION;
  let extension: ImageDiskExtension | null = null;
  while (status === STATUS_OBJECT_NAME_COLLISION) {
    let name: string;
    let directory: string | null = null;
    if (cdrom) {
      name = `\\Device\\CdRom${state.nextCdRomNumber++}`;
    } else {
      directory = `\\Device\\Harddisk${state.nextDiskNumber++}`;
      if (ob.lookupNoParse(directory) !== undefined) continue;
      ob.createDirectory(directory);
      name = `${directory}\\Partition0`;
    }
    extension = new ImageDiskExtension(
      image.fd,
      path,
      image.fileId,
      image.length,
      sectorSize,
      image.readOnly,
      mediaType,
      directory,
    );
    const created = IoCreateDevice(
      driverObject,
      extension,
      name,
      cdrom ? FILE_DEVICE_CD_ROM : FILE_DEVICE_DISK,
      characteristics,
      false,
    );
    status = created.status;
    device = created.deviceObject;
  }
  if (!NT_SUCCESS(status) || device === null || extension === null) {
    closeQuietly(image.fd);
    return failed(status);
  }
  state.openDescriptors++;
  device.sectorSize = sectorSize;
  device.alignmentRequirement = 0;
  if (driverObject.system.io.driverEntryRunning !== driverObject) device.flags &= ~DO_DEVICE_INITIALIZING;
  IoRegisterLastChanceShutdownNotification(device);

  let partitions: CreatePartitionDevicesResult | null = null;
  if (!cdrom && options.partitions !== false) {
    // The disk answers at once and nothing can have attached to it yet, so the scan is synchronous.
    partitions = mustBeSync(IoCreatePartitionDevices(device), 'IoCreateImageDisk partition scan');
  }
  return { status: STATUS_SUCCESS, deviceObject: device, partitions };
}

/**
 * Loads the ImageDisk driver if needed and attaches the file `options.path` as a disk (or CD-ROM).
 * Bad options are STATUS_INVALID_PARAMETER; a missing file STATUS_OBJECT_NAME_NOT_FOUND; a
 * directory STATUS_FILE_IS_A_DIRECTORY; a file shorter than one sector STATUS_NO_MEDIA_IN_DEVICE; a
 * file already attached writable in this system STATUS_SHARING_VIOLATION.
 */
export function IoCreateImageDisk(system: System, options: ImageDiskOptions): CreateImageDiskResult {
  const loaded = IoLoadDriver(system, imageDiskDriver);
  if (loaded.driverObject === null) return failed(loaded.status);
  return createImageDisk(loaded.driverObject, options);
}

/**
 * Detaches an image disk: deletes its partition devices, the disk device and its names at once.
 * The descriptor is flushed and closed as soon as nothing references the disk (now, or when the
 * last file object on it or on one of its partitions closes).
 */
export function IoRemoveImageDisk(deviceObject: DeviceObject): NTSTATUS {
  if (imageDiskExtension(deviceObject) === null) return STATUS_INVALID_DEVICE_REQUEST;
  if (deviceObject.deletePending) return STATUS_DELETE_PENDING;
  removeDisk(deviceObject);
  return STATUS_SUCCESS;
}
