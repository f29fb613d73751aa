/**
 * The MemFS on-disk format (pure: bytes in, bytes out).
 *
 * MemFS works on its tree in memory and writes the whole volume back as one image:
 *
 *   offset 0    superblock (SUPERBLOCK_SIZE = 512 bytes, little-endian)
 *     0  magic "STRATA-MEMFS" (12 ASCII bytes)   12 u16 version   14 u16 superblock size
 *     16 u32 serial number   20 u32 node count   24 f64 creation time (ms since 1970)
 *     32 f64 image length    40 f64 next node id  48 u16 label length  50 label (32 UTF-16 units)
 *     116 u32 image checksum  120 u32 header checksum (FNV-1a of bytes 0..119)
 *   offset 512  the image: one record per node, depth first, the root first; a directory record is
 *               followed by its children's subtrees
 *     0 u8 flags (1 = directory)  2 u16 name length  4 u32 attributes  8 u32 child count
 *     16 f64 id  24 f64 creation  32 f64 last access  40 f64 last write  48 f64 change
 *     56 f64 data length  64 name (UTF-16LE), then the file's data
 *
 * Reading trusts nothing: every length is checked against the image, names must be valid and
 * unique in their directory, ids unique and below the next id, counts must add up and both
 * checksums must match. Foreign media (no magic, or a version this code does not know) is
 * STATUS_UNRECOGNIZED_VOLUME; damaged MemFS media is STATUS_DISK_CORRUPT_ERROR. Parsing is
 * iterative, so a deep tree cannot exhaust the stack.
 */
import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_VALID_FLAGS } from '../../../base/file-codes.ts';
import {
  type NTSTATUS,
  STATUS_DISK_CORRUPT_ERROR,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
} from '../../../base/ntstatus.ts';
import { isValidComponent, isValidVolumeLabel, upcaseName } from '../../../io/index.ts';
import { MemNode, MemVolume, NODE_RECORD_SIZE, SUPERBLOCK_SIZE } from './tree.ts';

export const MEMFS_MAGIC = 'STRATA-MEMFS';
export const MEMFS_VERSION = 1;
const HEADER_CHECKSUM_OFFSET = 120;
const LABEL_UNITS = 32;
const FLAG_DIRECTORY = 1;

export interface Superblock {
  version: number;
  serialNumber: number;
  nodeCount: number;
  creationTime: number;
  imageLength: number;
  nextId: number;
  label: string;
  imageChecksum: number;
}

/** FNV-1a over a byte range: cheap, and enough to tell damaged media from good. */
export function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

export function writeSuperblock(target: Uint8Array, superblock: Superblock): void {
  target.fill(0, 0, SUPERBLOCK_SIZE);
  const view = new DataView(target.buffer, target.byteOffset, SUPERBLOCK_SIZE);
  for (let i = 0; i < MEMFS_MAGIC.length; i++) target[i] = MEMFS_MAGIC.charCodeAt(i);
  view.setUint16(12, superblock.version, true);
  view.setUint16(14, SUPERBLOCK_SIZE, true);
  view.setUint32(16, superblock.serialNumber >>> 0, true);
  view.setUint32(20, superblock.nodeCount, true);
  view.setFloat64(24, superblock.creationTime, true);
  view.setFloat64(32, superblock.imageLength, true);
  view.setFloat64(40, superblock.nextId, true);
  const label = superblock.label.slice(0, LABEL_UNITS);
  view.setUint16(48, label.length, true);
  for (let i = 0; i < label.length; i++) view.setUint16(50 + 2 * i, label.charCodeAt(i), true);
  view.setUint32(116, superblock.imageChecksum >>> 0, true);
  view.setUint32(HEADER_CHECKSUM_OFFSET, fnv1a(target, 0, HEADER_CHECKSUM_OFFSET), true);
}

export interface SuperblockResult {
  status: NTSTATUS;
  superblock: Superblock | null;
}

/** Reads and checks the superblock; `bytes` holds at least the first SUPERBLOCK_SIZE bytes of the media. */
export function readSuperblock(bytes: Uint8Array, mediaLength: number): SuperblockResult {
  const unrecognized: SuperblockResult = { status: STATUS_UNRECOGNIZED_VOLUME, superblock: null };
  const corrupt: SuperblockResult = { status: STATUS_DISK_CORRUPT_ERROR, superblock: null };
  if (bytes.length < SUPERBLOCK_SIZE) return unrecognized;
  for (let i = 0; i < MEMFS_MAGIC.length; i++)
    if (bytes[i] !== MEMFS_MAGIC.charCodeAt(i)) return unrecognized;
  const view = new DataView(bytes.buffer, bytes.byteOffset, SUPERBLOCK_SIZE);
  if (view.getUint16(12, true) !== MEMFS_VERSION) return unrecognized;
  if (view.getUint32(HEADER_CHECKSUM_OFFSET, true) !== fnv1a(bytes, 0, HEADER_CHECKSUM_OFFSET))
    return corrupt;
  if (view.getUint16(14, true) !== SUPERBLOCK_SIZE) return corrupt;
  const imageLength = view.getFloat64(32, true);
  const nextId = view.getFloat64(40, true);
  const creationTime = view.getFloat64(24, true);
  const labelLength = view.getUint16(48, true);
  if (!Number.isSafeInteger(imageLength) || imageLength < NODE_RECORD_SIZE) return corrupt;
  if (SUPERBLOCK_SIZE + imageLength > mediaLength) return corrupt;
  if (!Number.isSafeInteger(nextId) || nextId < 2) return corrupt;
  if (!Number.isFinite(creationTime) || labelLength > LABEL_UNITS) return corrupt;
  let label = '';
  for (let i = 0; i < labelLength; i++) label += String.fromCharCode(view.getUint16(50 + 2 * i, true));
  if (!isValidVolumeLabel(label)) return corrupt;
  return {
    status: STATUS_SUCCESS,
    superblock: {
      version: MEMFS_VERSION,
      serialNumber: view.getUint32(16, true),
      nodeCount: view.getUint32(20, true),
      creationTime,
      imageLength,
      nextId,
      label,
      imageChecksum: view.getUint32(116, true),
    },
  };
}

function writeRecord(out: Uint8Array, view: DataView, at: number, node: MemNode): number {
  const nameLength = node.name.length;
  out[at] = node.isDirectory ? FLAG_DIRECTORY : 0;
  view.setUint16(at + 2, nameLength, true);
  view.setUint32(at + 4, node.attributes >>> 0, true);
  view.setUint32(at + 8, node.isDirectory ? node.children!.size : 0, true);
  view.setFloat64(at + 16, node.id, true);
  view.setFloat64(at + 24, node.creationTime, true);
  view.setFloat64(at + 32, node.lastAccessTime, true);
  view.setFloat64(at + 40, node.lastWriteTime, true);
  view.setFloat64(at + 48, node.changeTime, true);
  view.setFloat64(at + 56, node.size, true);
  let position = at + NODE_RECORD_SIZE;
  for (let i = 0; i < nameLength; i++, position += 2) view.setUint16(position, node.name.charCodeAt(i), true);
  if (node.size > 0) {
    out.set(node.data.subarray(0, node.size), position);
    position += node.size;
  }
  return position;
}

/**
 * Serializes a volume into a fresh buffer of `usedBytes` rounded up to whole sectors: the bytes to
 * write at offset 0 of the media.
 */
export function serializeVolume(volume: MemVolume, sectorSize: number): Uint8Array {
  const used = volume.usedBytes;
  const out = new Uint8Array(Math.ceil(used / sectorSize) * sectorSize);
  const view = new DataView(out.buffer);
  let position = SUPERBLOCK_SIZE;
  const pending: MemNode[] = [volume.root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    position = writeRecord(out, view, position, node);
    if (node.isDirectory) {
      // Push in reverse so children come out in map (creation) order.
      const children = [...node.children!.values()];
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
    }
  }
  if (position !== used) throw new Error(`MemFS: serialized ${position} bytes, accounted ${used}`);
  writeSuperblock(out, {
    version: MEMFS_VERSION,
    serialNumber: volume.serialNumber,
    nodeCount: volume.nodeCount,
    creationTime: volume.creationTime,
    imageLength: used - SUPERBLOCK_SIZE,
    nextId: volume.nextId,
    label: volume.label,
    imageChecksum: fnv1a(out, SUPERBLOCK_SIZE, used),
  });
  return out;
}

interface LoadedRecord {
  node: MemNode;
  childCount: number;
  next: number;
}

function readRecord(
  media: Uint8Array,
  view: DataView,
  at: number,
  end: number,
  nextId: number,
): LoadedRecord | null {
  if (at + NODE_RECORD_SIZE > end) return null;
  const flags = media[at]!;
  if (flags > FLAG_DIRECTORY || media[at + 1] !== 0) return null;
  const isDirectory = flags === FLAG_DIRECTORY;
  const nameLength = view.getUint16(at + 2, true);
  const attributes = view.getUint32(at + 4, true);
  const childCount = view.getUint32(at + 8, true);
  const id = view.getFloat64(at + 16, true);
  const times = [24, 32, 40, 48].map((offset) => view.getFloat64(at + offset, true));
  const dataLength = view.getFloat64(at + 56, true);
  if ((attributes & ~FILE_ATTRIBUTE_VALID_FLAGS) !== 0) return null;
  if (((attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0) !== isDirectory) return null;
  if (!isDirectory && childCount !== 0) return null;
  if (!Number.isSafeInteger(id) || id < 1 || id >= nextId) return null;
  if (!times.every(Number.isFinite)) return null;
  if (!Number.isSafeInteger(dataLength) || dataLength < 0 || (isDirectory && dataLength !== 0)) return null;
  const nameStart = at + NODE_RECORD_SIZE;
  const dataStart = nameStart + 2 * nameLength;
  if (dataStart + dataLength > end) return null;
  let name = '';
  for (let i = 0; i < nameLength; i++) name += String.fromCharCode(view.getUint16(nameStart + 2 * i, true));
  const node = new MemNode(id, name, upcaseName(name), isDirectory, attributes, times[0]!);
  node.lastAccessTime = times[1]!;
  node.lastWriteTime = times[2]!;
  node.changeTime = times[3]!;
  if (dataLength > 0) {
    node.data = media.slice(dataStart, dataStart + dataLength);
    node.size = dataLength;
  }
  return { node, childCount, next: dataStart + dataLength };
}

export interface LoadResult {
  status: NTSTATUS;
  volume: MemVolume | null;
}

/**
 * Rebuilds the tree from the media. `media` holds at least SUPERBLOCK_SIZE + imageLength bytes
 * from offset 0; `capacityBytes` is the whole media length.
 */
export function deserializeVolume(
  media: Uint8Array,
  superblock: Superblock,
  capacityBytes: number,
): LoadResult {
  const corrupt: LoadResult = { status: STATUS_DISK_CORRUPT_ERROR, volume: null };
  const end = SUPERBLOCK_SIZE + superblock.imageLength;
  if (media.length < end || end > capacityBytes) return corrupt;
  if (fnv1a(media, SUPERBLOCK_SIZE, end) !== superblock.imageChecksum) return corrupt;
  const view = new DataView(media.buffer, media.byteOffset, end);
  const rootRecord = readRecord(media, view, SUPERBLOCK_SIZE, end, superblock.nextId);
  if (rootRecord === null || !rootRecord.node.isDirectory || rootRecord.node.name !== '') return corrupt;
  const volume = new MemVolume(
    { label: superblock.label, serialNumber: superblock.serialNumber, creationTime: superblock.creationTime },
    capacityBytes,
    rootRecord.node,
    superblock.nextId,
  );
  const ids = new Set<number>([rootRecord.node.id]);
  const stack: Array<{ directory: MemNode; remaining: number }> = [
    { directory: rootRecord.node, remaining: rootRecord.childCount },
  ];
  let position = rootRecord.next;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.remaining === 0) {
      stack.pop();
      continue;
    }
    top.remaining--;
    const record = readRecord(media, view, position, end, superblock.nextId);
    if (record === null) return corrupt;
    const node = record.node;
    if (!isValidComponent(node.name) || top.directory.children!.has(node.key) || ids.has(node.id))
      return corrupt;
    ids.add(node.id);
    volume.attachLoaded(top.directory, node);
    position = record.next;
    if (record.childCount > 0) stack.push({ directory: node, remaining: record.childCount });
  }
  if (position !== end || volume.nodeCount !== superblock.nodeCount || volume.usedBytes !== end)
    return corrupt;
  return { status: STATUS_SUCCESS, volume };
}
