import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_DISPOSITION_DELETE,
  FILE_DISPOSITION_FORCE_IMAGE_SECTION_CHECK,
  FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE,
  FILE_DISPOSITION_POSIX_SEMANTICS,
  FileDispositionInformation,
  FileDispositionInformationEx,
  type NTSTATUS,
  STATUS_CANNOT_DELETE,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import {
  dispositionFlags,
  readOnlyDeleteCheck,
  setDispositionInformation,
} from '../../../src/io/fsrtl/disposition.ts';
import type { FileObject } from '../../../src/io/index.ts';

test('FileDispositionInformation takes a boolean; the Ex class takes the flags it understands', () => {
  assert.equal(dispositionFlags(FileDispositionInformation, { deleteFile: true }), FILE_DISPOSITION_DELETE);
  assert.equal(dispositionFlags(FileDispositionInformation, { deleteFile: false }), 0);
  for (const bad of [1, 'yes', undefined])
    assert.equal(dispositionFlags(FileDispositionInformation, { deleteFile: bad }), -1, String(bad));
  const all =
    FILE_DISPOSITION_DELETE |
    FILE_DISPOSITION_POSIX_SEMANTICS |
    FILE_DISPOSITION_FORCE_IMAGE_SECTION_CHECK |
    FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE;
  assert.equal(dispositionFlags(FileDispositionInformationEx, { flags: all }), all);
  for (const bad of [0x8, 0x20, -1, 1.5, '1'])
    assert.equal(dispositionFlags(FileDispositionInformationEx, { flags: bad }), -1, String(bad));
});

test('a read-only file cannot be deleted unless the caller ignores the attribute', () => {
  assert.equal(readOnlyDeleteCheck(true, FILE_DISPOSITION_DELETE), STATUS_CANNOT_DELETE);
  assert.equal(
    readOnlyDeleteCheck(true, FILE_DISPOSITION_DELETE | FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE),
    STATUS_SUCCESS,
  );
  assert.equal(readOnlyDeleteCheck(false, FILE_DISPOSITION_DELETE), STATUS_SUCCESS);
});

test('delete-pending moves on the FCB, the file object and, with POSIX semantics, the CCB together', () => {
  const fcb = { deletePending: false };
  const ccb = { posixDelete: false };
  const fileObject = { deletePending: false } as FileObject;
  const asked: number[] = [];
  const allow = (_f: typeof fcb, _c: typeof ccb, flags: number): NTSTATUS => {
    asked.push(flags);
    return STATUS_SUCCESS;
  };
  const ex = FileDispositionInformationEx;
  const posix = FILE_DISPOSITION_DELETE | FILE_DISPOSITION_POSIX_SEMANTICS;
  assert.equal(setDispositionInformation(fcb, ccb, fileObject, ex, { flags: posix }, allow), STATUS_SUCCESS);
  assert.deepEqual([fcb.deletePending, fileObject.deletePending, ccb.posixDelete], [true, true, true]);
  assert.equal(setDispositionInformation(fcb, ccb, fileObject, ex, { flags: 0 }, allow), STATUS_SUCCESS);
  assert.deepEqual([fcb.deletePending, fileObject.deletePending, ccb.posixDelete], [false, false, false]);
  assert.deepEqual(asked, [posix], 'the file system is asked only about a delete');
});

test('a refused or malformed disposition changes no mark', () => {
  const fcb = { deletePending: false };
  const fileObject = { deletePending: false } as FileObject;
  const refuse = (): NTSTATUS => STATUS_DIRECTORY_NOT_EMPTY;
  const info = { deleteFile: true };
  assert.equal(
    setDispositionInformation(fcb, null, fileObject, FileDispositionInformation, info, refuse),
    STATUS_DIRECTORY_NOT_EMPTY,
  );
  assert.equal(
    setDispositionInformation(fcb, null, fileObject, FileDispositionInformationEx, { flags: 0x40 }, refuse),
    STATUS_INVALID_PARAMETER,
  );
  assert.deepEqual([fcb.deletePending, fileObject.deletePending], [false, false]);
});
