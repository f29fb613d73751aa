/**
 * Behaviour cases for deleting (FileDispositionInformation, its Ex form with POSIX semantics,
 * FILE_DELETE_ON_CLOSE) and renaming (FileRenameInformation) on every file system: when a delete
 * takes effect, what a delete-pending file or directory refuses, what cannot be deleted, collisions
 * and replacement, moves across directories, and the names and sharing a rename is refused for,
 * always leaving both names as they were.
 */
import assert from 'node:assert/strict';
import {
  DELETE,
  FILE_ATTRIBUTE_READONLY,
  FILE_CREATE,
  FILE_DELETE_ON_CLOSE,
  FILE_DIRECTORY_FILE,
  FILE_DISPOSITION_DELETE,
  FILE_DISPOSITION_POSIX_SEMANTICS,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
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
  STATUS_DELETE_PENDING,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { type BehaviourCase, byUpcasedName, ROOT } from './fixture.ts';

/** FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE. */
const IGNORE_READONLY = 0x10;

export const RENAME_DELETE_CASES: BehaviourCase[] = [
  {
    name: 'a delete-pending file refuses new opens until its last handle goes, then is gone',
    tree: { doomed: 'x' },
    run(v) {
      const keeper = v.handle('doomed', { access: FILE_GENERIC_READ });
      const deleter = v.handle('doomed', { access: DELETE | SYNCHRONIZE });
      assert.equal(v.set(deleter, FileDispositionInformation, { deleteFile: true }), STATUS_SUCCESS);
      v.close(deleter);
      assert.equal(v.open('doomed').status, STATUS_DELETE_PENDING);
      assert.deepEqual(v.list(ROOT), ['doomed'], 'the name stays visible while a handle is open');
      v.close(keeper);
      assert.equal(v.open('doomed').status, STATUS_OBJECT_NAME_NOT_FOUND);
      assert.deepEqual(v.list(ROOT), []);
    },
  },
  {
    name: 'FILE_DELETE_ON_CLOSE deletes a file when its handle closes, but not a directory that filled up',
    tree: { full: null, 'full/x': 'x' },
    run(v) {
      const temp = v.handle('temp', {
        access: FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE,
        disposition: FILE_CREATE,
        options: FILE_DELETE_ON_CLOSE,
      });
      assert.equal(v.exists('temp'), true);
      v.close(temp);
      assert.equal(v.exists('temp'), false);
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
    },
  },
  {
    name: 'no new file can appear in a delete-pending directory',
    tree: { dir: null },
    run(v) {
      const h = v.handle('dir', { access: DELETE | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
      assert.equal(v.set(h, FileDispositionInformation, { deleteFile: true }), STATUS_SUCCESS);
      assert.equal(v.open('dir\\new', { disposition: FILE_CREATE }).status, STATUS_DELETE_PENDING);
      v.close(h);
      assert.equal(v.exists('dir'), false);
    },
  },
  {
    name: 'a file deleted through its disposition is gone once its handle closes',
    tree: { f: 'x' },
    run(v) {
      assert.equal(v.remove('f'), STATUS_SUCCESS);
      assert.equal(v.open('f').status, STATUS_OBJECT_NAME_NOT_FOUND);
      assert.deepEqual(v.list(ROOT), []);
    },
  },
  {
    name: 'clearing the disposition before closing keeps the file',
    tree: { f: 'kept' },
    run(v) {
      const h = v.handle('f', { access: DELETE | FILE_READ_ATTRIBUTES | SYNCHRONIZE });
      assert.equal(v.set(h, FileDispositionInformation, { deleteFile: true }), STATUS_SUCCESS);
      assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.deletePending, true);
      assert.equal(v.set(h, FileDispositionInformation, { deleteFile: false }), STATUS_SUCCESS);
      v.close(h);
      assert.equal(v.readFile('f'), 'kept');
    },
  },
  {
    name: 'a non-empty directory cannot be deleted; once empty it can',
    tree: { d: null, 'd/child': 'x' },
    run(v) {
      assert.equal(v.remove('d'), STATUS_DIRECTORY_NOT_EMPTY);
      assert.deepEqual(v.list('d'), ['child']);
      assert.equal(v.remove('d\\child'), STATUS_SUCCESS);
      assert.equal(v.remove('d'), STATUS_SUCCESS);
      assert.equal(v.exists('d'), false);
    },
  },
  {
    name: 'the root cannot be deleted and a read-only file only with IGNORE_READONLY',
    run(v) {
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
        v.set(h, FileDispositionInformationEx, { flags: FILE_DISPOSITION_DELETE | IGNORE_READONLY }),
        STATUS_SUCCESS,
      );
      v.close(h);
      assert.equal(v.exists('ro'), false);
    },
  },
  {
    name: 'unknown disposition flags and malformed records are refused',
    tree: { f: 'x' },
    run(v) {
      const h = v.handle('f', { access: DELETE | SYNCHRONIZE });
      assert.equal(v.set(h, FileDispositionInformationEx, { flags: 0x100 }), STATUS_INVALID_PARAMETER);
      assert.equal(v.set(h, FileDispositionInformationEx, { flags: -1 }), STATUS_INVALID_PARAMETER);
      assert.equal(v.set(h, FileDispositionInformation, { deleteFile: 'yes' }), STATUS_INVALID_PARAMETER);
      v.close(h);
      assert.equal(v.exists('f'), true);
    },
  },
  {
    name: 'a POSIX delete removes the name when its handle closes while other handles keep the data',
    tree: { f: 'still readable' },
    run(v) {
      const reader = v.handle('f', { access: FILE_GENERIC_READ });
      const deleter = v.handle('f', { access: DELETE | SYNCHRONIZE });
      const flags = FILE_DISPOSITION_DELETE | FILE_DISPOSITION_POSIX_SEMANTICS;
      assert.equal(v.set(deleter, FileDispositionInformationEx, { flags }), STATUS_SUCCESS);
      v.close(deleter);
      assert.equal(v.exists('f'), false);
      v.writeFile('f', 'a new file');
      assert.equal(new TextDecoder().decode(v.read(reader, 100).data), 'still readable');
      v.close(reader);
      assert.equal(v.readFile('f'), 'a new file');
    },
  },
  {
    name: 'a simple rename keeps the file and its data, and its index number where the index is not a place',
    tree: { 'old.txt': 'payload' },
    run(v, caps) {
      const indexOf = (path: string): number => {
        const h = v.handle(path, { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
        const id = v.query<FileInternalInfo>(h, FileInternalInformation).info!.indexNumber;
        v.close(h);
        return id;
      };
      const id = indexOf('old.txt');
      assert.equal(v.rename('old.txt', 'new.txt'), STATUS_SUCCESS);
      assert.deepEqual(v.list(ROOT), ['new.txt']);
      // FAT's index number is the directory entry's place (docs/deviations.md, Crypt's keystream).
      if (caps.renameKeepsIndexNumber) assert.equal(indexOf('new.txt'), id);
      assert.equal(v.readFile('new.txt'), 'payload');
    },
  },
  {
    name: 'a rename that only changes case is allowed',
    tree: { readme: 'x' },
    run(v) {
      assert.equal(v.rename('readme', 'README'), STATUS_SUCCESS);
      assert.deepEqual(v.list(ROOT), ['README']);
      assert.equal(v.readFile('readme'), 'x');
    },
  },
  {
    name: 'a full-path rename moves the file into another directory, visible in its name',
    tree: { a: null, b: null, 'a/f': 'moving' },
    run(v, caps) {
      const h = v.handle('a\\f', { access: DELETE | FILE_GENERIC_READ });
      const target = { replaceIfExists: false, rootDirectory: null, fileName: `${ROOT}b\\g` };
      assert.equal(v.set(h, FileRenameInformation, target), STATUS_SUCCESS);
      assert.equal(v.query<FileNameInfo>(h, FileNameInformation).info!.fileName, `${caps.namePrefix}\\b\\g`);
      v.close(h);
      assert.deepEqual(v.list('a'), []);
      assert.deepEqual(v.list('b'), ['g']);
      assert.equal(v.readFile('b\\g'), 'moving');
    },
  },
  {
    name: 'an existing target collides unless replaceIfExists, and then it is replaced',
    tree: { src: 'new', dst: 'old' },
    run(v) {
      assert.equal(v.rename('src', 'dst'), STATUS_OBJECT_NAME_COLLISION);
      assert.equal(v.rename('src', 'DST'), STATUS_OBJECT_NAME_COLLISION);
      assert.deepEqual([v.readFile('src'), v.readFile('dst')], ['new', 'old']);
      assert.equal(v.rename('src', 'dst', true), STATUS_SUCCESS);
      assert.deepEqual(v.list(ROOT), ['dst']);
      assert.equal(v.readFile('dst'), 'new');
    },
  },
  {
    name: 'a target that is a directory, open, or read-only is not replaced',
    tree: { src: 'x', dir: null, busy: 'y' },
    run(v) {
      assert.equal(v.rename('src', 'dir', true), STATUS_ACCESS_DENIED);
      const busy = v.handle('busy', { access: FILE_GENERIC_READ });
      assert.equal(v.rename('src', 'busy', true), STATUS_ACCESS_DENIED);
      v.close(busy);
      v.close(v.handle('ro', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_READONLY }));
      assert.equal(v.rename('src', 'ro', true), STATUS_ACCESS_DENIED);
      assert.deepEqual(byUpcasedName(v.list(ROOT)), ['busy', 'dir', 'ro', 'src']);
      assert.deepEqual([v.readFile('src'), v.readFile('busy')], ['x', 'y']);
    },
  },
  {
    name: 'a directory cannot move into itself or below, and cannot move with open files inside',
    tree: { top: null, 'top/mid': null, 'top/mid/open': 'x' },
    run(v) {
      assert.equal(v.rename('top', `${ROOT}top\\mid\\x`), STATUS_INVALID_PARAMETER);
      // Into itself: the target directory is the source, open for DELETE without FILE_SHARE_DELETE
      // on the I/O manager's target open, so sharing refuses it first, as on Windows.
      assert.equal(v.rename('top', `${ROOT}top\\x`), STATUS_SHARING_VIOLATION);
      const h = v.handle('top\\mid\\open', { access: FILE_GENERIC_READ });
      assert.equal(v.rename('top', 'renamed'), STATUS_ACCESS_DENIED);
      v.close(h);
      assert.equal(v.rename('top', 'renamed'), STATUS_SUCCESS);
      assert.equal(v.readFile('renamed\\mid\\open'), 'x');
    },
  },
  {
    name: 'bad new names and missing target directories leave both names as they were',
    tree: { f: 'x' },
    run(v) {
      for (const name of ['a*b', '..', '.', 'x'.repeat(256), 'a:b', 'with\0nul'])
        assert.equal(v.rename('f', name), STATUS_OBJECT_NAME_INVALID, JSON.stringify(name));
      assert.equal(v.rename('f', `${ROOT}missing\\f`), STATUS_OBJECT_PATH_NOT_FOUND);
      assert.equal(v.rename('f', ''), STATUS_INVALID_PARAMETER);
      assert.deepEqual(v.list(ROOT), ['f']);
      assert.equal(v.readFile('f'), 'x');
    },
  },
  {
    name: 'renaming needs the target directory to be shareable for the add',
    tree: { locked: null, f: 'x' },
    run(v) {
      const exclusive = v.handle('locked', {
        access: FILE_GENERIC_READ,
        options: FILE_DIRECTORY_FILE,
        share: FILE_SHARE_READ,
      });
      assert.equal(v.rename('f', `${ROOT}locked\\f`), STATUS_SHARING_VIOLATION);
      v.close(exclusive);
      assert.equal(v.rename('f', `${ROOT}locked\\f`), STATUS_SUCCESS);
      assert.equal(v.readFile('locked\\f'), 'x');
    },
  },
];
