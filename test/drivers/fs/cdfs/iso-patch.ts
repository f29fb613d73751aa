/**
 * Editing ISO images made by the real tools, for what the tools cannot write: extra versions,
 * associated files, multi-extent and interleaved files, and every kind of damage. Directory
 * records are read from and written back to a directory's extent (records never cross a 2048-byte
 * sector); the image can grow by whole sectors at its end.
 */
import assert from 'node:assert/strict';

export const SECTOR = 2048;

const u32 = (bytes: Uint8Array, at: number): number =>
  (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;

function putBoth32(bytes: Uint8Array, at: number, value: number): void {
  for (let i = 0; i < 4; i++) {
    bytes[at + i] = (value >>> (8 * i)) & 0xff;
    bytes[at + 7 - i] = (value >>> (8 * i)) & 0xff;
  }
}

export interface RecordSpec {
  identifier: string | Uint8Array;
  extent: number;
  dataLength: number;
  flags?: number;
  unitSize?: number;
  gap?: number;
  systemUse?: Uint8Array;
  /** 7-byte recording date; defaults to 2020-01-02 03:04:05 UTC. */
  time?: number[];
}

/** Builds a directory record. */
export function makeRecord(spec: RecordSpec): Uint8Array {
  const id =
    typeof spec.identifier === 'string'
      ? Uint8Array.from(spec.identifier, (c) => c.charCodeAt(0))
      : spec.identifier;
  const pad = id.length % 2 === 0 ? 1 : 0;
  const systemUse = spec.systemUse ?? new Uint8Array(0);
  let length = 33 + id.length + pad + systemUse.length;
  if (length % 2 === 1) length++;
  const record = new Uint8Array(length);
  record[0] = length;
  putBoth32(record, 2, spec.extent);
  putBoth32(record, 10, spec.dataLength);
  record.set(spec.time ?? [120, 1, 2, 3, 4, 5, 0], 18);
  record[25] = spec.flags ?? 0;
  record[26] = spec.unitSize ?? 0;
  record[27] = spec.gap ?? 0;
  record[28] = 1;
  record[31] = 1;
  record[32] = id.length;
  record.set(id, 33);
  record.set(systemUse, 33 + id.length + pad);
  return record;
}

export interface Directory {
  block: number;
  size: number;
  records: Uint8Array[];
}

/** The records of the directory at `block` (its "." record gives the size). */
export function readDirectory(image: Uint8Array, block: number): Directory {
  const self = image.subarray(block * SECTOR);
  const size = u32(self, 10);
  const records: Uint8Array[] = [];
  for (let sector = 0; sector < size; sector += SECTOR) {
    let at = block * SECTOR + sector;
    const end = at + SECTOR;
    while (at < end && image[at] !== 0) {
      records.push(image.slice(at, at + image[at]!));
      at += image[at]!;
    }
  }
  return { block, size, records };
}

/** Writes records back into the directory's extent, filling sectors in order. */
export function writeDirectory(image: Uint8Array, directory: Directory): void {
  const start = directory.block * SECTOR;
  image.fill(0, start, start + directory.size);
  let sector = 0;
  let at = 0;
  for (const record of directory.records) {
    if (at + record.length > SECTOR) {
      sector++;
      at = 0;
    }
    assert.ok((sector + 1) * SECTOR <= directory.size, 'the records no longer fit the directory');
    image.set(record, start + sector * SECTOR + at);
    at += record.length;
  }
}

export function identifierOf(record: Uint8Array): string {
  return String.fromCharCode(...record.subarray(33, 33 + record[32]!));
}

export const extentOf = (record: Uint8Array): number => u32(record, 2);
export const dataLengthOf = (record: Uint8Array): number => u32(record, 10);

export function setExtent(record: Uint8Array, extent: number): void {
  putBoth32(record, 2, extent);
}

export function setDataLength(record: Uint8Array, length: number): void {
  putBoth32(record, 10, length);
}

/** The primary descriptor's root directory block. */
export function rootBlock(image: Uint8Array): number {
  return u32(image, 16 * SECTOR + 156 + 2);
}

/** The directory block reached from the primary root through these identifiers (`SUB`, `DEEPER`). */
export function directoryBlock(image: Uint8Array, path: string[]): number {
  let block = rootBlock(image);
  for (const name of path) {
    const record = readDirectory(image, block).records.find((r) => identifierOf(r) === name);
    assert.ok(record !== undefined, `no directory ${name}`);
    block = extentOf(record);
  }
  return block;
}

/** The index of the record named `identifier` in a directory. */
export function recordIndex(directory: Directory, identifier: string): number {
  const index = directory.records.findIndex((r) => identifierOf(r) === identifier);
  assert.ok(index >= 0, `no record ${identifier}`);
  return index;
}

/** A copy of the image grown by `count` zeroed sectors, with the primary's volume size updated. */
export function grow(image: Uint8Array, count: number): { image: Uint8Array; firstBlock: number } {
  const firstBlock = image.length / SECTOR;
  const grown = new Uint8Array(image.length + count * SECTOR);
  grown.set(image);
  putBoth32(grown, 16 * SECTOR + 80, firstBlock + count);
  return { image: grown, firstBlock };
}
