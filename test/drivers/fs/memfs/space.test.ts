/**
 * MemFS's space accounting: the whole tree must fit its disk as one image (on-disk.ts), so a
 * write, an end of file or even a longer name that would not fit is STATUS_DISK_FULL and changes
 * nothing, and deleting a file gives its bytes back. What every file system does with names, data
 * and sizes is in the behaviour suite (test/drivers/fs/behaviour/).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_CREATE,
  FileEndOfFileInformation,
  type FileStandardInfo,
  FileStandardInformation,
  STATUS_DISK_FULL,
  STATUS_SUCCESS,
} from '../../../../src/base/index.ts';
import { memfsVolume } from './setup.ts';

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

test('an end of file beyond the disk is STATUS_DISK_FULL and the size stays', () => {
  const v = memfsVolume();
  v.writeFile('f', 'ab');
  const h = v.handle('f');
  assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: 10 << 20 }), STATUS_DISK_FULL);
  assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.endOfFile, 2);
  v.close(h);
  assert.equal(v.readFile('f'), 'ab');
});

test('a longer name on a full volume is STATUS_DISK_FULL and the old name stays', () => {
  const v = memfsVolume({ sizeBytes: 8192 });
  const h = v.handle('f', { disposition: FILE_CREATE });
  let size = 8192;
  while (size > 0 && v.write(h, new Uint8Array(size), 0).status !== STATUS_SUCCESS) size--;
  v.close(h);
  assert.ok(size > 0);
  assert.equal(v.rename('f', 'a-much-longer-name'), STATUS_DISK_FULL);
  assert.equal(v.rename('f', 'g'), STATUS_SUCCESS, 'a name of the same length still fits');
  assert.deepEqual(v.list(v.root), ['g']);
});
