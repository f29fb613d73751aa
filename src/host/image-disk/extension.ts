/**
 * The image disk's per-device and per-driver state.
 *
 * The device extension owns the host file descriptor from creation until the device's delete
 * completes (no file object references it any more); then the descriptor is flushed if written and
 * closed, and `fd` becomes null, after which every request fails with STATUS_NO_SUCH_DEVICE. The
 * usable length is a whole number of sectors fixed at creation: a partial last sector of the file
 * is not addressable, and the file growing or shrinking later does not change the disk.
 * The driver extension numbers disks and CD-ROMs and counts open descriptors, so the driver's
 * device-deleted listener outlives an unload until the last descriptor is closed.
 */
import type { DeviceObject } from '../../io/index.ts';

export type ImageMediaType = 'disk' | 'cdrom';

export class ImageDiskExtension {
  /** True once written since the last fsync. */
  dirty = false;
  /** Set by IRP_MJ_SHUTDOWN: every later write is followed by fsync (nothing will flush it otherwise). */
  writeThrough = false;

  constructor(
    /** The host descriptor, or null once closed. */
    public fd: number | null,
    /** The host path, for traces and messages. */
    readonly path: string,
    /** `dev:ino` of the host file, to refuse a second writable disk on the same file. */
    readonly fileId: string,
    /** Addressable bytes: the file length rounded down to whole sectors. */
    readonly length: number,
    readonly sectorSize: number,
    readonly readOnly: boolean,
    readonly mediaType: ImageMediaType,
    /** `\Device\HarddiskN` for disks, null for CD-ROMs. */
    readonly directory: string | null,
  ) {}
}

export interface ImageDiskDriverState {
  nextDiskNumber: number;
  nextCdRomNumber: number;
  /** Descriptors not yet closed, across this driver's devices. */
  openDescriptors: number;
  /** Removes the device-deleted listener; null once removed. */
  removeListener: (() => void) | null;
  /** Set by DriverUnload: the listener goes when the last descriptor closes. */
  unloading: boolean;
}

export function imageDiskExtension(deviceObject: DeviceObject): ImageDiskExtension | null {
  const extension = deviceObject.deviceExtension;
  return extension instanceof ImageDiskExtension ? extension : null;
}
