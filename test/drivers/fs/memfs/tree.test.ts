import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILE_ATTRIBUTE_ARCHIVE, FILE_ATTRIBUTE_DIRECTORY } from '../../../../src/base/index.ts';
import {
  MemNode,
  MemVolume,
  NODE_RECORD_SIZE,
  SUPERBLOCK_SIZE,
  sortedChildren,
} from '../../../../src/drivers/fs/memfs/tree.ts';
import { upcaseName } from '../../../../src/io/index.ts';

function volume(capacity = 1 << 20): MemVolume {
  const root = new MemNode(1, '', '', true, FILE_ATTRIBUTE_DIRECTORY, 0);
  return new MemVolume({ label: '', serialNumber: 1, creationTime: 0 }, capacity, root, 2);
}

function add(v: MemVolume, parent: MemNode, name: string, isDirectory = false): MemNode {
  const node = v.createChild(
    parent,
    name,
    upcaseName(name),
    isDirectory,
    isDirectory ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE,
    1,
  );
  assert.ok(node !== null, `create ${name}`);
  return node;
}

test('the sorted view, once built, stays sorted through inserts, removals and renames', () => {
  const v = volume();
  const names = ['delta', 'Alpha', 'charlie', 'bravo'];
  const nodes = names.map((n) => add(v, v.root, n));
  assert.deepEqual(
    sortedChildren(v.root).map((n) => n.name),
    ['Alpha', 'bravo', 'charlie', 'delta'],
  );
  add(v, v.root, 'Beta');
  v.unlink(nodes[2]!, 2); // charlie
  v.move(nodes[0]!, v.root, 'aardvark', 'AARDVARK', 3); // delta → aardvark
  assert.deepEqual(
    sortedChildren(v.root).map((n) => n.name),
    ['aardvark', 'Alpha', 'Beta', 'bravo'],
  );
  assert.equal(v.root.sorted, sortedChildren(v.root), 'maintained in place, not rebuilt');
});

test('creating files never builds the sorted view', () => {
  const v = volume();
  for (let i = 0; i < 100; i++) add(v, v.root, `f${i}`);
  assert.equal(v.root.sorted, null);
});

test('usedBytes tracks records, names and data exactly through every change', () => {
  const v = volume();
  const base = SUPERBLOCK_SIZE + NODE_RECORD_SIZE;
  assert.equal(v.usedBytes, base);
  const dir = add(v, v.root, 'dir', true);
  const file = add(v, dir, 'file.bin');
  assert.equal(v.usedBytes, base + 2 * NODE_RECORD_SIZE + 2 * ('dir'.length + 'file.bin'.length));
  const before = v.usedBytes;
  assert.ok(v.write(file, 100, new Uint8Array(50), 50));
  assert.equal(file.size, 150);
  assert.equal(v.usedBytes, before + 150);
  assert.ok(v.resize(file, 10));
  assert.equal(v.usedBytes, before + 10);
  v.move(file, v.root, 'f', 'F', 1);
  assert.equal(v.usedBytes, before + 10 + 2 * ('f'.length - 'file.bin'.length));
  v.unlink(file, 1);
  assert.equal(v.usedBytes, base + NODE_RECORD_SIZE + 2 * 'dir'.length);
});

test('a write or extension past the capacity is refused and changes nothing', () => {
  const v = volume(4096);
  const file = add(v, v.root, 'f');
  const room = v.capacityBytes - v.usedBytes;
  assert.equal(v.write(file, 0, new Uint8Array(room + 1), room + 1), false);
  assert.equal(file.size, 0);
  assert.equal(v.resize(file, room + 1), false);
  assert.equal(file.size, 0);
  assert.ok(v.write(file, 0, new Uint8Array(room).fill(7), room));
  assert.equal(v.usedBytes, v.capacityBytes);
  assert.equal(v.createChild(v.root, 'g', 'G', false, 0, 1), null);
});

test('bytes cut off by a truncation read as zeros when the file grows again', () => {
  const v = volume();
  const file = add(v, v.root, 'f');
  v.write(file, 0, new Uint8Array(100).fill(0xaa), 100);
  v.resize(file, 10);
  v.resize(file, 100);
  assert.deepEqual([...file.data.subarray(10, 100)], new Array(90).fill(0));
  assert.deepEqual([...file.data.subarray(0, 10)], new Array(10).fill(0xaa));
});

test('writing past the end leaves a zero-filled gap', () => {
  const v = volume();
  const file = add(v, v.root, 'f');
  v.write(file, 0, new Uint8Array([1, 2, 3]), 3);
  v.write(file, 8, new Uint8Array([9]), 1);
  assert.deepEqual([...file.data.subarray(0, file.size)], [1, 2, 3, 0, 0, 0, 0, 0, 9]);
});

test('an unlinked node keeps its data but no longer counts', () => {
  const v = volume();
  const file = add(v, v.root, 'f');
  v.write(file, 0, new Uint8Array(1000), 1000);
  const used = v.usedBytes;
  v.unlink(file, 1);
  assert.equal(v.usedBytes, used - NODE_RECORD_SIZE - 2 - 1000);
  assert.ok(v.write(file, 1000, new Uint8Array(10), 10));
  assert.equal(v.usedBytes, used - NODE_RECORD_SIZE - 2 - 1000);
  assert.equal(file.size, 1010);
});
