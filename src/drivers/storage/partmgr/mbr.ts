/**
 * The MBR on-disk format and the rule that tells a partition table from a volume's boot sector: pure
 * helpers over one sector, no I/O.
 *
 * A master boot record (and each extended boot record) ends with four 16-byte entries at 0x1BE and
 * the signature 0x55 0xAA at 510. Each entry: boot indicator (0x00 or 0x80), CHS start (ignored:
 * only the LBA fields count, as in Windows and Linux), type, CHS end (ignored), first sector
 * (LBA, little-endian u32) and sector count (u32).
 *
 * A FAT boot sector also ends in 0x55AA, so the signature alone proves nothing. Sector 0 is read as
 * follows, in this order (docs/drivers.md has the table):
 * 1. no 0x55AA at 510: no partition table, the whole disk is one volume ("superfloppy"): blank
 *    disks, ISO images, unpartitioned media;
 * 2. a boot indicator other than 0x00/0x80 in any entry: not a partition table (Linux's
 *    msdos_partition rule), so again one volume covering the disk — boot code or BPB bytes
 *    land there on FAT boot sectors written by DOS and Windows;
 * 3. any entry of type 0xEE: a GPT protective MBR; Strata does not read GPT, so the disk has no
 *    usable partition;
 * 4. all four entries empty (first sector and count zero) and a jump instruction (0xEB or 0xE9) at
 *    byte 0: a boot sector with an empty-looking table, one volume (Windows' super-floppy test,
 *    applied here to fixed disks too, since an image file has no removable-media bit);
 * 5. otherwise a partition table, possibly empty.
 */
import { PARTITION_GPT_PROTECTIVE } from '../../../base/disk-structures.ts';

export const MBR_PARTITION_TABLE_OFFSET = 0x1be;
export const MBR_ENTRY_SIZE = 16;
export const MBR_SIGNATURE_OFFSET = 510;
/** The bytes of a sector the MBR layout covers; sectors may be larger, never smaller in practice. */
export const MBR_SIZE = 512;

/** One of the four entries of an MBR or EBR, LBA fields only. */
export interface MbrEntry {
  /** 0-based position in the table (entry 1 is slot 0). */
  readonly slot: number;
  readonly bootIndicator: number;
  readonly partitionType: number;
  /** First sector, relative to the table's reference point (the disk for the MBR, see EBRs). */
  readonly startSector: number;
  readonly sectorCount: number;
}

/** How sector 0 is to be read (see the header for the order of the tests). */
export type Sector0Kind = 'partition-table' | 'superfloppy' | 'gpt';

export interface Sector0Classification {
  readonly kind: Sector0Kind;
  /** Why, in a sentence, for the caller's report. */
  readonly reason: string;
}

function u32(sector: Uint8Array, offset: number): number {
  return (
    (sector[offset]! |
      (sector[offset + 1]! << 8) |
      (sector[offset + 2]! << 16) |
      (sector[offset + 3]! << 24)) >>>
    0
  );
}

/** True when the sector ends in the boot record signature 0x55 0xAA. */
export function hasBootSignature(sector: Uint8Array): boolean {
  return (
    sector.length >= MBR_SIZE &&
    sector[MBR_SIGNATURE_OFFSET] === 0x55 &&
    sector[MBR_SIGNATURE_OFFSET + 1] === 0xaa
  );
}

/** The four table entries of an MBR or EBR sector (at least 512 bytes). */
export function readMbrEntries(sector: Uint8Array): MbrEntry[] {
  const entries: MbrEntry[] = [];
  for (let slot = 0; slot < 4; slot++) {
    const at = MBR_PARTITION_TABLE_OFFSET + slot * MBR_ENTRY_SIZE;
    entries.push({
      slot,
      bootIndicator: sector[at]!,
      partitionType: sector[at + 4]!,
      startSector: u32(sector, at + 8),
      sectorCount: u32(sector, at + 12),
    });
  }
  return entries;
}

/** An entry with no type, start or length: an unused slot. */
export function isEmptyEntry(entry: MbrEntry): boolean {
  return entry.partitionType === 0 && entry.startSector === 0 && entry.sectorCount === 0;
}

/** Applies the rules of the header to sector 0. */
export function classifySector0(sector: Uint8Array): Sector0Classification {
  if (!hasBootSignature(sector)) {
    return { kind: 'superfloppy', reason: 'sector 0 has no 0x55AA signature: no partition table' };
  }
  const entries = readMbrEntries(sector);
  const badIndicator = entries.find((e) => e.bootIndicator !== 0x00 && e.bootIndicator !== 0x80);
  if (badIndicator !== undefined) {
    return {
      kind: 'superfloppy',
      reason: `entry ${badIndicator.slot + 1} has boot indicator 0x${hex(badIndicator.bootIndicator)}: sector 0 is a boot sector, not a partition table`,
    };
  }
  if (entries.some((e) => e.partitionType === PARTITION_GPT_PROTECTIVE)) {
    return { kind: 'gpt', reason: 'GPT protective MBR (type 0xEE): GPT partitions are not read' };
  }
  const allEmpty = entries.every((e) => e.startSector === 0 && e.sectorCount === 0);
  if (allEmpty && (sector[0] === 0xeb || sector[0] === 0xe9)) {
    return {
      kind: 'superfloppy',
      reason: 'sector 0 starts with a jump and its table is empty: a boot sector, not a partition table',
    };
  }
  return { kind: 'partition-table', reason: 'MBR partition table' };
}

export function hex(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}
