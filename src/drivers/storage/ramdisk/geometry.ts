/**
 * Disk geometry of a RAM disk (DISK_GEOMETRY), a pure helper.
 *
 * A RAM disk has no heads or cylinders; like the WDK ramdisk sample it reports a fixed 32 sectors
 * per track and 2 tracks per cylinder and derives the cylinder count from the size, so
 * cylinders × tracks × sectors × bytesPerSector never exceeds the media length. The record and its
 * size are disk.sys's (base/disk-structures.ts).
 */
import { type DiskGeometry, FixedMedia } from '../../../base/disk-structures.ts';

export const RAMDISK_SECTORS_PER_TRACK = 32;
export const RAMDISK_TRACKS_PER_CYLINDER = 2;

export function ramDiskGeometry(sizeBytes: number, sectorSize: number): DiskGeometry {
  const bytesPerCylinder = sectorSize * RAMDISK_SECTORS_PER_TRACK * RAMDISK_TRACKS_PER_CYLINDER;
  return {
    cylinders: Math.floor(sizeBytes / bytesPerCylinder),
    mediaType: FixedMedia,
    tracksPerCylinder: RAMDISK_TRACKS_PER_CYLINDER,
    sectorsPerTrack: RAMDISK_SECTORS_PER_TRACK,
    bytesPerSector: sectorSize,
  };
}

/** True for the sector sizes disks use: a power of two from 128 to 64 KiB. */
export function isValidSectorSize(sectorSize: number): boolean {
  return (
    Number.isInteger(sectorSize) &&
    sectorSize >= 128 &&
    sectorSize <= 65536 &&
    (sectorSize & (sectorSize - 1)) === 0
  );
}
