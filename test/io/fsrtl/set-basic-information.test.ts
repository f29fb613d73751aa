import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_TEMPORARY,
  FILE_ATTRIBUTE_VALID_SET_FLAGS,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import { readBasicInformation, storedAttributes } from '../../../src/io/fsrtl/set-basic-information.ts';

test('0, -1, null and an absent field leave a time alone; any other finite number sets it', () => {
  const change = readBasicInformation(
    { creationTime: 0, lastAccessTime: -1, lastWriteTime: null, changeTime: 1234.5 },
    false,
  );
  assert.deepEqual(change, {
    status: STATUS_SUCCESS,
    creationTime: null,
    lastAccessTime: null,
    lastWriteTime: null,
    changeTime: 1234.5,
    fileAttributes: 0,
  });
});

test('a time that is not a finite number is STATUS_INVALID_PARAMETER', () => {
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '5', true, {}])
    assert.equal(
      readBasicInformation({ lastAccessTime: bad }, false).status,
      STATUS_INVALID_PARAMETER,
      String(bad),
    );
});

test('attributes must be valid flags; a file cannot become a directory nor a directory temporary', () => {
  const status = (fileAttributes: unknown, isDirectory: boolean) =>
    readBasicInformation({ fileAttributes }, isDirectory).status;
  assert.equal(status(FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_READONLY, false), STATUS_SUCCESS);
  assert.equal(status(FILE_ATTRIBUTE_DIRECTORY, false), STATUS_INVALID_PARAMETER);
  assert.equal(status(FILE_ATTRIBUTE_DIRECTORY, true), STATUS_SUCCESS);
  assert.equal(status(FILE_ATTRIBUTE_TEMPORARY, true), STATUS_INVALID_PARAMETER);
  assert.equal(status(FILE_ATTRIBUTE_TEMPORARY, false), STATUS_SUCCESS);
  for (const bad of [0x40000000, -1, 1.5, 'hidden'])
    assert.equal(status(bad, false), STATUS_INVALID_PARAMETER, String(bad));
});

test('stored attributes keep what the file system can, drop NORMAL, and say DIRECTORY only for a directory', () => {
  const FAT_BITS = 0x27; // READONLY | HIDDEN | SYSTEM | ARCHIVE
  assert.equal(storedAttributes(FILE_ATTRIBUTE_NORMAL, false, FILE_ATTRIBUTE_VALID_SET_FLAGS), 0);
  assert.equal(storedAttributes(FILE_ATTRIBUTE_TEMPORARY | FILE_ATTRIBUTE_ARCHIVE, false, FAT_BITS), 0x20);
  assert.equal(
    storedAttributes(FILE_ATTRIBUTE_HIDDEN, true, FAT_BITS),
    FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_DIRECTORY,
  );
});
