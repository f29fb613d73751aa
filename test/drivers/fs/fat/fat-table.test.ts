import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STATUS_FILE_CORRUPT_ERROR, STATUS_SUCCESS } from '../../../../src/base/index.ts';
import { ClusterRuns } from '../../../../src/drivers/fs/fat/cluster-runs.ts';
import { ClusterKind, FatTable } from '../../../../src/drivers/fs/fat/fat-table.ts';

function table(fatType: 12 | 16 | 32, clusters = 100): FatTable {
  const bytes = new Uint8Array(Math.ceil(((clusters + 2) * fatType) / 8 / 512) * 512);
  const fat = new FatTable(bytes, fatType, clusters, 512);
  fat.set(0, fat.endOfChain);
  fat.set(1, fat.endOfChain);
  fat.takeDirtySectors();
  fat.freeCount = fat.countFree();
  return fat;
}

test('FAT12 entries pack two to three bytes, and setting one keeps its neighbour', () => {
  const fat = table(12);
  fat.set(2, 0xabc);
  fat.set(3, 0x123);
  assert.equal(fat.get(2), 0xabc);
  assert.equal(fat.get(3), 0x123);
  assert.deepEqual([...fat.bytes.subarray(3, 6)], [0xbc, 0x3a, 0x12]);
  fat.set(2, 0);
  assert.equal(fat.get(3), 0x123, 'the odd neighbour survives');
});

test('FAT16 and FAT32 entries are little-endian; FAT32 keeps the reserved top nibble', () => {
  const fat16 = table(16);
  fat16.set(5, 0xbeef);
  assert.equal(fat16.get(5), 0xbeef);
  const fat32 = table(32);
  fat32.bytes[4 * 7 + 3] = 0xa0;
  fat32.set(7, 0x0123456);
  assert.equal(fat32.get(7), 0x0123456);
  assert.equal(fat32.bytes[4 * 7 + 3]! & 0xf0, 0xa0, 'reserved bits kept');
});

test('entries classify as free, next, last, bad or reserved per FAT type', () => {
  for (const fatType of [12, 16, 32] as const) {
    const fat = table(fatType, 50);
    assert.equal(fat.classify(0), ClusterKind.Free);
    assert.equal(fat.classify(2), ClusterKind.Next);
    assert.equal(fat.classify(51), ClusterKind.Next);
    assert.equal(fat.classify(52), ClusterKind.Reserved, 'past the last cluster');
    assert.equal(fat.classify(1), ClusterKind.Reserved);
    assert.equal(fat.classify(fat.badCluster), ClusterKind.Bad);
    assert.equal(fat.classify(fat.endOfChain), ClusterKind.Last);
    assert.equal(fat.classify(fat.endOfChain - 7), ClusterKind.Last, 'every xFF8..xFFF ends a chain');
  }
});

test('a chain is read into runs of contiguous clusters', () => {
  const fat = table(16);
  for (const [from, to] of [
    [2, 3],
    [3, 4],
    [4, 10],
    [10, 11],
  ])
    fat.set(from!, to!);
  fat.set(11, fat.endOfChain);
  const { status, runs } = fat.readChain(2);
  assert.equal(status, STATUS_SUCCESS);
  assert.deepEqual(runs.toArray(), [2, 3, 4, 10, 11]);
  assert.equal(runs.runCount, 2);
});

test('cycles, free or bad entries inside a chain and out-of-range clusters are corrupt', () => {
  const fat = table(32, 40);
  fat.set(2, 3);
  fat.set(3, 2);
  assert.equal(fat.readChain(2).status, STATUS_FILE_CORRUPT_ERROR, 'cycle');
  fat.set(3, 0);
  assert.equal(fat.readChain(2).status, STATUS_FILE_CORRUPT_ERROR, 'free entry');
  fat.set(3, fat.badCluster);
  assert.equal(fat.readChain(2).status, STATUS_FILE_CORRUPT_ERROR, 'bad cluster');
  fat.set(3, 4000);
  assert.equal(fat.readChain(2).status, STATUS_FILE_CORRUPT_ERROR, 'out of range');
  assert.equal(fat.readChain(1).status, STATUS_FILE_CORRUPT_ERROR, 'reserved first cluster');
  assert.equal(fat.readChain(99).status, STATUS_FILE_CORRUPT_ERROR, 'first cluster past the end');
});

test('allocation links the clusters it takes, keeps the free count exact, and takes all or nothing', () => {
  const fat = table(16, 20);
  const free = fat.freeCount;
  const clusters = fat.allocateChain(5, 0)!;
  assert.equal(clusters.length, 5);
  assert.equal(fat.freeCount, free - 5);
  assert.deepEqual(fat.readChain(clusters[0]!).runs.toArray(), clusters);
  assert.equal(fat.allocateChain(free, 0), null, 'more than is free');
  assert.equal(fat.freeCount, free - 5, 'a refused allocation changes nothing');
  assert.equal(fat.countFree(), fat.freeCount);
  fat.free(clusters);
  assert.equal(fat.freeCount, free);
  assert.equal(fat.countFree(), free);
});

test('allocation continues right after the cluster it extends when that one is free', () => {
  const fat = table(16, 50);
  fat.set(10, fat.endOfChain);
  fat.freeCount = fat.countFree();
  const clusters = fat.allocateChain(3, 10)!;
  assert.deepEqual(clusters, [11, 12, 13]);
});

test('changed entries mark their FAT sectors dirty once, in order', () => {
  const fat = table(16, 1000);
  fat.set(300, 1);
  fat.set(5, 1);
  fat.set(6, 1);
  assert.deepEqual(fat.takeDirtySectors(), [0, 1]);
  assert.deepEqual(fat.takeDirtySectors(), []);
  const fat12 = table(12, 1000);
  fat12.set(341, 0xfff); // entry 341 spans bytes 511 and 512
  assert.deepEqual(fat12.takeDirtySectors(), [0, 1]);
});

test('the clean-shutdown bit lives in FAT[1] on FAT16 and FAT32, and FAT12 has none', () => {
  const fat16 = table(16);
  assert.ok(fat16.isCleanShutdown());
  assert.ok(fat16.setCleanShutdown(false));
  assert.equal(fat16.get(1), 0x7fff);
  assert.ok(!fat16.isCleanShutdown());
  fat16.setCleanShutdown(true);
  assert.equal(fat16.get(1), 0xffff);
  const fat32 = table(32);
  fat32.setCleanShutdown(false);
  assert.equal(fat32.get(1), 0x07ffffff);
  const fat12 = table(12);
  assert.equal(fat12.setCleanShutdown(false), false);
  assert.ok(fat12.isCleanShutdown());
});

test('cluster runs map file clusters to disk clusters and cut back to a length', () => {
  const runs = new ClusterRuns();
  for (const c of [5, 6, 7, 20, 21, 9]) runs.append(c);
  assert.equal(runs.runCount, 3);
  assert.equal(runs.clusterAt(0), 5);
  assert.equal(runs.clusterAt(3), 20);
  assert.equal(runs.clusterAt(5), 9);
  const extents: number[][] = [];
  runs.forEachExtent(1, 4, (cluster, count) => extents.push([cluster, count]));
  assert.deepEqual(extents, [
    [6, 2],
    [20, 2],
  ]);
  assert.deepEqual(runs.truncate(4), [21, 9]);
  assert.equal(runs.lastCluster, 20);
  assert.deepEqual(runs.truncate(0), [5, 6, 7, 20]);
  assert.equal(runs.length, 0);
  assert.equal(runs.firstCluster, 0);
});
