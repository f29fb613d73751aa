/**
 * Damaged media gets a clear status and never a hang or a crash: directory loops, extents beyond
 * the end of the disc, malformed records and names, SUSP continuation loops, truncated images and
 * unusable descriptors. What is intact elsewhere on the disc still reads.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_DIRECTORY_FILE,
  FILE_LIST_DIRECTORY,
  FILE_SYNCHRONOUS_IO_NONALERT,
  STATUS_DISK_CORRUPT_ERROR,
  STATUS_FILE_CORRUPT_ERROR,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import {
  directoryBlock,
  extentOf,
  grow,
  identifierOf,
  makeRecord,
  readDirectory,
  SECTOR,
  setDataLength,
  setExtent,
  writeDirectory,
} from './iso-patch.ts';
import { buildIso, cdVolume, descriptorsOf } from './setup.ts';

const TREE = {
  'hello.txt': 'hello\n',
  'zbig.bin': new Uint8Array(40_000).fill(9),
  'sub/inner.txt': 'inner\n',
  'sub/deeper/leaf.txt': 'leaf\n',
};
const text = (s: string) => new TextEncoder().encode(s);
const dirOptions = {
  access: FILE_LIST_DIRECTORY | SYNCHRONIZE,
  options: FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
};

function plainImage(): Uint8Array {
  return buildIso(TREE, 'genisoimage', []);
}

/** Applies `edit` to the records of the directory at `path` (primary identifiers). */
function editDirectory(image: Uint8Array, path: string[], edit: (records: Uint8Array[]) => void): void {
  const directory = readDirectory(image, directoryBlock(image, path));
  edit(directory.records);
  writeDirectory(image, directory);
}

function record(records: Uint8Array[], identifier: string): Uint8Array {
  return records[records.findIndex((r) => identifierOf(r) === identifier)]!;
}

test('a directory that points back at an ancestor is STATUS_DISK_CORRUPT_ERROR, not an endless walk', () => {
  const image = plainImage();
  const root = directoryBlock(image, []);
  editDirectory(image, ['SUB'], (records) => setExtent(record(records, 'DEEPER'), root));
  const volume = cdVolume(image);
  const loop = volume.open('SUB\\DEEPER', dirOptions);
  assert.equal(loop.status, STATUS_SUCCESS, 'the record itself is well formed');
  assert.equal(volume.queryDirectory(loop.handle!).status, STATUS_DISK_CORRUPT_ERROR);
  volume.close(loop.handle!);
  assert.equal(volume.open('SUB\\DEEPER\\HELLO.TXT').status, STATUS_DISK_CORRUPT_ERROR);
  assert.equal(volume.open('SUB\\DEEPER\\SUB\\DEEPER\\SUB').status, STATUS_DISK_CORRUPT_ERROR);
  assert.deepEqual(volume.readAll('SUB\\INNER.TXT'), text('inner\n'));
});

test('a directory extent beyond the disc is STATUS_DISK_CORRUPT_ERROR; a file extent beyond it, STATUS_FILE_CORRUPT_ERROR', () => {
  const image = plainImage();
  editDirectory(image, [], (records) => {
    setExtent(record(records, 'SUB'), 0x7fffff);
    setExtent(record(records, 'ZBIG.BIN;1'), image.length / SECTOR - 2);
  });
  const volume = cdVolume(image);
  assert.equal(volume.open('SUB\\INNER.TXT').status, STATUS_DISK_CORRUPT_ERROR);
  const big = volume.handle('ZBIG.BIN');
  assert.equal(volume.read(big, 40_000).status, STATUS_FILE_CORRUPT_ERROR);
  assert.equal(volume.read(big, 100).status, STATUS_SUCCESS, 'the part that is on the disc reads');
  volume.close(big);
  assert.deepEqual(volume.readAll('HELLO.TXT'), text('hello\n'));
});

test('malformed records make their directory STATUS_FILE_CORRUPT_ERROR', () => {
  const damage: Array<[string, (r: Uint8Array) => void]> = [
    ['record shorter than its fixed part', (r) => (r[0] = 20)],
    ['name longer than the record', (r) => (r[32] = 200)],
    ['empty name', (r) => (r[32] = 0)],
    ['illegal character in the name', (r) => (r[33] = 0x2f)],
  ];
  for (const [what, harm] of damage) {
    const image = plainImage();
    const block = directoryBlock(image, ['SUB']);
    const directory = readDirectory(image, block);
    const start = block * SECTOR;
    // Damage the INNER.TXT record in place (lengths stay where the walk expects them).
    let at = start;
    for (const r of directory.records) {
      if (identifierOf(r) === 'INNER.TXT;1') harm(image.subarray(at, at + r.length));
      at += r.length;
    }
    const volume = cdVolume(image);
    assert.equal(volume.open('SUB\\INNER.TXT').status, STATUS_FILE_CORRUPT_ERROR, what);
    assert.deepEqual(volume.readAll('HELLO.TXT'), text('hello\n'), what);
  }
});

test('a record running past the end of its sector is STATUS_FILE_CORRUPT_ERROR', () => {
  const files: Record<string, string> = {};
  for (let n = 0; n < 80; n++) files[`many/file-${String(n).padStart(2, '0')}.txt`] = `${n}`;
  const image = buildIso({ ...TREE, ...files }, 'genisoimage', []);
  const block = directoryBlock(image, ['MANY']);
  const start = block * SECTOR;
  // The last record of the directory's first sector claims more bytes than the sector has left.
  let at = start;
  let last = start;
  while (at < start + SECTOR && image[at] !== 0) {
    last = at;
    at += image[at]!;
  }
  assert.ok(last + 255 > start + SECTOR, 'the first sector is nearly full');
  image[last] = 254;
  const volume = cdVolume(image);
  assert.equal(volume.open('MANY\\FILE_00.TXT').status, STATUS_FILE_CORRUPT_ERROR);
  assert.deepEqual(volume.readAll('HELLO.TXT'), text('hello\n'));
});

test('a continuation area that leads back to itself is STATUS_FILE_CORRUPT_ERROR', () => {
  const rr = buildIso(TREE, 'genisoimage', ['-R']);
  const { image, firstBlock } = grow(rr, 1);
  const ce = (block: number) => {
    const entry = new Uint8Array(28);
    entry.set([0x43, 0x45, 28, 1]);
    const put = (at: number, value: number) => {
      for (let i = 0; i < 4; i++) {
        entry[at + i] = (value >>> (8 * i)) & 0xff;
        entry[at + 7 - i] = (value >>> (8 * i)) & 0xff;
      }
    };
    put(4, block);
    put(12, 0);
    put(20, 28);
    return entry;
  };
  image.set(ce(firstBlock), firstBlock * SECTOR); // the area's CE names the area itself
  editDirectory(image, ['SUB'], (records) => {
    const index = records.findIndex((r) => identifierOf(r) === 'INNER.TXT;1');
    const old = records[index]!;
    records[index] = makeRecord({
      identifier: 'INNER.TXT;1',
      extent: extentOf(old),
      dataLength: 6,
      systemUse: ce(firstBlock),
    });
  });
  const volume = cdVolume(image);
  assert.equal(volume.open('sub\\inner.txt').status, STATUS_FILE_CORRUPT_ERROR);
  assert.deepEqual(volume.readAll('hello.txt'), text('hello\n'));
});

test('a damaged SUSP entry costs only its Rock Ridge data: the ISO name is shown instead', () => {
  const rr = buildIso(TREE, 'genisoimage', ['-R']);
  editDirectory(rr, ['SUB'], (records) => {
    const index = records.findIndex((r) => identifierOf(r) === 'INNER.TXT;1');
    const old = records[index]!;
    const bad = new Uint8Array([0x4e, 0x4d, 250, 1, 0, 0x78]); // NM claiming 250 bytes
    records[index] = makeRecord({
      identifier: 'INNER.TXT;1',
      extent: extentOf(old),
      dataLength: 6,
      systemUse: bad,
    });
  });
  const volume = cdVolume(rr);
  assert.deepEqual(volume.list('sub'), ['deeper', 'INNER.TXT']);
  assert.deepEqual(volume.readAll('sub\\INNER.TXT'), text('inner\n'));
});

test('a truncated image mounts; what was cut off is corrupt, what remains reads', () => {
  const full = plainImage();
  const bigBlock = extentOf(
    readDirectory(full, directoryBlock(full, [])).records.find((r) => identifierOf(r) === 'ZBIG.BIN;1')!,
  );
  const image = full.slice(0, (bigBlock + 3) * SECTOR);
  const volume = cdVolume(image);
  assert.deepEqual(volume.readAll('HELLO.TXT'), text('hello\n'));
  const h = volume.handle('ZBIG.BIN');
  assert.equal(volume.read(h, 40_000).status, STATUS_FILE_CORRUPT_ERROR);
  assert.equal(volume.read(h, 3 * SECTOR).status, STATUS_SUCCESS);
  volume.close(h);
  assert.equal(cdVolume(full.slice(0, 16 * SECTOR)).open('HELLO.TXT').status, STATUS_UNRECOGNIZED_VOLUME);
  // Cut inside the primary descriptor (the rest of the sector reads as zeros): no usable root.
  assert.equal(
    cdVolume(full.slice(0, 16 * SECTOR + 100)).open('HELLO.TXT').status,
    STATUS_DISK_CORRUPT_ERROR,
  );
});

test('unusable primary descriptors refuse the mount with STATUS_DISK_CORRUPT_ERROR', () => {
  const cases: Array<[string, (primary: Uint8Array) => void]> = [
    ['logical block size 0', (p) => p.set([0, 0, 0, 0], 128)],
    ['root record not a directory', (p) => (p[156 + 25] = 0)],
    ['root extent beyond the disc', (p) => p.set([0xff, 0xff, 0xff, 0x00], 156 + 2)],
    ['root record with no name', (p) => (p[156 + 32] = 0)],
  ];
  for (const [what, harm] of cases) {
    const image = plainImage();
    harm(descriptorsOf(image).primary);
    assert.equal(cdVolume(image).open('HELLO.TXT').status, STATUS_DISK_CORRUPT_ERROR, what);
  }
});

test('an absurdly large directory is STATUS_DISK_CORRUPT_ERROR', () => {
  const image = plainImage();
  editDirectory(image, [], (records) => setDataLength(record(records, 'SUB'), 0x7fffffff));
  assert.equal(cdVolume(image).open('SUB\\INNER.TXT').status, STATUS_DISK_CORRUPT_ERROR);
});

test('a Joliet identifier with an odd byte count is STATUS_DISK_CORRUPT_ERROR, as CDFS raises it', () => {
  const image = buildIso(TREE, 'genisoimage', ['-J']);
  const joliet = descriptorsOf(image).joliet!;
  const rootBlock = joliet[156 + 2]! | (joliet[156 + 3]! << 8) | (joliet[156 + 4]! << 16);
  const directory = readDirectory(image, rootBlock);
  let at = rootBlock * SECTOR;
  for (const r of directory.records.slice(0, 2)) at += r.length;
  image[at + 32] = image[at + 32]! - 1; // the first real entry's name becomes odd
  assert.equal(
    cdVolume(image, { cdfs: { preferredNames: 'joliet' } }).open('hello.txt').status,
    STATUS_DISK_CORRUPT_ERROR,
  );
});

test('a descriptor set with no terminator is read no further than 64 descriptors, and still mounts', () => {
  // A synthetic disc: the primary at 16, 180 unknown descriptors after it, the root at 250.
  const image = new Uint8Array(260 * SECTOR);
  const primary = descriptorsOf(plainImage()).primary.slice();
  primary.set(
    makeRecord({ identifier: new Uint8Array([0]), extent: 250, dataLength: SECTOR, flags: 2 }),
    156,
  );
  primary.set([260, 0, 0, 0], 80);
  image.set(primary, 16 * SECTOR);
  for (let s = 17; s < 197; s++) {
    image.set(primary, s * SECTOR);
    image[s * SECTOR] = 3;
  }
  let at = 250 * SECTOR;
  for (const r of [
    makeRecord({ identifier: new Uint8Array([0]), extent: 250, dataLength: SECTOR, flags: 2 }),
    makeRecord({ identifier: new Uint8Array([1]), extent: 250, dataLength: SECTOR, flags: 2 }),
    makeRecord({ identifier: 'A.TXT;1', extent: 251, dataLength: 3 }),
  ]) {
    image.set(r, at);
    at += r.length;
  }
  image.set(text('abc'), 251 * SECTOR);
  assert.deepEqual(cdVolume(image).readAll('A.TXT'), text('abc'));
});
