/**
 * Recognizing a FAT volume and computing its layout from the boot sector (FastFat's
 * FatIsBootSectorFat and FatSetupAllocationSupport; the FAT type rule of Microsoft's FAT
 * specification, fatgen103).
 *
 * Recognition, in order:
 * 1. FastFat's sanity checks: jump byte 0xEB/0xE9/0x49, bytes per sector 128..4096 (power of two),
 *    sectors per cluster 1..128 (power of two), reserved sectors and FATs non-zero, a sector
 *    count, a FAT size, FAT32 version 0 without disabled mirroring, a known media byte, root
 *    entries on FAT12/16; and the BPB's sector size must be the disk's. Failing any of these is
 *    STATUS_UNRECOGNIZED_VOLUME: not FAT, the mount walk moves on.
 * 2. The type by cluster count, as the specification says: below 4085 FAT12, below 65525 FAT16,
 *    else FAT32. A layout that contradicts its count (a FAT32 BPB with FAT16's count, or the
 *    reverse) is also unrecognized: reading it either way would misplace the FAT.
 * 3. The regions must lie in order inside the volume, and the FAT must describe every cluster
 *    (a short FAT limits the count, as FastFat does for old DOS formats).
 * A boot sector that is FAT but whose metadata lies past the end of the disk, or whose FAT32 root
 * cluster is out of range, is STATUS_DISK_CORRUPT_ERROR: the volume refuses to mount. A volume
 * whose data area is cut short by the end of the disk (a truncated image) mounts read-only, with
 * only the clusters that exist.
 */
import {
  type NTSTATUS,
  STATUS_DISK_CORRUPT_ERROR,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
} from '../../../base/ntstatus.ts';
import { type BootSector, DIRENT_SIZE, isFat32Layout } from './on-disk.ts';

export type FatType = 12 | 16 | 32;

export const FAT12_MAX_CLUSTERS = 4084;
export const FAT16_MAX_CLUSTERS = 65524;
/** The largest FAT32 cluster count: cluster numbers must stay below 0x0FFFFFF7 (bad). */
export const FAT32_MAX_CLUSTERS = 0x0ffffff5;

// 0xFA only counts on Fujitsu FMR machines in FastFat.
const VALID_MEDIA = new Set([0xf0, 0xf8, 0xf9, 0xfb, 0xfc, 0xfd, 0xfe, 0xff]);

export interface VolumeLayout {
  fatType: FatType;
  bytesPerSector: number;
  sectorsPerCluster: number;
  bytesPerCluster: number;
  reservedSectors: number;
  numberOfFats: number;
  sectorsPerFat: number;
  totalSectors: number;
  /** Byte offset of the first FAT, and the bytes of one FAT. */
  fatOffset: number;
  fatBytes: number;
  /** FAT12/16: the fixed root directory region. Zero on FAT32. */
  rootDirOffset: number;
  rootDirBytes: number;
  rootEntryCount: number;
  /** FAT32: the first cluster of the root directory. Zero on FAT12/16. */
  rootCluster: number;
  /** Byte offset of cluster 2. */
  dataOffset: number;
  /** Usable clusters, numbered 2 .. clusterCount + 1. */
  clusterCount: number;
  /** FAT32: sector of the FSInfo structure, 0 when there is none (or it is unusable). */
  fsInfoSector: number;
  backupBootSector: number;
  serialNumber: number;
  /** The BPB label, 11 bytes, or null when the extended boot record is absent. */
  bpbLabel: Uint8Array | null;
  media: number;
  /** The disk ends before the last cluster: only the clusters that exist count, and the volume is read-only. */
  truncated: boolean;
}

export interface LayoutResult {
  status: NTSTATUS;
  layout: VolumeLayout | null;
}

function isPowerOfTwo(value: number): boolean {
  return value > 0 && (value & (value - 1)) === 0;
}

/** FastFat's FatIsBootSectorFat. */
export function isBootSectorFat(boot: BootSector): boolean {
  const totalSectors = boot.totalSectors16 !== 0 ? boot.totalSectors16 : boot.totalSectors32;
  const fat32 = isFat32Layout(boot);
  if (boot.jump0 !== 0xe9 && boot.jump0 !== 0xeb && boot.jump0 !== 0x49) return false;
  if (!isPowerOfTwo(boot.bytesPerSector) || boot.bytesPerSector < 128 || boot.bytesPerSector > 4096)
    return false;
  if (!isPowerOfTwo(boot.sectorsPerCluster) || boot.sectorsPerCluster > 128) return false;
  if (boot.reservedSectors === 0 || boot.numberOfFats === 0 || totalSectors === 0) return false;
  if (fat32 && (boot.sectorsPerFat32 === 0 || boot.fsVersion !== 0)) return false;
  if (!VALID_MEDIA.has(boot.media)) return false;
  if (!fat32 && boot.rootEntryCount === 0) return false;
  // FAT32 with mirroring disabled (bit 7 of the extended flags): only a converter in transit writes that.
  if (fat32 && (boot.extendedFlags & 0x80) !== 0) return false;
  return true;
}

/** The FAT type for a cluster count (fatgen103). */
export function fatTypeForClusterCount(count: number): FatType {
  if (count < 4085) return 12;
  if (count < 65525) return 16;
  return 32;
}

/**
 * Interprets a boot sector read from a disk whose sectors are `diskSectorSize` bytes and whose
 * length is `diskLength` bytes.
 */
export function interpretBootSector(
  boot: BootSector,
  diskSectorSize: number,
  diskLength: number,
): LayoutResult {
  const unrecognized: LayoutResult = { status: STATUS_UNRECOGNIZED_VOLUME, layout: null };
  const corrupt: LayoutResult = { status: STATUS_DISK_CORRUPT_ERROR, layout: null };
  if (!isBootSectorFat(boot)) return unrecognized;
  const bytesPerSector = boot.bytesPerSector;
  if (bytesPerSector !== diskSectorSize) return unrecognized;
  const fat32Layout = isFat32Layout(boot);
  const totalSectors = boot.totalSectors16 !== 0 ? boot.totalSectors16 : boot.totalSectors32;
  const sectorsPerFat = fat32Layout ? boot.sectorsPerFat32 : boot.sectorsPerFat16;
  const rootEntryCount = fat32Layout ? 0 : boot.rootEntryCount;
  if (fat32Layout && boot.rootEntryCount !== 0) return unrecognized;
  const rootDirSectors = Math.ceil((rootEntryCount * DIRENT_SIZE) / bytesPerSector);
  const metadataSectors = boot.reservedSectors + boot.numberOfFats * sectorsPerFat + rootDirSectors;
  if (metadataSectors >= totalSectors) return unrecognized;
  const dataSectors = totalSectors - metadataSectors;
  const declaredClusters = Math.floor(dataSectors / boot.sectorsPerCluster);
  if (declaredClusters === 0) return unrecognized;
  const fatType = fatTypeForClusterCount(declaredClusters);
  if ((fatType === 32) !== fat32Layout) return unrecognized;

  // A FAT too short for the cluster count limits it (FastFat: ClustersDescribableByFat).
  const describable = Math.floor((sectorsPerFat * bytesPerSector * 8) / fatType) - 2;
  const maxForType =
    fatType === 12 ? FAT12_MAX_CLUSTERS : fatType === 16 ? FAT16_MAX_CLUSTERS : FAT32_MAX_CLUSTERS;
  let clusterCount = Math.min(declaredClusters, describable, maxForType);
  if (clusterCount <= 0) return unrecognized;

  const bytesPerCluster = bytesPerSector * boot.sectorsPerCluster;
  const fatOffset = boot.reservedSectors * bytesPerSector;
  const fatBytes = sectorsPerFat * bytesPerSector;
  const rootDirOffset = fatOffset + boot.numberOfFats * fatBytes;
  const rootDirBytes = rootEntryCount * DIRENT_SIZE;
  const dataOffset = metadataSectors * bytesPerSector;
  // The FATs and the fixed root directory must exist on the disk; the data area may be cut short.
  if (dataOffset > diskLength) return corrupt;
  const clustersOnDisk = Math.floor((diskLength - dataOffset) / bytesPerCluster);
  const truncated = clustersOnDisk < clusterCount;
  if (truncated) clusterCount = clustersOnDisk;

  const rootCluster = fat32Layout ? boot.rootCluster : 0;
  if (fat32Layout && (rootCluster < 2 || rootCluster > clusterCount + 1)) return corrupt;
  // FastFat ignores an FSInfo sector outside the reserved area rather than failing the mount.
  const fsInfoSector =
    fat32Layout && boot.fsInfoSector !== 0 && boot.fsInfoSector < boot.reservedSectors
      ? boot.fsInfoSector
      : 0;
  const hasExtendedRecord = boot.extendedSignature === 0x29 || boot.extendedSignature === 0x28;
  return {
    status: STATUS_SUCCESS,
    layout: {
      fatType,
      bytesPerSector,
      sectorsPerCluster: boot.sectorsPerCluster,
      bytesPerCluster,
      reservedSectors: boot.reservedSectors,
      numberOfFats: boot.numberOfFats,
      sectorsPerFat,
      totalSectors,
      fatOffset,
      fatBytes,
      rootDirOffset: fat32Layout ? 0 : rootDirOffset,
      rootDirBytes,
      rootEntryCount,
      rootCluster,
      dataOffset,
      clusterCount,
      fsInfoSector,
      backupBootSector: fat32Layout ? boot.backupBootSector : 0,
      serialNumber: hasExtendedRecord ? boot.serialNumber : 0,
      bpbLabel: boot.extendedSignature === 0x29 ? boot.label : null,
      media: boot.media,
      truncated,
    },
  };
}

/** Byte offset on the volume of the first byte of a cluster. */
export function clusterOffset(layout: VolumeLayout, cluster: number): number {
  return layout.dataOffset + (cluster - 2) * layout.bytesPerCluster;
}
