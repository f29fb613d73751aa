import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chainExtents,
  type Extent,
  fileSizeOf,
  mapFileRange,
} from '../../../../src/drivers/fs/cdfs/extents.ts';

const plain = (block: number, length: number): Extent => ({ block, length, unitBlocks: 0, gapBlocks: 0 });

function runs(extents: Extent[], offset: number, length: number, blockSize = 2048) {
  const out: Array<[number, number, number]> = [];
  mapFileRange(extents, blockSize, offset, length, (disc, file, count) => out.push([disc, file, count]));
  return out;
}

test('a single extent maps a range to one run at the same distance from its start', () => {
  assert.deepEqual(runs([plain(20, 10000)], 100, 5000), [[20 * 2048 + 100, 100, 5000]]);
});

test('a range across two extents becomes two runs in file order', () => {
  const extents = [plain(100, 4096), plain(50, 3000)];
  assert.equal(fileSizeOf(extents), 7096);
  assert.deepEqual(runs(extents, 4000, 1000), [
    [100 * 2048 + 4000, 4000, 96],
    [50 * 2048, 4096, 904],
  ]);
});

test('extents that follow each other on the disc merge into one run', () => {
  assert.deepEqual(runs([plain(10, 4096), plain(12, 4096)], 0, 8192), [[10 * 2048, 0, 8192]]);
});

test('an interleaved extent skips its gap after every file unit', () => {
  // Units of 2 blocks, gaps of 1 block: data at blocks 30-31, 33-34, 36.
  const extent: Extent = { block: 30, length: 5 * 2048, unitBlocks: 2, gapBlocks: 1 };
  assert.deepEqual(runs([extent], 0, 5 * 2048), [
    [30 * 2048, 0, 4096],
    [33 * 2048, 4096, 4096],
    [36 * 2048, 8192, 2048],
  ]);
  assert.deepEqual(runs([extent], 4000, 200), [
    [30 * 2048 + 4000, 4000, 96],
    [33 * 2048, 4096, 104],
  ]);
});

test('multi-extent records chain into one file until the flag is clear', () => {
  const records = [
    { key: 'A', multiExtent: false },
    { key: 'BIG', multiExtent: true },
    { key: 'BIG', multiExtent: true },
    { key: 'BIG', multiExtent: false },
    { key: 'C', multiExtent: false },
  ];
  assert.deepEqual(chainExtents(records), [
    [0, 0],
    [1, 3],
    [4, 4],
  ]);
});

test('a chain that changes name or runs off the directory is corrupt', () => {
  assert.equal(
    chainExtents([
      { key: 'BIG', multiExtent: true },
      { key: 'OTHER', multiExtent: false },
    ]),
    null,
  );
  assert.equal(chainExtents([{ key: 'BIG', multiExtent: true }]), null);
});
