/**
 * Directory enumeration and name lookup as CDFS does them: disc order, "." and ".." outside the
 * root, wildcards, case-insensitive names, versions (`;1`) stripped unless asked for, trailing
 * dots, hidden and associated files, batches, restarts and FileIndex.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  FILE_ATTRIBUTE_HIDDEN,
  FILE_DIRECTORY_FILE,
  FILE_LIST_DIRECTORY,
  FILE_NON_DIRECTORY_FILE,
  FILE_READ_ATTRIBUTES,
  FILE_SHARE_READ,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileBothDirectoryInformation,
  FileNamesInformation,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_NO_MORE_FILES,
  STATUS_NO_SUCH_FILE,
  STATUS_NOT_A_DIRECTORY,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { directoryBlock, identifierOf, readDirectory, recordIndex, writeDirectory } from './iso-patch.ts';
import { buildIso, cdVolume, makeIso, tempDir, writeTree } from './setup.ts';

const text = (s: string) => new TextEncoder().encode(s);

const TREE = {
  'hello.txt': 'hello\n',
  'other.txt': 'other file\n',
  'alpha.dat': 'a',
  'beta.dat': 'b',
  empty: '',
  'sub/one.txt': '1',
  'sub/two.txt': '2',
};

const dirOptions = {
  access: FILE_LIST_DIRECTORY | SYNCHRONIZE,
  options: FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
};

test('the root lists no "." or ".."; other directories list them first, then entries in disc order', () => {
  const volume = cdVolume(buildIso(TREE, 'genisoimage', ['-J']));
  const root = volume.listEntries('\\??\\D:\\').map((e) => e.fileName);
  assert.deepEqual(root, ['alpha.dat', 'beta.dat', 'empty', 'hello.txt', 'other.txt', 'sub']);
  assert.deepEqual(
    volume.listEntries('sub').map((e) => e.fileName),
    ['.', '..', 'one.txt', 'two.txt'],
  );
});

test('primary names show without the ";1" and the trailing dot their records carry', () => {
  const image = buildIso(TREE, 'genisoimage', []);
  const volume = cdVolume(image);
  assert.deepEqual(volume.list(''), ['ALPHA.DAT', 'BETA.DAT', 'EMPTY', 'HELLO.TXT', 'OTHER.TXT', 'SUB']);
  const root = readDirectory(image, directoryBlock(image, []));
  assert.deepEqual(root.records.slice(2).map(identifierOf), [
    'ALPHA.DAT;1',
    'BETA.DAT;1',
    'EMPTY.;1',
    'HELLO.TXT;1',
    'OTHER.TXT;1',
    'SUB',
  ]);
});

test('names open with or without their version, in any case; a trailing dot or a wrong version does not', () => {
  const volume = cdVolume(buildIso(TREE, 'genisoimage', []));
  for (const name of ['HELLO.TXT', 'hello.txt', 'HELLO.TXT;1', 'Hello.Txt;', 'sub\\ONE.TXT;1']) {
    const { status, handle } = volume.open(name);
    assert.equal(status, STATUS_SUCCESS, name);
    volume.close(handle!);
  }
  assert.deepEqual(volume.readAll('EMPTY'), new Uint8Array(0));
  assert.equal(volume.open('EMPTY.').status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(volume.open('HELLO.TXT;2').status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(volume.open('NOPE\\HELLO.TXT').status, STATUS_OBJECT_PATH_NOT_FOUND);
  assert.equal(volume.open('HELLO.TXT\\MORE').status, STATUS_OBJECT_PATH_NOT_FOUND);
});

test('several versions of a file: the first is opened and listed; ";*" lists every version with it', () => {
  const image = buildIso(TREE, 'genisoimage', []);
  const root = readDirectory(image, directoryBlock(image, []));
  const hello = recordIndex(root, 'HELLO.TXT;1');
  const other = root.records[recordIndex(root, 'OTHER.TXT;1')]!;
  // Writers order versions highest first: insert HELLO.TXT;2 (other.txt's data) before ;1.
  const version2 = other.slice();
  version2.set(text('HELLO.TXT;2'), 33);
  root.records.splice(hello, 0, version2);
  writeDirectory(image, root);
  const volume = cdVolume(image);
  assert.deepEqual(volume.readAll('HELLO.TXT'), text('other file\n'));
  assert.deepEqual(volume.readAll('HELLO.TXT;2'), text('other file\n'));
  assert.deepEqual(volume.readAll('HELLO.TXT;1'), text('hello\n'));
  assert.deepEqual(
    volume.list('', '*').filter((n) => n.startsWith('HELLO')),
    ['HELLO.TXT'],
  );
  assert.deepEqual(volume.list('', 'HELLO.TXT;*'), ['HELLO.TXT;2', 'HELLO.TXT;1']);
  assert.deepEqual(volume.list('', '*;1'), [
    'ALPHA.DAT;1',
    'BETA.DAT;1',
    'EMPTY;1',
    'HELLO.TXT;1',
    'OTHER.TXT;1',
  ]);
});

test('wildcards match case-insensitively, DOS wildcards included; a plain name lists one entry', () => {
  const volume = cdVolume(buildIso(TREE, 'genisoimage', ['-J']));
  assert.deepEqual(volume.list('', '*.DAT'), ['alpha.dat', 'beta.dat']);
  assert.deepEqual(volume.list('', 'h?llo.*'), ['hello.txt']);
  assert.deepEqual(volume.list('', '<.txt'), ['hello.txt', 'other.txt']);
  assert.deepEqual(volume.list('', 'OTHER.TXT'), ['other.txt']);
  assert.deepEqual(volume.list('', 'missing.txt'), []);
  assert.deepEqual(volume.list('sub', '*'), ['one.txt', 'two.txt']);
  assert.deepEqual(
    volume.listEntries('sub', '.*').map((e) => e.fileName),
    ['.', '..'],
  );
});

test('small buffers and single entries enumerate everything exactly once', () => {
  const volume = cdVolume(buildIso(TREE, 'genisoimage', ['-J']));
  const all = volume.list('');
  const dir = volume.handle('', dirOptions);
  const seen: string[] = [];
  for (;;) {
    const r = volume.queryDirectory(dir, { returnSingleEntry: true });
    if (r.status !== STATUS_SUCCESS) {
      assert.equal(r.status, STATUS_NO_MORE_FILES);
      break;
    }
    assert.equal(r.entries.length, 1);
    seen.push(r.entries[0]!.fileName);
  }
  assert.deepEqual(seen, all);
  // A buffer too small for two entries still returns one per call.
  const tiny = volume.listEntries('\\??\\D:\\', null, 70).map((e) => e.fileName);
  assert.deepEqual(tiny, all);
  volume.close(dir);
});

test('a restart may bring a new expression; without a restart the first expression sticks', () => {
  const volume = cdVolume(buildIso(TREE, 'genisoimage', ['-J']));
  const dir = volume.handle('', dirOptions);
  assert.deepEqual(
    volume.queryDirectory(dir, { fileName: '*.dat' }).entries.map((e) => e.fileName),
    ['alpha.dat', 'beta.dat'],
  );
  assert.equal(volume.queryDirectory(dir, { fileName: '*.txt' }).status, STATUS_NO_MORE_FILES);
  const restarted = volume.queryDirectory(dir, { fileName: '*.txt', restartScan: true });
  assert.deepEqual(
    restarted.entries.map((e) => e.fileName),
    ['hello.txt', 'other.txt'],
  );
  assert.equal(
    volume.queryDirectory(dir, { fileName: 'zzz', restartScan: true }).status,
    STATUS_NO_SUCH_FILE,
  );
  volume.close(dir);
});

test('FileIndex is the entry’s offset in its directory, and a query can resume after one', () => {
  const image = buildIso(TREE, 'genisoimage', ['-J']);
  const volume = cdVolume(image);
  const entries = volume.listEntries('\\??\\D:\\');
  const offsets = entries.map((e) => e.fileIndex);
  assert.deepEqual(
    offsets,
    [...offsets].sort((a, b) => a - b),
  );
  assert.ok(offsets[0]! >= 68, 'after the "." and ".." records');
  const dir = volume.handle('', dirOptions);
  const resumed = volume.queryDirectory(dir, { fileIndex: offsets[2]! });
  assert.deepEqual(
    resumed.entries.map((e) => e.fileName),
    entries.slice(3).map((e) => e.fileName),
  );
  volume.close(dir);
});

test('entries carry sizes, sector-rounded allocation, the record date and FILE_ATTRIBUTE_READONLY', () => {
  const volume = cdVolume(buildIso({ 'f.bin': new Uint8Array(5000), 'd/x': 'x' }, 'genisoimage', ['-J']));
  const [dir, file] = volume.listEntries('\\??\\D:\\', null);
  assert.equal(dir!.fileName, 'd');
  assert.equal(dir!.fileAttributes, 0x10);
  assert.equal(dir!.endOfFile, 0);
  assert.equal(file!.fileName, 'f.bin');
  assert.equal(file!.fileAttributes, 0x01);
  assert.equal(file!.endOfFile, 5000);
  assert.equal(file!.allocationSize, 6144);
  assert.equal(file!.creationTime, file!.lastWriteTime);
  assert.ok(Math.abs(file!.lastWriteTime - Date.now()) < 3600_000 * 24 * 400);
});

test('the ISO hidden flag shows as FILE_ATTRIBUTE_HIDDEN; associated files are not shown', () => {
  const dir = tempDir();
  const source = path.join(dir, 'source');
  writeTree(source, TREE);
  const image = makeIso('genisoimage', source, ['-hidden', 'hello.txt'], path.join(dir, 'h.iso'));
  fs.rmSync(dir, { recursive: true, force: true });
  const root = readDirectory(image, directoryBlock(image, []));
  root.records[recordIndex(root, 'OTHER.TXT;1')]![25] = 0x04;
  writeDirectory(image, root);
  const volume = cdVolume(image);
  const entries = volume.listEntries('\\??\\D:\\');
  const hello = entries.find((e) => e.fileName === 'HELLO.TXT')!;
  assert.equal(hello.fileAttributes & FILE_ATTRIBUTE_HIDDEN, FILE_ATTRIBUTE_HIDDEN);
  assert.equal(
    entries.some((e) => e.fileName === 'OTHER.TXT'),
    false,
  );
  assert.equal(volume.open('OTHER.TXT').status, STATUS_OBJECT_NAME_NOT_FOUND);
});

test('Rock Ridge names differing only in case both open; the exact spelling wins', () => {
  const volume = cdVolume(buildIso({ README: 'upper', readme: 'lower' }, 'xorriso', ['-R']));
  assert.deepEqual(volume.list(''), ['README', 'readme']);
  assert.deepEqual(volume.readAll('README'), text('upper'));
  assert.deepEqual(volume.readAll('readme'), text('lower'));
  assert.deepEqual(volume.readAll('ReadMe'), text('upper'));
});

test('file and directory expectations of an open are checked; wildcards in a name are invalid', () => {
  const volume = cdVolume(buildIso(TREE, 'genisoimage', ['-J']));
  assert.equal(volume.open('sub', { options: FILE_NON_DIRECTORY_FILE }).status, STATUS_FILE_IS_A_DIRECTORY);
  assert.equal(volume.open('hello.txt', { options: FILE_DIRECTORY_FILE }).status, STATUS_NOT_A_DIRECTORY);
  assert.equal(volume.open('hello.txt\\').status, STATUS_NOT_A_DIRECTORY);
  assert.equal(volume.open('hel*.txt').status, STATUS_OBJECT_NAME_INVALID);
  assert.equal(volume.open('sub\\\\one.txt').status, STATUS_OBJECT_NAME_INVALID);
  const dir = volume.handle('sub\\', dirOptions);
  const file = volume.handle('hello.txt');
  assert.equal(volume.queryDirectory(file).status, STATUS_INVALID_PARAMETER);
  assert.equal(volume.queryDirectory(dir, { fileInformationClass: 999 }).status, STATUS_INVALID_INFO_CLASS);
  assert.equal(
    volume.queryDirectory(dir, { fileInformationClass: FileNamesInformation }).status,
    STATUS_SUCCESS,
  );
  assert.equal(
    volume.queryDirectory(dir, { fileInformationClass: FileBothDirectoryInformation, restartScan: true })
      .status,
    STATUS_SUCCESS,
  );
  volume.close(dir);
  volume.close(file);
});

test('relative opens start at the related directory', () => {
  const volume = cdVolume(buildIso(TREE, 'genisoimage', ['-J']));
  const dir = volume.handle('sub', dirOptions);
  const { status, handle } = volume.open('two.txt', { root: dir });
  assert.equal(status, STATUS_SUCCESS);
  assert.equal(new TextDecoder().decode(volume.read(handle!, 10).data), '2');
  volume.close(handle!);
  volume.close(dir);
});

test('share access is enforced between opens of one file and released at cleanup', () => {
  const volume = cdVolume(buildIso(TREE, 'genisoimage', ['-J']));
  const first = volume.handle('hello.txt', { share: 0 });
  assert.equal(volume.open('hello.txt', { share: FILE_SHARE_READ }).status, STATUS_SHARING_VIOLATION);
  // An attributes-only open never conflicts.
  const attributes = volume.handle('hello.txt', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
  volume.close(attributes);
  volume.close(first);
  const shared = volume.handle('hello.txt', { share: FILE_SHARE_READ });
  const second = volume.handle('hello.txt', { share: FILE_SHARE_READ });
  volume.close(shared);
  volume.close(second);
});
