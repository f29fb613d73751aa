/**
 * File data beyond one contiguous extent: multi-extent files (several records with the
 * multi-extent flag, as ISO 9660 level 3 writes files of 4 GiB and more), checked against xorriso's
 * extraction of the same image; interleaved extents (file unit and gap); and sizes past 4 GiB.
 * The tools only write multi-extent records for files over 4 GiB, so the images are made by
 * genisoimage and then edited (iso-patch.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { STATUS_FILE_CORRUPT_ERROR, STATUS_SUCCESS } from '../../../../src/base/index.ts';
import {
  dataLengthOf,
  directoryBlock,
  extentOf,
  grow,
  identifierOf,
  makeRecord,
  readDirectory,
  recordIndex,
  SECTOR,
  writeDirectory,
} from './iso-patch.ts';
import { buildIso, cdVolume, tempDir } from './setup.ts';

function seeded(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const BIG = seeded(5 * SECTOR + 1234, 7);

/**
 * BIG.BIN split into three records: its first 2 sectors stay in place, the next 2 and the tail (2
 * sectors) move to new sectors at the end of the image, in reverse order, so only the records give
 * the order.
 */
function multiExtentImage(): Uint8Array {
  const original = buildIso({ 'big.bin': BIG, 'after.txt': 'after\n' }, 'genisoimage', []);
  const { image, firstBlock } = grow(original, 4);
  const root = readDirectory(image, directoryBlock(image, []));
  const index = recordIndex(root, 'BIG.BIN;1');
  const start = extentOf(root.records[index]!);
  const part2 = BIG.subarray(2 * SECTOR, 4 * SECTOR);
  const part3 = BIG.subarray(4 * SECTOR);
  image.set(part3, firstBlock * SECTOR); // the tail (two sectors) first on the disc
  image.set(part2, (firstBlock + 2) * SECTOR);
  image.fill(0xee, start * SECTOR + 2 * SECTOR, start * SECTOR + BIG.length); // old copy is not used
  const records = [
    makeRecord({ identifier: 'BIG.BIN;1', extent: start, dataLength: 2 * SECTOR, flags: 0x80 }),
    makeRecord({ identifier: 'BIG.BIN;1', extent: firstBlock + 2, dataLength: 2 * SECTOR, flags: 0x80 }),
    makeRecord({ identifier: 'BIG.BIN;1', extent: firstBlock, dataLength: part3.length }),
  ];
  root.records.splice(index, 1, ...records);
  writeDirectory(image, root);
  return image;
}

test('a multi-extent file reads back whole, in record order, as xorriso extracts it', () => {
  const image = multiExtentImage();
  const dir = tempDir();
  try {
    const file = path.join(dir, 'multi.iso');
    fs.writeFileSync(file, image);
    const out = path.join(dir, 'big.bin');
    execFileSync('xorriso', ['-osirrox', 'on', '-indev', file, '-extract', '/BIG.BIN', out], {
      stdio: 'ignore',
    });
    assert.deepEqual(
      new Uint8Array(fs.readFileSync(out)),
      BIG,
      'xorriso reads the edited image as the original',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const volume = cdVolume(image);
  assert.deepEqual(volume.readAll('BIG.BIN'), BIG);
  assert.deepEqual(volume.readAll('BIG.BIN', 1000), BIG);
  const entries = volume.listEntries('\\??\\D:\\');
  assert.deepEqual(
    entries.map((e) => [e.fileName, e.endOfFile]),
    [
      ['AFTER.TXT', 6],
      ['BIG.BIN', BIG.length],
    ],
  );
});

test('reads that cross extent boundaries at odd offsets get exactly those bytes', () => {
  const volume = cdVolume(multiExtentImage());
  const h = volume.handle('BIG.BIN');
  for (const [offset, length] of [
    [2 * SECTOR - 7, 20],
    [SECTOR + 3, 3 * SECTOR],
    [4 * SECTOR - 1, 2],
    [0, BIG.length + 100],
    [BIG.length - 5, 100],
  ] as const) {
    const { status, data } = volume.read(h, length, offset);
    assert.equal(status, STATUS_SUCCESS);
    assert.deepEqual(data, BIG.subarray(offset, offset + length), `${offset}+${length}`);
  }
  volume.close(h);
});

test('a multi-extent chain broken by another name, or left open at the end, makes the directory corrupt', () => {
  const image = multiExtentImage();
  const root = readDirectory(image, directoryBlock(image, []));
  const last = root.records.findLastIndex((r) => identifierOf(r) === 'BIG.BIN;1');
  root.records[last]![25] = 0x80; // the last record claims a continuation that does not follow
  writeDirectory(image, root);
  const volume = cdVolume(image);
  assert.equal(volume.open('AFTER.TXT').status, STATUS_FILE_CORRUPT_ERROR);
});

test('an interleaved file skips its gaps: units of 2 sectors, gaps of 1', () => {
  const original = buildIso({ 'woven.bin': BIG }, 'genisoimage', []);
  const units = Math.ceil(BIG.length / (2 * SECTOR));
  const { image, firstBlock } = grow(original, units * 3);
  for (let unit = 0; unit < units; unit++) {
    const data = BIG.subarray(unit * 2 * SECTOR, (unit + 1) * 2 * SECTOR);
    image.set(data, (firstBlock + unit * 3) * SECTOR);
    image.fill(0xaa, (firstBlock + unit * 3 + 2) * SECTOR, (firstBlock + unit * 3 + 3) * SECTOR);
  }
  const root = readDirectory(image, directoryBlock(image, []));
  const index = recordIndex(root, 'WOVEN.BIN;1');
  root.records[index] = makeRecord({
    identifier: 'WOVEN.BIN;1',
    extent: firstBlock,
    dataLength: BIG.length,
    unitSize: 2,
    gap: 1,
  });
  writeDirectory(image, root);
  const volume = cdVolume(image);
  assert.deepEqual(volume.readAll('WOVEN.BIN'), BIG);
  assert.deepEqual(volume.readAll('WOVEN.BIN', 3000), BIG);
});

test('sizes of multi-extent files past 4 GiB add up; reading extents beyond the disc is STATUS_FILE_CORRUPT_ERROR', () => {
  const image = buildIso({ 'huge.bin': 'x' }, 'genisoimage', []);
  const root = readDirectory(image, directoryBlock(image, []));
  const index = recordIndex(root, 'HUGE.BIN;1');
  const start = extentOf(root.records[index]!);
  const part = 0xfffff800;
  root.records.splice(
    index,
    1,
    makeRecord({ identifier: 'HUGE.BIN;1', extent: start, dataLength: part, flags: 0x80 }),
    makeRecord({ identifier: 'HUGE.BIN;1', extent: start, dataLength: part, flags: 0x80 }),
    makeRecord({ identifier: 'HUGE.BIN;1', extent: start, dataLength: 1 }),
  );
  writeDirectory(image, root);
  const volume = cdVolume(image);
  const [entry] = volume.listEntries('\\??\\D:\\');
  assert.equal(entry!.endOfFile, 2 * part + 1);
  assert.ok(entry!.endOfFile > 2 ** 32);
  const h = volume.handle('HUGE.BIN');
  // The extents claim 4 GiB each on a disc of a few sectors: what lies on the disc reads, the rest is corrupt.
  assert.deepEqual(volume.read(h, 1, 0), { status: STATUS_SUCCESS, data: new TextEncoder().encode('x') });
  assert.equal(volume.read(h, 10, 1 << 24).status, STATUS_FILE_CORRUPT_ERROR);
  assert.equal(volume.read(h, 1, 2 * part).status, STATUS_SUCCESS);
  volume.close(h);
  assert.equal(dataLengthOf(root.records[index]!), part);
});
