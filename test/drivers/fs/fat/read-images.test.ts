/**
 * Images made by mkfs.fat and filled by mtools read back exactly through Strata: names (long and
 * 8.3), sizes, contents, attributes and times, on each FAT type.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_SYSTEM,
  FileBothDirectoryInformation,
  type FileDirectoryEntry,
} from '../../../../src/base/index.ts';
import { makeTempDir } from '../../../support/disk-images.ts';
import { mdir, mkfsFat, mustRun } from './oracles.ts';
import { FAT_TYPES, type FatBits, fatVolumeFromFile } from './setup.ts';

const SIZES: Record<FatBits, number> = { 12: 1440, 16: 16384, 32: 34816 };
const MTIME = Date.UTC(2023, 5, 7, 8, 9, 10) / 1000;

/** A host tree: relative path → content (directories end with /). */
function buildTree(root: string): Map<string, Uint8Array | null> {
  const tree = new Map<string, Uint8Array | null>();
  const put = (name: string, data: Uint8Array | null) => {
    const full = path.join(root, name);
    if (data === null) fs.mkdirSync(full, { recursive: true });
    else fs.writeFileSync(full, data);
    tree.set(name, data);
  };
  const bytes = (n: number, seed: number) => new Uint8Array(n).map((_, i) => (i * seed + (i >> 9)) & 0xff);
  put('empty.txt', new Uint8Array(0));
  put('README.TXT', bytes(100, 3));
  put('readme2.md', bytes(4096, 5));
  put('A Long File Name With Spaces.txt', bytes(5000, 7));
  put('Résumé Très Long.doc', bytes(300, 11));
  put('naïve.txt', bytes(12, 13));
  put('big.bin', bytes(300_000, 17));
  put('Nested Directory', null);
  put('Nested Directory/Second Level', null);
  put('Nested Directory/Second Level/deep file.dat', bytes(70_000, 19));
  put('Nested Directory/UPPER.TXT', bytes(1, 23));
  put('lower', null);
  for (let i = 0; i < 20; i++) put(`lower/file number ${i}.txt`, bytes(i * 37, i + 1));
  for (const name of tree.keys()) fs.utimesSync(path.join(root, name), MTIME, MTIME);
  return tree;
}

test('mkfs.fat + mtools images read back through Strata: names, sizes, contents, attributes, times', () => {
  const temp = makeTempDir('strata-fat-read-');
  try {
    const source = path.join(temp.dir, 'tree');
    fs.mkdirSync(source);
    const tree = buildTree(source);
    for (const fatType of FAT_TYPES) {
      const image = path.join(temp.dir, `fat${fatType}.img`);
      mkfsFat(image, SIZES[fatType], fatType);
      mustRun('mcopy', [
        '-i',
        image,
        '-s',
        '-p',
        '-m',
        ...fs.readdirSync(source).map((n) => path.join(source, n)),
        '::/',
      ]);
      mustRun('mattrib', ['-i', image, '+r', '::/README.TXT']);
      mustRun('mattrib', ['-i', image, '+h', '+s', '::/readme2.md']);
      mustRun('mattrib', ['-i', image, '-a', '::/empty.txt']);
      const v = fatVolumeFromFile(image, { fatType });
      for (const [name, data] of tree) {
        const ntPath = name.replaceAll('/', '\\');
        if (data === null) {
          assert.ok(v.exists(ntPath), `FAT${fatType}: directory ${name}`);
          continue;
        }
        assert.deepEqual(v.readBytes(ntPath), data, `FAT${fatType}: contents of ${name}`);
      }
      for (const directory of ['', 'Nested Directory', 'Nested Directory/Second Level', 'lower']) {
        const ours = v.listEntries(
          directory === '' ? '\\??\\M:\\' : directory.replaceAll('/', '\\'),
          null,
          undefined,
          FileBothDirectoryInformation,
        );
        const theirs = mdir(image, `/${directory}`);
        assert.deepEqual(
          ours.map(describe).sort(),
          theirs
            .map((e) => `${e.longName ?? ''}|${e.shortName.toUpperCase()}|${e.size ?? 0}`)
            .map(normalize)
            .sort(),
          `FAT${fatType}: listing of /${directory}`,
        );
        for (const entry of ours.filter((e) => e.fileName !== '.' && e.fileName !== '..')) {
          const expected = tree.get(directory === '' ? entry.fileName : `${directory}/${entry.fileName}`);
          assert.notEqual(expected, undefined, `FAT${fatType}: ${entry.fileName} is in the source tree`);
          if (expected !== null) assert.equal(entry.endOfFile, expected!.length);
          assert.equal(entry.lastWriteTime, MTIME * 1000, `FAT${fatType}: write time of ${entry.fileName}`);
        }
      }
      const root = v.listEntries('\\??\\M:\\');
      const attributes = (name: string) => root.find((e) => e.fileName === name)!.fileAttributes;
      assert.equal(attributes('README.TXT'), FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_ARCHIVE);
      assert.equal(
        attributes('readme2.md'),
        FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_ARCHIVE,
      );
      assert.equal(attributes('empty.txt'), FILE_ATTRIBUTE_NORMAL);
      assert.equal(attributes('Nested Directory') & FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_DIRECTORY);
      assert.ok(!root.some((e) => e.fileName === '.' || e.fileName === '..'), 'the root has no dot entries');
      const sub = v.listEntries('Nested Directory').map((e) => e.fileName);
      assert.deepEqual(sub.slice(0, 2), ['.', '..'], 'subdirectories list . and .. first, as on disk');
      assert.ok(v.exists('ALONGF~1.TXT'), `FAT${fatType}: a file opens by its 8.3 name`);
      assert.ok(v.exists('nested directory\\SECOND LEVEL\\DEEP FILE.DAT'), 'names are case-insensitive');
    }
  } finally {
    temp.cleanup();
  }
});

/** Long name (when the name needs one), upper-case 8.3 name, size; as mdir shows them. */
function describe(entry: FileDirectoryEntry): string {
  const shortName = entry.shortName !== '' ? entry.shortName : entry.fileName.toUpperCase();
  const longName = entry.shortName !== '' ? entry.fileName : '';
  return normalize(`${longName}|${shortName}|${entry.endOfFile}`);
}

function normalize(text: string): string {
  return text.normalize('NFC');
}
