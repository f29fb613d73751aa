/**
 * Behaviour cases for NtCreateFile on every file system: dispositions and what they report,
 * directory and non-directory options, attributes a create gives, names (case, missing parents,
 * trailing backslashes, relative opens), share access, read-only and hidden files,
 * SL_OPEN_TARGET_DIRECTORY, and the access a handle is granted.
 */
import assert from 'node:assert/strict';
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
import { type BehaviourCase, byUpcasedName, ROOT } from './fixture.ts';
import { expectedTimes } from './times.ts';

const ATTRIBUTES_ONLY = FILE_READ_ATTRIBUTES | SYNCHRONIZE;

export const CREATE_CASES: BehaviourCase[] = [
  {
    name: 'each create disposition opens, creates, overwrites or supersedes and says which',
    run(v) {
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
        const what = `disposition ${disposition}, exists ${exists}`;
        if (exists) v.writeFile(name, 'old content');
        const result = v.open(name, { disposition });
        assert.equal(result.status, status, what);
        assert.equal(result.information, information, what);
        if (result.handle !== null) v.close(result.handle);
        const kept = exists && (disposition === FILE_OPEN || disposition === FILE_OPEN_IF || !result.handle);
        const expected =
          !exists && status !== STATUS_SUCCESS ? STATUS_OBJECT_NAME_NOT_FOUND : kept ? 'old content' : '';
        assert.equal(v.readFile(name), expected, `content after ${what}`);
      });
    },
  },
  {
    name: "a new file gets ARCHIVE and the requested attributes but not NORMAL, a new directory DIRECTORY, both the clock's time",
    run(v, caps) {
      const now = v.tick();
      const file = v.handle('f.txt', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_HIDDEN | 0x80 });
      const basic = v.query<FileBasicInfo>(file, FileBasicInformation).info!;
      // HostFS keeps no HIDDEN: it follows a leading dot (deviations: HostFS attributes).
      const hidden = caps.storedAttributes ? FILE_ATTRIBUTE_HIDDEN : 0;
      assert.equal(basic.fileAttributes, hidden | FILE_ATTRIBUTE_ARCHIVE);
      const times = expectedTimes(caps, now);
      if (times !== null)
        assert.deepEqual(
          [basic.creationTime, basic.lastAccessTime, basic.lastWriteTime, basic.changeTime],
          [times.creation, times.lastAccess, times.lastWrite, times.change],
        );
      v.close(file);
      assert.equal(v.mkdir('d'), STATUS_SUCCESS);
      const dir = v.handle('d', { access: ATTRIBUTES_ONLY });
      assert.equal(
        v.query<FileBasicInfo>(dir, FileBasicInformation).info!.fileAttributes,
        FILE_ATTRIBUTE_DIRECTORY,
      );
      v.close(dir);
    },
  },
  {
    name: 'TEMPORARY on a new directory is refused and creates nothing',
    run(v) {
      const temp = v.open('tempdir', {
        disposition: FILE_CREATE,
        options: FILE_DIRECTORY_FILE,
        attributes: FILE_ATTRIBUTE_TEMPORARY,
      });
      assert.equal(temp.status, STATUS_INVALID_PARAMETER);
      assert.equal(v.exists('tempdir'), false);
    },
  },
  {
    name: 'FILE_DIRECTORY_FILE and FILE_NON_DIRECTORY_FILE are enforced on existing objects',
    tree: { file: 'x', dir: null },
    reads: true,
    run(v) {
      assert.equal(
        v.open('file', { access: FILE_GENERIC_READ, options: FILE_DIRECTORY_FILE }).status,
        STATUS_NOT_A_DIRECTORY,
      );
      assert.equal(
        v.open('dir', { access: FILE_GENERIC_READ, options: FILE_NON_DIRECTORY_FILE }).status,
        STATUS_FILE_IS_A_DIRECTORY,
      );
      assert.equal(
        v.open(ROOT, { access: FILE_GENERIC_READ, options: FILE_NON_DIRECTORY_FILE }).status,
        STATUS_FILE_IS_A_DIRECTORY,
      );
    },
  },
  {
    name: 'a directory cannot be overwritten or superseded, and FILE_CREATE on it collides',
    tree: { dir: null, 'dir/inside': 'kept' },
    run(v) {
      for (const disposition of [FILE_OVERWRITE, FILE_OVERWRITE_IF, FILE_SUPERSEDE])
        assert.equal(v.open('dir', { disposition }).status, STATUS_FILE_IS_A_DIRECTORY);
      assert.equal(
        v.open('dir', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE }).status,
        STATUS_OBJECT_NAME_COLLISION,
      );
      assert.equal(v.readFile('dir\\inside'), 'kept');
    },
  },
  {
    name: 'names are case-insensitive and case-preserving',
    tree: { 'MixedCase.TXT': 'data' },
    reads: true,
    run(v) {
      assert.equal(v.readFile('mixedcase.txt'), 'data');
      assert.equal(v.readFile('MIXEDCASE.txt'), 'data');
      assert.deepEqual(v.list(ROOT), ['MixedCase.TXT']);
    },
  },
  {
    name: 'creating a name that exists in another case collides',
    tree: { 'MixedCase.TXT': 'data' },
    run(v) {
      assert.equal(
        v.open('MIXEDCASE.txt', { disposition: FILE_CREATE }).status,
        STATUS_OBJECT_NAME_COLLISION,
      );
      assert.deepEqual(v.list(ROOT), ['MixedCase.TXT']);
    },
  },
  {
    name: 'a missing parent is STATUS_OBJECT_PATH_NOT_FOUND, a missing leaf STATUS_OBJECT_NAME_NOT_FOUND',
    tree: { file: 'x' },
    reads: true,
    run(v) {
      assert.equal(v.open('nodir\\f', { access: FILE_GENERIC_READ }).status, STATUS_OBJECT_PATH_NOT_FOUND);
      assert.equal(v.open('file\\below', { access: FILE_GENERIC_READ }).status, STATUS_OBJECT_PATH_NOT_FOUND);
      assert.equal(v.open('missing', { access: FILE_GENERIC_READ }).status, STATUS_OBJECT_NAME_NOT_FOUND);
      assert.deepEqual(v.list(ROOT), ['file']);
    },
  },
  {
    name: 'a create below a missing directory or below a file is STATUS_OBJECT_PATH_NOT_FOUND',
    tree: { file: 'x' },
    run(v) {
      assert.equal(v.open('nodir\\f', { disposition: FILE_CREATE }).status, STATUS_OBJECT_PATH_NOT_FOUND);
      assert.equal(v.open('file\\below', { disposition: FILE_CREATE }).status, STATUS_OBJECT_PATH_NOT_FOUND);
      assert.deepEqual(v.list(ROOT), ['file']);
    },
  },
  {
    name: 'a trailing backslash may only name a directory',
    tree: { file: 'x', dir: null },
    reads: true,
    run(v, caps) {
      const read = { access: FILE_GENERIC_READ };
      // CDFS answers as its CdCommonCreate does, STATUS_NOT_A_DIRECTORY (docs/drivers.md, CDFS).
      assert.equal(v.open('file\\', read).status, caps.trailingBackslashOnFile);
      const dir = v.open('dir\\', read);
      assert.equal(dir.status, STATUS_SUCCESS);
      v.close(dir.handle!);
      assert.equal(
        v.open('dir\\', { ...read, options: FILE_NON_DIRECTORY_FILE }).status,
        STATUS_FILE_IS_A_DIRECTORY,
      );
    },
  },
  {
    name: 'a create with a trailing backslash makes a directory, never a file',
    tree: { file: 'x', dir: null },
    run(v) {
      assert.equal(v.open('newfile\\', { disposition: FILE_CREATE }).status, STATUS_OBJECT_NAME_INVALID);
      const created = v.open('newdir\\', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE });
      assert.equal(created.status, STATUS_SUCCESS);
      v.close(created.handle!);
      assert.deepEqual(byUpcasedName(v.list(ROOT)), ['dir', 'file', 'newdir']);
    },
  },
  {
    name: 'opens relative to a directory handle resolve below it, and an empty name reopens it',
    tree: { dir: null, 'dir/sub': null, 'dir/sub/rel.txt': 'below' },
    reads: true,
    run(v) {
      const read = { access: FILE_GENERIC_READ };
      const dir = v.handle('dir', { ...read, options: FILE_DIRECTORY_FILE });
      const below = v.open('sub\\rel.txt', { ...read, root: dir });
      assert.equal(below.status, STATUS_SUCCESS);
      assert.equal(new TextDecoder().decode(v.read(below.handle!, 10).data), 'below');
      v.close(below.handle!);
      const again = v.open('', { root: dir, access: ATTRIBUTES_ONLY });
      assert.equal(again.status, STATUS_SUCCESS);
      assert.equal(v.query<FileStandardInfo>(again.handle!, FileStandardInformation).info!.directory, true);
      v.close(again.handle!);
      v.close(dir);
      const file = v.handle('dir\\sub\\rel.txt', read);
      assert.equal(v.open('x', { ...read, root: file }).status, STATUS_OBJECT_PATH_NOT_FOUND);
      v.close(file);
    },
  },
  {
    name: 'a create relative to a directory handle lands below it; below a file handle it is refused',
    tree: { dir: null, 'dir/sub': null },
    run(v) {
      const dir = v.handle('dir', { options: FILE_DIRECTORY_FILE });
      const created = v.open('sub\\rel.txt', { root: dir, disposition: FILE_CREATE });
      assert.equal(created.status, STATUS_SUCCESS);
      v.close(created.handle!);
      v.close(dir);
      assert.deepEqual(v.list('dir\\sub'), ['rel.txt']);
      const file = v.handle('dir\\sub\\rel.txt');
      assert.equal(
        v.open('x', { root: file, disposition: FILE_CREATE }).status,
        STATUS_OBJECT_PATH_NOT_FOUND,
      );
      v.close(file);
    },
  },
  {
    name: 'share access between readers is enforced and released at cleanup; attribute opens never conflict',
    tree: { shared: 'x' },
    reads: true,
    run(v) {
      const reader = v.handle('shared', { access: FILE_GENERIC_READ, share: FILE_SHARE_READ });
      assert.equal(
        v.open('shared', { access: FILE_GENERIC_READ, share: 0 }).status,
        STATUS_SHARING_VIOLATION,
      );
      const second = v.open('shared', { access: FILE_GENERIC_READ, share: FILE_SHARE_READ });
      assert.equal(second.status, STATUS_SUCCESS);
      const attributes = v.open('shared', { access: ATTRIBUTES_ONLY, share: 0 });
      assert.equal(attributes.status, STATUS_SUCCESS);
      v.close(attributes.handle!);
      v.close(second.handle!);
      v.close(reader);
      const exclusive = v.open('shared', { access: FILE_GENERIC_READ, share: 0 });
      assert.equal(exclusive.status, STATUS_SUCCESS);
      v.close(exclusive.handle!);
    },
  },
  {
    name: 'a writer is refused while a reader shares only reading, and the refused overwrite changes nothing',
    tree: { shared: 'precious' },
    run(v) {
      const reader = v.handle('shared', { access: FILE_GENERIC_READ, share: FILE_SHARE_READ });
      assert.equal(v.open('shared', { access: FILE_GENERIC_WRITE }).status, STATUS_SHARING_VIOLATION);
      assert.equal(v.open('shared', { disposition: FILE_OVERWRITE }).status, STATUS_SHARING_VIOLATION);
      v.close(reader);
      assert.equal(v.readFile('shared'), 'precious');
      const writer = v.open('shared', { access: FILE_GENERIC_WRITE, share: 0 });
      assert.equal(writer.status, STATUS_SUCCESS);
      v.close(writer.handle!);
    },
  },
  {
    name: 'a read-only file refuses write access and overwrite, opens for reading and deleting, and cannot be deleted',
    run(v) {
      v.close(v.handle('ro', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_READONLY }));
      assert.equal(v.open('ro', { access: FILE_WRITE_DATA | SYNCHRONIZE }).status, STATUS_ACCESS_DENIED);
      assert.equal(
        v.open('ro', { access: FILE_GENERIC_READ, disposition: FILE_OVERWRITE_IF }).status,
        STATUS_ACCESS_DENIED,
      );
      v.close(v.handle('ro', { access: FILE_GENERIC_READ }));
      const deleter = v.handle('ro', { access: DELETE | SYNCHRONIZE });
      assert.equal(v.set(deleter, FileDispositionInformation, { deleteFile: true }), STATUS_CANNOT_DELETE);
      v.close(deleter);
      assert.equal(
        v.open('ro', { access: DELETE | SYNCHRONIZE, options: FILE_DELETE_ON_CLOSE }).status,
        STATUS_CANNOT_DELETE,
      );
      assert.equal(v.exists('ro'), true);
    },
  },
  {
    name: 'overwriting a hidden or system file needs those attributes in the request',
    run(v, caps) {
      const both = FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_HIDDEN;
      v.close(v.handle('sys', { disposition: FILE_CREATE, attributes: both }));
      const plain = v.open('sys', { disposition: FILE_OVERWRITE });
      if (!caps.storedAttributes) {
        // Nothing was stored to protect (deviations: HostFS attributes).
        assert.equal(plain.status, STATUS_SUCCESS);
        v.close(plain.handle!);
        return;
      }
      assert.equal(plain.status, STATUS_ACCESS_DENIED);
      assert.equal(
        v.open('sys', { disposition: FILE_OVERWRITE, attributes: FILE_ATTRIBUTE_HIDDEN }).status,
        STATUS_ACCESS_DENIED,
      );
      const ok = v.open('sys', { disposition: FILE_OVERWRITE, attributes: both });
      assert.equal(ok.status, STATUS_SUCCESS);
      v.close(ok.handle!);
    },
  },
  {
    name: 'SL_OPEN_TARGET_DIRECTORY opens the parent and says whether the leaf exists',
    tree: { dir: null, 'dir/there': 'x' },
    run(v) {
      const target = { access: FILE_WRITE_DATA | SYNCHRONIZE, openTargetDirectory: true };
      const exists = v.open('dir\\there', target);
      assert.equal(exists.status, STATUS_SUCCESS);
      assert.equal(exists.information, FILE_EXISTS);
      v.close(exists.handle!);
      const missing = v.open('dir\\absent', target);
      assert.equal(missing.information, FILE_DOES_NOT_EXIST);
      assert.equal(v.query<FileStandardInfo>(missing.handle!, FileStandardInformation).info!.directory, true);
      v.close(missing.handle!);
      assert.equal(v.open('nodir\\x', target).status, STATUS_OBJECT_PATH_NOT_FOUND);
      assert.equal(v.exists('dir\\absent'), false);
    },
  },
  {
    name: 'a handle opened for FILE_READ_DATA reads and is refused writing',
    tree: { f: 'abc' },
    reads: true,
    run(v) {
      const h = v.handle('f', { access: FILE_READ_DATA | SYNCHRONIZE });
      assert.equal(v.read(h, 3).status, STATUS_SUCCESS);
      assert.equal(v.write(h, 'x').status, STATUS_ACCESS_DENIED);
      v.close(h);
      assert.equal(v.readFile('f'), 'abc');
    },
  },
];
