import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_OPEN_IF,
  FSCTL_DISMOUNT_VOLUME,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_PATH_SYNTAX_BAD,
  STATUS_SUCCESS,
} from '../../../../src/base/index.ts';
import { memfsVolume } from './setup.ts';

const ROOT = '\\??\\M:\\';

const invalidNames: Array<[string, string]> = [
  ['a "." component', 'dir\\.\\f'],
  ['a ".." component', 'dir\\..\\f'],
  ['".." alone', '..'],
  ['"." alone', '.'],
  ['an empty component', 'dir\\\\f'],
  ['a double backslash after the volume', '\\??\\M:\\\\f'],
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

test('every invalid name is STATUS_OBJECT_NAME_INVALID and creates nothing', () => {
  const v = memfsVolume();
  v.mkdir('dir');
  for (const [what, name] of invalidNames) {
    for (const options of [0, FILE_DIRECTORY_FILE]) {
      const result = v.open(name, { disposition: FILE_OPEN_IF, options });
      assert.equal(result.status, STATUS_OBJECT_NAME_INVALID, `${what}: ${JSON.stringify(name)}`);
      assert.equal(result.handle, null);
    }
  }
  assert.deepEqual(v.list(ROOT), ['dir']);
  assert.deepEqual(v.list('dir'), []);
});

test('the volume stays consistent after hostile names: it writes back and mounts the same tree', () => {
  const v = memfsVolume();
  v.writeFile('keep', 'safe');
  for (const [, name] of invalidNames) v.open(name, { disposition: FILE_CREATE });
  const volume = v.openVolume();
  assert.equal(v.fsctl(volume.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  v.close(volume.handle!);
  assert.deepEqual(v.list(ROOT), ['keep']);
  assert.equal(v.readFile('keep'), 'safe');
});

test('names of exactly 255 characters, odd but legal characters, and trailing dots are accepted', () => {
  const v = memfsVolume();
  const legal = [
    'n'.repeat(255),
    'trailing.',
    'trailing ',
    ' leading',
    '...',
    'semi;colon',
    'brackets[1]',
    '#hash',
    'émoji 🙂',
    "+=,'`~!@$%^&()",
  ];
  for (const name of legal) {
    const result = v.open(name, { disposition: FILE_CREATE });
    assert.equal(result.status, STATUS_SUCCESS, JSON.stringify(name));
    v.close(result.handle!);
  }
  assert.equal(v.list(ROOT).length, legal.length);
  assert.equal(v.exists('TRAILING.'), true);
  assert.equal(v.exists('trailing'), false, '"trailing." and "trailing" are different names at the NT level');
});

test('a relative name may not start with a backslash', () => {
  const v = memfsVolume();
  v.mkdir('dir');
  const dir = v.handle('dir', { options: FILE_DIRECTORY_FILE });
  assert.equal(v.open('\\x', { root: dir, disposition: FILE_CREATE }).status, STATUS_OBJECT_PATH_SYNTAX_BAD);
  assert.equal(v.open('..\\x', { root: dir, disposition: FILE_CREATE }).status, STATUS_OBJECT_NAME_INVALID);
  v.close(dir);
  assert.deepEqual(v.list('dir'), []);
});

test('a deep path of many valid components works, one with a bad component in the middle does not', () => {
  const v = memfsVolume();
  let path = '';
  for (let i = 0; i < 100; i++) {
    path = path === '' ? `d${i}` : `${path}\\d${i}`;
    assert.equal(v.mkdir(path), STATUS_SUCCESS);
  }
  v.writeFile(`${path}\\leaf`, 'deep');
  assert.equal(v.readFile(`${path}\\leaf`), 'deep');
  const broken = path.replace('\\d50\\', '\\d50\\..\\');
  assert.equal(v.open(`${broken}\\leaf`).status, STATUS_OBJECT_NAME_INVALID);
});
