/**
 * Every write path, on each FAT type, leaves an image fsck.fat -n calls clean and whose files
 * mtools copies out byte-identical: creates, writes (small, unaligned, across clusters, appends,
 * past the end), overwrite and supersede, truncate and extend, preallocation, mkdir, renames and
 * moves (files and directories), replace, deletes, attributes, times and the label.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DELETE,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_SYSTEM,
  FILE_CREATE,
  FILE_DELETE_ON_CLOSE,
  FILE_NON_DIRECTORY_FILE,
  FILE_OVERWRITE,
  FILE_SUPERSEDE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileAllocationInformation,
  FileBasicInformation,
  FileEndOfFileInformation,
  FileFsLabelInformation,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { makeTempDir } from '../../../support/disk-images.ts';
import { mattrib, mustRun } from './oracles.ts';
import { FAT_TYPES, fatVolume } from './setup.ts';
import { type ExpectedTree, verifyWithOracles } from './verify.ts';

const bytes = (n: number, seed: number) => new Uint8Array(n).map((_, i) => (i * seed + (i >> 8) + 1) & 0xff);

function patch(data: Uint8Array, offset: number, chunk: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(data.length, offset + chunk.length));
  out.set(data);
  out.set(chunk, offset);
  return out;
}

for (const fatType of FAT_TYPES) {
  test(`FAT${fatType}: creates, writes, truncation and extension leave a clean volume mtools reads identically`, () => {
    const temp = makeTempDir('strata-fat-write-');
    try {
      const v = fatVolume({ fatType });
      const expected: ExpectedTree = new Map();
      const cluster = fatType === 32 ? 512 : fatType === 16 ? 2048 : 512;
      // Names of every kind: 8.3, lower-case 8.3, long, non-ASCII.
      for (const [name, size] of [
        ['PLAIN.TXT', 10],
        ['lower.txt', 600],
        ['Mixed Case Long Name.data', cluster * 3 + 7],
        ['Ünïcödé ñame.txt', 5],
        ['zero', 0],
      ] as const) {
        const data = bytes(size, name.length);
        v.writeFile(name, data);
        expected.set(name, data);
      }
      // Unaligned writes inside, across sectors and past the end (the gap reads as zeros).
      const h = v.handle('lower.txt');
      let lower = expected.get('lower.txt')!;
      for (const [offset, length] of [
        [3, 10],
        [500, 30],
        [2000, 5],
        [511, 2],
      ]) {
        const chunk = bytes(length, offset);
        assert.equal(v.write(h, chunk, offset).status, STATUS_SUCCESS);
        lower = patch(lower, offset, chunk);
      }
      assert.equal(v.write(h, 'appended', -1).status, STATUS_SUCCESS);
      lower = patch(lower, lower.length, new TextEncoder().encode('appended'));
      v.close(h);
      expected.set('lower.txt', lower);
      // Large write across many clusters, then truncation and extension.
      const big = bytes(200_000, 3);
      v.writeFile('big.bin', big);
      const b = v.handle('big.bin');
      assert.equal(v.set(b, FileEndOfFileInformation, { endOfFile: 70_001 }), STATUS_SUCCESS);
      assert.equal(v.set(b, FileEndOfFileInformation, { endOfFile: 90_000 }), STATUS_SUCCESS);
      v.close(b);
      const bigExpected = new Uint8Array(90_000);
      bigExpected.set(big.subarray(0, 70_001));
      expected.set('big.bin', bigExpected);
      // Preallocation past the end, given back when the last handle goes.
      const p = v.handle('PLAIN.TXT');
      assert.equal(v.set(p, FileAllocationInformation, { allocationSize: 100_000 }), STATUS_SUCCESS);
      v.close(p);
      // Overwrite and supersede.
      const o = v.handle('Mixed Case Long Name.data', { disposition: FILE_OVERWRITE });
      v.write(o, 'new content');
      v.close(o);
      expected.set('Mixed Case Long Name.data', new TextEncoder().encode('new content'));
      const s = v.handle('zero', { disposition: FILE_SUPERSEDE });
      v.write(s, bytes(4000, 9));
      v.close(s);
      expected.set('zero', bytes(4000, 9));
      verifyWithOracles(v, expected, temp.dir, `FAT${fatType} files`);
    } finally {
      temp.cleanup();
    }
  });

  test(`FAT${fatType}: directories, renames, moves, replaces and deletes leave a clean volume`, () => {
    const temp = makeTempDir('strata-fat-write-');
    try {
      const v = fatVolume({ fatType });
      const expected: ExpectedTree = new Map();
      for (const dir of ['Projects', 'Projects/Deep Nested Folder', 'tmp', 'Another Directory']) {
        assert.equal(v.mkdir(dir.replaceAll('/', '\\')), STATUS_SUCCESS);
        expected.set(dir, null);
      }
      for (let i = 0; i < 40; i++) {
        const name = `Projects/Deep Nested Folder/file with a long name ${i}.txt`;
        v.writeFile(name.replaceAll('/', '\\'), bytes(i * 50, i));
        expected.set(name, bytes(i * 50, i));
      }
      v.writeFile('tmp\\a.txt', 'a');
      v.writeFile('tmp\\b.txt', 'b');
      v.writeFile('keep.txt', 'keep');
      expected.set('keep.txt', new TextEncoder().encode('keep'));
      // Rename in place: long to short, short to long, case only.
      assert.equal(v.rename('keep.txt', 'A Much Longer Name.txt'), STATUS_SUCCESS);
      expected.delete('keep.txt');
      expected.set('A Much Longer Name.txt', new TextEncoder().encode('keep'));
      assert.equal(v.rename('A Much Longer Name.txt', 'a much longer name.TXT'), STATUS_SUCCESS);
      expected.delete('A Much Longer Name.txt');
      expected.set('a much longer name.TXT', new TextEncoder().encode('keep'));
      // Move a file and a whole directory across directories; replace an existing file.
      assert.equal(v.rename('tmp\\a.txt', '\\??\\M:\\Another Directory\\moved.txt'), STATUS_SUCCESS);
      expected.set('Another Directory/moved.txt', new TextEncoder().encode('a'));
      assert.equal(v.rename('tmp\\b.txt', '\\??\\M:\\Another Directory\\moved.txt', true), STATUS_SUCCESS);
      expected.set('Another Directory/moved.txt', new TextEncoder().encode('b'));
      assert.equal(
        v.rename('Projects\\Deep Nested Folder', '\\??\\M:\\Another Directory\\Deep Nested Folder'),
        STATUS_SUCCESS,
      );
      for (const [name, data] of [...expected]) {
        if (!name.startsWith('Projects/Deep Nested Folder')) continue;
        expected.delete(name);
        expected.set(name.replace('Projects/', 'Another Directory/'), data);
      }
      // Deletes: files, an empty directory, delete-on-close.
      for (let i = 0; i < 40; i += 3) {
        const name = `Another Directory/Deep Nested Folder/file with a long name ${i}.txt`;
        assert.equal(v.remove(name.replaceAll('/', '\\')), STATUS_SUCCESS);
        expected.delete(name);
      }
      assert.equal(v.remove('tmp'), STATUS_SUCCESS);
      expected.delete('tmp');
      const doomed = v.open('doomed.txt', {
        disposition: FILE_CREATE,
        options: FILE_DELETE_ON_CLOSE | FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
        access: DELETE | SYNCHRONIZE | 0x2,
      });
      assert.equal(doomed.status, STATUS_SUCCESS);
      v.write(doomed.handle!, 'gone soon');
      v.close(doomed.handle!);
      // The moved directory's `..` points at its new parent: mtools walks it, fsck checks it.
      const image = verifyWithOracles(v, expected, temp.dir, `FAT${fatType} directories`);
      mustRun('mcopy', [
        '-i',
        image,
        '::/Another Directory/Deep Nested Folder/../moved.txt',
        `${temp.dir}/via-dotdot`,
      ]);
    } finally {
      temp.cleanup();
    }
  });

  test(`FAT${fatType}: attributes, times and the label reach the disk as mtools reads them`, () => {
    const temp = makeTempDir('strata-fat-write-');
    try {
      const v = fatVolume({ fatType });
      v.writeFile('attrs.txt', 'x');
      v.writeFile('plain.txt', 'y');
      const h = v.handle('attrs.txt');
      const when = Date.UTC(2021, 2, 3, 4, 5, 7, 250);
      assert.equal(
        v.set(h, FileBasicInformation, {
          fileAttributes: FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM,
          lastWriteTime: when,
          creationTime: when,
          lastAccessTime: 0,
          changeTime: 0,
        }),
        STATUS_SUCCESS,
      );
      v.close(h);
      const volume = v.openVolume();
      assert.equal(
        v.setVolume(volume.handle!, FileFsLabelInformation, { volumeLabel: 'New Label' }),
        STATUS_SUCCESS,
      );
      v.close(volume.handle!);
      const image = verifyWithOracles(
        v,
        new Map([
          ['attrs.txt', new TextEncoder().encode('x')],
          ['plain.txt', new TextEncoder().encode('y')],
        ]),
        temp.dir,
        `FAT${fatType} attributes`,
      );
      assert.equal([...mattrib(image, '/attrs.txt')].sort().join(''), 'HRS');
      assert.equal(mattrib(image, '/plain.txt'), 'A');
      assert.match(mustRun('mdir', ['-a', '-i', image, '::/attrs.txt']), /2021-03-03 +4:05/);
      assert.match(mustRun('mlabel', ['-s', '-i', image, '::']), /NEW LABEL/);
      const entry = v.listEntries('\\??\\M:\\').find((e) => e.fileName === 'attrs.txt')!;
      assert.equal(entry.lastWriteTime, Date.UTC(2021, 2, 3, 4, 5, 8), 'write time rounds up to 2 s');
      assert.equal(entry.creationTime, Date.UTC(2021, 2, 3, 4, 5, 7, 250), 'creation keeps 10 ms');
    } finally {
      temp.cleanup();
    }
  });
}
