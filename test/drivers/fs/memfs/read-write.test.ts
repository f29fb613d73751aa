import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_APPEND_DATA,
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_LIST_DIRECTORY,
  FILE_SYNCHRONOUS_IO_NONALERT,
  type FileBasicInfo,
  FileBasicInformation,
  type FilePositionInfo,
  FilePositionInformation,
  type FileStandardInfo,
  FileStandardInformation,
  STATUS_DISK_FULL,
  STATUS_END_OF_FILE,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { memfsVolume } from './setup.ts';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

test('what is written reads back, at any offset', () => {
  const v = memfsVolume();
  const h = v.handle('f', { disposition: FILE_CREATE });
  assert.deepEqual(v.write(h, 'hello world'), { status: STATUS_SUCCESS, bytes: 11 });
  assert.equal(text(v.read(h, 5, 6).data), 'world');
  assert.deepEqual(v.write(h, 'WORLD', 6), { status: STATUS_SUCCESS, bytes: 5 });
  assert.equal(text(v.read(h, 100, 0).data), 'hello WORLD');
  v.close(h);
});

test('a read at or past the end is STATUS_END_OF_FILE, a read across it is cut short', () => {
  const v = memfsVolume();
  const h = v.handle('f', { disposition: FILE_CREATE });
  v.write(h, '0123456789');
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
});

test('writing past the end extends the file with zeros in the gap', () => {
  const v = memfsVolume();
  const h = v.handle('f', { disposition: FILE_CREATE });
  v.write(h, 'ab');
  v.write(h, 'z', 6);
  assert.deepEqual([...v.read(h, 16, 0).data], [97, 98, 0, 0, 0, 0, 122]);
  assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.endOfFile, 7);
  v.close(h);
});

test('offset -1 appends, and a handle with only FILE_APPEND_DATA always writes at the end', () => {
  const v = memfsVolume();
  v.writeFile('log', 'one;');
  const h = v.handle('log');
  v.write(h, 'two;', -1);
  v.close(h);
  const appender = v.handle('log', { access: FILE_APPEND_DATA | SYNCHRONIZE });
  assert.equal(v.write(appender, 'three;', 0).status, STATUS_SUCCESS);
  v.close(appender);
  assert.equal(v.readFile('log'), 'one;two;three;');
});

test('synchronous handles read and write at the current position and advance it', () => {
  const v = memfsVolume();
  const h = v.handle('f', { disposition: FILE_CREATE, options: FILE_SYNCHRONOUS_IO_NONALERT });
  v.write(h, 'abc', null);
  v.write(h, 'def', null);
  assert.equal(v.query<FilePositionInfo>(h, FilePositionInformation).info!.currentByteOffset, 6);
  assert.equal(v.set(h, FilePositionInformation, { currentByteOffset: 2 }), STATUS_SUCCESS);
  assert.equal(text(v.read(h, 2, null).data), 'cd');
  assert.equal(text(v.read(h, 10, null).data), 'ef');
  assert.equal(v.read(h, 10, null).status, STATUS_END_OF_FILE);
  v.close(h);
});

test('a write updates the last write and change times and sets ARCHIVE', () => {
  const v = memfsVolume();
  const h = v.handle('f', { disposition: FILE_CREATE, attributes: 0 });
  assert.equal(v.set(h, FileBasicInformation, { fileAttributes: 0x80 /* NORMAL */ }), STATUS_SUCCESS);
  const created = v.query<FileBasicInfo>(h, FileBasicInformation).info!;
  assert.equal(created.fileAttributes, 0x80);
  const later = v.tick(5000);
  v.write(h, 'x');
  const after = v.query<FileBasicInfo>(h, FileBasicInformation).info!;
  assert.equal(after.lastWriteTime, later);
  assert.equal(after.changeTime, later);
  assert.equal(after.creationTime, created.creationTime);
  assert.equal(after.fileAttributes, 0x20);
  v.close(h);
});

test('directories cannot be read or written', () => {
  const v = memfsVolume();
  v.mkdir('d');
  const h = v.handle('d', { access: FILE_GENERIC_READ | FILE_LIST_DIRECTORY, options: FILE_DIRECTORY_FILE });
  assert.equal(v.read(h, 10).status, STATUS_INVALID_DEVICE_REQUEST);
  v.close(h);
});

test('a write that would overfill the disk is STATUS_DISK_FULL and writes nothing', () => {
  const v = memfsVolume({ sizeBytes: 64 * 1024 });
  const h = v.handle('big', { disposition: FILE_CREATE });
  const chunk = new Uint8Array(16 * 1024).fill(1);
  let written = 0;
  let status = STATUS_SUCCESS;
  while (status === STATUS_SUCCESS) {
    ({ status } = v.write(h, chunk, written));
    if (status === STATUS_SUCCESS) written += chunk.length;
  }
  assert.equal(status, STATUS_DISK_FULL);
  assert.ok(written >= 32 * 1024 && written < 64 * 1024, `wrote ${written}`);
  assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.endOfFile, written);
  // What is left can still be filled exactly.
  let left = 0;
  for (let size = 1 << 15; size > 0; size >>= 1) {
    if (v.write(h, new Uint8Array(size), written + left).status === STATUS_SUCCESS) left += size;
  }
  assert.equal(v.write(h, new Uint8Array(1), written + left).status, STATUS_DISK_FULL);
  assert.equal(v.flush(h), STATUS_SUCCESS, 'a full volume still fits on its disk');
  v.close(h);
});

test('a file full of data survives being deleted, freeing its space', () => {
  const v = memfsVolume({ sizeBytes: 64 * 1024 });
  const big = new Uint8Array(40 * 1024);
  const h = v.handle('a', { disposition: FILE_CREATE });
  assert.equal(v.write(h, big).status, STATUS_SUCCESS);
  v.close(h);
  const h2 = v.handle('b', { disposition: FILE_CREATE });
  assert.equal(v.write(h2, big).status, STATUS_DISK_FULL);
  assert.equal(v.remove('a'), STATUS_SUCCESS);
  assert.equal(v.write(h2, big).status, STATUS_SUCCESS);
  v.close(h2);
});

test('a buffer shorter than the length asked for is refused by the I/O manager or the file system', () => {
  const v = memfsVolume();
  const h = v.handle('f', { disposition: FILE_CREATE });
  assert.equal(v.read(h, 4, -5).status, STATUS_INVALID_PARAMETER);
  v.close(h);
});
