import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DELETE,
  FILE_ATTRIBUTE_READONLY,
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_DISPOSITION_DELETE,
  FILE_DISPOSITION_POSIX_SEMANTICS,
  FILE_GENERIC_READ,
  FILE_READ_ATTRIBUTES,
  FILE_SHARE_READ,
  FileDispositionInformation,
  FileDispositionInformationEx,
  type FileInternalInfo,
  FileInternalInformation,
  type FileNameInfo,
  FileNameInformation,
  FileRenameInformation,
  type FileStandardInfo,
  FileStandardInformation,
  STATUS_ACCESS_DENIED,
  STATUS_CANNOT_DELETE,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_DISK_FULL,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { memfsVolume } from './setup.ts';

const ROOT = '\\??\\M:\\';

test('a file deleted through its disposition is gone once its handle closes', () => {
  const v = memfsVolume();
  v.writeFile('f', 'x');
  assert.equal(v.remove('f'), STATUS_SUCCESS);
  assert.equal(v.open('f').status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.deepEqual(v.list(ROOT), []);
});

test('clearing the disposition before closing keeps the file', () => {
  const v = memfsVolume();
  v.writeFile('f', 'kept');
  const h = v.handle('f', { access: DELETE | FILE_READ_ATTRIBUTES | SYNCHRONIZE });
  assert.equal(v.set(h, FileDispositionInformation, { deleteFile: true }), STATUS_SUCCESS);
  assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.deletePending, true);
  assert.equal(v.set(h, FileDispositionInformation, { deleteFile: false }), STATUS_SUCCESS);
  v.close(h);
  assert.equal(v.readFile('f'), 'kept');
});

test('a non-empty directory cannot be deleted; once empty it can', () => {
  const v = memfsVolume();
  v.mkdir('d');
  v.writeFile('d\\child', 'x');
  assert.equal(v.remove('d'), STATUS_DIRECTORY_NOT_EMPTY);
  assert.deepEqual(v.list('d'), ['child']);
  assert.equal(v.remove('d\\child'), STATUS_SUCCESS);
  assert.equal(v.remove('d'), STATUS_SUCCESS);
  assert.equal(v.exists('d'), false);
});

test('the root cannot be deleted and a read-only file only with IGNORE_READONLY', () => {
  const v = memfsVolume();
  const root = v.handle(ROOT, { access: DELETE | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
  assert.equal(v.set(root, FileDispositionInformation, { deleteFile: true }), STATUS_CANNOT_DELETE);
  v.close(root);
  v.close(v.handle('ro', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_READONLY }));
  const h = v.handle('ro', { access: DELETE | SYNCHRONIZE });
  assert.equal(
    v.set(h, FileDispositionInformationEx, { flags: FILE_DISPOSITION_DELETE }),
    STATUS_CANNOT_DELETE,
  );
  assert.equal(
    v.set(h, FileDispositionInformationEx, { flags: FILE_DISPOSITION_DELETE | 0x10 }),
    STATUS_SUCCESS,
  );
  v.close(h);
  assert.equal(v.exists('ro'), false);
});

test('unknown disposition flags and malformed records are refused', () => {
  const v = memfsVolume();
  v.writeFile('f', 'x');
  const h = v.handle('f', { access: DELETE | SYNCHRONIZE });
  assert.equal(v.set(h, FileDispositionInformationEx, { flags: 0x100 }), STATUS_INVALID_PARAMETER);
  assert.equal(v.set(h, FileDispositionInformationEx, { flags: -1 }), STATUS_INVALID_PARAMETER);
  assert.equal(v.set(h, FileDispositionInformation, { deleteFile: 'yes' }), STATUS_INVALID_PARAMETER);
  v.close(h);
  assert.equal(v.exists('f'), true);
});

test('a POSIX delete removes the name when its handle closes while other handles keep the data', () => {
  const v = memfsVolume();
  v.writeFile('f', 'still readable');
  const reader = v.handle('f', { access: FILE_GENERIC_READ });
  const deleter = v.handle('f', { access: DELETE | SYNCHRONIZE });
  assert.equal(
    v.set(deleter, FileDispositionInformationEx, {
      flags: FILE_DISPOSITION_DELETE | FILE_DISPOSITION_POSIX_SEMANTICS,
    }),
    STATUS_SUCCESS,
  );
  v.close(deleter);
  assert.equal(v.exists('f'), false);
  v.writeFile('f', 'a new file');
  assert.equal(new TextDecoder().decode(v.read(reader, 100).data), 'still readable');
  v.close(reader);
  assert.equal(v.readFile('f'), 'a new file');
});

test('a simple rename keeps the file, its id and its data', () => {
  const v = memfsVolume();
  v.writeFile('old.txt', 'payload');
  const h = v.handle('old.txt', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
  const id = v.query<FileInternalInfo>(h, FileInternalInformation).info!.indexNumber;
  v.close(h);
  assert.equal(v.rename('old.txt', 'new.txt'), STATUS_SUCCESS);
  assert.deepEqual(v.list(ROOT), ['new.txt']);
  const moved = v.handle('new.txt', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
  assert.equal(v.query<FileInternalInfo>(moved, FileInternalInformation).info!.indexNumber, id);
  v.close(moved);
  assert.equal(v.readFile('new.txt'), 'payload');
});

test('a rename that only changes case is allowed', () => {
  const v = memfsVolume();
  v.writeFile('readme', 'x');
  assert.equal(v.rename('readme', 'README'), STATUS_SUCCESS);
  assert.deepEqual(v.list(ROOT), ['README']);
});

test('a full-path rename moves the file into another directory, visible in its name', () => {
  const v = memfsVolume();
  v.mkdir('a');
  v.mkdir('b');
  v.writeFile('a\\f', 'moving');
  const h = v.handle('a\\f', { access: DELETE | FILE_GENERIC_READ });
  assert.equal(
    v.set(h, FileRenameInformation, {
      replaceIfExists: false,
      rootDirectory: null,
      fileName: '\\??\\M:\\b\\g',
    }),
    STATUS_SUCCESS,
  );
  assert.equal(v.query<FileNameInfo>(h, FileNameInformation).info!.fileName, '\\b\\g');
  v.close(h);
  assert.deepEqual(v.list('a'), []);
  assert.deepEqual(v.list('b'), ['g']);
  assert.equal(v.readFile('b\\g'), 'moving');
});

test('an existing target collides unless replaceIfExists, and then it is replaced', () => {
  const v = memfsVolume();
  v.writeFile('src', 'new');
  v.writeFile('dst', 'old');
  assert.equal(v.rename('src', 'dst'), STATUS_OBJECT_NAME_COLLISION);
  assert.equal(v.rename('src', 'DST'), STATUS_OBJECT_NAME_COLLISION);
  assert.deepEqual([v.readFile('src'), v.readFile('dst')], ['new', 'old']);
  assert.equal(v.rename('src', 'dst', true), STATUS_SUCCESS);
  assert.deepEqual(v.list(ROOT), ['dst']);
  assert.equal(v.readFile('dst'), 'new');
});

test('a target that is a directory, open, or read-only is not replaced', () => {
  const v = memfsVolume();
  v.writeFile('src', 'x');
  v.mkdir('dir');
  assert.equal(v.rename('src', 'dir', true), STATUS_ACCESS_DENIED);
  v.writeFile('busy', 'y');
  const busy = v.handle('busy', { access: FILE_GENERIC_READ });
  assert.equal(v.rename('src', 'busy', true), STATUS_ACCESS_DENIED);
  v.close(busy);
  v.close(v.handle('ro', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_READONLY }));
  assert.equal(v.rename('src', 'ro', true), STATUS_ACCESS_DENIED);
  assert.deepEqual(v.list(ROOT), ['busy', 'dir', 'ro', 'src']);
});

test('a directory cannot move into itself or below, and cannot move with open files inside', () => {
  const v = memfsVolume();
  v.mkdir('top');
  v.mkdir('top\\mid');
  assert.equal(v.rename('top', '\\??\\M:\\top\\mid\\x'), STATUS_INVALID_PARAMETER);
  // Into itself: the target directory is the source, open for DELETE without FILE_SHARE_DELETE
  // on the I/O manager's target open, so sharing refuses it first, as on Windows.
  assert.equal(v.rename('top', '\\??\\M:\\top\\x'), STATUS_SHARING_VIOLATION);
  v.writeFile('top\\mid\\open', 'x');
  const h = v.handle('top\\mid\\open', { access: FILE_GENERIC_READ });
  assert.equal(v.rename('top', 'renamed'), STATUS_ACCESS_DENIED);
  v.close(h);
  assert.equal(v.rename('top', 'renamed'), STATUS_SUCCESS);
  assert.equal(v.readFile('renamed\\mid\\open'), 'x');
});

test('bad new names and missing target directories leave both names as they were', () => {
  const v = memfsVolume();
  v.writeFile('f', 'x');
  for (const name of ['a*b', '..', '.', 'x'.repeat(256), 'a:b', 'with\0nul']) {
    assert.equal(v.rename('f', name), STATUS_OBJECT_NAME_INVALID, JSON.stringify(name));
  }
  assert.equal(v.rename('f', '\\??\\M:\\missing\\f'), STATUS_OBJECT_PATH_NOT_FOUND);
  assert.equal(v.rename('f', ''), STATUS_INVALID_PARAMETER);
  assert.deepEqual(v.list(ROOT), ['f']);
  assert.equal(v.readFile('f'), 'x');
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
  assert.deepEqual(v.list(ROOT), ['g']);
});

test('renaming needs the target directory to be shareable for the add', () => {
  const v = memfsVolume();
  v.mkdir('locked');
  v.writeFile('f', 'x');
  const exclusive = v.handle('locked', {
    access: FILE_GENERIC_READ,
    options: FILE_DIRECTORY_FILE,
    share: FILE_SHARE_READ,
  });
  assert.equal(v.rename('f', '\\??\\M:\\locked\\f'), STATUS_SHARING_VIOLATION);
  v.close(exclusive);
  assert.equal(v.rename('f', '\\??\\M:\\locked\\f'), STATUS_SUCCESS);
});
