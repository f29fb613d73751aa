/**
 * Behaviour cases for NtQueryDirectoryFile on every file system: order, dot entries, DOS wildcards, end-of-listing statuses, the pattern a handle keeps,
 * small buffers, changes between queries, and requests a directory query must refuse.
 */
import assert from 'node:assert/strict';
import {
  directoryEntrySize,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_CREATE,
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
import { LIST_DIRECTORY } from '../../../support/fs-harness.ts';
import { type BehaviourCase, byUpcasedName, ROOT, type Tree } from './fixture.ts';

const files = (...names: string[]): Tree => Object.fromEntries(names.map((name) => [name, name]));
const namesOf = (entries: Array<{ fileName: string }>): string[] => entries.map((e) => e.fileName);
const FIFTY = Array.from({ length: 50 }, (_, i) => `file-${String(i).padStart(2, '0')}`);
const withoutDots = (names: string[]): string[] => names.filter((n) => n !== '.' && n !== '..');

export const DIRECTORY_CASES: BehaviourCase[] = [
  {
    name: 'a listing shows every name once, in upcased-name order where the file system sorts',
    tree: files('zeta', 'Alpha', 'beta.txt', 'BETA.doc', '_under', '10', '9'),
    reads: true,
    run(v, caps) {
      const names = v.list(ROOT);
      const expected = ['10', '9', 'Alpha', 'BETA.doc', 'beta.txt', 'zeta', '_under'];
      // FAT and CDFS list in on-disk order (docs/deviations.md, FAT enumeration).
      assert.deepEqual(caps.sortedListing ? names : byUpcasedName(names), expected);
    },
  },
  {
    name: 'the root has no "." or ".." but every other directory lists them first',
    tree: { d: null, 'd/x': 'x' },
    reads: true,
    run(v, caps) {
      // A HostFS share root lists them, as a redirector shows it (docs/deviations.md).
      assert.deepEqual(namesOf(v.listEntries(ROOT)), caps.rootDotEntries ? ['.', '..', 'd'] : ['d']);
      const entries = v.listEntries('d');
      assert.deepEqual(namesOf(entries), ['.', '..', 'x']);
      assert.equal(entries[0]!.fileAttributes & FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_DIRECTORY);
      assert.equal(entries[2]!.fileAttributes & FILE_ATTRIBUTE_DIRECTORY, 0);
      assert.equal(entries[2]!.endOfFile, 1);
    },
  },
  {
    name: 'wildcards match case-insensitively, including the DOS forms',
    tree: files('a.txt', 'B.TXT', 'c.txt.bak', 'readme', 'ab', 'abc'),
    reads: true,
    run(v) {
      const match = (pattern: string) => byUpcasedName(v.list(ROOT, pattern));
      assert.deepEqual(match('*.txt'), ['a.txt', 'B.TXT']);
      assert.deepEqual(match('a?'), ['ab']);
      assert.deepEqual(match('<.TXT'), ['a.txt', 'B.TXT']);
      assert.deepEqual(match('>>'), ['ab']);
      assert.deepEqual(match('README'), ['readme']);
      assert.deepEqual(match('*'), ['a.txt', 'ab', 'abc', 'B.TXT', 'c.txt.bak', 'readme']);
    },
  },
  {
    name: 'a pattern that matches nothing is STATUS_NO_SUCH_FILE, the end of a listing STATUS_NO_MORE_FILES',
    tree: files('one'),
    reads: true,
    run(v) {
      const dir = v.handle(ROOT, LIST_DIRECTORY);
      assert.equal(v.queryDirectory(dir, { fileName: '*.none' }).status, STATUS_NO_SUCH_FILE);
      v.close(dir);
      const again = v.handle(ROOT, LIST_DIRECTORY);
      assert.deepEqual(withoutDots(namesOf(v.queryDirectory(again).entries)), ['one']);
      assert.equal(v.queryDirectory(again).status, STATUS_NO_MORE_FILES);
      assert.equal(v.queryDirectory(again).status, STATUS_NO_MORE_FILES);
      v.close(again);
    },
  },
  {
    name: 'an empty directory lists only its dot entries',
    tree: { d: null },
    reads: true,
    run(v) {
      assert.deepEqual(namesOf(v.listEntries('d')), ['.', '..']);
    },
  },
  {
    name: 'an empty root lists nothing: the first query is STATUS_NO_SUCH_FILE',
    reads: true,
    run(v, caps) {
      const root = v.handle(ROOT, LIST_DIRECTORY);
      const first = v.queryDirectory(root);
      // A HostFS share root lists . and .. (docs/deviations.md, HostFS listings and names).
      if (caps.rootDotEntries) assert.deepEqual(namesOf(first.entries), ['.', '..']);
      else assert.equal(first.status, STATUS_NO_SUCH_FILE);
      v.close(root);
    },
  },
  {
    name: 'the first pattern sticks to the handle until a restart replaces it',
    tree: files('a1', 'a2', 'b1'),
    reads: true,
    run(v) {
      const dir = v.handle(ROOT, LIST_DIRECTORY);
      const first = v.queryDirectory(dir, { fileName: 'a*', returnSingleEntry: true });
      assert.equal(first.entries.length, 1);
      const second = v.queryDirectory(dir, { fileName: 'b*' });
      assert.deepEqual(
        byUpcasedName([...namesOf(first.entries), ...namesOf(second.entries)]),
        ['a1', 'a2'],
        'a later pattern is ignored',
      );
      const restarted = v.queryDirectory(dir, { fileName: 'b*', restartScan: true });
      assert.deepEqual(namesOf(restarted.entries), ['b1']);
      const again = v.queryDirectory(dir, { restartScan: true });
      assert.deepEqual(namesOf(again.entries), ['b1'], 'a restart without a pattern keeps the last one');
      const all = v.queryDirectory(dir, { fileName: '*', restartScan: true });
      assert.deepEqual(byUpcasedName(withoutDots(namesOf(all.entries))), ['a1', 'a2', 'b1']);
      v.close(dir);
    },
  },
  {
    name: 'a small buffer yields small batches that together list everything once',
    tree: files(...FIFTY),
    reads: true,
    run(v) {
      const oneEntry = directoryEntrySize(FileDirectoryInformation, 'file-00'.length);
      const dir = v.handle(ROOT, LIST_DIRECTORY);
      const seen: string[] = [];
      for (;;) {
        const result = v.queryDirectory(dir, { length: oneEntry * 3 });
        if (result.status !== STATUS_SUCCESS) break;
        assert.ok(result.entries.length <= 3 && result.entries.length > 0);
        seen.push(...namesOf(result.entries));
      }
      v.close(dir);
      assert.deepEqual(byUpcasedName(withoutDots(seen)), FIFTY);
    },
  },
  {
    name: 'a buffer too small for one entry still returns one',
    tree: files('a-long-file-name'),
    reads: true,
    run(v) {
      const dir = v.handle(ROOT, LIST_DIRECTORY);
      const result = v.queryDirectory(dir, {
        length: 8,
        fileName: 'a-long*',
        fileInformationClass: FileBothDirectoryInformation,
      });
      assert.equal(result.status, STATUS_SUCCESS);
      assert.deepEqual(namesOf(result.entries), ['a-long-file-name']);
      v.close(dir);
    },
  },
  {
    name: 'files created or deleted between queries neither repeat nor upset the rest of a listing',
    tree: files('b', 'd', 'f'),
    run(v, caps) {
      const dir = v.handle(ROOT, LIST_DIRECTORY);
      const seen: string[] = [];
      while (!seen.includes('b')) {
        const next = v.queryDirectory(dir, { returnSingleEntry: true });
        assert.equal(next.status, STATUS_SUCCESS);
        seen.push(...namesOf(next.entries));
      }
      for (const name of ['a', 'c', 'e']) v.writeFile(name, name); // 'a' sorts before the cursor
      assert.equal(v.remove('d'), STATUS_SUCCESS);
      const rest: string[] = [];
      for (let r = v.queryDirectory(dir); r.status === STATUS_SUCCESS; r = v.queryDirectory(dir))
        rest.push(...withoutDots(namesOf(r.entries)));
      v.close(dir);
      assert.equal(new Set([...seen, ...rest]).size, seen.length + rest.length, 'no name twice');
      assert.ok(!rest.includes('d'), 'a deleted name is not listed');
      assert.ok(rest.includes('f'), 'an untouched name is still listed');
      // What the rest shows of the new names follows the cursor (docs/drivers.md): after the last
      // name (MemFS), after the last slot, where new entries go (FAT), or a snapshot (HostFS).
      const expected = { name: ['c', 'e', 'f'], slot: ['a', 'c', 'e', 'f'], snapshot: ['f'] }[
        caps.listingCursor
      ];
      assert.deepEqual(byUpcasedName(rest), expected);
    },
  },
  {
    name: 'deleting each entry as it is listed goes through a large directory exactly once',
    tree: { big: null },
    run(v) {
      const count = 600;
      for (let i = 0; i < count; i++)
        v.close(v.handle(`big\\n${i}`, { disposition: FILE_CREATE, access: SYNCHRONIZE }));
      const dir = v.handle('big', LIST_DIRECTORY);
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
    },
  },
  {
    name: 'a file handle, a foreign class, or a non-positive length is refused',
    tree: files('f'),
    reads: true,
    run(v) {
      const file = v.handle('f', { access: FILE_LIST_DIRECTORY | SYNCHRONIZE });
      assert.equal(v.queryDirectory(file).status, STATUS_INVALID_PARAMETER);
      v.close(file);
      const dir = v.handle(ROOT, LIST_DIRECTORY);
      assert.equal(
        v.queryDirectory(dir, { fileInformationClass: FileBasicInformation }).status,
        STATUS_INVALID_INFO_CLASS,
      );
      assert.equal(v.queryDirectory(dir, { length: 0 }).status, STATUS_INVALID_PARAMETER);
      v.close(dir);
    },
  },
];
