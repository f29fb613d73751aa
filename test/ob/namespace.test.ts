import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NtClose, NtCreateFile } from '../../src/api/index.ts';
import {
  FILE_OPEN,
  FILE_READ_ATTRIBUTES,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_OBJECT_PATH_SYNTAX_BAD,
  STATUS_SUCCESS,
} from '../../src/base/index.ts';
import { KernelObject, MAX_NAME_LENGTH, ObjectNamespace, type ParseContext } from '../../src/ob/index.ts';
import { toySystem } from '../support/conformance.ts';

const LOOKUP: ParseContext = { isOpen: false };

/** A plain named object with no parse procedure. */
class Thing extends KernelObject {
  readonly type = { name: 'Thing' };
}

function namespace() {
  const ob = new ObjectNamespace();
  ob.createDirectory('\\Device');
  const device = new Thing();
  assert.equal(ob.insertObject('\\Device\\Thing', device), STATUS_SUCCESS);
  return { ob, device };
}

function status(ob: ObjectNamespace, name: string): number {
  const result = ob.lookup(name, LOOKUP);
  assert.ok(!(result instanceof Promise));
  return result.status;
}

test('an empty or relative name is STATUS_OBJECT_PATH_SYNTAX_BAD', () => {
  const { ob } = namespace();
  assert.equal(status(ob, ''), STATUS_OBJECT_PATH_SYNTAX_BAD);
  assert.equal(status(ob, 'Device\\Thing'), STATUS_OBJECT_PATH_SYNTAX_BAD);
});

test('a name longer than a UNICODE_STRING can hold is STATUS_OBJECT_NAME_INVALID; at the limit it is looked up', () => {
  const { ob } = namespace();
  const at = `\\Device\\${'x'.repeat(MAX_NAME_LENGTH - '\\Device\\'.length)}`;
  assert.equal(at.length, MAX_NAME_LENGTH);
  assert.equal(status(ob, at), STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(status(ob, `${at}x`), STATUS_OBJECT_NAME_INVALID);
});

test('a NUL anywhere in a name is STATUS_OBJECT_NAME_INVALID', () => {
  const { ob } = namespace();
  assert.equal(status(ob, '\\Device\\Thing\0'), STATUS_OBJECT_NAME_INVALID);
  assert.equal(status(ob, '\\Dev\0ice\\Thing'), STATUS_OBJECT_NAME_INVALID);
});

test('an empty inner component is STATUS_OBJECT_NAME_INVALID; a trailing backslash names the directory itself', () => {
  const { ob } = namespace();
  assert.equal(status(ob, '\\Device\\\\Thing'), STATUS_OBJECT_NAME_INVALID);
  assert.equal(status(ob, '\\Device\\'), STATUS_SUCCESS);
});

test('".." means nothing to the object manager: it is a name like any other, and not there', () => {
  const { ob } = namespace();
  assert.equal(status(ob, '\\Device\\..\\Device\\Thing'), STATUS_OBJECT_PATH_NOT_FOUND);
  assert.equal(status(ob, '\\Device\\..'), STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(status(ob, '\\Device\\.'), STATUS_OBJECT_NAME_NOT_FOUND);
});

test('a loop of symbolic links ends with STATUS_OBJECT_NAME_NOT_FOUND after a bounded number of reparses', () => {
  const { ob } = namespace();
  ob.createDirectory('\\??');
  ob.createSymbolicLink('\\??\\A:', '\\??\\B:');
  ob.createSymbolicLink('\\??\\B:', '\\??\\A:');
  assert.equal(status(ob, '\\??\\A:\\file'), STATUS_OBJECT_NAME_NOT_FOUND);
  ob.createSymbolicLink('\\??\\T:', '\\Device\\Thing');
  assert.equal(status(ob, '\\??\\T:'), STATUS_SUCCESS);
});

test('names compare case-insensitively and keep the case they were created with', () => {
  const { ob, device } = namespace();
  const result = ob.lookup('\\DEVICE\\thing', LOOKUP);
  assert.ok(!(result instanceof Promise));
  assert.equal(result.object, device);
  assert.equal(device.objectName, 'Thing');
});

test('through NtCreateFile, bad object names reach no driver, take no reference, and the next open works', () => {
  const { system, process, log, disk } = toySystem();
  const storage = disk();
  const open = (objectName: unknown) =>
    NtCreateFile(system, process, {
      objectName: objectName as string,
      desiredAccess: FILE_READ_ATTRIBUTES,
      createDisposition: FILE_OPEN,
    });
  for (const [name, expected] of [
    ['', STATUS_OBJECT_PATH_SYNTAX_BAD],
    ['Device\\Disk0', STATUS_OBJECT_PATH_SYNTAX_BAD],
    [`\\Device\\${'d'.repeat(MAX_NAME_LENGTH)}`, STATUS_OBJECT_NAME_INVALID],
    ['\\Device\\Disk\u00000', STATUS_OBJECT_NAME_INVALID],
    ['\\Device\\\\Disk0', STATUS_OBJECT_NAME_INVALID],
    ['\\Device\\..\\Device\\Disk0', STATUS_OBJECT_PATH_NOT_FOUND],
    ['\\??\\Nowhere\\file', STATUS_OBJECT_PATH_NOT_FOUND],
    [42, STATUS_OBJECT_NAME_INVALID],
  ] as const) {
    const result = open(name);
    assert.ok(!(result instanceof Promise));
    assert.deepEqual([result.status, result.handle], [expected, null], JSON.stringify(name).slice(0, 40));
  }
  assert.deepEqual(log, []);
  assert.deepEqual([process.handleTable.count, storage.referenceCount], [0, 0]);
  const good = open(storage.deviceName);
  assert.ok(!(good instanceof Promise));
  assert.equal(good.status, STATUS_SUCCESS);
  assert.equal(NtClose(process, good.handle!), STATUS_SUCCESS);
});
