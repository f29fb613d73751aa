import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  STATUS_DISK_CORRUPT_ERROR,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
} from '../../../../src/base/index.ts';
import { formatFatVolume } from '../../../../src/drivers/fs/fat/index.ts';
import { put16, put32, readBootSector } from '../../../../src/drivers/fs/fat/on-disk.ts';
import { fatTypeForClusterCount, interpretBootSector } from '../../../../src/drivers/fs/fat/volume-layout.ts';

function formatted(bytes: number, fatType: 12 | 16 | 32): Uint8Array {
  const media = new Uint8Array(bytes);
  assert.equal(formatFatVolume(media, { fatType, serialNumber: 7 }), STATUS_SUCCESS);
  return media;
}

function interpret(head: Uint8Array, diskLength = 64 << 20, sectorSize = 512) {
  return interpretBootSector(readBootSector(head), sectorSize, diskLength);
}

test('the FAT type follows the cluster count: below 4085 FAT12, below 65525 FAT16, else FAT32', () => {
  assert.equal(fatTypeForClusterCount(4084), 12);
  assert.equal(fatTypeForClusterCount(4085), 16);
  assert.equal(fatTypeForClusterCount(65524), 16);
  assert.equal(fatTypeForClusterCount(65525), 32);
  for (const [size, type] of [
    [2 << 20, 12],
    [16 << 20, 16],
    [34 << 20, 32],
  ] as const) {
    const media = formatted(size, type);
    const { status, layout } = interpret(media, size);
    assert.equal(status, STATUS_SUCCESS);
    assert.equal(layout!.fatType, type);
    assert.equal(layout!.serialNumber, 7);
  }
});

test('zeros, random bytes and a boot sector without a FAT BPB are not FAT', () => {
  assert.equal(interpret(new Uint8Array(512)).status, STATUS_UNRECOGNIZED_VOLUME);
  const noise = new Uint8Array(512).map((_, i) => (i * 97 + 13) & 0xff);
  assert.equal(interpret(noise).status, STATUS_UNRECOGNIZED_VOLUME);
});

test('FastFat sanity checks: jump byte, sector size, cluster size, FAT count, media byte', () => {
  const good = formatted(16 << 20, 16);
  const cases: Array<[string, (b: Uint8Array) => void]> = [
    ['jump byte', (b) => (b[0] = 0x00)],
    ['sector size', (b) => put16(b, 11, 500)],
    ['sectors per cluster', (b) => (b[13] = 3)],
    ['reserved sectors', (b) => put16(b, 14, 0)],
    ['FAT count', (b) => (b[16] = 0)],
    ['media byte', (b) => (b[21] = 0x12)],
    ['root entries on FAT16', (b) => put16(b, 17, 0)],
    [
      'no sector count',
      (b) => {
        put16(b, 19, 0);
        put32(b, 32, 0);
      },
    ],
  ];
  for (const [what, damage] of cases) {
    const head = good.slice(0, 512);
    damage(head);
    assert.equal(interpret(head).status, STATUS_UNRECOGNIZED_VOLUME, what);
  }
});

test('a BPB whose sector size differs from the disk is not mounted, as FastFat refuses it', () => {
  assert.equal(
    interpret(formatted(16 << 20, 16).slice(0, 512), 16 << 20, 2048).status,
    STATUS_UNRECOGNIZED_VOLUME,
  );
});

test('a FAT32 layout with FAT16 cluster counts, and the reverse, is not recognized', () => {
  const fat16 = formatted(16 << 20, 16).slice(0, 512);
  put16(fat16, 22, 0); // claims the FAT32 layout
  put32(fat16, 36, 64);
  assert.equal(interpret(fat16).status, STATUS_UNRECOGNIZED_VOLUME);
});

test('FAT32 with mirroring disabled or an unknown version is refused', () => {
  const head = formatted(34 << 20, 32).slice(0, 512);
  put16(head, 40, 0x80);
  assert.equal(interpret(head, 34 << 20).status, STATUS_UNRECOGNIZED_VOLUME);
  put16(head, 40, 0);
  put16(head, 42, 0x0100);
  assert.equal(interpret(head, 34 << 20).status, STATUS_UNRECOGNIZED_VOLUME);
});

test('metadata past the end of the disk or a root cluster out of range is corrupt, not foreign', () => {
  const head = formatted(34 << 20, 32).slice(0, 512);
  assert.equal(interpret(head, 100 * 512).status, STATUS_DISK_CORRUPT_ERROR);
  put32(head, 44, 0x0fffffff);
  assert.equal(interpret(head, 34 << 20).status, STATUS_DISK_CORRUPT_ERROR);
});

test('a truncated image keeps only the clusters the disk holds and says so', () => {
  const head = formatted(16 << 20, 16).slice(0, 512);
  const { layout } = interpret(head, 8 << 20);
  assert.ok(layout!.truncated);
  assert.ok(layout!.dataOffset + layout!.clusterCount * layout!.bytesPerCluster <= 8 << 20);
  assert.equal(layout!.fatType, 16, 'the type still comes from the BPB');
});
