import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STATUS_OBJECT_NAME_INVALID, STATUS_SUCCESS } from '../../../src/base/index.ts';
import {
  isValidComponent,
  isValidVolumeLabel,
  lastComponent,
  parsePath,
  upcaseName,
} from '../../../src/io/fsrtl/names.ts';

test('a component may hold spaces, dots, Unicode and up to 255 UTF-16 units', () => {
  for (const name of [
    'a',
    'notes.txt',
    'with space',
    '.hidden',
    'trailing.',
    'ünïcødé',
    '日本語',
    'x'.repeat(255),
  ]) {
    assert.equal(isValidComponent(name), true, name);
  }
});

test('a component is refused when empty, too long, "." or "..", or holding a reserved character', () => {
  const bad = [
    '',
    'x'.repeat(256),
    '.',
    '..',
    'a*b',
    'a?b',
    'a<b',
    'a>b',
    'a"b',
    'a|b',
    'a:b',
    'a/b',
    'a\\b',
    'nul\0x',
  ];
  for (let c = 1; c < 0x20; c++) bad.push(`ctl${String.fromCharCode(c)}`);
  for (const name of bad) assert.equal(isValidComponent(name), false, JSON.stringify(name));
});

test('"..." and "..x" are ordinary names, only "." and ".." are special', () => {
  assert.equal(isValidComponent('...'), true);
  assert.equal(isValidComponent('..x'), true);
});

test('case folding maps one code unit to one, so the key keeps the name length', () => {
  assert.equal(upcaseName('Hello.Txt'), 'HELLO.TXT');
  assert.equal(upcaseName('straße'), 'STRAßE');
  assert.equal(upcaseName('straße').length, 'straße'.length);
  assert.equal(upcaseName('ﬁle'), 'ﬁLE'); // the ligature expands in full Unicode upper-casing
});

test('an absolute path splits into its components and reports a trailing backslash', () => {
  assert.deepEqual(parsePath('\\', false), {
    status: STATUS_SUCCESS,
    components: [],
    trailingBackslash: false,
  });
  assert.deepEqual(parsePath('\\a\\b.txt', false), {
    status: STATUS_SUCCESS,
    components: ['a', 'b.txt'],
    trailingBackslash: false,
  });
  assert.deepEqual(parsePath('\\dir\\', false), {
    status: STATUS_SUCCESS,
    components: ['dir'],
    trailingBackslash: true,
  });
});

test('empty components, relative absolute mixes and bad components are STATUS_OBJECT_NAME_INVALID', () => {
  for (const path of ['', 'a', '\\\\', '\\a\\\\b', '\\\\a', '\\a\\\\', '\\a\\..\\b', '\\a\\.', '\\a*']) {
    assert.equal(parsePath(path, false).status, STATUS_OBJECT_NAME_INVALID, JSON.stringify(path));
  }
  for (const path of ['\\a', 'a\\\\b', 'a\\..']) {
    assert.equal(parsePath(path, true).status, STATUS_OBJECT_NAME_INVALID, JSON.stringify(path));
  }
});

test('a relative path may be empty (the related directory itself) or end in a backslash', () => {
  assert.deepEqual(parsePath('', true), { status: STATUS_SUCCESS, components: [], trailingBackslash: false });
  assert.deepEqual(parsePath('sub\\file', true).components, ['sub', 'file']);
  assert.equal(parsePath('sub\\', true).trailingBackslash, true);
});

test('lastComponent takes what follows the last backslash', () => {
  assert.equal(lastComponent('\\a\\b\\c.txt'), 'c.txt');
  assert.equal(lastComponent('plain'), 'plain');
});

test('a volume label has at most 32 characters and no control characters', () => {
  assert.equal(isValidVolumeLabel(''), true);
  assert.equal(isValidVolumeLabel('x'.repeat(32)), true);
  assert.equal(isValidVolumeLabel('x'.repeat(33)), false);
  assert.equal(isValidVolumeLabel('a\nb'), false);
});
