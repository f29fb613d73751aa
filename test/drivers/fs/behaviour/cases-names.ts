/**
 * Behaviour cases for the names a create accepts on every file system: what NT refuses before a
 * file system stores anything (wildcards, `.` and `..`, empty components, control characters,
 * over-long components), relative names, and deep paths.
 */
import assert from 'node:assert/strict';
import {
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_OPEN_IF,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_PATH_SYNTAX_BAD,
  STATUS_SUCCESS,
} from '../../../../src/base/index.ts';
import { type BehaviourCase, ROOT } from './fixture.ts';

/** Names every file system refuses with STATUS_OBJECT_NAME_INVALID. */
export const INVALID_NAMES: ReadonlyArray<[string, string]> = [
  ['a "." component', 'dir\\.\\f'],
  ['a ".." component', 'dir\\..\\f'],
  ['".." alone', '..'],
  ['"." alone', '.'],
  ['an empty component', 'dir\\\\f'],
  ['a double backslash after the volume', `${ROOT}\\f`],
  ['a name of 256 characters', 'n'.repeat(256)],
  ['a directory name of 256 characters', `${'d'.repeat(256)}\\f`],
  ['a star', 'a*b'],
  ['a question mark', 'a?b'],
  ['a less-than (DOS_STAR)', 'a<b'],
  ['a greater-than (DOS_QM)', 'a>b'],
  ['a quote (DOS_DOT)', 'a"b'],
  ['a pipe', 'a|b'],
  ['a colon (no streams here)', 'file:stream'],
  ['a forward slash', 'a/b'],
  ['a tab', 'a\tb'],
  ['a control character', 'a\u0001b'],
  ['an escape character', 'a\u001bb'],
  ['a NUL', 'a\0b'],
];

export const NAME_CASES: BehaviourCase[] = [
  {
    name: 'every invalid name is STATUS_OBJECT_NAME_INVALID and creates nothing',
    tree: { dir: null },
    run(v) {
      for (const [what, name] of INVALID_NAMES) {
        for (const options of [0, FILE_DIRECTORY_FILE]) {
          const result = v.open(name, { disposition: FILE_OPEN_IF, options });
          assert.equal(result.status, STATUS_OBJECT_NAME_INVALID, `${what}: ${JSON.stringify(name)}`);
          assert.equal(result.handle, null);
        }
      }
      assert.deepEqual(v.list(ROOT), ['dir']);
      assert.deepEqual(v.list('dir'), []);
    },
  },
  {
    name: 'a relative name may not start with a backslash nor climb with ..',
    tree: { dir: null },
    run(v) {
      const dir = v.handle('dir', { options: FILE_DIRECTORY_FILE });
      assert.equal(
        v.open('\\x', { root: dir, disposition: FILE_CREATE }).status,
        STATUS_OBJECT_PATH_SYNTAX_BAD,
      );
      assert.equal(
        v.open('..\\x', { root: dir, disposition: FILE_CREATE }).status,
        STATUS_OBJECT_NAME_INVALID,
      );
      v.close(dir);
      assert.deepEqual(v.list('dir'), []);
    },
  },
  {
    name: 'a deep path of many valid components works, one with a bad component in the middle does not',
    run(v) {
      let path = '';
      for (let i = 0; i < 100; i++) {
        path = path === '' ? `d${i}` : `${path}\\d${i}`;
        assert.equal(v.mkdir(path), STATUS_SUCCESS);
      }
      v.writeFile(`${path}\\leaf`, 'deep');
      assert.equal(v.readFile(`${path}\\leaf`), 'deep');
      const broken = path.replace('\\d50\\', '\\d50\\..\\');
      assert.equal(v.open(`${broken}\\leaf`).status, STATUS_OBJECT_NAME_INVALID);
    },
  },
];
