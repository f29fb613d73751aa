import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import {
  STATUS_ACCESS_DENIED,
  STATUS_DEVICE_DATA_ERROR,
  STATUS_DISK_FULL,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_IO_DEVICE_ERROR,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SHARING_VIOLATION,
  STATUS_TOO_MANY_OPENED_FILES,
  statusName,
} from '../../../src/base/index.ts';
import { hostErrorStatus } from '../../../src/host/image-disk/index.ts';

test('host errno codes map to the statuses a disk reports for the same condition', () => {
  const table: Array<[string, number]> = [
    ['ENOENT', STATUS_OBJECT_NAME_NOT_FOUND],
    ['ENOTDIR', STATUS_OBJECT_PATH_NOT_FOUND],
    ['EISDIR', STATUS_FILE_IS_A_DIRECTORY],
    ['EACCES', STATUS_ACCESS_DENIED],
    ['EPERM', STATUS_ACCESS_DENIED],
    ['EROFS', STATUS_MEDIA_WRITE_PROTECTED],
    ['ENOSPC', STATUS_DISK_FULL],
    ['EDQUOT', STATUS_DISK_FULL],
    ['EIO', STATUS_DEVICE_DATA_ERROR],
    ['EMFILE', STATUS_TOO_MANY_OPENED_FILES],
    ['ETXTBSY', STATUS_SHARING_VIOLATION],
    ['EBADF', STATUS_IO_DEVICE_ERROR],
    ['ESOMETHINGNEW', STATUS_IO_DEVICE_ERROR],
  ];
  for (const [code, status] of table) {
    const error = Object.assign(new Error(code), { code });
    assert.equal(statusName(hostErrorStatus(error)), statusName(status), code);
  }
  assert.equal(hostErrorStatus('not an error'), STATUS_IO_DEVICE_ERROR);
  assert.equal(hostErrorStatus(null), STATUS_IO_DEVICE_ERROR);
});

test('errors thrown by node:fs itself carry codes the mapping knows', () => {
  const thrown = (body: () => unknown): unknown => {
    try {
      body();
    } catch (error) {
      return error;
    }
    assert.fail('expected a throw');
  };
  assert.equal(
    hostErrorStatus(thrown(() => fs.openSync('/nonexistent/strata', 'r'))),
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
  assert.equal(hostErrorStatus(thrown(() => fs.openSync('/', 'r+'))), STATUS_FILE_IS_A_DIRECTORY);
  assert.equal(hostErrorStatus(thrown(() => fs.openSync('a\0b', 'r'))), STATUS_OBJECT_NAME_INVALID);
  assert.equal(
    hostErrorStatus(thrown(() => fs.readSync(0x3fffffff, new Uint8Array(1)))),
    STATUS_IO_DEVICE_ERROR,
  );
});
