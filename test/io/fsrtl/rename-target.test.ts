import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_DELETE_PENDING,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NOT_SAME_DEVICE,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import { isValidComponent } from '../../../src/io/fsrtl/names.ts';
import {
  type RenameNamespace,
  renameReplaceCheck,
  resolveRenameTarget,
} from '../../../src/io/fsrtl/rename-target.ts';
import type { FileObject, SetFileParameters } from '../../../src/io/index.ts';

/** A toy volume: FCBs name their path; directories are the paths listed in `directories`. */
interface ToyFcb {
  volume: string;
  path: string;
  deleted?: boolean;
  readOnlyVolume?: boolean;
}
const directories = new Set(['', 'a', 'a\\b']);
const toy: RenameNamespace<ToyFcb, string> = {
  isRoot: (fcb) => fcb.path === '',
  isDeleted: (fcb) => fcb.deleted === true,
  writeProtection: (fcb) => (fcb.readOnlyVolume ? STATUS_MEDIA_WRITE_PROTECTED : STATUS_SUCCESS),
  fcbOf: (fileObject) => (fileObject.fsContext as ToyFcb | null) ?? null,
  sameVolume: (source, target) => source.volume === target.volume,
  isDirectory: (fcb) => directories.has(fcb.path),
  directoryOf: (fcb) => fcb.path,
  parentOf: (fcb) => fcb.path.slice(0, Math.max(0, fcb.path.lastIndexOf('\\'))),
  walk: (_fcb, components, count) => {
    const path = components.slice(0, count).join('\\');
    return directories.has(path) ? path : null;
  },
  isLegalComponent: isValidComponent,
  isLegalName: (name) => isValidComponent(name) && !name.endsWith(' '),
};
const source: ToyFcb = { volume: 'V', path: 'a\\file.txt' };

function resolve(fileName: unknown, targetDirectory: ToyFcb | null = null, from: ToyFcb = source) {
  const parameters: SetFileParameters = {
    length: 0,
    fileInformationClass: 10,
    fileObject: targetDirectory === null ? null : ({ fsContext: targetDirectory } as unknown as FileObject),
    replaceIfExists: false,
  };
  return resolveRenameTarget(from, { fileName }, parameters, toy);
}

test('a simple name stays in the source directory; a full path walks from the root', () => {
  assert.deepEqual(resolve('new.txt'), { status: STATUS_SUCCESS, directory: 'a', name: 'new.txt' });
  assert.deepEqual(resolve('\\a\\b\\moved.txt'), {
    status: STATUS_SUCCESS,
    directory: 'a\\b',
    name: 'moved.txt',
  });
  assert.deepEqual(resolve('\\top.txt'), { status: STATUS_SUCCESS, directory: '', name: 'top.txt' });
});

test('with a target directory open, its last component is the name and the rest is ignored', () => {
  const b: ToyFcb = { volume: 'V', path: 'a\\b' };
  assert.deepEqual(resolve('\\whatever\\there.txt', b), {
    status: STATUS_SUCCESS,
    directory: 'a\\b',
    name: 'there.txt',
  });
  assert.equal(resolve('x', { volume: 'W', path: 'a' }).status, STATUS_NOT_SAME_DEVICE);
  assert.equal(resolve('x', { volume: 'V', path: 'a\\file.txt' }).status, STATUS_OBJECT_PATH_NOT_FOUND);
  const foreign = { fsContext: null } as unknown as FileObject;
  const parameters = { length: 0, fileInformationClass: 10, fileObject: foreign, replaceIfExists: false };
  assert.equal(
    resolveRenameTarget(source, { fileName: 'x' }, parameters, toy).status,
    STATUS_INVALID_PARAMETER,
  );
});

test('the source is checked before the target, in FastFat order', () => {
  assert.equal(resolve('').status, STATUS_INVALID_PARAMETER);
  assert.equal(resolve(42).status, STATUS_INVALID_PARAMETER);
  assert.equal(resolve('x', null, { volume: 'V', path: '' }).status, STATUS_INVALID_PARAMETER);
  // A deleted source on a read-only volume: the deletion is reported first.
  const gone: ToyFcb = { volume: 'V', path: 'a\\f', deleted: true, readOnlyVolume: true };
  assert.equal(resolve('\\no\\such', null, gone).status, STATUS_DELETE_PENDING);
  const readOnly: ToyFcb = { volume: 'V', path: 'a\\f', readOnlyVolume: true };
  assert.equal(resolve('\\no\\such', null, readOnly).status, STATUS_MEDIA_WRITE_PROTECTED);
});

test('bad paths and names are refused with the status that says which part is wrong', () => {
  const cases: Array<[string, NTSTATUS]> = [
    ['\\a\\', STATUS_OBJECT_NAME_INVALID],
    ['\\a\\\\x', STATUS_OBJECT_NAME_INVALID],
    ['\\a\\b*\\x', STATUS_OBJECT_NAME_INVALID],
    ['\\missing\\x', STATUS_OBJECT_PATH_NOT_FOUND],
    ['\\a\\trailing ', STATUS_OBJECT_NAME_INVALID],
    ['trailing ', STATUS_OBJECT_NAME_INVALID],
  ];
  for (const [fileName, status] of cases) assert.equal(resolve(fileName).status, status, fileName);
});

test('an existing target needs ReplaceIfExists and may not be a directory, open or read-only', () => {
  assert.equal(renameReplaceCheck(false, false, false, false), STATUS_OBJECT_NAME_COLLISION);
  assert.equal(renameReplaceCheck(false, true, true, true), STATUS_OBJECT_NAME_COLLISION);
  assert.equal(renameReplaceCheck(true, false, false, false), STATUS_SUCCESS);
  for (const [directory, open, readOnly] of [
    [true, false, false],
    [false, true, false],
    [false, false, true],
  ])
    assert.equal(renameReplaceCheck(true, directory!, open!, readOnly!), STATUS_ACCESS_DENIED);
});
