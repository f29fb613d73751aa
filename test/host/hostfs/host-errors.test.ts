import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  STATUS_ACCESS_DENIED,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_DISK_FULL,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NOT_SAME_DEVICE,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_REPARSE_POINT_NOT_RESOLVED,
  STATUS_SHARING_VIOLATION,
  STATUS_UNEXPECTED_IO_ERROR,
  statusName,
} from '../../../src/base/index.ts';
import { HOST_ERROR_STATUS, ntStatusFromHostError } from '../../../src/host/hostfs/index.ts';

test('the host errors the brief names map to the statuses an SMB client or NTFS would report', () => {
  const expected: Array<[string, number]> = [
    ['ENOENT', STATUS_OBJECT_NAME_NOT_FOUND],
    ['ENOTDIR', STATUS_OBJECT_PATH_NOT_FOUND],
    ['EACCES', STATUS_ACCESS_DENIED],
    ['EPERM', STATUS_ACCESS_DENIED],
    ['EEXIST', STATUS_OBJECT_NAME_COLLISION],
    ['ENOTEMPTY', STATUS_DIRECTORY_NOT_EMPTY],
    ['ENOSPC', STATUS_DISK_FULL],
    ['EROFS', STATUS_MEDIA_WRITE_PROTECTED],
    ['ELOOP', STATUS_REPARSE_POINT_NOT_RESOLVED],
    ['ENAMETOOLONG', STATUS_OBJECT_NAME_INVALID],
    ['EISDIR', STATUS_FILE_IS_A_DIRECTORY],
    ['EXDEV', STATUS_NOT_SAME_DEVICE],
    ['EBUSY', STATUS_SHARING_VIOLATION],
  ];
  for (const [code, status] of expected) {
    const error = Object.assign(new Error(code), { code });
    assert.equal(statusName(ntStatusFromHostError(error)), statusName(status), code);
    assert.equal(HOST_ERROR_STATUS.get(code), status, code);
  }
});

test('an unknown host error is STATUS_UNEXPECTED_IO_ERROR, and a non-host error is thrown again', () => {
  assert.equal(
    ntStatusFromHostError(Object.assign(new Error('odd'), { code: 'EWHATEVER' })),
    STATUS_UNEXPECTED_IO_ERROR,
  );
  const bug = new TypeError('a bug in HostFS');
  assert.throws(() => ntStatusFromHostError(bug), TypeError);
  assert.throws(() => ntStatusFromHostError(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' })));
});

test('real failures of node:fs calls are mapped through the table', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-errors-'));
  try {
    fs.writeFileSync(path.join(dir, 'file'), '');
    fs.mkdirSync(path.join(dir, 'full'));
    fs.writeFileSync(path.join(dir, 'full', 'x'), '');
    const statusOf = (call: () => unknown): number => {
      try {
        call();
      } catch (error) {
        return ntStatusFromHostError(error);
      }
      assert.fail('the call should have failed');
    };
    assert.equal(
      statusOf(() => fs.openSync(path.join(dir, 'missing'), 'r')),
      STATUS_OBJECT_NAME_NOT_FOUND,
    );
    assert.equal(
      statusOf(() => fs.openSync(path.join(dir, 'file', 'x'), 'r')),
      STATUS_OBJECT_PATH_NOT_FOUND,
    );
    assert.equal(
      statusOf(() => fs.mkdirSync(path.join(dir, 'file'))),
      STATUS_OBJECT_NAME_COLLISION,
    );
    assert.equal(
      statusOf(() => fs.rmdirSync(path.join(dir, 'full'))),
      STATUS_DIRECTORY_NOT_EMPTY,
    );
    assert.equal(
      statusOf(() => fs.openSync(path.join(dir, 'n'.repeat(300)), 'r')),
      STATUS_OBJECT_NAME_INVALID,
    );
    assert.equal(
      statusOf(() => fs.writeFileSync(path.join(dir, 'full'), 'x')),
      STATUS_FILE_IS_A_DIRECTORY,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
