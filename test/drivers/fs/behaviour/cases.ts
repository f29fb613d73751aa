/**
 * Behaviour every disk file system shares, written once and run on each (DESIGN: "the same cases
 * on MemFS, FAT12/16/32, HostFS"): create dispositions and options, names, share access,
 * read-only and delete rules, reads and writes, end of file, renames, deletes, enumeration.
 * Listings are compared as sets: MemFS returns sorted names, FAT on-disk order.
 */
import assert from 'node:assert/strict';
import {
  DELETE,
  directoryEntrySize,
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
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_LIST_DIRECTORY,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OPEN_IF,
  FILE_OPENED,
  FILE_OVERWRITE,
  FILE_OVERWRITE_IF,
  FILE_OVERWRITTEN,
  FILE_READ_ATTRIBUTES,
  FILE_SHARE_READ,
  FILE_SUPERSEDE,
  FILE_SUPERSEDED,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FILE_WRITE_DATA,
  type FileBasicInfo,
  FileBasicInformation,
  FileDirectoryInformation,
  FileDispositionInformation,
  FileEndOfFileInformation,
  type FileNameInfo,
  FileNameInformation,
  type FileStandardInfo,
  FileStandardInformation,
  STATUS_ACCESS_DENIED,
  STATUS_CANNOT_DELETE,
  STATUS_DELETE_PENDING,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_END_OF_FILE,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_NO_MORE_FILES,
  STATUS_NO_SUCH_FILE,
  STATUS_NOT_A_DIRECTORY,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import type { FsHarness } from '../../../support/fs-harness.ts';

/** What a case needs of a volume fixture (MemFS's and FAT's setups both provide it). */
export type BehaviourVolume = Pick<
  FsHarness,
  | 'open'
  | 'handle'
  | 'close'
  | 'mkdir'
  | 'write'
  | 'read'
  | 'readFile'
  | 'query'
  | 'set'
  | 'queryDirectory'
  | 'list'
  | 'remove'
  | 'rename'
  | 'exists'
> & { writeFile(path: string, text: string): void };

const ROOT = '\\??\\M:\\';
const DIR = {
  access: FILE_LIST_DIRECTORY | SYNCHRONIZE,
  options: FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
};
const sorted = (names: string[]) => [...names].sort((a, b) => a.toUpperCase().localeCompare(b.toUpperCase()));

export const BEHAVIOUR_CASES: Array<[string, (v: BehaviourVolume) => void]> = [
  [
    'each create disposition opens, creates, overwrites or supersedes and says which',
    (v) => {
      const cases: Array<[number, boolean, number, number]> = [
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
        assert.equal(result.information, information);
        if (result.handle !== null) v.close(result.handle);
        const overwritten =
          exists && status === STATUS_SUCCESS && disposition !== FILE_OPEN && disposition !== FILE_OPEN_IF;
        const content = v.readFile(name);
        if (!exists && status !== STATUS_SUCCESS) assert.equal(content, STATUS_OBJECT_NAME_NOT_FOUND);
        else assert.equal(content, overwritten || !exists ? '' : 'old content');
      });
    },
  ],
  [
    'a new file gets ARCHIVE and a new directory DIRECTORY; TEMPORARY on a directory is refused',
    (v) => {
      const file = v.handle('f.txt', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_HIDDEN | 0x80 });
      assert.equal(
        v.query<FileBasicInfo>(file, FileBasicInformation).info!.fileAttributes,
        FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE,
      );
      v.close(file);
      assert.equal(v.mkdir('d'), STATUS_SUCCESS);
      const dir = v.handle('d', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
      assert.equal(
        v.query<FileBasicInfo>(dir, FileBasicInformation).info!.fileAttributes,
        FILE_ATTRIBUTE_DIRECTORY,
      );
      v.close(dir);
      const temp = v.open('tempdir', {
        disposition: FILE_CREATE,
        options: FILE_DIRECTORY_FILE,
        attributes: FILE_ATTRIBUTE_TEMPORARY,
      });
      assert.equal(temp.status, STATUS_INVALID_PARAMETER);
      assert.equal(v.exists('tempdir'), false);
    },
  ],
  [
    'FILE_DIRECTORY_FILE and FILE_NON_DIRECTORY_FILE are enforced, and a directory cannot be overwritten',
    (v) => {
      v.writeFile('file', 'x');
      v.mkdir('dir');
      v.writeFile('dir\\inside', 'kept');
      assert.equal(v.open('file', { options: FILE_DIRECTORY_FILE }).status, STATUS_NOT_A_DIRECTORY);
      assert.equal(v.open('dir', { options: FILE_NON_DIRECTORY_FILE }).status, STATUS_FILE_IS_A_DIRECTORY);
      assert.equal(v.open(ROOT, { options: FILE_NON_DIRECTORY_FILE }).status, STATUS_FILE_IS_A_DIRECTORY);
      for (const disposition of [FILE_OVERWRITE, FILE_OVERWRITE_IF, FILE_SUPERSEDE])
        assert.equal(v.open('dir', { disposition }).status, STATUS_FILE_IS_A_DIRECTORY);
      assert.equal(
        v.open('dir', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE }).status,
        STATUS_OBJECT_NAME_COLLISION,
      );
      assert.equal(v.readFile('dir\\inside'), 'kept');
    },
  ],
  [
    'names are case-insensitive and case-preserving',
    (v) => {
      v.writeFile('MixedCase.TXT', 'data');
      assert.equal(v.readFile('mixedcase.txt'), 'data');
      assert.equal(
        v.open('MIXEDCASE.txt', { disposition: FILE_CREATE }).status,
        STATUS_OBJECT_NAME_COLLISION,
      );
      assert.deepEqual(v.list(ROOT), ['MixedCase.TXT']);
    },
  ],
  [
    'a missing parent is STATUS_OBJECT_PATH_NOT_FOUND, a missing leaf STATUS_OBJECT_NAME_NOT_FOUND',
    (v) => {
      v.writeFile('file', 'x');
      assert.equal(v.open('nodir\\f').status, STATUS_OBJECT_PATH_NOT_FOUND);
      assert.equal(v.open('nodir\\f', { disposition: FILE_CREATE }).status, STATUS_OBJECT_PATH_NOT_FOUND);
      assert.equal(v.open('file\\below', { disposition: FILE_CREATE }).status, STATUS_OBJECT_PATH_NOT_FOUND);
      assert.equal(v.open('missing').status, STATUS_OBJECT_NAME_NOT_FOUND);
      assert.deepEqual(v.list(ROOT), ['file']);
    },
  ],
  [
    'a trailing backslash may only name a directory',
    (v) => {
      v.writeFile('file', 'x');
      v.mkdir('dir');
      assert.equal(v.open('file\\').status, STATUS_OBJECT_NAME_INVALID);
      assert.equal(v.open('dir\\').status, STATUS_SUCCESS);
      assert.equal(v.open('newfile\\', { disposition: FILE_CREATE }).status, STATUS_OBJECT_NAME_INVALID);
      assert.equal(
        v.open('newdir\\', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE }).status,
        STATUS_SUCCESS,
      );
      assert.deepEqual(sorted(v.list(ROOT)), ['dir', 'file', 'newdir']);
    },
  ],
  [
    'opens relative to a directory handle resolve below it, and an empty name reopens it',
    (v) => {
      v.mkdir('dir');
      v.mkdir('dir\\sub');
      const dir = v.handle('dir', { options: FILE_DIRECTORY_FILE });
      const created = v.open('sub\\rel.txt', { root: dir, disposition: FILE_CREATE });
      assert.equal(created.status, STATUS_SUCCESS);
      v.close(created.handle!);
      assert.deepEqual(v.list('dir\\sub'), ['rel.txt']);
      const again = v.open('', { root: dir, access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
      assert.equal(v.query<FileStandardInfo>(again.handle!, FileStandardInformation).info!.directory, true);
      v.close(again.handle!);
      v.close(dir);
    },
  ],
  [
    'share access is enforced between opens of one file and released at cleanup',
    (v) => {
      v.writeFile('shared', 'x');
      const reader = v.handle('shared', { access: FILE_GENERIC_READ, share: FILE_SHARE_READ });
      assert.equal(v.open('shared', { access: FILE_GENERIC_WRITE }).status, STATUS_SHARING_VIOLATION);
      assert.equal(v.open('shared', { disposition: FILE_OVERWRITE }).status, STATUS_SHARING_VIOLATION);
      const attributes = v.open('shared', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE, share: 0 });
      assert.equal(attributes.status, STATUS_SUCCESS);
      v.close(attributes.handle!);
      v.close(reader);
      assert.equal(v.readFile('shared'), 'x', 'the refused overwrite changed nothing');
      const writer = v.open('shared', { access: FILE_GENERIC_WRITE, share: 0 });
      assert.equal(writer.status, STATUS_SUCCESS);
      v.close(writer.handle!);
    },
  ],
  [
    'a read-only file refuses write access and overwrite, and cannot be deleted',
    (v) => {
      v.close(v.handle('ro', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_READONLY }));
      assert.equal(v.open('ro', { access: FILE_WRITE_DATA | SYNCHRONIZE }).status, STATUS_ACCESS_DENIED);
      assert.equal(
        v.open('ro', { access: FILE_GENERIC_READ, disposition: FILE_OVERWRITE_IF }).status,
        STATUS_ACCESS_DENIED,
      );
      assert.equal(v.remove('ro'), STATUS_CANNOT_DELETE);
      assert.equal(
        v.open('ro', { access: DELETE | SYNCHRONIZE, options: FILE_DELETE_ON_CLOSE }).status,
        STATUS_CANNOT_DELETE,
      );
      assert.equal(v.exists('ro'), true);
    },
  ],
  [
    'overwriting a hidden or system file needs those attributes in the request',
    (v) => {
      v.close(
        v.handle('sys', {
          disposition: FILE_CREATE,
          attributes: FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_HIDDEN,
        }),
      );
      assert.equal(v.open('sys', { disposition: FILE_OVERWRITE }).status, STATUS_ACCESS_DENIED);
      const ok = v.open('sys', {
        disposition: FILE_OVERWRITE,
        attributes: FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_HIDDEN,
      });
      assert.equal(ok.status, STATUS_SUCCESS);
      v.close(ok.handle!);
    },
  ],
  [
    'a delete-pending file refuses new opens until its last handle goes, then is gone',
    (v) => {
      v.writeFile('doomed', 'x');
      const keeper = v.handle('doomed', { access: FILE_GENERIC_READ });
      const deleter = v.handle('doomed', { access: DELETE | SYNCHRONIZE });
      assert.equal(v.set(deleter, FileDispositionInformation, { deleteFile: true }), STATUS_SUCCESS);
      v.close(deleter);
      assert.equal(v.open('doomed').status, STATUS_DELETE_PENDING);
      assert.deepEqual(v.list(ROOT), ['doomed']);
      v.close(keeper);
      assert.equal(v.open('doomed').status, STATUS_OBJECT_NAME_NOT_FOUND);
      assert.deepEqual(v.list(ROOT), []);
    },
  ],
  [
    'FILE_DELETE_ON_CLOSE deletes a file when its handle closes, but not a directory that filled up',
    (v) => {
      const temp = v.handle('temp', {
        access: FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE,
        disposition: FILE_CREATE,
        options: FILE_DELETE_ON_CLOSE,
      });
      v.close(temp);
      assert.equal(v.exists('temp'), false);
      const dir = v.handle('empty-later', {
        access: DELETE | SYNCHRONIZE,
        disposition: FILE_CREATE,
        options: FILE_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE,
      });
      v.writeFile('empty-later\\child', 'x');
      v.close(dir);
      assert.deepEqual(v.list('empty-later'), ['child']);
    },
  ],
  [
    'what is written reads back at any offset; reads stop at the end of file',
    (v) => {
      const h = v.handle('f', { disposition: FILE_CREATE });
      const data = new Uint8Array(10_000).map((_, i) => (i * 13) & 0xff);
      assert.equal(v.write(h, data, 0).bytes, 10_000);
      for (const [offset, length] of [
        [0, 1],
        [511, 2],
        [4095, 4097],
        [9000, 5000],
      ]) {
        const r = v.read(h, length, offset);
        assert.equal(r.status, STATUS_SUCCESS);
        assert.deepEqual(r.data, data.subarray(offset, Math.min(offset + length, data.length)));
      }
      assert.equal(v.read(h, 10, 10_000).status, STATUS_END_OF_FILE);
      assert.equal(v.read(h, 10, 20_000).status, STATUS_END_OF_FILE);
      v.close(h);
    },
  ],
  [
    'writing past the end extends the file with zeros in the gap; -1 appends',
    (v) => {
      const h = v.handle('f', { disposition: FILE_CREATE });
      v.write(h, 'ab', 0);
      v.write(h, 'cd', 5000);
      v.write(h, 'ef', -1);
      const r = v.read(h, 6000, 0);
      assert.equal(r.data.length, 5004);
      assert.deepEqual([...r.data.subarray(0, 3)], [0x61, 0x62, 0]);
      assert.ok(r.data.subarray(2, 5000).every((b) => b === 0));
      assert.equal(new TextDecoder().decode(r.data.subarray(5000)), 'cdef');
      v.close(h);
      const appender = v.handle('f', { access: 0x4 | SYNCHRONIZE });
      v.write(appender, 'gh', 0);
      v.close(appender);
      assert.equal(
        (v.readFile('f') as string).slice(-6),
        'cdefgh',
        'FILE_APPEND_DATA alone writes at the end',
      );
    },
  ],
  [
    'synchronous handles read and write at the current position and advance it',
    (v) => {
      const h = v.handle('f', { disposition: FILE_CREATE });
      v.write(h, 'hello', null);
      v.write(h, ' world', null);
      assert.equal(v.readFile('f'), 'hello world');
      v.close(h);
    },
  ],
  [
    'directories cannot be read or written',
    (v) => {
      v.mkdir('d');
      const h = v.handle('d', { options: FILE_DIRECTORY_FILE });
      assert.equal(v.read(h, 10, 0).status, STATUS_INVALID_DEVICE_REQUEST);
      v.close(h);
    },
  ],
  [
    'end of file truncates and extends with zeros',
    (v) => {
      v.writeFile('f', 'abcdefgh');
      const h = v.handle('f');
      assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: 3 }), STATUS_SUCCESS);
      assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: 6 }), STATUS_SUCCESS);
      assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.endOfFile, 6);
      v.close(h);
      assert.equal(v.readFile('f'), 'abc\0\0\0');
    },
  ],
  [
    'renames collide without ReplaceIfExists, replace files but never directories, and change case in place',
    (v) => {
      v.writeFile('src', 'source');
      v.writeFile('dst', 'target');
      v.mkdir('dir');
      assert.equal(v.rename('src', 'DST'), STATUS_OBJECT_NAME_COLLISION);
      assert.equal(v.rename('src', 'dir', true), STATUS_ACCESS_DENIED);
      assert.equal(v.rename('src', 'dst', true), STATUS_SUCCESS);
      assert.equal(v.readFile('dst'), 'source');
      assert.equal(v.rename('dst', 'Dst'), STATUS_SUCCESS);
      assert.deepEqual(sorted(v.list(ROOT)), ['dir', 'Dst']);
      v.mkdir('dir\\sub');
      assert.equal(v.rename('dir', '\\??\\M:\\dir\\sub\\inside'), STATUS_INVALID_PARAMETER);
      assert.equal(v.rename('Dst', '\\??\\M:\\dir\\moved'), STATUS_SUCCESS);
      assert.equal(v.readFile('dir\\moved'), 'source');
    },
  ],
  [
    'a non-empty directory cannot be deleted, the root not at all',
    (v) => {
      v.mkdir('d');
      v.writeFile('d\\x', 'x');
      assert.equal(v.remove('d'), STATUS_DIRECTORY_NOT_EMPTY);
      assert.equal(v.remove('d\\x'), STATUS_SUCCESS);
      assert.equal(v.remove('d'), STATUS_SUCCESS);
      assert.equal(v.remove(ROOT), STATUS_CANNOT_DELETE);
    },
  ],
  [
    'invalid names are STATUS_OBJECT_NAME_INVALID and create nothing',
    (v) => {
      for (const name of ['a*b', 'a?b', 'a<b', 'a>b', 'a|b', 'a"b', 'a:b', 'tab\tname', 'x'.repeat(256)])
        assert.equal(
          v.open(name, { disposition: FILE_CREATE }).status,
          STATUS_OBJECT_NAME_INVALID,
          JSON.stringify(name),
        );
      assert.deepEqual(v.list(ROOT), []);
    },
  ],
  [
    'the root has no dot entries; a subdirectory lists . and ..',
    (v) => {
      v.mkdir('d');
      v.writeFile('d\\x', 'x');
      const root = v.handle(ROOT, DIR);
      const rootNames = v.queryDirectory(root).entries.map((e) => e.fileName);
      v.close(root);
      assert.deepEqual(rootNames, ['d']);
      const sub = v.handle('d', DIR);
      const names = v.queryDirectory(sub).entries.map((e) => e.fileName);
      v.close(sub);
      assert.deepEqual(sorted(names), ['.', '..', 'x']);
    },
  ],
  [
    'wildcards match case-insensitively, including the DOS forms; no match is STATUS_NO_SUCH_FILE',
    (v) => {
      for (const name of ['a.txt', 'B.TXT', 'c.txt.bak', 'readme', 'ab', 'abc']) v.writeFile(name, 'x');
      assert.deepEqual(sorted(v.list(ROOT, '*.txt')), ['a.txt', 'B.TXT']);
      assert.deepEqual(v.list(ROOT, 'a?'), ['ab']);
      assert.deepEqual(sorted(v.list(ROOT, '<.TXT')), ['a.txt', 'B.TXT']);
      assert.deepEqual(v.list(ROOT, 'README'), ['readme']);
      const dir = v.handle(ROOT, DIR);
      assert.equal(v.queryDirectory(dir, { fileName: '*.none' }).status, STATUS_NO_SUCH_FILE);
      v.close(dir);
      const again = v.handle(ROOT, DIR);
      assert.equal(v.queryDirectory(again).status, STATUS_SUCCESS);
      assert.equal(v.queryDirectory(again).status, STATUS_NO_MORE_FILES);
      v.close(again);
    },
  ],
  [
    'small buffers list everything exactly once, and entries added or removed meanwhile do not upset the rest',
    (v) => {
      const names = Array.from({ length: 50 }, (_, i) => `file-${String(i).padStart(2, '0')}`);
      for (const name of names) v.writeFile(name, '');
      const dir = v.handle(ROOT, DIR);
      const seen: string[] = [];
      for (;;) {
        const result = v.queryDirectory(dir, { length: directoryEntrySize(FileDirectoryInformation, 7) * 3 });
        if (result.status !== STATUS_SUCCESS) break;
        assert.ok(result.entries.length <= 3);
        seen.push(...result.entries.map((e) => e.fileName));
        if (seen.length === 24) assert.equal(v.remove(seen[23]!), STATUS_SUCCESS);
      }
      v.close(dir);
      assert.deepEqual(sorted(seen), names);
    },
  ],
  [
    'FileNameInformation is the path from the volume root with the names as created',
    (v) => {
      v.mkdir('Some Dir');
      v.writeFile('Some Dir\\File.Name', 'x');
      const h = v.handle('some dir\\file.name');
      assert.equal(v.query<FileNameInfo>(h, FileNameInformation).info!.fileName, '\\Some Dir\\File.Name');
      v.close(h);
    },
  ],
];
