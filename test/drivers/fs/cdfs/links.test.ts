/**
 * Rock Ridge symbolic links: shown as reparse points with IO_REPARSE_TAG_SYMLINK, read with
 * FSCTL_GET_REPARSE_POINT, opened themselves with FILE_OPEN_REPARSE_POINT, and followed inside the
 * volume otherwise (absolute targets from the volume root, loops bounded).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  FILE_OPEN_REPARSE_POINT,
  FILE_READ_ATTRIBUTES,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileAttributeTagInformation,
  FileStandardInformation,
  FSCTL_GET_REPARSE_POINT,
  IO_REPARSE_TAG_SYMLINK,
  STATUS_BUFFER_OVERFLOW,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_NOT_A_REPARSE_POINT,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_REPARSE_POINT_NOT_RESOLVED,
  STATUS_SUCCESS,
  SYMLINK_FLAG_RELATIVE,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import type { SymbolicLinkReparseInfo } from '../../../../src/drivers/fs/cdfs/index.ts';
import { buildIso, cdVolume } from './setup.ts';

const text = (s: string) => new TextEncoder().encode(s);

const TREE = {
  'hello.txt': 'hello\n',
  'dir/inner.txt': 'inner\n',
  relative: { link: 'dir/inner.txt' },
  absolute: { link: '/hello.txt' },
  'dir/up': { link: '../hello.txt' },
  'dir/escape': { link: '../../../../hello.txt' },
  chain1: { link: 'chain2' },
  chain2: { link: 'relative' },
  loop1: { link: 'loop2' },
  loop2: { link: 'loop1' },
  self: { link: 'self' },
  dangling: { link: 'missing.txt' },
  'to-dir': { link: 'dir' },
  'to-root': { link: '/' },
};

const volume = () => cdVolume(buildIso(TREE, 'xorriso', ['-R']));
const asLink = {
  access: FILE_READ_ATTRIBUTES | SYNCHRONIZE,
  options: FILE_OPEN_REPARSE_POINT | FILE_SYNCHRONOUS_IO_NONALERT,
};

test('links list as reparse points and open themselves with FILE_OPEN_REPARSE_POINT', () => {
  const v = volume();
  const entry = v.listEntries('\\??\\D:\\').find((e) => e.fileName === 'relative')!;
  assert.equal(entry.fileAttributes, FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_REPARSE_POINT);
  const h = v.handle('relative', asLink);
  const tag = v.query<{ fileAttributes: number; reparseTag: number }>(h, FileAttributeTagInformation).info!;
  assert.equal(tag.reparseTag, IO_REPARSE_TAG_SYMLINK);
  assert.equal(v.query<{ endOfFile: number }>(h, FileStandardInformation).info!.endOfFile, 0);
  v.close(h);
});

test('FSCTL_GET_REPARSE_POINT gives the target, relative or absolute', () => {
  const v = volume();
  const get = (name: string, length = 1024) => {
    const h = v.handle(name, asLink);
    const result = v.fsctlResult(h, FSCTL_GET_REPARSE_POINT, null, length);
    v.close(h);
    return result;
  };
  const relative = get('relative');
  assert.equal(relative.status, STATUS_SUCCESS);
  assert.deepEqual(relative.output as SymbolicLinkReparseInfo, {
    reparseTag: IO_REPARSE_TAG_SYMLINK,
    substituteName: 'dir\\inner.txt',
    printName: 'dir/inner.txt',
    flags: SYMLINK_FLAG_RELATIVE,
  });
  assert.equal((get('absolute').output as SymbolicLinkReparseInfo).flags, 0);
  assert.equal(get('relative', 4).status, STATUS_BUFFER_TOO_SMALL);
  assert.equal(get('relative', 16).status, STATUS_BUFFER_OVERFLOW);
  assert.equal(get('hello.txt').status, STATUS_NOT_A_REPARSE_POINT);
});

test('opening through a link reads its target: relative, absolute, "..", and chains of links', () => {
  const v = volume();
  assert.deepEqual(v.readAll('relative'), text('inner\n'));
  assert.deepEqual(v.readAll('absolute'), text('hello\n'));
  assert.deepEqual(v.readAll('dir\\up'), text('hello\n'));
  assert.deepEqual(v.readAll('dir\\escape'), text('hello\n'), '".." stops at the volume root');
  assert.deepEqual(v.readAll('chain1'), text('inner\n'));
  assert.deepEqual(v.readAll('to-dir\\inner.txt'), text('inner\n'));
  assert.deepEqual(v.readAll('to-root\\hello.txt'), text('hello\n'));
});

test('loops end with STATUS_REPARSE_POINT_NOT_RESOLVED; dangling links are not found', () => {
  const v = volume();
  assert.equal(v.open('loop1').status, STATUS_REPARSE_POINT_NOT_RESOLVED);
  assert.equal(v.open('self').status, STATUS_REPARSE_POINT_NOT_RESOLVED);
  assert.equal(v.open('dangling').status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(v.open('dangling\\x').status, STATUS_OBJECT_PATH_NOT_FOUND);
  // The links themselves still open.
  v.close(v.handle('loop1', asLink));
  v.close(v.handle('dangling', asLink));
});
