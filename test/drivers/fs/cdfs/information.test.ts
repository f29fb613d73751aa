/**
 * File information as CDFS answers it (one link, never delete-pending, sizes, FileId, the full
 * path with the disc's spelling), the WSL stat record on Rock Ridge volumes, and the buffer rules.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_READONLY,
  FILE_DIRECTORY_FILE,
  FILE_LIST_DIRECTORY,
  FILE_READ_ATTRIBUTES,
  type FileAllInfo,
  FileAllInformation,
  FileAlternateNameInformation,
  type FileBasicInfo,
  FileBasicInformation,
  FileEaInformation,
  FileInternalInformation,
  FileNameInformation,
  type FileNetworkOpenInfo,
  FileNetworkOpenInformation,
  type FileStandardInfo,
  FileStandardInformation,
  type FileStatLxInfo,
  FileStatLxInformation,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { buildIso, cdVolume } from './setup.ts';

const TREE = {
  'Hello.txt': 'hello\n',
  'data/Five-K.bin': new Uint8Array(5000),
  'odd:name.txt': 'colon\n',
};

test('basic, standard, network and all information describe the file as CDFS does', () => {
  const volume = cdVolume(buildIso(TREE, 'genisoimage', ['-J', '-R']));
  const h = volume.handle('DATA\\five-k.BIN');
  const basic = volume.query<FileBasicInfo>(h, FileBasicInformation).info!;
  assert.equal(basic.fileAttributes, FILE_ATTRIBUTE_READONLY);
  const standard = volume.query<FileStandardInfo>(h, FileStandardInformation).info!;
  assert.deepEqual(standard, {
    allocationSize: 6144,
    endOfFile: 5000,
    numberOfLinks: 1,
    deletePending: false,
    directory: false,
  });
  const network = volume.query<FileNetworkOpenInfo>(h, FileNetworkOpenInformation).info!;
  assert.equal(network.endOfFile, 5000);
  assert.equal(network.lastWriteTime, basic.lastWriteTime);
  const all = volume.query<FileAllInfo>(h, FileAllInformation).info!;
  assert.equal(all.name.fileName, '\\data\\Five-K.bin', 'the path as the disc spells it');
  assert.deepEqual(volume.query(h, FileEaInformation).info, { eaSize: 0 });
  assert.equal(volume.query(h, FileAlternateNameInformation).status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(volume.query(h, 999).status, STATUS_INVALID_INFO_CLASS, 'the I/O manager refuses it first');
  volume.close(h);
  const dir = volume.handle('data', {
    access: FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
    options: FILE_DIRECTORY_FILE,
  });
  const dirStandard = volume.query<FileStandardInfo>(dir, FileStandardInformation).info!;
  assert.deepEqual(dirStandard, {
    allocationSize: 0,
    endOfFile: 0,
    numberOfLinks: 1,
    deletePending: false,
    directory: true,
  });
  assert.equal(
    volume.query<FileBasicInfo>(dir, FileBasicInformation).info!.fileAttributes,
    FILE_ATTRIBUTE_DIRECTORY,
  );
  volume.close(dir);
});

test('the FileId is stable across opens and differs between files', () => {
  const volume = cdVolume(buildIso(TREE, 'genisoimage', ['-J']));
  const id = (name: string): number => {
    const h = volume.handle(name, { options: 0 });
    const value = volume.query<{ indexNumber: number }>(h, FileInternalInformation).info!.indexNumber;
    volume.close(h);
    return value;
  };
  assert.equal(id('hello.txt'), id('HELLO.TXT'));
  assert.notEqual(id('hello.txt'), id('data\\five-k.bin'));
  assert.notEqual(id('data'), id(''));
  const entry = volume.listEntries('data').find((e) => e.fileName === 'Five-K.bin')!;
  assert.equal(entry.fileId, id('data\\five-k.bin'));
});

test('buffers below the fixed size are refused; a name that does not fit is cut with STATUS_BUFFER_OVERFLOW', () => {
  const volume = cdVolume(buildIso(TREE, 'genisoimage', ['-J']));
  const h = volume.handle('data\\Five-K.bin');
  assert.equal(volume.query(h, FileBasicInformation, 39).status, STATUS_INFO_LENGTH_MISMATCH);
  const cut = volume.query<{ fileName: string }>(h, FileNameInformation, 4 + 2 * 5);
  assert.equal(cut.status, STATUS_BUFFER_OVERFLOW);
  assert.equal(cut.info!.fileName, '\\data');
  assert.equal(volume.query(h, FileNameInformation).status, STATUS_SUCCESS);
  volume.close(h);
  const { handle: v } = volume.openVolume();
  assert.equal(volume.query(v!, FileBasicInformation).status, STATUS_INVALID_PARAMETER);
  volume.close(v!);
});

test('the WSL stat record carries PX metadata on Rock Ridge volumes and none elsewhere', () => {
  const rr = cdVolume(buildIso(TREE, 'xorriso', ['-R']));
  const h = rr.handle('Hello.txt');
  const stat = rr.query<FileStatLxInfo>(h, FileStatLxInformation).info!;
  assert.equal(stat.lxFlags, 0x7);
  assert.equal(stat.lxMode & 0o170000, 0o100000);
  assert.equal(stat.endOfFile, 6);
  rr.close(h);
  const joliet = cdVolume(buildIso(TREE, 'genisoimage', ['-J']));
  const j = joliet.handle('Hello.txt');
  assert.equal(joliet.query<FileStatLxInfo>(j, FileStatLxInformation).info!.lxFlags, 0);
  joliet.close(j);
});

test('a Rock Ridge name NT cannot carry falls back to the ISO 9660 name of the same record', () => {
  const volume = cdVolume(buildIso(TREE, 'xorriso', ['-R']));
  const names = volume.list('');
  assert.ok(names.includes('Hello.txt'));
  assert.ok(!names.includes('odd:name.txt'));
  const fallback = names.find((name) => name.toUpperCase().startsWith('ODD'))!;
  assert.match(fallback, /^ODD_NAME\.TXT$/u);
  assert.deepEqual(volume.readAll(fallback), new TextEncoder().encode('colon\n'));
});
