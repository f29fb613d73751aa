/**
 * Creating a FAT file system (what format.com's FAT library, or dosfstools' mkfs.fat, does from
 * user mode), as a pure function over a byte array and as a plan of writes for the format FSCTL.
 *
 * The parameters are chosen exactly as `mkfs.fat` 4.2 chooses them for an image file of the same
 * size, so the BPB equals mkfs.fat's apart from the serial number, the label's time stamp and the
 * boot code:
 * - geometry: the SD-card CHS recommendation up to 256 MiB, LBA-assist translation above; the
 *   floppy formats (360K, 720K, 1.2M, 1.44M, 2.88M) by exact size, unless `fixedDisk`;
 * - FAT32 by default from 512 MiB; its cluster size by size (512 B up to 260 MiB, 4 KiB up to
 *   8 GiB, 8, 16, then 32 KiB), FAT12/16 starting at 4 sectors per cluster and doubling until the
 *   cluster count suits a type (FAT12 at most 4,084 clusters, FAT16 4,087..65,524, FAT32 at least
 *   65,525 unless asked for), the smaller FAT type preferred;
 * - 1 reserved sector (32 on FAT32), 2 FATs, 512 root entries; above 8,192 sectors the sector count
 *   is cut to whole tracks and the reserved area, the FATs and the root directory are rounded to
 *   whole clusters so clusters are aligned;
 * - FAT32: FSInfo in sector 1, backup boot sector in 6 (with a backup FSInfo after it), root
 *   directory in cluster 2.
 * Bad sizes or options are STATUS_INVALID_PARAMETER; a bad label STATUS_INVALID_VOLUME_LABEL.
 */
import {
  type NTSTATUS,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_VOLUME_LABEL,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import { CP850 } from './code-page.ts';
import { buildBootSector, writeLabelEntry } from './format-boot.ts';
import { writeFsInfo } from './on-disk.ts';
import { type FatType, fatTypeForClusterCount } from './volume-layout.ts';

export interface FatFormatOptions {
  /** 12, 16 or 32; chosen from the size when omitted. */
  fatType?: FatType;
  /** Up to 11 characters of code page 850, none of `*?.,;:/\|+=<>[]"`, no leading space. */
  label?: string;
  serialNumber?: number;
  /** Creation time of the label entry, ms since 1970; defaults to now. */
  now?: number;
  /** Bytes per sector: 512 (default) to 4096, the disk's sector size. */
  sectorSize?: number;
  sectorsPerCluster?: number;
  rootEntries?: number;
  reservedSectors?: number;
  numberOfFats?: number;
  /** Media descriptor: 0xF0 or 0xF8..0xFF. */
  media?: number;
  /** Round structures to whole clusters (mkfs.fat's default; `-a` turns it off). */
  alignStructures?: boolean;
  /** Treat the disk as a fixed disk: no floppy formats for floppy sizes. */
  fixedDisk?: boolean;
}

/** One write of the format: `length` bytes at `offset`, starting with `data`, zeros after it. */
export interface FormatRegion {
  offset: number;
  length: number;
  data: Uint8Array;
}

export interface FatFormatPlan {
  fatType: FatType;
  sectorsPerCluster: number;
  clusterCount: number;
  totalSectors: number;
  regions: FormatRegion[];
}

const MAX_CLUST_12 = 4084;
const MIN_CLUST_16 = 4087;
const MAX_CLUST_16 = 65524;
const MIN_CLUST_32 = 65525;
const MAX_CLUST_32 = 268435446;
const NO_NAME = 'NO NAME    ';
const LABEL_FORBIDDEN = '*?.,;:/\\|+=<>[]"';

const FLOPPIES: Record<number, { spt: number; media: number; cluster: number; root: number }> = {
  360: { spt: 9, media: 0xfd, cluster: 2, root: 112 },
  720: { spt: 9, media: 0xf9, cluster: 2, root: 112 },
  1200: { spt: 15, media: 0xf9, cluster: 1, root: 224 },
  1440: { spt: 18, media: 0xf0, cluster: 1, root: 224 },
  2880: { spt: 36, media: 0xf0, cluster: 2, root: 224 },
};

function cdiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/** The 11 label bytes, or null when the label is not allowed. */
export function encodeFormatLabel(label: string): Uint8Array | null {
  if (label.length > 11) return null;
  const oem = CP850.encode(label);
  if (oem === null) return null;
  for (const byte of oem) if (byte < 0x20 || LABEL_FORBIDDEN.includes(String.fromCharCode(byte))) return null;
  if (oem[0] === 0x20) return null;
  const bytes = new Uint8Array(11).fill(0x20);
  bytes.set(oem);
  return bytes;
}

function isPowerOfTwoIn(value: number, low: number, high: number): boolean {
  return Number.isInteger(value) && value >= low && value <= high && (value & (value - 1)) === 0;
}

interface Choice {
  fatType: FatType;
  clusterSize: number;
  clusters: number;
  fatLength: number;
}

/** mkfs.fat's search for a cluster size and FAT type; null when no combination fits. */
function chooseGeometry(
  numSectors: number,
  sectorSize: number,
  reserved: number,
  rootDirSectors: number,
  fats: number,
  requested: number,
  startCluster: number,
  maxClusterSize: number,
  align: boolean,
): Choice | null {
  const alignTo = (sectors: number, size: number): number =>
    align ? Math.ceil(sectors / size) * size : sectors;
  let clusterSize = startCluster;
  let last: Choice[] = [];
  do {
    const fatdata32 = numSectors - alignTo(reserved, clusterSize);
    const fatdata1216 = fatdata32 - alignTo(rootDirSectors, clusterSize);
    let clust12 = Math.floor(
      (2 * (fatdata1216 * sectorSize + fats * 3)) / (2 * clusterSize * sectorSize + fats * 3),
    );
    const fatLength12 = alignTo(cdiv(((clust12 + 2) * 3 + 1) >> 1, sectorSize), clusterSize);
    clust12 = Math.floor((fatdata1216 - fats * fatLength12) / clusterSize);
    const max12 = Math.min(Math.floor((fatLength12 * 2 * sectorSize) / 3), MAX_CLUST_12);
    if (clust12 > max12 || clust12 < 0) clust12 = 0;

    let clust16 = Math.floor((fatdata1216 * sectorSize + fats * 4) / (clusterSize * sectorSize + fats * 2));
    const fatLength16 = alignTo(cdiv((clust16 + 2) * 2, sectorSize), clusterSize);
    clust16 = Math.floor((fatdata1216 - fats * fatLength16) / clusterSize);
    const max16 = Math.min(Math.floor((fatLength16 * sectorSize) / 2), MAX_CLUST_16);
    if (clust16 > max16 || clust16 < 0) clust16 = 0;
    if (clust16 !== 0 && clust16 < MIN_CLUST_16) clust16 = 0;

    let clust32 = Math.floor((fatdata32 * sectorSize + fats * 8) / (clusterSize * sectorSize + fats * 4));
    const fatLength32 = alignTo(cdiv((clust32 + 2) * 4, sectorSize), clusterSize);
    clust32 = Math.floor((fatdata32 - fats * fatLength32) / clusterSize);
    const max32 = Math.min(Math.floor((fatLength32 * sectorSize) / 4), MAX_CLUST_32);
    if (clust32 > max32 || clust32 < 0) clust32 = 0;
    if (clust32 !== 0 && clust32 < MIN_CLUST_32 && requested !== 32) clust32 = 0;

    last = [
      { fatType: 12, clusterSize, clusters: clust12, fatLength: fatLength12 },
      { fatType: 16, clusterSize, clusters: clust16, fatLength: fatLength16 },
      { fatType: 32, clusterSize, clusters: clust32, fatLength: fatLength32 },
    ];
    if (
      (clust12 !== 0 && (requested === 0 || requested === 12)) ||
      (clust16 !== 0 && (requested === 0 || requested === 16)) ||
      (clust32 !== 0 && requested === 32)
    )
      break;
    clusterSize *= 2;
  } while (clusterSize <= maxClusterSize && clusterSize <= 128);
  const type = requested !== 0 ? requested : last[1]!.clusters > last[0]!.clusters ? 16 : 12;
  const choice = last.find((c) => c.fatType === type)!;
  return choice.clusters > 0 ? choice : null;
}

/** Plans the format of a disk of `sizeBytes` bytes; the plan's regions are what must be written. */
export function planFatFormat(
  sizeBytes: number,
  options: FatFormatOptions = {},
): { status: NTSTATUS; plan: FatFormatPlan | null } {
  const invalid = { status: STATUS_INVALID_PARAMETER, plan: null };
  const sectorSize = options.sectorSize ?? 512;
  if (!isPowerOfTwoIn(sectorSize, 512, 4096) || !Number.isSafeInteger(sizeBytes) || sizeBytes <= 0)
    return invalid;
  const requested = options.fatType ?? 0;
  if (requested !== 0 && requested !== 12 && requested !== 16 && requested !== 32) return invalid;
  const fats = options.numberOfFats ?? 2;
  if (!Number.isInteger(fats) || fats < 1 || fats > 4) return invalid;
  if (options.sectorsPerCluster !== undefined && !isPowerOfTwoIn(options.sectorsPerCluster, 1, 128))
    return invalid;
  const media0 = options.media;
  if (media0 !== undefined && media0 !== 0xf0 && (media0 < 0xf8 || media0 > 0xff)) return invalid;
  const labelBytes = encodeFormatLabel(options.label ?? '');
  if (labelBytes === null && (options.label ?? '') !== '')
    return { status: STATUS_INVALID_VOLUME_LABEL, plan: null };
  const label = options.label ? labelBytes! : CP850.encode(NO_NAME)!;
  const now = options.now ?? Date.now();
  const serial =
    options.serialNumber ?? (Math.imul(Math.floor(now / 1000), 0x9e3779b1) ^ Math.floor(now)) >>> 0;
  if (!Number.isInteger(serial) || serial < 0 || serial > 0xffffffff) return invalid;

  // establish_params
  const geometrySectors = Math.floor(sizeBytes / sectorSize);
  let heads: number;
  let sectorsPerTrack: number;
  if (geometrySectors <= 524288) {
    heads = geometrySectors <= 32768 ? 2 : geometrySectors <= 65536 ? 4 : geometrySectors <= 262144 ? 8 : 16;
    sectorsPerTrack = geometrySectors <= 4096 ? 16 : 32;
  } else {
    const t = geometrySectors;
    heads =
      t <= 16 * 63 * 1024
        ? 16
        : t <= 32 * 63 * 1024
          ? 32
          : t <= 64 * 63 * 1024
            ? 64
            : t <= 128 * 63 * 1024
              ? 128
              : 255;
    sectorsPerTrack = 63;
  }
  let media = 0xf8;
  let startCluster = 4;
  let defaultRoot = 512;
  const floppy = options.fixedDisk ? undefined : FLOPPIES[Math.floor(sizeBytes / 1024)];
  if (floppy !== undefined) {
    sectorsPerTrack = floppy.spt;
    heads = 2;
    media = floppy.media;
    startCluster = floppy.cluster;
    defaultRoot = floppy.root;
  }
  let fatType: number = requested;
  if (fatType === 0 && sizeBytes >= 512 * 1024 * 1024) fatType = 32;
  if (fatType === 32) {
    const s = Math.floor(sizeBytes / sectorSize);
    startCluster =
      s > 32 * 1024 * 1024 * 2
        ? 64
        : s > 16 * 1024 * 1024 * 2
          ? 32
          : s > 8 * 1024 * 1024 * 2
            ? 16
            : s > 260 * 1024 * 2
              ? 8
              : 1;
  }
  let rootEntries = fatType === 32 ? 0 : (options.rootEntries ?? defaultRoot);
  if (!Number.isInteger(rootEntries) || rootEntries < 0 || rootEntries > 65535) return invalid;

  // setup_tables
  if (options.sectorsPerCluster !== undefined) startCluster = options.sectorsPerCluster;
  if (media0 !== undefined) media = media0;
  let reserved = options.reservedSectors ?? (fatType === 32 ? 32 : 1);
  if (!Number.isInteger(reserved) || reserved < 1 || reserved > 0xffff || (fatType === 32 && reserved < 2))
    return invalid;
  const blocks = Math.floor(sizeBytes / 1024);
  const orphaned = Math.floor((sizeBytes % 1024) / sectorSize);
  let numSectors = Math.min(Math.floor((blocks * 1024) / sectorSize) + orphaned, 0xffffffff);
  let align = options.alignStructures ?? true;
  if (align) numSectors = Math.floor(numSectors / sectorsPerTrack) * sectorsPerTrack;
  const rootDirSectors = cdiv(rootEntries * 32, sectorSize);
  if (numSectors <= 8192) align = false;
  const choice = chooseGeometry(
    numSectors,
    sectorSize,
    reserved,
    rootDirSectors,
    fats,
    fatType,
    startCluster,
    options.sectorsPerCluster ?? 128,
    align,
  );
  if (choice === null) return invalid;
  const chosenType = choice.fatType;
  const clusterSize = choice.clusterSize;
  // mkfs.fat warns and goes on when asked for a type the cluster count contradicts; the volume
  // would then be read as another type by the specification's rule, so Strata refuses.
  if (fatTypeForClusterCount(choice.clusters) !== chosenType) return invalid;
  if (align) reserved = Math.ceil(reserved / clusterSize) * clusterSize;
  if (chosenType === 32) rootEntries = 0;
  else if (align) rootEntries = Math.ceil(rootDirSectors / clusterSize) * clusterSize * (sectorSize >> 5);
  if (reserved > 0xffff) return invalid;
  const rootBytes = chosenType === 32 ? clusterSize * sectorSize : rootEntries * 32;
  const dataStart = reserved + fats * choice.fatLength + cdiv(rootEntries * 32, sectorSize);
  if (blocks < cdiv((dataStart * sectorSize) / 512, 2) + 32) return invalid;
  const infoSector = chosenType === 32 ? 1 : 0;
  const backupBoot =
    chosenType !== 32
      ? 0
      : reserved >= 7
        ? 6
        : reserved >= 4
          ? reserved - 2
          : reserved >= 3
            ? reserved - 1
            : 0;

  const boot = buildBootSector({
    fatType: chosenType,
    sectorSize,
    clusterSize,
    reserved,
    fats,
    rootEntries,
    numSectors,
    media,
    fatLength: choice.fatLength,
    sectorsPerTrack,
    heads,
    serial,
    label,
    infoSector,
    backupBoot,
  });
  const regions: FormatRegion[] = [{ offset: 0, length: reserved * sectorSize, data: boot }];
  if (chosenType === 32) {
    const info = new Uint8Array(512);
    writeFsInfo(info, choice.clusters - 1, 2);
    regions.push({ offset: infoSector * sectorSize, length: 512, data: info });
    if (backupBoot !== 0) {
      regions.push({ offset: backupBoot * sectorSize, length: 512, data: boot });
      if (backupBoot + infoSector < reserved)
        regions.push({ offset: (backupBoot + infoSector) * sectorSize, length: 512, data: info });
    }
  }
  const fatHead = new Uint8Array(12);
  if (chosenType === 12) fatHead.set([media, 0xff, 0xff]);
  else if (chosenType === 16) fatHead.set([media, 0xff, 0xff, 0xff]);
  else fatHead.set([media, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0x0f, 0xf8, 0xff, 0xff, 0x0f]);
  for (let copy = 0; copy < fats; copy++)
    regions.push({
      offset: (reserved + copy * choice.fatLength) * sectorSize,
      length: choice.fatLength * sectorSize,
      data: fatHead,
    });
  const root = new Uint8Array(Math.min(rootBytes, 32));
  if (options.label) writeLabelEntry(root, label, now);
  regions.push({ offset: (reserved + fats * choice.fatLength) * sectorSize, length: rootBytes, data: root });
  return {
    status: STATUS_SUCCESS,
    plan: {
      fatType: chosenType,
      sectorsPerCluster: clusterSize,
      clusterCount: choice.clusters,
      totalSectors: numSectors,
      regions,
    },
  };
}

/** Formats `media` as a FAT volume (the pure form of the format FSCTL). */
export function formatFatVolume(media: Uint8Array, options: FatFormatOptions = {}): NTSTATUS {
  const { status, plan } = planFatFormat(media.length, options);
  if (plan === null) return status;
  for (const region of plan.regions) {
    media.fill(0, region.offset, region.offset + region.length);
    media.set(region.data.subarray(0, region.length), region.offset);
  }
  return STATUS_SUCCESS;
}

/**
 * A formatter for IoCreateRamDisk's `format` option: `format: fatFormat({ fatType: 32, label: 'DATA' })`.
 * The BPB takes the disk's sector size unless `options.sectorSize` says otherwise.
 */
export function fatFormat(
  options: FatFormatOptions = {},
): (media: Uint8Array, sectorSize?: number) => NTSTATUS {
  return (media, sectorSize = 512) => formatFatVolume(media, { sectorSize, ...options });
}
