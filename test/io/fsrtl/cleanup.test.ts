/**
 * The cleanup and close bookkeeping every file system shares (src/io/fsrtl/cleanup.ts): when a
 * delete-pending name leaves its directory, and what a close takes away.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSystem } from '../../../src/api/index.ts';
import { FILE_DEVICE_DISK_FILE_SYSTEM, FILE_READ_DATA, FILE_SHARE_READ } from '../../../src/base/index.ts';
import {
  cleanupHandle,
  closeFileObject,
  FileObject,
  IoCheckShareAccess,
  IoCreateDevice,
  ShareAccess,
  unlinksAtCleanup,
} from '../../../src/io/index.ts';
import { loadDriver } from '../../support/conformance.ts';

function fileObject(): FileObject {
  const system = createSystem({ withoutRaw: true });
  const driver = loadDriver(system, 'Fs', 'file-system');
  const device = IoCreateDevice(driver, null, null, FILE_DEVICE_DISK_FILE_SYSTEM, 0, false).deviceObject!;
  return new FileObject(device, 'file', null, null);
}

test('cleanup returns the handle share access and counts one handle less', () => {
  const opened = fileObject();
  const fcb = { shareAccess: new ShareAccess(), cleanupCount: 1, deletePending: false };
  IoCheckShareAccess(FILE_READ_DATA, FILE_SHARE_READ, opened, fcb.shareAccess, true);
  assert.equal(fcb.shareAccess.openCount, 1);
  cleanupHandle(opened, fcb);
  assert.equal(fcb.shareAccess.openCount, 0);
  assert.equal(fcb.shareAccess.readers, 0);
  assert.equal(fcb.cleanupCount, 0);
});

test('a delete-pending name leaves at its last handle, or at once from the handle that set POSIX semantics', () => {
  const fcb = (cleanupCount: number, deletePending: boolean) => ({
    shareAccess: new ShareAccess(),
    cleanupCount,
    deletePending,
  });
  const plain = { deleteOnClose: false, posixDelete: false };
  const posix = { deleteOnClose: false, posixDelete: true };
  assert.equal(unlinksAtCleanup(fcb(0, true), plain, true), true, 'the last handle');
  assert.equal(unlinksAtCleanup(fcb(0, true), null, true), true, 'a handle without a CCB');
  assert.equal(unlinksAtCleanup(fcb(2, true), plain, true), false, 'other handles remain');
  assert.equal(unlinksAtCleanup(fcb(2, true), posix, true), true, 'POSIX semantics do not wait');
  assert.equal(unlinksAtCleanup(fcb(0, false), posix, true), false, 'not delete-pending');
  assert.equal(unlinksAtCleanup(fcb(0, true), plain, false), false, 'already gone from its directory');
});

test('close takes the contexts off the file object and forgets the FCB with its last reference', () => {
  const volume = { openCount: 3 };
  const node: { fcb: unknown } = { fcb: null };
  const fcb = { openCount: 2, node };
  node.fcb = fcb;
  const first = fileObject();
  first.fsContext = fcb;
  first.fsContext2 = {};
  closeFileObject(first, volume, fcb);
  assert.equal(first.fsContext, null);
  assert.equal(first.fsContext2, null);
  assert.deepEqual([fcb.openCount, volume.openCount, node.fcb === fcb], [1, 2, true]);
  closeFileObject(fileObject(), volume, fcb);
  assert.deepEqual([fcb.openCount, volume.openCount, node.fcb], [0, 1, null]);
  closeFileObject(fileObject(), volume, null);
  assert.equal(volume.openCount, 0, 'a volume open has no FCB');
});
