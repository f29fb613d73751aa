/**
 * The file allocation table in memory (FastFat's allocsup.c: FatLookupFatEntry, FatSetFatEntry,
 * FatInterpretClusterType, FatAllocateDiskSpace, FatDeallocateDiskSpace).
 *
 * The table holds the bytes of the first FAT, loaded whole at mount (4 bytes per cluster on
 * FAT32: 1 MiB for a 1 GiB volume of 4 KiB clusters). Changes mark the FAT sectors they touch;
 * a flush writes those sectors to every FAT copy, so the copies stay identical. The free count is
 * kept exact, and the next-free hint only moves forward until the search wraps.
 *
 * Reading a chain trusts nothing: a cluster out of range, a free, reserved or bad entry inside a
 * chain, or a chain longer than the volume (a cycle) is STATUS_FILE_CORRUPT_ERROR, found before
 * anything uses the chain. On FAT32 the top four bits of an entry are reserved: they are ignored
 * on read and kept on write. FAT[1] carries the clean-shutdown bit on FAT16 (0x8000) and FAT32
 * (0x08000000); FAT12 has none.
 */
import { type NTSTATUS, STATUS_FILE_CORRUPT_ERROR, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import { ClusterRuns } from './cluster-runs.ts';
import type { FatType } from './volume-layout.ts';

export const CLUSTER_FREE = 0;

/** What a FAT entry says about the cluster after this one (FatInterpretClusterType). */
export const ClusterKind = {
  Free: 0,
  Next: 1,
  Last: 2,
  Bad: 3,
  Reserved: 4,
} as const;
export type ClusterKind = (typeof ClusterKind)[keyof typeof ClusterKind];

export interface ChainResult {
  status: NTSTATUS;
  runs: ClusterRuns;
}

export class FatTable {
  /** The value written to end a chain. */
  readonly endOfChain: number;
  readonly badCluster: number;
  /** Entries at or above this end a chain. */
  private readonly lastThreshold: number;
  private readonly mask: number;
  private readonly cleanBit: number;
  private readonly dirtySectors: Uint8Array;
  private readonly dirtyList: number[] = [];
  /** Whole-entry views of the bytes (FAT16, FAT32) when they are aligned, for fast reads. */
  private readonly words16: Uint16Array | null;
  private readonly words32: Uint32Array | null;
  freeCount = 0;
  /** Where the search for a free cluster starts. */
  nextFreeHint = 2;

  constructor(
    /** The first FAT's bytes (whole sectors). */
    readonly bytes: Uint8Array,
    readonly fatType: FatType,
    /** Usable clusters: numbers 2 .. clusterCount + 1. */
    readonly clusterCount: number,
    readonly sectorSize: number,
  ) {
    this.mask = fatType === 12 ? 0xfff : fatType === 16 ? 0xffff : 0x0fffffff;
    this.endOfChain = this.mask;
    this.badCluster = this.mask - 8;
    this.lastThreshold = this.mask - 7;
    this.cleanBit = fatType === 16 ? 0x8000 : fatType === 32 ? 0x08000000 : 0;
    this.dirtySectors = new Uint8Array(Math.ceil(bytes.length / sectorSize));
    const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    this.words16 =
      littleEndian && fatType === 16 && bytes.byteOffset % 2 === 0
        ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 1)
        : null;
    this.words32 =
      littleEndian && fatType === 32 && bytes.byteOffset % 4 === 0
        ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2)
        : null;
    this.freeCount = this.countFree();
  }

  /** The entry of `cluster` (0 and 1 are the reserved entries). */
  get(cluster: number): number {
    if (this.words32 !== null) return this.words32[cluster]! & 0x0fffffff;
    if (this.words16 !== null) return this.words16[cluster]!;
    const bytes = this.bytes;
    switch (this.fatType) {
      case 12: {
        const offset = cluster + (cluster >>> 1);
        const pair = bytes[offset]! | (bytes[offset + 1]! << 8);
        return (cluster & 1) === 0 ? pair & 0xfff : pair >>> 4;
      }
      case 16: {
        const offset = cluster * 2;
        return bytes[offset]! | (bytes[offset + 1]! << 8);
      }
      default: {
        const offset = cluster * 4;
        return (
          (bytes[offset]! |
            (bytes[offset + 1]! << 8) |
            (bytes[offset + 2]! << 16) |
            (bytes[offset + 3]! << 24)) &
          0x0fffffff
        );
      }
    }
  }

  /** Sets the entry of `cluster`, keeping FAT32's reserved high bits, and marks its sectors dirty. */
  set(cluster: number, value: number): void {
    const bytes = this.bytes;
    switch (this.fatType) {
      case 12: {
        const offset = cluster + (cluster >>> 1);
        if ((cluster & 1) === 0) {
          bytes[offset] = value & 0xff;
          bytes[offset + 1] = (bytes[offset + 1]! & 0xf0) | ((value >>> 8) & 0x0f);
        } else {
          bytes[offset] = (bytes[offset]! & 0x0f) | ((value & 0x0f) << 4);
          bytes[offset + 1] = (value >>> 4) & 0xff;
        }
        this.markDirty(offset, 2);
        return;
      }
      case 16: {
        const offset = cluster * 2;
        bytes[offset] = value & 0xff;
        bytes[offset + 1] = (value >>> 8) & 0xff;
        this.markDirty(offset, 2);
        return;
      }
      default: {
        const offset = cluster * 4;
        bytes[offset] = value & 0xff;
        bytes[offset + 1] = (value >>> 8) & 0xff;
        bytes[offset + 2] = (value >>> 16) & 0xff;
        bytes[offset + 3] = (bytes[offset + 3]! & 0xf0) | ((value >>> 24) & 0x0f);
        this.markDirty(offset, 4);
      }
    }
  }

  private markDirty(offset: number, length: number): void {
    const first = Math.floor(offset / this.sectorSize);
    const last = Math.floor((offset + length - 1) / this.sectorSize);
    for (let sector = first; sector <= last; sector++) {
      if (this.dirtySectors[sector] === 0) {
        this.dirtySectors[sector] = 1;
        this.dirtyList.push(sector);
      }
    }
  }

  /** What an entry value means for a chain. */
  classify(value: number): ClusterKind {
    if (value === CLUSTER_FREE) return ClusterKind.Free;
    if (value >= this.lastThreshold) return ClusterKind.Last;
    if (value === this.badCluster) return ClusterKind.Bad;
    if (value >= 2 && value <= this.clusterCount + 1) return ClusterKind.Next;
    return ClusterKind.Reserved;
  }

  isValidCluster(cluster: number): boolean {
    return cluster >= 2 && cluster <= this.clusterCount + 1;
  }

  countFree(): number {
    let free = 0;
    const end = this.clusterCount + 2;
    const words32 = this.words32;
    if (words32 !== null) {
      for (let cluster = 2; cluster < end; cluster++) if ((words32[cluster]! & 0x0fffffff) === 0) free++;
      return free;
    }
    for (let cluster = 2; cluster < end; cluster++) if (this.get(cluster) === CLUSTER_FREE) free++;
    return free;
  }

  /**
   * Reads the chain starting at `first`. A chain that leaves the volume, meets a free, bad or
   * reserved entry, or runs longer than the volume has clusters is STATUS_FILE_CORRUPT_ERROR.
   */
  readChain(first: number): ChainResult {
    const runs = new ClusterRuns();
    if (!this.isValidCluster(first)) return { status: STATUS_FILE_CORRUPT_ERROR, runs };
    let cluster = first;
    for (let steps = 0; steps <= this.clusterCount; steps++) {
      runs.append(cluster);
      const next = this.get(cluster);
      const kind = this.classify(next);
      if (kind === ClusterKind.Last) return { status: STATUS_SUCCESS, runs };
      if (kind !== ClusterKind.Next) break;
      cluster = next;
    }
    return { status: STATUS_FILE_CORRUPT_ERROR, runs };
  }

  /** The next free cluster at or after `from`, wrapping once; 0 when the volume is full. */
  findFree(from: number): number {
    const end = this.clusterCount + 2;
    const start = from >= 2 && from < end ? from : 2;
    for (let cluster = start; cluster < end; cluster++)
      if (this.get(cluster) === CLUSTER_FREE) return cluster;
    for (let cluster = 2; cluster < start; cluster++) if (this.get(cluster) === CLUSTER_FREE) return cluster;
    return 0;
  }

  /**
   * Takes `count` free clusters and links them into a chain ending with end-of-chain; the
   * search starts right after `after` (to extend a file contiguously) or at the next-free hint.
   * Null, with nothing changed, when fewer than `count` clusters are free.
   */
  allocateChain(count: number, after: number): number[] | null {
    if (count > this.freeCount) return null;
    const clusters: number[] = [];
    let from = after !== 0 && this.isValidCluster(after + 1) ? after + 1 : this.nextFreeHint;
    // The common case, a file growing into free space right after it: one pass, one link each.
    const end = from + count - 1;
    if (this.isValidCluster(from) && this.isValidCluster(end)) {
      let run = 0;
      while (run < count && this.get(from + run) === CLUSTER_FREE) run++;
      if (run === count) {
        for (let cluster = from; cluster < end; cluster++) {
          this.set(cluster, cluster + 1);
          clusters.push(cluster);
        }
        this.set(end, this.endOfChain);
        clusters.push(end);
        this.freeCount -= count;
        this.nextFreeHint = end + 1 <= this.clusterCount + 1 ? end + 1 : 2;
        return clusters;
      }
    }
    while (clusters.length < count) {
      const cluster = this.findFree(from);
      // freeCount said there is room: a zero here means the count was wrong, which the caller treats as full.
      if (cluster === 0) break;
      clusters.push(cluster);
      // Mark it taken at once so the next search moves past it.
      this.set(cluster, this.endOfChain);
      from = cluster + 1;
    }
    if (clusters.length < count) {
      for (const cluster of clusters) this.set(cluster, CLUSTER_FREE);
      this.freeCount = this.countFree();
      return null;
    }
    for (let i = 0; i < clusters.length - 1; i++) this.set(clusters[i]!, clusters[i + 1]!);
    this.freeCount -= count;
    const last = clusters[clusters.length - 1]!;
    this.nextFreeHint = last + 1 <= this.clusterCount + 1 ? last + 1 : 2;
    return clusters;
  }

  /** Marks clusters free again. */
  free(clusters: readonly number[]): void {
    for (const cluster of clusters) {
      this.set(cluster, CLUSTER_FREE);
      if (cluster < this.nextFreeHint) this.nextFreeHint = cluster;
    }
    this.freeCount += clusters.length;
  }

  /** FAT[1]'s clean-shutdown bit: true when the volume was cleanly dismounted (always true on FAT12). */
  isCleanShutdown(): boolean {
    return this.cleanBit === 0 || (this.get(1) & this.cleanBit) !== 0;
  }

  /** Sets or clears the clean-shutdown bit; false on FAT12, which has none. */
  setCleanShutdown(clean: boolean): boolean {
    if (this.cleanBit === 0) return false;
    const entry = this.get(1);
    const next = clean ? entry | this.cleanBit : entry & ~this.cleanBit;
    if (next !== entry) this.set(1, next >>> 0);
    return true;
  }

  get hasDirtySectors(): boolean {
    return this.dirtyList.length > 0;
  }

  /** The dirty sector numbers (relative to the FAT), in ascending order; clears the marks. */
  takeDirtySectors(): number[] {
    const list = this.dirtyList.splice(0).sort((a, b) => a - b);
    for (const sector of list) this.dirtySectors[sector] = 0;
    return list;
  }

  /** Marks sectors dirty again after a failed write. */
  restoreDirtySectors(sectors: readonly number[]): void {
    for (const sector of sectors) this.markDirty(sector * this.sectorSize, 1);
  }
}
