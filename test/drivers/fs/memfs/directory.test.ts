import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  directoryEntrySize,
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_LIST_DIRECTORY,
  FileBasicInformation,
  FileBothDirectoryInformation,
  FileDirectoryInformation,
  FileNamesInformation,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_NO_MORE_FILES,
  STATUS_NO_SUCH_FILE,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { memfsVolume } from './setup.ts';

const ROOT = '\\??\\M:\\';
const DIR = { access: FILE_LIST_DIRECTORY | SYNCHRONIZE, options: FILE_DIRECTORY_FILE };

function populate(v: ReturnType<typeof memfsVolume>, names: string[], where = ''): void {
  for (const name of names) v.writeFile(`${where}${name}`, name);
}

test('entries come back sorted by upper-cased name, whatever the creation order', () => {
  const v = memfsVolume();
  populate(v, ['zeta', 'Alpha', 'beta.txt', 'BETA.doc', '_under', '10', '9']);
  assert.deepEqual(v.list(ROOT), ['10', '9', 'Alpha', 'BETA.doc', 'beta.txt', 'zeta', '_under']);
});

test('the root has no "." or ".." but every other directory lists them first', () => {
  const v = memfsVolume();
  v.mkdir('d');
  populate(v, ['x'], 'd\\');
  assert.deepEqual(
    v.listEntries(ROOT).map((e) => e.fileName),
    ['d'],
  );
  const entries = v.listEntries('d');
  assert.deepEqual(
    entries.map((e) => e.fileName),
    ['.', '..', 'x'],
  );
  assert.equal(entries[0]!.fileAttributes, FILE_ATTRIBUTE_DIRECTORY);
  assert.equal(entries[2]!.fileAttributes, FILE_ATTRIBUTE_ARCHIVE);
  assert.equal(entries[2]!.endOfFile, 1);
});

test('wildcards match case-insensitively, including the DOS forms', () => {
  const v = memfsVolume();
  populate(v, ['a.txt', 'B.TXT', 'c.txt.bak', 'readme', 'ab', 'abc']);
  assert.deepEqual(v.list(ROOT, '*.txt'), ['a.txt', 'B.TXT']);
  assert.deepEqual(v.list(ROOT, 'a?'), ['ab']);
  assert.deepEqual(v.list(ROOT, '<.TXT'), ['a.txt', 'B.TXT']);
  assert.deepEqual(v.list(ROOT, '>>'), ['ab']);
  assert.deepEqual(v.list(ROOT, 'README'), ['readme']);
  assert.deepEqual(v.list(ROOT, '*'), ['a.txt', 'ab', 'abc', 'B.TXT', 'c.txt.bak', 'readme']);
});

test('a pattern that matches nothing is STATUS_NO_SUCH_FILE, the end of a listing STATUS_NO_MORE_FILES', () => {
  const v = memfsVolume();
  populate(v, ['one']);
  const dir = v.handle(ROOT, DIR);
  assert.equal(v.queryDirectory(dir, { fileName: '*.none' }).status, STATUS_NO_SUCH_FILE);
  v.close(dir);
  const again = v.handle(ROOT, DIR);
  assert.equal(v.queryDirectory(again).status, STATUS_SUCCESS);
  assert.equal(v.queryDirectory(again).status, STATUS_NO_MORE_FILES);
  assert.equal(v.queryDirectory(again).status, STATUS_NO_MORE_FILES);
  v.close(again);
  const empty = memfsVolume();
  const emptyRoot = empty.handle(ROOT, DIR);
  assert.equal(empty.queryDirectory(emptyRoot).status, STATUS_NO_SUCH_FILE);
  empty.close(emptyRoot);
});

test('the first pattern sticks to the handle until a restart replaces it', () => {
  const v = memfsVolume();
  populate(v, ['a1', 'a2', 'b1']);
  const dir = v.handle(ROOT, DIR);
  const first = v.queryDirectory(dir, { fileName: 'a*', returnSingleEntry: true });
  assert.deepEqual(
    first.entries.map((e) => e.fileName),
    ['a1'],
  );
  const second = v.queryDirectory(dir, { fileName: 'b*' });
  assert.deepEqual(
    second.entries.map((e) => e.fileName),
    ['a2'],
    'a later pattern is ignored',
  );
  const restarted = v.queryDirectory(dir, { fileName: 'b*', restartScan: true });
  assert.deepEqual(
    restarted.entries.map((e) => e.fileName),
    ['b1'],
  );
  const again = v.queryDirectory(dir, { restartScan: true });
  assert.deepEqual(
    again.entries.map((e) => e.fileName),
    ['b1'],
    'a restart without a pattern keeps the last one',
  );
  const all = v.queryDirectory(dir, { fileName: '*', restartScan: true });
  assert.deepEqual(
    all.entries.map((e) => e.fileName),
    ['a1', 'a2', 'b1'],
  );
  v.close(dir);
});

test('a small buffer yields small batches that together list everything once', () => {
  const v = memfsVolume();
  const names = Array.from({ length: 50 }, (_, i) => `file-${String(i).padStart(2, '0')}`);
  populate(v, names);
  const oneEntry = directoryEntrySize(FileDirectoryInformation, 'file-00'.length);
  const dir = v.handle(ROOT, DIR);
  const seen: string[] = [];
  let batches = 0;
  for (;;) {
    const result = v.queryDirectory(dir, { length: oneEntry * 3 });
    if (result.status !== STATUS_SUCCESS) break;
    assert.ok(result.entries.length <= 3);
    batches++;
    seen.push(...result.entries.map((e) => e.fileName));
  }
  assert.deepEqual(seen, names);
  assert.equal(batches, 17);
  v.close(dir);
});

test('a buffer too small for one entry still returns one', () => {
  const v = memfsVolume();
  populate(v, ['a-long-file-name']);
  const dir = v.handle(ROOT, DIR);
  const result = v.queryDirectory(dir, { length: 8, fileInformationClass: FileBothDirectoryInformation });
  assert.equal(result.status, STATUS_SUCCESS);
  assert.deepEqual(
    result.entries.map((e) => e.fileName),
    ['a-long-file-name'],
  );
  v.close(dir);
});

test('files created or deleted between queries neither repeat nor disappear from the rest', () => {
  const v = memfsVolume();
  populate(v, ['b', 'd', 'f']);
  const dir = v.handle(ROOT, DIR);
  const first = v.queryDirectory(dir, { returnSingleEntry: true });
  assert.deepEqual(
    first.entries.map((e) => e.fileName),
    ['b'],
  );
  populate(v, ['a', 'c', 'e']); // 'a' sorts before the cursor, 'c' and 'e' after
  assert.equal(v.remove('d'), STATUS_SUCCESS);
  const rest = v.queryDirectory(dir);
  assert.deepEqual(
    rest.entries.map((e) => e.fileName),
    ['c', 'e', 'f'],
  );
  v.close(dir);
});

test('deleting each entry as it is listed goes through a large directory exactly once', () => {
  const v = memfsVolume({ sizeBytes: 4 << 20 });
  v.mkdir('big');
  const count = 2000;
  for (let i = 0; i < count; i++) {
    const h = v.handle(`big\\n${i}`, { disposition: FILE_CREATE, access: SYNCHRONIZE });
    v.close(h);
  }
  const dir = v.handle('big', DIR);
  let deleted = 0;
  for (;;) {
    const result = v.queryDirectory(dir, {
      returnSingleEntry: true,
      fileInformationClass: FileNamesInformation,
    });
    if (result.status !== STATUS_SUCCESS) break;
    const name = result.entries[0]!.fileName;
    if (name === '.' || name === '..') continue;
    assert.equal(v.remove(`big\\${name}`), STATUS_SUCCESS);
    deleted++;
  }
  v.close(dir);
  assert.equal(deleted, count);
  assert.deepEqual(v.list('big'), []);
});

test('ten thousand files in one directory list completely and in order', () => {
  const v = memfsVolume({ sizeBytes: 8 << 20 });
  v.mkdir('many');
  for (let i = 0; i < 10_000; i++)
    v.close(v.handle(`many\\f${i}`, { disposition: FILE_CREATE, access: SYNCHRONIZE }));
  const names = v.list('many');
  assert.equal(names.length, 10_000);
  const sorted = [...names].sort((a, b) => (a.toUpperCase() < b.toUpperCase() ? -1 : 1));
  assert.deepEqual(names, sorted);
});

test('a file handle, a foreign class, or a non-positive length is refused', () => {
  const v = memfsVolume();
  populate(v, ['f']);
  const file = v.handle('f', { access: FILE_LIST_DIRECTORY | SYNCHRONIZE });
  assert.equal(v.queryDirectory(file).status, STATUS_INVALID_PARAMETER);
  v.close(file);
  const dir = v.handle(ROOT, DIR);
  assert.equal(
    v.queryDirectory(dir, { fileInformationClass: FileBasicInformation }).status,
    STATUS_INVALID_INFO_CLASS,
  );
  assert.equal(v.queryDirectory(dir, { length: 0 }).status, STATUS_INVALID_PARAMETER);
  v.close(dir);
});
