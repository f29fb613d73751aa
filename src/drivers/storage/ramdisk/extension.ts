/**
 * The RAM disk's per-device and per-driver state.
 *
 * The device extension owns the media: one Uint8Array whose length is the disk size, always a
 * multiple of the sector size. The driver extension only numbers the disks (`\Device\RamDiskN`).
 * Nothing here is module-level: every system has its own driver object and devices.
 */
import type { DeviceObject } from '../../../io/index.ts';

export interface RamDiskExtension {
  readonly media: Uint8Array;
  readonly sectorSize: number;
  /** Writes fail with STATUS_MEDIA_WRITE_PROTECTED and IOCTL_DISK_IS_WRITABLE says so. */
  readonly readOnly: boolean;
  /**
   * Test aid: reads and writes return STATUS_PENDING and complete from a microtask, the way a
   * real disk completes from its interrupt. Control requests stay synchronous.
   */
  readonly completeAsynchronously: boolean;
}

export interface RamDiskDriverState {
  nextDiskNumber: number;
}

export function ramDiskExtension(deviceObject: DeviceObject): RamDiskExtension {
  return deviceObject.deviceExtension as RamDiskExtension;
}
