import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  STATUS_DISK_CORRUPT_ERROR,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_VOLUME_LABEL,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
} from '../../../../src/base/index.ts';
import { formatMemFsVolume, MEMFS_MINIMUM_MEDIA_SIZE } from '../../../../src/drivers/fs/memfs/format.ts';
import {
  deserializeVolume,
  readSuperblock,
  serializeVolume,
  writeSuperblock,
} from '../../../../src/drivers/fs/memfs/on-disk.ts';
import { type MemNode, type MemVolume, SUPERBLOCK_SIZE } from '../../../../src/drivers/fs/memfs/tree.ts';
import { upcaseName } from '../../../../src/io/index.ts';

function load(media: Uint8Array): { status: number; volume: MemVolume | null } {
  const head = readSuperblock(media, media.length);
  if (head.superblock === null) return { status: head.status, volume: null };
  return deserializeVolume(media, head.superblock, media.length);
}

function mustLoad(media: Uint8Array): MemVolume {
  const { status, volume } = load(media);
  assert.equal(status, STATUS_SUCCESS);
  return volume!;
}

function child(volume: MemVolume, directory: MemNode, name: string, isDirectory = false): MemNode {
  const node = volume.createChild(
    directory,
    name,
    upcaseName(name),
    isDirectory,
    isDirectory ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE,
    5000,
  );
  assert.ok(node !== null);
  return node;
}

/** A formatted 64 KiB volume with a small tree: \docs\a.txt (data), \docs\sub\, \Empty.bin, \ünï */
function sampleMedia(): Uint8Array {
  const media = new Uint8Array(64 * 1024);
  assert.equal(
    formatMemFsVolume(media, { label: 'SAMPLE', serialNumber: 0xdeadbeef, now: 1234 }),
    STATUS_SUCCESS,
  );
  const volume = mustLoad(media);
  const docs = child(volume, volume.root, 'docs', true);
  const a = child(volume, docs, 'a.txt');
  assert.ok(volume.write(a, 0, new TextEncoder().encode('alpha'), 5));
  child(volume, docs, 'sub', true);
  const empty = child(volume, volume.root, 'Empty.bin');
  empty.attributes |= FILE_ATTRIBUTE_HIDDEN;
  child(volume, volume.root, 'ünï');
  media.set(serializeVolume(volume, 512), 0);
  return media;
}

test('a freshly formatted volume loads as an empty root with its label, serial and time', () => {
  const media = new Uint8Array(8192);
  assert.equal(formatMemFsVolume(media, { label: 'DATA', serialNumber: 42, now: 1000 }), STATUS_SUCCESS);
  const volume = mustLoad(media);
  assert.equal(volume.label, 'DATA');
  assert.equal(volume.serialNumber, 42);
  assert.equal(volume.creationTime, 1000);
  assert.equal(volume.root.children!.size, 0);
  assert.equal(volume.root.creationTime, 1000);
  assert.equal(volume.nodeCount, 1);
});

test('serializing and loading again gives the same tree, names, attributes, times and data', () => {
  const volume = mustLoad(sampleMedia());
  assert.equal(volume.label, 'SAMPLE');
  assert.equal(volume.serialNumber, 0xdeadbeef);
  const names = [...volume.root.children!.values()].map((n) => n.name);
  assert.deepEqual(names, ['docs', 'Empty.bin', 'ünï']);
  const docs = volume.root.children!.get('DOCS')!;
  assert.equal(docs.isDirectory, true);
  const a = docs.children!.get('A.TXT')!;
  assert.equal(new TextDecoder().decode(a.data.subarray(0, a.size)), 'alpha');
  assert.equal(a.creationTime, 5000);
  assert.equal(docs.children!.get('SUB')!.isDirectory, true);
  assert.equal(
    volume.root.children!.get('EMPTY.BIN')!.attributes & FILE_ATTRIBUTE_HIDDEN,
    FILE_ATTRIBUTE_HIDDEN,
  );
  assert.equal(volume.nodeCount, 6);
});

test('the accounted size of a volume is exactly the size it serializes to', () => {
  const media = sampleMedia();
  const volume = mustLoad(media);
  const image = serializeVolume(volume, 1);
  assert.equal(image.length, volume.usedBytes);
  const again = mustLoad(media);
  assert.equal(again.usedBytes, volume.usedBytes);
});

test('ids survive a round trip and new ids never reuse old ones', () => {
  const media = sampleMedia();
  const volume = mustLoad(media);
  const ids = new Set<number>();
  const walk = (node: MemNode): void => {
    ids.add(node.id);
    for (const c of node.children?.values() ?? []) walk(c);
  };
  walk(volume.root);
  const fresh = child(volume, volume.root, 'new');
  assert.equal(ids.has(fresh.id), false);
});

test('media without the magic is not recognized, media with it but damaged is corrupt', () => {
  assert.equal(load(new Uint8Array(4096)).status, STATUS_UNRECOGNIZED_VOLUME);
  const media = sampleMedia();
  const damagedHeader = media.slice();
  damagedHeader[20] ^= 0xff; // node count, covered by the header checksum
  assert.equal(load(damagedHeader).status, STATUS_DISK_CORRUPT_ERROR);
  const damagedData = media.slice();
  damagedData[SUPERBLOCK_SIZE + 100] ^= 0x01; // inside the image
  assert.equal(load(damagedData).status, STATUS_DISK_CORRUPT_ERROR);
});

test("an unknown format version is somebody else's volume, not a corrupt one", () => {
  const media = sampleMedia();
  media[12] = 99;
  assert.equal(load(media).status, STATUS_UNRECOGNIZED_VOLUME);
});

test('a superblock claiming more image than the media holds is corrupt, and truncated media too', () => {
  const media = sampleMedia();
  const head = readSuperblock(media, media.length).superblock!;
  const lying = media.slice();
  writeSuperblock(lying, { ...head, imageLength: lying.length });
  assert.equal(load(lying).status, STATUS_DISK_CORRUPT_ERROR);
  const truncated = media.slice(0, SUPERBLOCK_SIZE + 100);
  assert.equal(readSuperblock(truncated, truncated.length).status, STATUS_DISK_CORRUPT_ERROR);
});

test('a well-checksummed image with impossible records is still refused', () => {
  const media = sampleMedia();
  const head = readSuperblock(media, media.length).superblock!;
  const reseal = (bytes: Uint8Array, changes: Partial<typeof head> = {}): Uint8Array => {
    // Recompute the image checksum so only the structural checks can catch the damage.
    let hash = 0x811c9dc5;
    const end = SUPERBLOCK_SIZE + (changes.imageLength ?? head.imageLength);
    for (let i = SUPERBLOCK_SIZE; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    writeSuperblock(bytes, { ...head, ...changes, imageChecksum: hash >>> 0 });
    return bytes;
  };
  assert.equal(load(reseal(media.slice())).status, STATUS_SUCCESS, 'resealing alone keeps the image valid');
  const rootRecord = SUPERBLOCK_SIZE;
  const firstChild = SUPERBLOCK_SIZE + 64; // the root has no name
  const cases: Array<[string, (b: Uint8Array) => void, Partial<typeof head>?]> = [
    ['a root that is a file', (b) => (b[rootRecord] = 0)],
    ['a child name with a backslash', (b) => (b[firstChild + 64] = 0x5c)],
    ['an empty child name', (b) => b.set([0, 0], firstChild + 2)],
    ['a name longer than the image', (b) => b.set([0xff, 0xff], firstChild + 2)],
    ['a directory with data', (b) => new DataView(b.buffer).setFloat64(firstChild + 56, 10, true)],
    ['a file flag with the directory attribute', (b) => (b[firstChild] = 0)],
    ['an unknown flag', (b) => (b[firstChild] = 7)],
    ['an id beyond the next id', (b) => new DataView(b.buffer).setFloat64(firstChild + 16, 1e9, true)],
    ['a child count beyond the records', (b) => new DataView(b.buffer).setUint32(rootRecord + 8, 1000, true)],
    ['a node count that does not add up', () => undefined, { nodeCount: head.nodeCount + 1 }],
    ['an image length that leaves bytes over', () => undefined, { imageLength: head.imageLength + 8 }],
    ['a non-finite time', (b) => new DataView(b.buffer).setFloat64(firstChild + 24, Number.NaN, true)],
  ];
  for (const [what, damage, changes] of cases) {
    const bytes = media.slice();
    damage(bytes);
    assert.equal(load(reseal(bytes, changes)).status, STATUS_DISK_CORRUPT_ERROR, what);
  }
});

test('duplicate names in one directory are refused on load', () => {
  const media = new Uint8Array(8192);
  formatMemFsVolume(media, { serialNumber: 1, now: 1 });
  const volume = mustLoad(media);
  child(volume, volume.root, 'same');
  const other = child(volume, volume.root, 'diff');
  // Rename behind the tree's back so both records carry the same name.
  other.name = 'SAME';
  media.set(serializeVolume(volume, 512), 0);
  assert.equal(load(media).status, STATUS_DISK_CORRUPT_ERROR);
});

test('a tree ten thousand directories deep loads without exhausting the stack', () => {
  const media = new Uint8Array(2 << 20);
  formatMemFsVolume(media, { serialNumber: 7, now: 1 });
  const volume = mustLoad(media);
  let directory = volume.root;
  for (let i = 0; i < 10_000; i++) directory = child(volume, directory, 'd', true);
  media.set(serializeVolume(volume, 512), 0);
  const loaded = mustLoad(media);
  assert.equal(loaded.nodeCount, 10_001);
});

test('format refuses labels over 32 characters or with control characters, and media too small', () => {
  assert.equal(
    formatMemFsVolume(new Uint8Array(4096), { label: 'x'.repeat(33) }),
    STATUS_INVALID_VOLUME_LABEL,
  );
  assert.equal(formatMemFsVolume(new Uint8Array(4096), { label: 'a\tb' }), STATUS_INVALID_VOLUME_LABEL);
  assert.equal(formatMemFsVolume(new Uint8Array(MEMFS_MINIMUM_MEDIA_SIZE - 1)), STATUS_INVALID_PARAMETER);
  assert.equal(formatMemFsVolume(new Uint8Array(MEMFS_MINIMUM_MEDIA_SIZE)), STATUS_SUCCESS);
});
