/**
 * The MemFS tree: nodes (files and directories) and the volume that owns them.
 *
 * Invariants:
 * - A directory's `children` maps the folded name (`key`) to the child; lookups are O(1).
 * - `sorted`, when not null, lists the children in key order (NTFS's upcased ordinal order). It is
 *   built lazily on the first enumeration and then kept up to date by binary insertion and removal,
 *   so creating files never sorts, and enumerating while deleting stays linear per change.
 * - A file's bytes are `data[0, size)`; `data` grows by doubling, and bytes past `size` are always
 *   zero, so extending a file needs no fill.
 * - `usedBytes` is exactly the size the volume serializes to (superblock + one record per linked
 *   node + names + data; see on-disk.ts). Every change keeps it current in O(1), and a change that
 *   would take it past `capacityBytes` (the media length) is refused before anything changes.
 * - A node removed from the tree (`linked` false) while file objects still use it keeps its data
 *   for them but no longer counts.
 */
import type { Fcb } from './structures.ts';

/** Bytes of one serialized node record before its name and data. */
export const NODE_RECORD_SIZE = 64;
/** Bytes of the superblock at the start of the media; the records follow it. */
export const SUPERBLOCK_SIZE = 512;

const NO_DATA = new Uint8Array(0);

export class MemNode {
  name: string;
  key: string;
  parent: MemNode | null = null;
  linked = false;
  attributes: number;
  creationTime: number;
  lastAccessTime: number;
  lastWriteTime: number;
  changeTime: number;
  data: Uint8Array = NO_DATA;
  size = 0;
  readonly children: Map<string, MemNode> | null;
  sorted: MemNode[] | null = null;
  /** The open state, while some file object has the node open. */
  fcb: Fcb | null = null;

  constructor(
    readonly id: number,
    name: string,
    key: string,
    readonly isDirectory: boolean,
    attributes: number,
    time: number,
  ) {
    this.name = name;
    this.key = key;
    this.attributes = attributes;
    this.creationTime = this.lastAccessTime = this.lastWriteTime = this.changeTime = time;
    this.children = isDirectory ? new Map() : null;
  }
}

/** Bytes a node adds to the serialized volume. */
export function nodeCost(node: MemNode): number {
  return NODE_RECORD_SIZE + 2 * node.name.length + node.size;
}

/** First index in `sorted` whose key is not below `key`. */
export function lowerBound(sorted: readonly MemNode[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]!.key < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index in `sorted` whose key is above `key`. */
export function upperBound(sorted: readonly MemNode[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]!.key <= key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The children of a directory in key order (built now if needed). */
export function sortedChildren(directory: MemNode): readonly MemNode[] {
  if (directory.sorted === null) {
    const list = [...directory.children!.values()];
    list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    directory.sorted = list;
  }
  return directory.sorted;
}

function linkChild(parent: MemNode, node: MemNode): void {
  parent.children!.set(node.key, node);
  node.parent = parent;
  node.linked = true;
  const sorted = parent.sorted;
  if (sorted !== null) sorted.splice(lowerBound(sorted, node.key), 0, node);
}

function unlinkChild(parent: MemNode, node: MemNode): void {
  parent.children!.delete(node.key);
  node.linked = false;
  const sorted = parent.sorted;
  if (sorted !== null) {
    const index = lowerBound(sorted, node.key);
    if (sorted[index] === node) sorted.splice(index, 1);
    else parent.sorted = null;
  }
}

export interface VolumeIdentity {
  label: string;
  serialNumber: number;
  creationTime: number;
}

export class MemVolume {
  readonly root: MemNode;
  nextId: number;
  usedBytes: number;
  /** Linked nodes, the root included. */
  nodeCount = 1;
  label: string;
  serialNumber: number;
  readonly creationTime: number;

  constructor(
    identity: VolumeIdentity,
    /** The media length: the serialized volume may not grow past it. */
    readonly capacityBytes: number,
    root: MemNode,
    nextId: number,
  ) {
    this.label = identity.label;
    this.serialNumber = identity.serialNumber;
    this.creationTime = identity.creationTime;
    this.root = root;
    root.linked = true;
    this.nextId = nextId;
    this.usedBytes = SUPERBLOCK_SIZE + nodeCost(root);
  }

  /** True when `delta` more bytes still fit on the media. */
  fits(delta: number): boolean {
    return this.usedBytes + delta <= this.capacityBytes;
  }

  /** Links a node read from the media, without checks (the image was validated and fits). */
  attachLoaded(parent: MemNode, node: MemNode): void {
    linkChild(parent, node);
    this.nodeCount++;
    this.usedBytes += nodeCost(node);
  }

  /** Creates a child; null when it does not fit. The caller checked the name and that it is free. */
  createChild(
    parent: MemNode,
    name: string,
    key: string,
    isDirectory: boolean,
    attributes: number,
    now: number,
  ): MemNode | null {
    const cost = NODE_RECORD_SIZE + 2 * name.length;
    if (!this.fits(cost)) return null;
    const node = new MemNode(this.nextId++, name, key, isDirectory, attributes, now);
    linkChild(parent, node);
    this.nodeCount++;
    this.usedBytes += cost;
    parent.lastWriteTime = parent.changeTime = now;
    return node;
  }

  /** Removes a file or an empty directory from the tree; open file objects keep using the node. */
  unlink(node: MemNode, now: number): void {
    const parent = node.parent;
    if (!node.linked || parent === null) return;
    unlinkChild(parent, node);
    this.nodeCount--;
    this.usedBytes -= nodeCost(node);
    parent.lastWriteTime = parent.changeTime = now;
  }

  /**
   * Moves and/or renames a node. False when the longer name does not fit. The caller checked the
   * name, that the target name is free (or is the node itself) and that no cycle results.
   */
  move(node: MemNode, newParent: MemNode, newName: string, newKey: string, now: number): boolean {
    const delta = 2 * (newName.length - node.name.length);
    if (delta > 0 && node.linked && !this.fits(delta)) return false;
    const oldParent = node.parent!;
    if (oldParent === newParent && node.key === newKey) {
      node.name = newName; // a case-only rename keeps the key and so the sorted position
    } else {
      unlinkChild(oldParent, node);
      node.name = newName;
      node.key = newKey;
      linkChild(newParent, node);
      oldParent.lastWriteTime = oldParent.changeTime = now;
    }
    this.usedBytes += delta;
    node.changeTime = now;
    newParent.lastWriteTime = newParent.changeTime = now;
    return true;
  }

  /** Sets a file's size: truncation zeroes the cut bytes, extension reads as zeros. False when it does not fit. */
  resize(node: MemNode, newSize: number): boolean {
    const oldSize = node.size;
    if (newSize === oldSize) return true;
    const delta = newSize - oldSize;
    if (delta > 0) {
      if (!this.fitsFor(node, delta, newSize)) return false;
      ensureCapacity(node, newSize, this.capacityBytes);
    } else if (newSize < node.data.length >>> 2) {
      // Give memory back once a file shrinks well below its buffer.
      node.data = newSize === 0 ? NO_DATA : node.data.slice(0, newSize);
    } else {
      node.data.fill(0, newSize, oldSize);
    }
    node.size = newSize;
    if (node.linked) this.usedBytes += delta;
    return true;
  }

  /** Copies `length` bytes of `source` into the file at `offset`, extending it. False when it does not fit. */
  write(node: MemNode, offset: number, source: Uint8Array, length: number): boolean {
    const end = offset + length;
    const oldSize = node.size;
    if (end > oldSize) {
      if (!this.fitsFor(node, end - oldSize, end)) return false;
      if (end > node.data.length) ensureCapacity(node, end, this.capacityBytes);
      node.size = end;
      if (node.linked) this.usedBytes += end - oldSize;
    }
    node.data.set(source.length === length ? source : source.subarray(0, length), offset);
    return true;
  }

  private fitsFor(node: MemNode, delta: number, newSize: number): boolean {
    // An unlinked node is not serialized, but it still may not grow past what the media could hold.
    return node.linked ? this.fits(delta) : newSize <= this.capacityBytes;
  }
}

/** Grows a file's buffer to hold `needed` bytes: doubling, but never past what the media could hold. */
function ensureCapacity(node: MemNode, needed: number, limit: number): void {
  const current = node.data;
  if (needed <= current.length) return;
  const grown = new Uint8Array(Math.max(needed, Math.min(current.length * 2, limit), 64));
  grown.set(current.length === node.size ? current : current.subarray(0, node.size));
  node.data = grown;
}
