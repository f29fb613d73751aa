/**
 * Changing a directory's entries (FastFat's dirsup.c: FatCreateNewDirent, FatDeleteDirent,
 * FatInitializeDirectoryDirent, and the dirent updates of FatSetFileSizeInDirent and friends).
 *
 * Where new entries go, as FastFat chooses: the never-used area at the end when it has room,
 * else the first run of deleted slots long enough, else the directory grows by as many zeroed
 * clusters as the entry needs (two, for a 255-character name in 512-byte clusters). The FAT12/16
 * root cannot grow, and no directory grows past 65,536 entries: both are STATUS_CANNOT_MAKE. A single-slot entry placed right after an orphaned long-name slot deletes
 * that slot, so the two can never be paired by mistake.
 *
 * Planning (`planSlots`) changes nothing; callers plan, check that the clusters they need are
 * free, and only then apply, so a create either happens completely or not at all. Deleting marks
 * every slot of the entry (long-name slots included) 0xE5. Every change marks the units it
 * touched dirty and registers the directory with the volume for the next write-back.
 */
import { STATUS_CANNOT_MAKE } from '../../../base/ntstatus.ts';
import { growChain } from './allocation.ts';
import { type DirectoryContents, MAX_DIRECTORY_BYTES } from './directory-contents.ts';
import type { Extent } from './disk-io.ts';
import type { FatNode } from './fat-node.ts';
import { raise } from './irp-context.ts';
import { lfnChecksum, lfnSlotsNeeded, writeLfnSlots } from './lfn.ts';
import { DIRENT_DELETED, DIRENT_SIZE, isLongNameSlot, writeDirent } from './on-disk.ts';
import type { Vcb } from './structures.ts';
import { clusterOffset } from './volume-layout.ts';

export interface SlotPlan {
  start: number;
  /** Clusters the directory must grow by first (0: it has room). */
  grow: number;
}

/** Slots a node's entry needs: its long-name slots and the short entry. */
export function slotsFor(longName: string | null): number {
  return (longName === null ? 0 : lfnSlotsNeeded(longName)) + 1;
}

function isFreeRun(contents: DirectoryContents, start: number, count: number): boolean {
  for (let slot = start; slot < start + count; slot++) if (contents.used[slot] !== 0) return false;
  return true;
}

/** Where `count` slots would go; raises STATUS_CANNOT_MAKE when the directory cannot take them. */
export function planSlots(vcb: Vcb, contents: DirectoryContents, count: number): SlotPlan {
  const end = contents.endSlot;
  if (end + count <= contents.slotCount) return { start: end, grow: 0 };
  if (contents.holes >= count) {
    for (let slot = 0; slot + count <= end; slot++) {
      if (contents.used[slot] === 0 && isFreeRun(contents, slot, count)) return { start: slot, grow: 0 };
    }
  }
  const slotsPerCluster = vcb.clusterSize / DIRENT_SIZE;
  const grow = Math.ceil((end + count - contents.slotCount) / slotsPerCluster);
  const grownSlots = contents.slotCount + grow * slotsPerCluster;
  if (contents.isFixedRoot || grownSlots * DIRENT_SIZE > MAX_DIRECTORY_BYTES) raise(STATUS_CANNOT_MAKE);
  return { start: end, grow };
}

/** Adds one zeroed cluster to a directory (the caller checked that a cluster is free). */
export function growDirectory(vcb: Vcb, contents: DirectoryContents): void {
  const oldSlots = contents.slotCount;
  growChain(vcb, contents.owner, contents.owner.runs!.length + 1);
  const newSlots = oldSlots + vcb.clusterSize / DIRENT_SIZE;
  if (contents.bytes.length < newSlots * DIRENT_SIZE) {
    const grown = new Uint8Array(
      Math.min(Math.max(newSlots * DIRENT_SIZE, contents.bytes.length * 2), MAX_DIRECTORY_BYTES),
    );
    grown.set(contents.bytes.subarray(0, oldSlots * DIRENT_SIZE));
    contents.bytes = grown;
    const used = new Uint8Array(grown.length / DIRENT_SIZE);
    used.set(contents.used.subarray(0, oldSlots));
    contents.used = used;
  }
  contents.bytes.fill(0, oldSlots * DIRENT_SIZE, newSlots * DIRENT_SIZE);
  // The new slots are never-used: endSlot (the first of them, or earlier) stays where it is.
  contents.slotCount = newSlots;
  markDirty(vcb, contents, oldSlots, newSlots - 1);
}

/** Marks the units holding slots [first, last] dirty. */
export function markDirty(vcb: Vcb, contents: DirectoryContents, first: number, last: number): void {
  const from = Math.floor((first * DIRENT_SIZE) / contents.unitBytes);
  const to = Math.floor((last * DIRENT_SIZE + DIRENT_SIZE - 1) / contents.unitBytes);
  for (let unit = from; unit <= to; unit++) contents.dirtyUnits.add(unit);
  vcb.dirtyDirectories.add(contents);
}

/**
 * Writes a node's entry (long-name slots, then its short entry) at `start`, which planSlots gave,
 * growing the directory first when the plan says so. The node joins the directory.
 */
export function insertEntry(vcb: Vcb, contents: DirectoryContents, node: FatNode, plan: SlotPlan): void {
  for (let i = 0; i < plan.grow; i++) growDirectory(vcb, contents);
  const start = plan.start;
  const count = slotsFor(node.longName);
  const bytes = contents.bytes;
  // A lone short entry must not follow an orphaned long-name slot, or a reader would pair them.
  if (count === 1 && start > 0 && contents.used[start - 1] === 1) {
    const before = (start - 1) * DIRENT_SIZE;
    if (isLongNameSlot(bytes, before) && !contents.entries.some((n) => n.firstSlot === start - 1)) {
      bytes[before] = DIRENT_DELETED;
      contents.used[start - 1] = 0;
      contents.holes++;
      markDirty(vcb, contents, start - 1, start - 1);
    }
  }
  if (node.longName !== null)
    writeLfnSlots(bytes, start * DIRENT_SIZE, node.longName, lfnChecksum(node.shortRaw));
  const last = start + count - 1;
  writeDirent(bytes, last * DIRENT_SIZE, node.toDirent(), vcb.layout.fatType === 32);
  for (let slot = start; slot <= last; slot++) {
    if (slot < contents.endSlot && contents.used[slot] === 0) contents.holes--;
    contents.used[slot] = 1;
  }
  if (last >= contents.endSlot) contents.endSlot = last + 1;
  node.firstSlot = start;
  node.slot = last;
  node.parent = contents.owner;
  node.linked = true;
  node.forgetKeys();
  contents.insertEntry(node);
  markDirty(vcb, contents, start, last);
}

/** Marks every slot of a node's entry deleted and takes the node out of the directory. */
export function deleteEntry(vcb: Vcb, contents: DirectoryContents, node: FatNode): void {
  for (let slot = node.firstSlot; slot <= node.slot; slot++) {
    contents.bytes[slot * DIRENT_SIZE] = DIRENT_DELETED;
    contents.used[slot] = 0;
    contents.holes++;
  }
  contents.removeEntry(node);
  markDirty(vcb, contents, node.firstSlot, node.slot);
  node.linked = false;
}

/** Writes a node's short entry again after its fields changed (size, clusters, times, attributes). */
export function rewriteEntry(vcb: Vcb, node: FatNode): void {
  const parent = node.parent;
  if (parent === null || !node.linked || parent.contents === null) return;
  const contents = parent.contents;
  writeDirent(contents.bytes, node.slot * DIRENT_SIZE, node.toDirent(), vcb.layout.fatType === 32);
  markDirty(vcb, contents, node.slot, node.slot);
}

/** The dirty units of a directory as write extents (contiguous units merged); clears the marks. */
export function takeDirtyExtents(vcb: Vcb, contents: DirectoryContents): Extent[] {
  // Units past the directory's clusters cannot be written (a directory cut back); they are dropped.
  const limit = contents.isFixedRoot ? Number.POSITIVE_INFINITY : contents.owner.runs!.length;
  const units = [...contents.dirtyUnits].filter((unit) => unit < limit).sort((a, b) => a - b);
  contents.dirtyUnits.clear();
  const extents: Extent[] = [];
  const unitBytes = contents.unitBytes;
  const diskOffset = (unit: number): number =>
    contents.isFixedRoot
      ? contents.fixedOffset + unit * unitBytes
      : clusterOffset(vcb.layout, contents.owner.runs!.clusterAt(unit));
  let i = 0;
  while (i < units.length) {
    let j = i + 1;
    while (
      j < units.length &&
      units[j] === units[j - 1]! + 1 &&
      diskOffset(units[j]!) === diskOffset(units[j - 1]!) + unitBytes
    )
      j++;
    const first = units[i]!;
    const count = units[j - 1]! - first + 1;
    extents.push({
      offset: diskOffset(first),
      data: contents.bytes.subarray(first * unitBytes, (first + count) * unitBytes),
    });
    i = j;
  }
  return extents;
}
