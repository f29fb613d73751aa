import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DELETE,
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_SYSTEM,
  FILE_ATTRIBUTE_TEMPORARY,
  FILE_CREATE,
  FILE_CREATED,
  FILE_DELETE_ON_CLOSE,
  FILE_DIRECTORY_FILE,
  FILE_DOES_NOT_EXIST,
  FILE_EXISTS,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OPEN_IF,
  FILE_OPENED,
  FILE_OVERWRITE,
  FILE_OVERWRITE_IF,
  FILE_OVERWRITTEN,
  FILE_READ_ATTRIBUTES,
  FILE_READ_DATA,
  FILE_SHARE_READ,
  FILE_SUPERSEDE,
  FILE_SUPERSEDED,
  FILE_WRITE_DATA,
  type FileBasicInfo,
  FileBasicInformation,
  FileDispositionInformation,
  type FileStandardInfo,
  FileStandardInformation,
  STATUS_ACCESS_DENIED,
  STATUS_CANNOT_DELETE,
  STATUS_DELETE_PENDING,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_A_DIRECTORY,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { memfsVolume } from './setup.ts';

test('each create disposition opens, creates, overwrites or supersedes and says which', () => {
  const v = memfsVolume();
  const cases: Array<[number, boolean, number, number]> = [
    // disposition, file exists before, expected status, expected information
    [FILE_OPEN, false, STATUS_OBJECT_NAME_NOT_FOUND, 0],
    [FILE_OPEN, true, STATUS_SUCCESS, FILE_OPENED],
    [FILE_CREATE, false, STATUS_SUCCESS, FILE_CREATED],
    [FILE_CREATE, true, STATUS_OBJECT_NAME_COLLISION, 0],
    [FILE_OPEN_IF, false, STATUS_SUCCESS, FILE_CREATED],
    [FILE_OPEN_IF, true, STATUS_SUCCESS, FILE_OPENED],
    [FILE_OVERWRITE, false, STATUS_OBJECT_NAME_NOT_FOUND, 0],
    [FILE_OVERWRITE, true, STATUS_SUCCESS, FILE_OVERWRITTEN],
    [FILE_OVERWRITE_IF, false, STATUS_SUCCESS, FILE_CREATED],
    [FILE_OVERWRITE_IF, true, STATUS_SUCCESS, FILE_OVERWRITTEN],
    [FILE_SUPERSEDE, false, STATUS_SUCCESS, FILE_CREATED],
    [FILE_SUPERSEDE, true, STATUS_SUCCESS, FILE_SUPERSEDED],
  ];
  cases.forEach(([disposition, exists, status, information], i) => {
    const name = `case${i}.txt`;
    if (exists) v.writeFile(name, 'old content');
    const result = v.open(name, { disposition });
    assert.equal(result.status, status, `disposition ${disposition}, exists ${exists}`);
    assert.equal(result.information, information, `disposition ${disposition}, exists ${exists}`);
    if (result.handle !== null) v.close(result.handle);
    const overwritten =
      exists && status === STATUS_SUCCESS && disposition !== FILE_OPEN && disposition !== FILE_OPEN_IF;
    const expected =
      !exists && status !== STATUS_SUCCESS
        ? STATUS_OBJECT_NAME_NOT_FOUND
        : overwritten
          ? ''
          : exists
            ? 'old content'
            : '';
    assert.equal(v.readFile(name), expected, `content after disposition ${disposition}`);
  });
});

test("a new file gets ARCHIVE, a new directory DIRECTORY, and both get the clock's time", () => {
  const v = memfsVolume();
  const now = v.tick();
  const file = v.handle('f.txt', { disposition: FILE_CREATE });
  const basic = v.query<FileBasicInfo>(file, FileBasicInformation).info!;
  assert.equal(basic.fileAttributes, FILE_ATTRIBUTE_ARCHIVE);
  assert.deepEqual(
    [basic.creationTime, basic.lastAccessTime, basic.lastWriteTime, basic.changeTime],
    [now, now, now, now],
  );
  v.close(file);
  assert.equal(v.mkdir('d'), STATUS_SUCCESS);
  const dir = v.handle('d', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
  assert.equal(
    v.query<FileBasicInfo>(dir, FileBasicInformation).info!.fileAttributes,
    FILE_ATTRIBUTE_DIRECTORY,
  );
  v.close(dir);
});

test('requested attributes are kept, NORMAL is dropped, TEMPORARY on a directory is refused', () => {
  const v = memfsVolume();
  const h = v.handle('hidden.txt', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_HIDDEN | 0x80 });
  assert.equal(
    v.query<FileBasicInfo>(h, FileBasicInformation).info!.fileAttributes,
    FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE,
  );
  v.close(h);
  const result = v.open('tempdir', {
    disposition: FILE_CREATE,
    options: FILE_DIRECTORY_FILE,
    attributes: FILE_ATTRIBUTE_TEMPORARY,
  });
  assert.equal(result.status, STATUS_INVALID_PARAMETER);
  assert.equal(v.exists('tempdir'), false);
});

test('FILE_DIRECTORY_FILE and FILE_NON_DIRECTORY_FILE are enforced on existing objects', () => {
  const v = memfsVolume();
  v.writeFile('file', 'x');
  v.mkdir('dir');
  assert.equal(v.open('file', { options: FILE_DIRECTORY_FILE }).status, STATUS_NOT_A_DIRECTORY);
  assert.equal(v.open('dir', { options: FILE_NON_DIRECTORY_FILE }).status, STATUS_FILE_IS_A_DIRECTORY);
  assert.equal(v.open('\\??\\M:\\', { options: FILE_NON_DIRECTORY_FILE }).status, STATUS_FILE_IS_A_DIRECTORY);
});

test('a directory cannot be overwritten or superseded, and FILE_CREATE on it collides', () => {
  const v = memfsVolume();
  v.mkdir('dir');
  v.writeFile('dir\\inside', 'kept');
  for (const disposition of [FILE_OVERWRITE, FILE_OVERWRITE_IF, FILE_SUPERSEDE]) {
    assert.equal(v.open('dir', { disposition }).status, STATUS_FILE_IS_A_DIRECTORY);
  }
  assert.equal(
    v.open('dir', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE }).status,
    STATUS_OBJECT_NAME_COLLISION,
  );
  assert.equal(v.readFile('dir\\inside'), 'kept');
});

test('names are case-insensitive and case-preserving', () => {
  const v = memfsVolume();
  v.writeFile('MixedCase.TXT', 'data');
  assert.equal(v.readFile('mixedcase.txt'), 'data');
  assert.equal(v.open('MIXEDCASE.txt', { disposition: FILE_CREATE }).status, STATUS_OBJECT_NAME_COLLISION);
  assert.deepEqual(v.list('\\??\\M:\\'), ['MixedCase.TXT']);
});

test('a missing parent is STATUS_OBJECT_PATH_NOT_FOUND, a missing leaf STATUS_OBJECT_NAME_NOT_FOUND', () => {
  const v = memfsVolume();
  v.writeFile('file', 'x');
  assert.equal(v.open('nodir\\f').status, STATUS_OBJECT_PATH_NOT_FOUND);
  assert.equal(v.open('nodir\\f', { disposition: FILE_CREATE }).status, STATUS_OBJECT_PATH_NOT_FOUND);
  assert.equal(v.open('file\\below', { disposition: FILE_CREATE }).status, STATUS_OBJECT_PATH_NOT_FOUND);
  assert.equal(v.open('missing').status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.deepEqual(v.list('\\??\\M:\\'), ['file']);
});

test('a trailing backslash may only name a directory', () => {
  const v = memfsVolume();
  v.writeFile('file', 'x');
  v.mkdir('dir');
  assert.equal(v.open('file\\').status, STATUS_OBJECT_NAME_INVALID);
  assert.equal(v.open('dir\\').status, STATUS_SUCCESS);
  assert.equal(v.open('newfile\\', { disposition: FILE_CREATE }).status, STATUS_OBJECT_NAME_INVALID);
  assert.equal(
    v.open('newdir\\', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE }).status,
    STATUS_SUCCESS,
  );
  assert.equal(v.open('dir\\', { options: FILE_NON_DIRECTORY_FILE }).status, STATUS_FILE_IS_A_DIRECTORY);
  assert.deepEqual(v.list('\\??\\M:\\'), ['dir', 'file', 'newdir']);
});

test('opens relative to a directory handle resolve below it, and an empty name reopens it', () => {
  const v = memfsVolume();
  v.mkdir('dir');
  v.mkdir('dir\\sub');
  const dir = v.handle('dir', { options: FILE_DIRECTORY_FILE });
  const created = v.open('sub\\rel.txt', { root: dir, disposition: FILE_CREATE });
  assert.equal(created.status, STATUS_SUCCESS);
  v.close(created.handle!);
  assert.deepEqual(v.list('dir\\sub'), ['rel.txt']);
  const again = v.open('', { root: dir, access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
  assert.equal(again.status, STATUS_SUCCESS);
  assert.equal(v.query<FileStandardInfo>(again.handle!, FileStandardInformation).info!.directory, true);
  v.close(again.handle!);
  v.close(dir);
  const file = v.handle('dir\\sub\\rel.txt');
  assert.equal(v.open('x', { root: file, disposition: FILE_CREATE }).status, STATUS_OBJECT_PATH_NOT_FOUND);
  v.close(file);
});

test('share access is enforced between opens of one file and released at cleanup', () => {
  const v = memfsVolume();
  v.writeFile('shared', 'x');
  const reader = v.handle('shared', { access: FILE_GENERIC_READ, share: FILE_SHARE_READ });
  assert.equal(v.open('shared', { access: FILE_GENERIC_WRITE }).status, STATUS_SHARING_VIOLATION);
  assert.equal(v.open('shared', { access: FILE_GENERIC_READ, share: 0 }).status, STATUS_SHARING_VIOLATION);
  const second = v.open('shared', { access: FILE_GENERIC_READ, share: FILE_SHARE_READ });
  assert.equal(second.status, STATUS_SUCCESS);
  // Attribute-only opens never conflict.
  const attributes = v.open('shared', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE, share: 0 });
  assert.equal(attributes.status, STATUS_SUCCESS);
  v.close(attributes.handle!);
  v.close(second.handle!);
  v.close(reader);
  const writer = v.open('shared', { access: FILE_GENERIC_WRITE, share: 0 });
  assert.equal(writer.status, STATUS_SUCCESS);
  v.close(writer.handle!);
});

test('a failed overwrite because of sharing leaves the file untouched', () => {
  const v = memfsVolume();
  v.writeFile('keep', 'precious');
  const reader = v.handle('keep', { access: FILE_GENERIC_READ, share: FILE_SHARE_READ });
  assert.equal(v.open('keep', { disposition: FILE_OVERWRITE }).status, STATUS_SHARING_VIOLATION);
  v.close(reader);
  assert.equal(v.readFile('keep'), 'precious');
});

test('a read-only file refuses write access and overwrite, but opens for reading and deleting', () => {
  const v = memfsVolume();
  const h = v.handle('ro', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_READONLY });
  v.close(h);
  assert.equal(v.open('ro', { access: FILE_WRITE_DATA | SYNCHRONIZE }).status, STATUS_ACCESS_DENIED);
  assert.equal(
    v.open('ro', { access: FILE_GENERIC_READ, disposition: FILE_OVERWRITE_IF }).status,
    STATUS_ACCESS_DENIED,
  );
  const reader = v.open('ro', { access: FILE_GENERIC_READ });
  assert.equal(reader.status, STATUS_SUCCESS);
  v.close(reader.handle!);
  const deleter = v.open('ro', { access: DELETE | SYNCHRONIZE });
  assert.equal(deleter.status, STATUS_SUCCESS);
  assert.equal(
    v.set(deleter.handle!, FileDispositionInformation, { deleteFile: true }),
    STATUS_CANNOT_DELETE,
  );
  v.close(deleter.handle!);
  assert.equal(
    v.open('ro', { access: DELETE | SYNCHRONIZE, options: FILE_DELETE_ON_CLOSE }).status,
    STATUS_CANNOT_DELETE,
  );
  assert.equal(v.exists('ro'), true);
});

test('overwriting a hidden or system file needs those attributes in the request', () => {
  const v = memfsVolume();
  v.close(
    v.handle('sys', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_HIDDEN }),
  );
  assert.equal(v.open('sys', { disposition: FILE_OVERWRITE }).status, STATUS_ACCESS_DENIED);
  assert.equal(
    v.open('sys', { disposition: FILE_OVERWRITE, attributes: FILE_ATTRIBUTE_HIDDEN }).status,
    STATUS_ACCESS_DENIED,
  );
  const ok = v.open('sys', {
    disposition: FILE_OVERWRITE,
    attributes: FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_HIDDEN,
  });
  assert.equal(ok.status, STATUS_SUCCESS);
  v.close(ok.handle!);
});

test('a delete-pending file refuses new opens until its last handle goes, then is gone', () => {
  const v = memfsVolume();
  v.writeFile('doomed', 'x');
  const keeper = v.handle('doomed', { access: FILE_GENERIC_READ });
  const deleter = v.handle('doomed', { access: DELETE | SYNCHRONIZE });
  assert.equal(v.set(deleter, FileDispositionInformation, { deleteFile: true }), STATUS_SUCCESS);
  v.close(deleter);
  assert.equal(v.open('doomed').status, STATUS_DELETE_PENDING);
  assert.deepEqual(v.list('\\??\\M:\\'), ['doomed'], 'the name stays visible while a handle is open');
  v.close(keeper);
  assert.equal(v.open('doomed').status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.deepEqual(v.list('\\??\\M:\\'), []);
});

test('FILE_DELETE_ON_CLOSE deletes a file when its handle closes, but not a directory that filled up', () => {
  const v = memfsVolume();
  const temp = v.handle('temp', {
    access: READ_WRITE_DELETE,
    disposition: FILE_CREATE,
    options: FILE_DELETE_ON_CLOSE,
  });
  assert.equal(v.exists('temp'), true);
  v.close(temp);
  assert.equal(v.exists('temp'), false);
  v.mkdir('full');
  v.writeFile('full\\x', 'x');
  assert.equal(
    v.open('full', { access: DELETE | SYNCHRONIZE, options: FILE_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE })
      .status,
    STATUS_DIRECTORY_NOT_EMPTY,
  );
  const dir = v.handle('empty-later', {
    access: DELETE | SYNCHRONIZE,
    disposition: FILE_CREATE,
    options: FILE_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE,
  });
  v.writeFile('empty-later\\child', 'x');
  v.close(dir);
  assert.deepEqual(v.list('empty-later'), ['child']);
});

const READ_WRITE_DELETE = FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE;

test('no new file can appear in a delete-pending directory', () => {
  const v = memfsVolume();
  v.mkdir('dir');
  const h = v.handle('dir', { access: DELETE | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
  assert.equal(v.set(h, FileDispositionInformation, { deleteFile: true }), STATUS_SUCCESS);
  assert.equal(v.open('dir\\new', { disposition: FILE_CREATE }).status, STATUS_DELETE_PENDING);
  v.close(h);
  assert.equal(v.exists('dir'), false);
});

test('SL_OPEN_TARGET_DIRECTORY opens the parent and says whether the leaf exists', () => {
  const v = memfsVolume();
  v.mkdir('dir');
  v.writeFile('dir\\there', 'x');
  const exists = v.open('dir\\there', { access: FILE_WRITE_DATA | SYNCHRONIZE, openTargetDirectory: true });
  assert.equal(exists.status, STATUS_SUCCESS);
  assert.equal(exists.information, FILE_EXISTS);
  v.close(exists.handle!);
  const missing = v.open('dir\\absent', { access: FILE_WRITE_DATA | SYNCHRONIZE, openTargetDirectory: true });
  assert.equal(missing.information, FILE_DOES_NOT_EXIST);
  assert.equal(v.query<FileStandardInfo>(missing.handle!, FileStandardInformation).info!.directory, true);
  v.close(missing.handle!);
  assert.equal(v.open('nodir\\x', { openTargetDirectory: true }).status, STATUS_OBJECT_PATH_NOT_FOUND);
  assert.equal(v.exists('dir\\absent'), false);
});

test('opening with FILE_READ_DATA only grants what was asked', () => {
  const v = memfsVolume();
  v.writeFile('f', 'abc');
  const h = v.handle('f', { access: FILE_READ_DATA | SYNCHRONIZE });
  assert.equal(v.read(h, 3).status, STATUS_SUCCESS);
  assert.equal(v.write(h, 'x').status, STATUS_ACCESS_DENIED);
  v.close(h);
});
