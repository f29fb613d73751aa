/**
 * Building a disk's partition layout from its MBR and extended boot records: the validation half of
 * IoReadPartitionTable, pure (the sectors are handed in; read-partition-table.ts does the I/O).
 *
 * Invariants of the layout it produces:
 * - every partition lies inside the disk, has a non-zero length and overlaps no other partition;
 *   logical partitions lie inside their extended partition, after their own EBR and never over
 *   another EBR. A primary partition may start at sector 0: `mkfs.fat --mbr` writes such a "fake
 *   MBR" entry into the boot sector of a superfloppy, and Windows and Linux both accept it;
 * - every entry that breaks a rule is reported in `skipped` with its location and a sentence saying
 *   why, and the other entries still count (Windows treats a bad primary entry as "no table at
 *   all", Linux truncates partitions that run past the end; Strata skips the bad entry only);
 * - partitions are numbered 1, 2, … in the order they are found: primary entries in table order,
 *   then logical partitions in chain order, as Windows numbers `\Device\HarddiskN\PartitionK`;
 * - the EBR chain is followed through a visited set and a hard cap, so a looping or endless chain
 *   ends with a reason instead of hanging.
 * EBR format: entry 1 describes a logical partition relative to the EBR itself; entry 2 links to the
 * next EBR relative to the start of the extended partition; entries 3 and 4 are unused.
 */
import {
  IsContainerPartition,
  PARTITION_ENTRY_UNUSED,
  PARTITION_FAT_16,
  PARTITION_GPT_PROTECTIVE,
} from '../../../base/disk-structures.ts';
import {
  classifySector0,
  hasBootSignature,
  hex,
  isEmptyEntry,
  type MbrEntry,
  readMbrEntries,
} from './mbr.ts';

/** The most extended boot records a chain may have before Strata stops following it. */
export const MAX_EXTENDED_BOOT_RECORDS = 128;

/** How the disk's space is organised. */
export type PartitionStyle = 'mbr' | 'superfloppy' | 'gpt';

/** A partition the layout accepted. Offsets and lengths are in bytes. */
export interface PartitionSlot {
  readonly partitionNumber: number;
  readonly startingOffset: number;
  readonly partitionLength: number;
  readonly partitionType: number;
  readonly bootIndicator: boolean;
  /** Sectors between the partition's table sector and its start (PARTITION_INFORMATION.HiddenSectors). */
  readonly hiddenSectors: number;
  /** Where its entry is: `MBR entry 1`, `EBR at sector 4096, entry 1`, `whole disk`. */
  readonly location: string;
}

/** A table entry that was not turned into a partition, and why. Sector fields are as written on disk. */
export interface SkippedEntry {
  readonly location: string;
  readonly partitionType: number;
  readonly startSector: number;
  readonly sectorCount: number;
  readonly reason: string;
}

export interface PartitionLayout {
  readonly style: PartitionStyle;
  /** Why the disk was read this way (the sector 0 rule that applied). */
  readonly reason: string;
  readonly sectorSize: number;
  readonly diskLength: number;
  readonly partitions: readonly PartitionSlot[];
  readonly skipped: readonly SkippedEntry[];
}

interface Range {
  start: number;
  end: number;
  label: string;
}

export class LayoutBuilder {
  private style: PartitionStyle = 'mbr';
  private reason = '';
  private readonly partitions: PartitionSlot[] = [];
  private readonly skipped: SkippedEntry[] = [];
  private readonly occupied: Range[] = [];
  private extended: Range | null = null;
  private readonly visited = new Set<number>();

  constructor(
    readonly sectorSize: number,
    /** The disk length in bytes; only whole sectors are addressable. */
    readonly diskLength: number,
  ) {}

  get diskSectors(): number {
    return Math.floor(this.diskLength / this.sectorSize);
  }

  /**
   * Reads sector 0. Returns the first EBR to read (an absolute sector number), or null when there
   * is no extended partition to follow.
   */
  addSector0(sector: Uint8Array): number | null {
    const classification = classifySector0(sector);
    this.reason = classification.reason;
    if (classification.kind === 'superfloppy') {
      this.style = 'superfloppy';
      if (this.diskSectors > 0) {
        // Windows' super-floppy record: one recognized FAT16-typed partition over the whole disk.
        this.accept(0, this.diskSectors, PARTITION_FAT_16, false, 0, 'whole disk');
      }
      return null;
    }
    const entries = readMbrEntries(sector);
    if (classification.kind === 'gpt') {
      this.style = 'gpt';
      for (const entry of entries) {
        if (entry.partitionType === PARTITION_GPT_PROTECTIVE) {
          this.skip(
            `MBR entry ${entry.slot + 1}`,
            entry,
            'GPT protective entry: GPT partitions are not read',
          );
        }
      }
      return null;
    }
    for (const entry of entries) this.addPrimary(entry);
    return this.extended?.start ?? null;
  }

  private addPrimary(entry: MbrEntry): void {
    if (entry.partitionType === PARTITION_ENTRY_UNUSED) return; // an unused slot, whatever else it holds
    const problem = this.primaryProblem(entry);
    if (problem !== null) this.skip(`MBR entry ${entry.slot + 1}`, entry, problem);
    else if (IsContainerPartition(entry.partitionType)) {
      this.extended = {
        start: entry.startSector,
        end: entry.startSector + entry.sectorCount,
        label: 'the extended partition',
      };
    } else {
      const boot = entry.bootIndicator === 0x80;
      this.accept(
        entry.startSector,
        entry.sectorCount,
        entry.partitionType,
        boot,
        entry.startSector,
        `MBR entry ${entry.slot + 1}`,
      );
    }
  }

  private primaryProblem(entry: MbrEntry): string | null {
    const start = entry.startSector;
    const end = start + entry.sectorCount;
    // A container at sector 0 would make the MBR its own first EBR.
    const first = IsContainerPartition(entry.partitionType) ? 1 : 0;
    const range = this.rangeProblem(start, entry.sectorCount, first, this.diskSectors, 'the disk');
    if (range !== null) return range;
    if (IsContainerPartition(entry.partitionType) && this.extended !== null)
      return 'a second extended partition in the MBR';
    const clash = this.overlap(start, end) ?? this.overlapExtended(start, end);
    return clash === null ? null : `overlaps ${clash}`;
  }

  /**
   * Reads one EBR at absolute sector `ebrSector`. Returns the next EBR to read, or null when the
   * chain ends (normally or because a rule was broken, which is then in `skipped`).
   */
  addExtendedRecord(ebrSector: number, sector: Uint8Array): number | null {
    const where = `EBR at sector ${ebrSector}`;
    if (!hasBootSignature(sector)) {
      this.stopChain(ebrSector, 'it has no 0x55AA signature; the chain ends here');
      return null;
    }
    this.occupied.push({ start: ebrSector, end: ebrSector + 1, label: `the EBR at sector ${ebrSector}` });
    const [logical, link, ...unused] = readMbrEntries(sector) as [MbrEntry, MbrEntry, MbrEntry, MbrEntry];
    const next = this.followLink(where, link);
    if (logical.partitionType !== PARTITION_ENTRY_UNUSED)
      this.addLogical(`${where}, entry 1`, ebrSector, logical, next);
    for (const entry of unused) {
      if (!isEmptyEntry(entry))
        this.skip(`${where}, entry ${entry.slot + 1}`, entry, 'EBRs use only entries 1 and 2');
    }
    return next;
  }

  /** The next EBR's absolute sector from an EBR's entry 2, or null when the chain ends there. */
  private followLink(where: string, link: MbrEntry): number | null {
    if (link.partitionType === PARTITION_ENTRY_UNUSED) return null;
    const location = `${where}, entry 2`;
    if (!IsContainerPartition(link.partitionType)) {
      const type = hex(link.partitionType);
      this.skip(
        location,
        link,
        `the link to the next EBR has type 0x${type}, not an extended type; the chain ends here`,
      );
      return null;
    }
    const extended = this.extended!;
    const next = extended.start + link.startSector;
    if (next >= extended.end) {
      this.skip(location, link, 'the next EBR lies outside the extended partition; the chain ends here');
      return null;
    }
    return next;
  }

  private addLogical(location: string, ebrSector: number, logical: MbrEntry, nextEbr: number | null): void {
    const problem = this.logicalProblem(ebrSector, logical, nextEbr);
    if (problem !== null) this.skip(location, logical, problem);
    else {
      const start = ebrSector + logical.startSector;
      const boot = logical.bootIndicator === 0x80;
      this.accept(start, logical.sectorCount, logical.partitionType, boot, logical.startSector, location);
    }
  }

  private logicalProblem(ebrSector: number, logical: MbrEntry, nextEbr: number | null): string | null {
    if (IsContainerPartition(logical.partitionType))
      return 'an extended partition where a logical partition belongs';
    if (logical.startSector === 0) return 'starts on its own extended boot record';
    const start = ebrSector + logical.startSector;
    const end = start + logical.sectorCount;
    const range = this.rangeProblem(
      start,
      logical.sectorCount,
      ebrSector + 1,
      this.extended!.end,
      'the extended partition',
    );
    if (range !== null) return range;
    const clash =
      this.overlap(start, end) ??
      (nextEbr !== null && start <= nextEbr && nextEbr < end ? `the next EBR (sector ${nextEbr})` : null);
    return clash === null ? null : `overlaps ${clash}`;
  }

  /** True when the EBR at `ebrSector` may be read now; otherwise records why the chain stops. */
  mayReadExtendedRecord(ebrSector: number): boolean {
    if (this.visited.has(ebrSector)) {
      this.stopChain(ebrSector, `the chain loops back to sector ${ebrSector}; it ends here`);
      return false;
    }
    if (this.visited.size >= MAX_EXTENDED_BOOT_RECORDS) {
      this.stopChain(
        ebrSector,
        `more than ${MAX_EXTENDED_BOOT_RECORDS} extended boot records; the chain ends here`,
      );
      return false;
    }
    // The chain may only lead to sectors no partition owns: a write to that partition would rewrite it.
    const owner = this.overlap(ebrSector, ebrSector + 1);
    if (owner !== null) {
      this.stopChain(ebrSector, `it lies inside ${owner}; the chain ends here`);
      return false;
    }
    this.visited.add(ebrSector);
    return true;
  }

  /** Records that the chain stopped at `ebrSector` (a read error, a loop, a missing signature). */
  stopChain(ebrSector: number, reason: string): void {
    this.skipped.push({
      location: `EBR at sector ${ebrSector}`,
      partitionType: PARTITION_ENTRY_UNUSED,
      startSector: ebrSector,
      sectorCount: 0,
      reason,
    });
  }

  finish(): PartitionLayout {
    return {
      style: this.style,
      reason: this.reason,
      sectorSize: this.sectorSize,
      diskLength: this.diskLength,
      partitions: this.partitions,
      skipped: this.skipped,
    };
  }

  /** Null when [start, start + count) is a usable range inside [first, limit); else why not. */
  private rangeProblem(
    start: number,
    count: number,
    first: number,
    limit: number,
    container: string,
  ): string | null {
    if (count === 0) return 'zero length';
    if (start < first) return first === 1 ? 'starts at sector 0, on the MBR itself' : 'starts before its EBR';
    if (start >= limit) return `starts beyond the end of ${container} (sector ${start}, end ${limit})`;
    if (start + count > limit)
      return `ends beyond the end of ${container} (sector ${start + count}, end ${limit})`;
    return null;
  }

  private overlap(start: number, end: number): string | null {
    for (const range of this.occupied) if (start < range.end && range.start < end) return range.label;
    return null;
  }

  private overlapExtended(start: number, end: number): string | null {
    const extended = this.extended;
    return extended !== null && start < extended.end && extended.start < end ? extended.label : null;
  }

  private accept(
    startSector: number,
    sectorCount: number,
    partitionType: number,
    bootIndicator: boolean,
    hiddenSectors: number,
    location: string,
  ): void {
    const partitionNumber = this.partitions.length + 1;
    this.partitions.push({
      partitionNumber,
      startingOffset: startSector * this.sectorSize,
      partitionLength: sectorCount * this.sectorSize,
      partitionType,
      bootIndicator,
      hiddenSectors,
      location,
    });
    this.occupied.push({
      start: startSector,
      end: startSector + sectorCount,
      label: `partition ${partitionNumber}`,
    });
  }

  private skip(location: string, entry: MbrEntry, reason: string): void {
    this.skipped.push({
      location,
      partitionType: entry.partitionType,
      startSector: entry.startSector,
      sectorCount: entry.sectorCount,
      reason,
    });
  }
}
