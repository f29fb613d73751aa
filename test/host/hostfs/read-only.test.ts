import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import {
  DELETE,
  FILE_APPEND_DATA,
  FILE_CREATE,
  FILE_DELETE_ON_CLOSE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_LIST_DIRECTORY,
  FILE_OPEN,
  FILE_OPEN_IF,
  FILE_OVERWRITE,
  FILE_OVERWRITE_IF,
  FILE_READ_ATTRIBUTES,
  FILE_READ_ONLY_DEVICE,
  FILE_READ_ONLY_VOLUME,
  FILE_SUPERSEDE,
  FILE_WRITE_ATTRIBUTES,
  FILE_WRITE_DATA,
  FILE_WRITE_EA,
  type FileFsAttributeInfo,
  FileFsAttributeInformation,
  type FileFsDeviceInfo,
  FileFsDeviceInformation,
  STATUS_ACCESS_DENIED,
  STATUS_SUCCESS,
  SYNCHRONIZE,
  statusName,
  WRITE_DAC,
  WRITE_OWNER,
} from '../../../src/base/index.ts';
import { snapshotTree, withShare } from './setup.ts';

function populate(share: string): void {
  fs.writeFileSync(`${share}/file.txt`, 'read me');
  fs.mkdirSync(`${share}/dir`);
  fs.writeFileSync(`${share}/dir/inner`, 'inner');
}

test('a read-only share refuses every write path and the host tree stays as it was', () => {
  withShare({ readOnly: true, populate }, (v) => {
    const before = snapshotTree(v.shareDir);
    const refused: Array<[string, string, { access?: number; disposition?: number; options?: number }]> = [
      ['a new file', 'new.txt', { access: FILE_GENERIC_READ, disposition: FILE_CREATE }],
      ['a new file, open-if', 'new.txt', { access: FILE_GENERIC_READ, disposition: FILE_OPEN_IF }],
      [
        'a new directory',
        'newdir',
        { access: FILE_LIST_DIRECTORY | SYNCHRONIZE, disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE },
      ],
      ['an overwrite', 'file.txt', { access: FILE_GENERIC_READ, disposition: FILE_OVERWRITE }],
      ['an overwrite-if', 'file.txt', { access: FILE_GENERIC_READ, disposition: FILE_OVERWRITE_IF }],
      ['a supersede', 'file.txt', { access: FILE_GENERIC_READ, disposition: FILE_SUPERSEDE }],
      ['write access', 'file.txt', { access: FILE_GENERIC_WRITE }],
      ['write data', 'file.txt', { access: FILE_WRITE_DATA | SYNCHRONIZE }],
      ['append data', 'file.txt', { access: FILE_APPEND_DATA | SYNCHRONIZE }],
      ['write attributes', 'file.txt', { access: FILE_WRITE_ATTRIBUTES | SYNCHRONIZE }],
      ['write extended attributes', 'file.txt', { access: FILE_WRITE_EA | SYNCHRONIZE }],
      ['delete access', 'file.txt', { access: DELETE | SYNCHRONIZE }],
      ['delete on close', 'file.txt', { access: DELETE | FILE_GENERIC_READ, options: FILE_DELETE_ON_CLOSE }],
      ['security changes', 'file.txt', { access: WRITE_DAC | WRITE_OWNER | SYNCHRONIZE }],
      [
        'adding to a directory',
        'dir',
        { access: FILE_WRITE_DATA | SYNCHRONIZE, options: FILE_DIRECTORY_FILE },
      ],
      ['deleting a directory', 'dir', { access: DELETE | SYNCHRONIZE, options: FILE_DIRECTORY_FILE }],
    ];
    for (const [what, name, o] of refused) {
      const result = v.open(name, { disposition: FILE_OPEN, ...o });
      assert.equal(statusName(result.status), statusName(STATUS_ACCESS_DENIED), what);
    }
    assert.equal(v.rename('file.txt', 'renamed.txt'), STATUS_ACCESS_DENIED);
    assert.equal(v.remove('file.txt'), STATUS_ACCESS_DENIED);
    assert.equal(v.tryWriteFile('file.txt', 'x'), STATUS_ACCESS_DENIED);
    assert.deepEqual(snapshotTree(v.shareDir), before);
  });
});

test('a read-only share still reads, lists and says it is read-only', () => {
  withShare({ readOnly: true, populate }, (v) => {
    assert.equal(v.readFile('file.txt'), 'read me');
    assert.equal(v.readFile('DIR\\INNER'), 'inner');
    assert.deepEqual(v.list(''), ['dir', 'file.txt']);
    const opened = v.open('file.txt', { access: FILE_GENERIC_READ, disposition: FILE_OPEN_IF });
    assert.equal(opened.status, STATUS_SUCCESS, 'open-if of an existing file only reads');
    v.close(opened.handle!);
    const h = v.handle('', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
    const attributes = v.queryVolume<FileFsAttributeInfo>(h, FileFsAttributeInformation).info!;
    assert.notEqual(attributes.fileSystemAttributes & FILE_READ_ONLY_VOLUME, 0);
    const device = v.queryVolume<FileFsDeviceInfo>(h, FileFsDeviceInformation).info!;
    assert.notEqual(device.characteristics & FILE_READ_ONLY_DEVICE, 0);
    v.close(h);
  });
});
