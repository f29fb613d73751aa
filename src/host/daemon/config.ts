/**
 * The daemon's configuration: what a Strata host boots (the registry and the boot configuration
 * of a Windows machine, as one JSON file).
 *
 * The file is validated by config-validate.ts into this normalized shape: every optional field
 * filled, letters upper case (`M:`), sizes in bytes, host paths absolute (relative ones are taken
 * from the configuration file's directory). The boot order is fixed: `drivers` in their order, then
 * the `filters` not already loaded, then RAM disks, images and shares (each mounted at once so
 * notification filters attach), then on-demand filter attachments.
 */
import type { AttachMode, DriverCatalogue } from './catalogue.ts';

/** `fat` lets the size choose FAT12, 16 or 32, as mkfs.fat does. */
export type RamDiskFormat = 'memfs' | 'fat' | 'fat12' | 'fat16' | 'fat32' | 'none';

export interface RamDiskConfig {
  letter: string;
  sizeBytes: number;
  format: RamDiskFormat;
  label: string;
  readOnly: boolean;
  sectorSize: number;
}

export interface ImageConfig {
  path: string;
  /** The letter of the image's first volume; further partitions take the next free letters. */
  letter: string | null;
  readOnly: boolean;
  /** `cdrom` for ISO images; `disk` otherwise; null to decide by the file name (`.iso`). */
  mediaType: 'disk' | 'cdrom' | null;
}

export interface ShareConfig {
  name: string;
  path: string;
  letter: string | null;
  readOnly: boolean;
}

export interface FilterConfig {
  driver: string;
  attach: AttachMode;
  /** For on-demand filters: volumes to attach to at boot (`M:`). */
  volumes: string[];
  /** Crypt's key for those volumes, 64 hex digits (for tests and demos: a key in a file is no secret). */
  key: string | null;
}

export interface StrataConfig {
  /** The control socket; null for the per-user default. */
  socket: string | null;
  /** Driver Verifier for every driver loaded. */
  verifier: boolean;
  /** Service names loaded at boot, in this order. */
  drivers: string[];
  ramDisks: RamDiskConfig[];
  images: ImageConfig[];
  shares: ShareConfig[];
  filters: FilterConfig[];
  /** The file this came from; null for the built-in default. */
  source: string | null;
}

export const MIB = 1024 * 1024;

/**
 * The built-in default: MemFS on a 64 MiB RAM disk as M:, the file system recognizer (so an image
 * attached later with `mount-image` finds FAT or CDFS loaded for it), a notification filter
 * attached to every volume as it mounts, and an on-demand filter loaded but attached nowhere
 * until asked.
 */
export function defaultConfig(catalogue: DriverCatalogue): StrataConfig {
  const notification = catalogue.firstOf('SFilter', 'NotifyAttach');
  const onDemand = catalogue.firstOf('Spy', 'CommandAttach');
  const filters: FilterConfig[] = [];
  if (notification !== null)
    filters.push({ driver: notification, attach: 'notification', volumes: [], key: null });
  if (onDemand !== null) filters.push({ driver: onDemand, attach: 'on-demand', volumes: [], key: null });
  return {
    socket: null,
    verifier: false,
    drivers: ['MemFs', ...(catalogue.has('Fs_Rec') ? ['Fs_Rec'] : [])],
    ramDisks: [
      {
        letter: 'M:',
        sizeBytes: 64 * MIB,
        format: 'memfs',
        label: 'STRATA',
        readOnly: false,
        sectorSize: 512,
      },
    ],
    images: [],
    shares: [],
    filters,
    source: null,
  };
}

/** 67108864 → "64MiB"; sizes that are not whole KiB stay numbers of bytes. */
export function formatSize(bytes: number): string {
  for (const [unit, scale] of [
    ['GiB', 1024 * MIB],
    ['MiB', MIB],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= scale && bytes % scale === 0) return `${bytes / scale}${unit}`;
  }
  return `${bytes}B`;
}
