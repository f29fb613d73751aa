/**
 * A directory's entries in memory: its raw bytes, decoded nodes in on-disk order, and a name
 * index (FastFat reads dirents through the cache each time and keeps a splay tree of the names
 * it opened; Strata keeps the whole directory, at most 2 MiB, so lookups are O(1) and a create
 * in a directory of 5,000 entries does not scan it).
 *
 * Loading reads every cluster of the directory (or the fixed FAT12/16 root region) and decodes it:
 * - a first byte 0x00 ends the directory: that slot and all after it are free (and zeroed in
 *   memory, so entries written there never expose stale bytes after them);
 * - 0xE5 slots are free; long-name slots are collected (lfn.ts) and belong to the short entry
 *   they precede when they match it, else they are orphans, left untouched and never reused;
 * - the root's volume-label entry gives the label; other label entries are skipped;
 * - `.` and `..` become dot nodes, shown by enumeration, never found by name.
 * Every node is indexed by its upper-case long name and its upper-case short name, from the first
 * lookup on (a directory that is only listed never builds the index); when damaged media has two
 * entries with one name, the first on disk is the one opened.
 *
 * Invariants: `entries` is sorted by slot; `used[s]` is 1 for every slot holding something
 * (entries, their long-name slots, labels, orphans); `endSlot` is the first never-used slot and
 * `holes` counts the free slots below it.
 */
import { STATUS_FILE_CORRUPT_ERROR } from '../../../base/ntstatus.ts';
import { loadChain } from './allocation.ts';
import type { ClusterRuns } from './cluster-runs.ts';
import { DOT, DOT_DOT, FatNode } from './fat-node.ts';
import { raise } from './irp-context.ts';
import { LongNameAssembler } from './lfn.ts';
import {
  ATTR_VOLUME_ID,
  DIRENT_DELETED,
  DIRENT_END,
  DIRENT_REALLY_E5,
  DIRENT_SIZE,
  isLongNameSlot,
  NT_LOWER_BASE,
  NT_LOWER_EXTENSION,
  readDirent,
} from './on-disk.ts';
import { decodeShortName, joinShortName } from './short-name.ts';
import type { Vcb } from './structures.ts';
import { clusterOffset } from './volume-layout.ts';

/** The largest directory FAT allows: 65,536 entries (fatgen103). */
export const MAX_DIRECTORY_BYTES = 65536 * DIRENT_SIZE;

export class DirectoryContents {
  /** The directory's bytes; `bytes.length` may exceed what the disk holds (room to grow). */
  bytes: Uint8Array;
  /** Slots backed by the directory's clusters (or the fixed root region). */
  slotCount: number;
  used: Uint8Array;
  endSlot: number;
  holes = 0;
  readonly entries: FatNode[] = [];
  /** Upper-case long and short names → node; built at the first lookup (a listing needs none). */
  private nameIndex: Map<string, FatNode> | null = null;
  /** Some name appears twice (damaged media): removal must look for the other holder. */
  private duplicates = false;
  /** Dirty write units: clusters of the directory, or sectors of the fixed root. */
  readonly dirtyUnits = new Set<number>();

  constructor(
    readonly owner: FatNode,
    bytes: Uint8Array,
    /** Bytes per dirty unit. */
    readonly unitBytes: number,
    /** Disk offset of the fixed root region, or -1 for a directory in clusters. */
    readonly fixedOffset: number,
  ) {
    this.bytes = bytes;
    this.slotCount = bytes.length / DIRENT_SIZE;
    this.used = new Uint8Array(this.slotCount);
    this.endSlot = this.slotCount;
  }

  get isFixedRoot(): boolean {
    return this.fixedOffset >= 0;
  }

  /** The node with this upper-case name, or undefined. */
  lookup(key: string): FatNode | undefined {
    if (this.nameIndex === null) {
      this.nameIndex = new Map();
      for (const node of this.entries) this.index(node);
    }
    return this.nameIndex.get(key);
  }

  /** Index of the first entry whose slot is above `slot`. */
  indexAfter(slot: number): number {
    const list = this.entries;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (list[middle]!.slot <= slot) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  insertEntry(node: FatNode): void {
    this.entries.splice(this.indexAfter(node.slot), 0, node);
    if (this.nameIndex !== null) this.index(node);
  }

  removeEntry(node: FatNode): void {
    const at = this.indexAfter(node.slot) - 1;
    if (at >= 0 && this.entries[at] === node) this.entries.splice(at, 1);
    const byName = this.nameIndex;
    if (byName === null) return;
    for (const key of node.keys) {
      if (byName.get(key) !== node) continue;
      byName.delete(key);
      if (this.duplicates) {
        const other = this.entries.find((candidate) => candidate.keys.includes(key));
        if (other !== undefined) byName.set(key, other);
      }
    }
  }

  /** Adds a node's names to the index; the first holder of a name keeps it. */
  private index(node: FatNode): void {
    const byName = this.nameIndex!;
    for (const key of node.keys) {
      if (byName.has(key)) this.duplicates = true;
      else byName.set(key, node);
    }
  }
}

/** Fills in the names of a node from its short bytes and long name. */
export function nameNode(vcb: Vcb, node: FatNode, longName: string | null): void {
  const { base, extension } = decodeShortName(node.shortRaw, vcb.codePage);
  node.longName = longName;
  node.shortDisplay = joinShortName(base, extension);
  const lowerBase = (node.ntByte & NT_LOWER_BASE) !== 0;
  const lowerExtension = (node.ntByte & NT_LOWER_EXTENSION) !== 0;
  node.name =
    longName ??
    (lowerBase || lowerExtension
      ? joinShortName(
          lowerBase ? base.toLowerCase() : base,
          lowerExtension ? extension.toLowerCase() : extension,
        )
      : node.shortDisplay);
  node.forgetKeys();
}

/** Reads a directory's bytes: the fixed root region, or every cluster of its chain. */
function readDirectoryBytes(vcb: Vcb, node: FatNode): { bytes: Uint8Array; fixedOffset: number } {
  const layout = vcb.layout;
  if (node.isRoot && layout.fatType !== 32) {
    // Whole sectors, so write-back stays sector-aligned; only rootEntryCount slots are used.
    const length = Math.ceil(layout.rootDirBytes / layout.bytesPerSector) * layout.bytesPerSector;
    return { bytes: vcb.disk.read(layout.rootDirOffset, length), fixedOffset: layout.rootDirOffset };
  }
  if (node.firstCluster === 0) raise(STATUS_FILE_CORRUPT_ERROR);
  const runs: ClusterRuns = loadChain(vcb, node);
  const total = runs.length * layout.bytesPerCluster;
  if (total > MAX_DIRECTORY_BYTES) raise(STATUS_FILE_CORRUPT_ERROR);
  const bytes = new Uint8Array(total);
  let at = 0;
  runs.forEachExtent(0, runs.length, (cluster, count) => {
    const length = count * layout.bytesPerCluster;
    bytes.set(vcb.disk.read(clusterOffset(layout, cluster), length), at);
    at += length;
  });
  return { bytes, fixedOffset: -1 };
}

/** The directory's contents, loaded now if needed (posting or raising like any metadata read). */
export function loadDirectory(vcb: Vcb, node: FatNode): DirectoryContents {
  if (node.contents !== null) return node.contents;
  if (!node.isDirectory) raise(STATUS_FILE_CORRUPT_ERROR);
  const { bytes, fixedOffset } = readDirectoryBytes(vcb, node);
  const unitBytes = fixedOffset >= 0 ? vcb.layout.bytesPerSector : vcb.layout.bytesPerCluster;
  const contents = new DirectoryContents(node, bytes, unitBytes, fixedOffset);
  if (fixedOffset >= 0) contents.slotCount = contents.endSlot = vcb.layout.rootEntryCount;
  parseDirectory(vcb, contents);
  node.contents = contents;
  return contents;
}

function parseDirectory(vcb: Vcb, contents: DirectoryContents): void {
  const { bytes, used } = contents;
  const owner = contents.owner;
  const fat32 = vcb.layout.fatType === 32;
  const assembler = new LongNameAssembler();
  for (let slot = 0; slot < contents.slotCount; slot++) {
    const at = slot * DIRENT_SIZE;
    const first = bytes[at]!;
    if (first === DIRENT_END) {
      contents.endSlot = slot;
      bytes.fill(0, at);
      break;
    }
    if (first === DIRENT_DELETED) {
      assembler.reset();
      contents.holes++;
      continue;
    }
    used[slot] = 1;
    const attributes = bytes[at + 11]!;
    if (isLongNameSlot(bytes, at)) {
      assembler.slot(bytes, at, slot);
      continue;
    }
    const firstSlot = assembler.pending ? assembler.firstSlot : slot;
    const dirent = readDirent(bytes, at, fat32);
    const longName = assembler.finish(dirent.name);
    if ((attributes & ATTR_VOLUME_ID) !== 0) {
      if (owner.isRoot && vcb.labelSlot < 0) {
        vcb.labelSlot = slot;
        vcb.label = decodeLabel(vcb, dirent.name);
      }
      continue;
    }
    const node = new FatNode(owner, dirent);
    node.slot = slot;
    if (first === 0x2e && !owner.isRoot && isDotName(dirent.name)) {
      node.dot = dirent.name[1] === 0x2e ? DOT_DOT : DOT;
      node.name = node.dot === DOT ? '.' : '..';
      node.shortDisplay = node.name;
      node.firstSlot = slot;
      contents.entries.push(node);
      continue;
    }
    node.firstSlot = longName !== null ? firstSlot : slot;
    nameNode(vcb, node, longName !== null && isStorableLongName(longName) ? longName : null);
    if (node.name.length === 0) continue;
    contents.entries.push(node);
  }
}

function isDotName(raw: Uint8Array): boolean {
  const dots = raw[1] === 0x2e ? 2 : 1;
  for (let i = dots; i < 11; i++) if (raw[i] !== 0x20) return false;
  return true;
}

/** A long name read from disk is used only when it could have been written: no illegal character. */
function isStorableLongName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x2a || c === 0x2f || c === 0x3a || c === 0x3c || c === 0x3e)
      return false;
    if (c === 0x3f || c === 0x5c || c === 0x7c) return false;
  }
  return name !== '.' && name !== '..';
}

/** The label of a volume-label entry or BPB: OEM bytes, trailing spaces and NULs cut. */
export function decodeLabel(vcb: Vcb, raw: Uint8Array): string {
  const bytes = raw.slice(0, 11);
  if (bytes[0] === DIRENT_REALLY_E5) bytes[0] = DIRENT_DELETED;
  let length = 11;
  while (length > 0 && (bytes[length - 1] === 0x20 || bytes[length - 1] === 0)) length--;
  return vcb.codePage.decode(bytes, 0, length);
}
