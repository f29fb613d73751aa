/**
 * A file or directory as FAT knows it in memory: one directory entry (its short entry and any
 * long-name slots before it), decoded (FastFat keeps the same facts in its FCB/DCB: dirent
 * offsets, FirstClusterOfFile, the short and long names, times).
 *
 * Invariants:
 * - A node lives in its parent directory's contents while `linked`; `slot` is the index of its
 *   short entry there and `firstSlot` of its first long-name slot (equal when it has none).
 * - The node is the truth for the short entry's fields; `toDirent` encodes them, and the parent
 *   rewrites its bytes whenever one changes.
 * - `runs` is the cluster chain once it was read and checked (null before), and it always has
 *   the clusters that `firstCluster` starts.
 * - The root has no parent and no entry; on FAT12/16 its contents are the fixed region.
 * - Dot entries (`.` and `..`) are nodes too, so enumeration shows them as they are on disk, but
 *   they are never found by name.
 */
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_SYSTEM,
} from '../../../base/file-codes.ts';
import { upcaseName } from '../../../io/index.ts';
import type { ClusterRuns } from './cluster-runs.ts';
import type { DirectoryContents } from './directory-contents.ts';
import { ATTR_DIRECTORY, ATTR_FILE_BITS, type Dirent } from './on-disk.ts';
import type { Fcb } from './structures.ts';
import { msToFatTimestamp } from './timestamps.ts';

/** 1980-01-01 00:00, used when the clock is outside FAT's range. */
const FAT_EPOCH = { date: (1 << 5) | 1, time: 0, tenths: 0 };

export const DOT_NONE = 0;
export const DOT = 1;
export const DOT_DOT = 2;

export class FatNode {
  parent: FatNode | null;
  linked = true;
  slot = -1;
  firstSlot = -1;
  /** The long name, or null when the entry has none. */
  longName: string | null = null;
  /** The 11 short-name bytes as stored. */
  shortRaw: Uint8Array;
  /** The short name upper case, `BASE.EXT`. */
  shortDisplay = '';
  /** The name shown and matched: the long name, or the short name with NT's case flags. */
  name = '';
  /** Upper-case keys this node is found by in its directory (the long and the short name). */
  private cachedKeys: string[] | null = null;
  ntByte = 0;
  attributes: number;
  firstCluster: number;
  fileSize: number;
  creationTenths = 0;
  creationTime = 0;
  creationDate = 0;
  accessDate = 0;
  writeTime = 0;
  writeDate = 0;
  /** DOT or DOT_DOT for the `.` and `..` entries of a subdirectory. */
  dot = DOT_NONE;
  /** Directories: the loaded contents, or null before the first use. */
  contents: DirectoryContents | null = null;
  runs: ClusterRuns | null = null;
  /** Clusters past the end of file were added by FileAllocationInformation: the last cleanup gives them back. */
  preallocated = false;
  fcb: Fcb | null = null;

  constructor(parent: FatNode | null, dirent: Dirent) {
    this.parent = parent;
    this.shortRaw = dirent.name;
    this.ntByte = dirent.ntByte;
    this.attributes = dirent.attributes;
    this.firstCluster = dirent.firstCluster;
    this.fileSize = dirent.fileSize;
    this.creationTenths = dirent.creationTenths;
    this.creationTime = dirent.creationTime;
    this.creationDate = dirent.creationDate;
    this.accessDate = dirent.accessDate;
    this.writeTime = dirent.writeTime;
    this.writeDate = dirent.writeDate;
  }

  /**
   * The upper-case names a directory index knows this node by: the long name and the short name
   * (one when they are equal, none for dot entries). Computed when first needed, since listing a
   * directory needs none; `forgetKeys` after the names change.
   */
  get keys(): string[] {
    if (this.cachedKeys === null) {
      const short = upcaseName(this.shortDisplay);
      if (this.dot !== DOT_NONE) this.cachedKeys = [];
      else if (this.longName === null) this.cachedKeys = [short];
      else {
        const long = upcaseName(this.longName);
        this.cachedKeys = long === short ? [long] : [long, short];
      }
    }
    return this.cachedKeys;
  }

  forgetKeys(): void {
    this.cachedKeys = null;
  }

  get isDirectory(): boolean {
    return (this.attributes & ATTR_DIRECTORY) !== 0;
  }

  get isRoot(): boolean {
    return this.parent === null;
  }

  toDirent(): Dirent {
    return {
      name: this.shortRaw,
      attributes: this.attributes,
      ntByte: this.ntByte,
      creationTenths: this.creationTenths,
      creationTime: this.creationTime,
      creationDate: this.creationDate,
      accessDate: this.accessDate,
      writeTime: this.writeTime,
      writeDate: this.writeDate,
      firstCluster: this.firstCluster,
      fileSize: this.isDirectory ? 0 : this.fileSize,
    };
  }

  /** FILE_ATTRIBUTE_* as reported: the FAT bits, FILE_ATTRIBUTE_NORMAL when there are none. */
  get fileAttributes(): number {
    const bits =
      this.attributes &
      (ATTR_FILE_BITS | ATTR_DIRECTORY) &
      (FILE_ATTRIBUTE_READONLY |
        FILE_ATTRIBUTE_HIDDEN |
        FILE_ATTRIBUTE_SYSTEM |
        FILE_ATTRIBUTE_DIRECTORY |
        FILE_ATTRIBUTE_ARCHIVE);
    return bits === 0 ? FILE_ATTRIBUTE_NORMAL : bits;
  }

  /** The creation time in ms since 1970, through a converter (the volume's cached one). */
  creationMs(toMs: (date: number, time: number, tenths: number) => number): number {
    return toMs(this.creationDate, this.creationTime, this.creationTenths);
  }

  lastWriteMs(toMs: (date: number, time: number, tenths: number) => number): number {
    return toMs(this.writeDate, this.writeTime, 0);
  }

  lastAccessMs(toMs: (date: number, time: number, tenths: number) => number): number {
    return toMs(this.accessDate, 0, 0);
  }

  /** Sets the creation time (rounded down to 10 ms). */
  stampCreation(ms: number): void {
    const stamp = msToFatTimestamp(ms, false) ?? FAT_EPOCH;
    this.creationDate = stamp.date;
    this.creationTime = stamp.time;
    this.creationTenths = stamp.tenths;
  }

  /** Sets the last-write time (rounded up to 2 s) and the access date to its date. */
  stampWrite(ms: number): void {
    const stamp = msToFatTimestamp(ms, true) ?? FAT_EPOCH;
    this.writeDate = stamp.date;
    this.writeTime = stamp.time;
    this.accessDate = (msToFatTimestamp(ms, false) ?? FAT_EPOCH).date;
  }
}
