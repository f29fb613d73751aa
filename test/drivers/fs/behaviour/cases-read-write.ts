/**
 * Behaviour cases for NtReadFile and NtWriteFile on every file system: data read back at any
 * offset, the end of file, extension with zeros, appending, the current position of synchronous
 * handles, the times and ARCHIVE bit a write changes, and requests a file system must refuse.
 */
import assert from 'node:assert/strict';
import {
  FILE_APPEND_DATA,
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_NORMAL,
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_LIST_DIRECTORY,
  type FileBasicInfo,
  FileBasicInformation,
  type FilePositionInfo,
  FilePositionInformation,
  type FileStandardInfo,
  FileStandardInformation,
  STATUS_END_OF_FILE,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import type { BehaviourCase } from './fixture.ts';
import { expectedTimes } from './times.ts';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const READ = { access: FILE_GENERIC_READ };

export const READ_WRITE_CASES: BehaviourCase[] = [
  {
    name: 'what is written reads back at any offset, across sector and cluster boundaries',
    run(v) {
      const h = v.handle('f', { disposition: FILE_CREATE });
      assert.deepEqual(v.write(h, 'hello world'), { status: STATUS_SUCCESS, bytes: 11 });
      assert.equal(text(v.read(h, 5, 6).data), 'world');
      assert.deepEqual(v.write(h, 'WORLD', 6), { status: STATUS_SUCCESS, bytes: 5 });
      assert.equal(text(v.read(h, 100, 0).data), 'hello WORLD');
      const data = new Uint8Array(10_000).map((_, i) => (i * 13) & 0xff);
      assert.equal(v.write(h, data, 0).bytes, 10_000);
      for (const [offset, length] of [
        [0, 1],
        [511, 2],
        [4095, 4097],
        [9000, 5000],
      ] as const) {
        const r = v.read(h, length, offset);
        assert.equal(r.status, STATUS_SUCCESS);
        assert.deepEqual(r.data, data.subarray(offset, Math.min(offset + length, data.length)));
      }
      v.close(h);
    },
  },
  {
    name: 'a read at or past the end is STATUS_END_OF_FILE, a read across it is cut short',
    tree: { f: '0123456789' },
    reads: true,
    run(v) {
      const h = v.handle('f', READ);
      const across = v.read(h, 8, 6);
      assert.equal(across.status, STATUS_SUCCESS);
      assert.equal(text(across.data), '6789');
      for (const offset of [10, 11, 1 << 30]) {
        const past = v.read(h, 4, offset);
        assert.equal(past.status, STATUS_END_OF_FILE, `offset ${offset}`);
        assert.equal(past.data.length, 0);
      }
      assert.equal(v.read(h, 0, 100).status, STATUS_SUCCESS, 'a zero-length read succeeds anywhere');
      v.close(h);
    },
  },
  {
    name: 'writing past the end extends the file with zeros in the gap',
    run(v) {
      const h = v.handle('f', { disposition: FILE_CREATE });
      v.write(h, 'ab');
      v.write(h, 'z', 6);
      assert.deepEqual([...v.read(h, 16, 0).data], [97, 98, 0, 0, 0, 0, 122]);
      v.write(h, 'cd', 5000);
      const r = v.read(h, 6000, 0);
      assert.equal(r.data.length, 5002);
      assert.ok(r.data.subarray(7, 5000).every((b) => b === 0));
      assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.endOfFile, 5002);
      v.close(h);
    },
  },
  {
    name: 'offset -1 appends, and a handle with only FILE_APPEND_DATA always writes at the end',
    tree: { log: 'one;' },
    run(v) {
      const h = v.handle('log');
      v.write(h, 'two;', -1);
      v.close(h);
      const appender = v.handle('log', { access: FILE_APPEND_DATA | SYNCHRONIZE });
      assert.equal(v.write(appender, 'three;', 0).status, STATUS_SUCCESS);
      v.close(appender);
      assert.equal(v.readFile('log'), 'one;two;three;');
    },
  },
  {
    name: 'synchronous handles write at the current position and advance it',
    run(v) {
      const h = v.handle('f', { disposition: FILE_CREATE });
      v.write(h, 'abc', null);
      v.write(h, 'def', null);
      assert.equal(v.query<FilePositionInfo>(h, FilePositionInformation).info!.currentByteOffset, 6);
      v.close(h);
      assert.equal(v.readFile('f'), 'abcdef');
    },
  },
  {
    name: 'synchronous handles read at the current position, which can be set, and advance it',
    tree: { f: 'abcdef' },
    reads: true,
    run(v) {
      const h = v.handle('f', READ);
      assert.equal(text(v.read(h, 2, null).data), 'ab');
      assert.equal(v.query<FilePositionInfo>(h, FilePositionInformation).info!.currentByteOffset, 2);
      assert.equal(v.set(h, FilePositionInformation, { currentByteOffset: 3 }), STATUS_SUCCESS);
      assert.equal(text(v.read(h, 2, null).data), 'de');
      assert.equal(text(v.read(h, 10, null).data), 'f');
      assert.equal(v.read(h, 10, null).status, STATUS_END_OF_FILE);
      v.close(h);
    },
  },
  {
    name: 'a write updates the last write time, keeps the creation time and sets ARCHIVE',
    run(v, caps) {
      const h = v.handle('f', { disposition: FILE_CREATE, attributes: 0 });
      assert.equal(v.set(h, FileBasicInformation, { fileAttributes: FILE_ATTRIBUTE_NORMAL }), STATUS_SUCCESS);
      const created = v.query<FileBasicInfo>(h, FileBasicInformation).info!;
      // HostFS keeps ARCHIVE on every file: clearing it does not stick (deviations: HostFS attributes).
      assert.equal(
        created.fileAttributes,
        caps.storedAttributes ? FILE_ATTRIBUTE_NORMAL : FILE_ATTRIBUTE_ARCHIVE,
      );
      const later = v.tick(5000);
      v.write(h, 'x');
      const after = v.query<FileBasicInfo>(h, FileBasicInformation).info!;
      const times = expectedTimes(caps, later);
      if (times !== null) {
        assert.equal(after.lastWriteTime, times.lastWrite);
        assert.equal(after.changeTime, times.change);
      }
      assert.equal(after.creationTime, created.creationTime);
      assert.equal(after.fileAttributes, FILE_ATTRIBUTE_ARCHIVE);
      v.close(h);
    },
  },
  {
    name: 'directories cannot be read',
    tree: { d: null },
    reads: true,
    run(v) {
      const h = v.handle('d', {
        access: FILE_GENERIC_READ | FILE_LIST_DIRECTORY,
        options: FILE_DIRECTORY_FILE,
      });
      assert.equal(v.read(h, 10).status, STATUS_INVALID_DEVICE_REQUEST);
      v.close(h);
    },
  },
  {
    name: 'a read at a negative offset other than the current-position markers is refused',
    tree: { f: 'abc' },
    reads: true,
    run(v) {
      const h = v.handle('f', READ);
      assert.equal(v.read(h, 4, -5).status, STATUS_INVALID_PARAMETER);
      v.close(h);
    },
  },
];
