import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_TEMPORARY,
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_READ_ATTRIBUTES,
  FILE_WRITE_ATTRIBUTES,
  type FileAllInfo,
  FileAllInformation,
  FileAllocationInformation,
  FileAttributeTagInformation,
  type FileBasicInfo,
  FileBasicInformation,
  FileEaInformation,
  FileEndOfFileInformation,
  type FileInternalInfo,
  FileInternalInformation,
  FileLinkInformation,
  type FileNameInfo,
  FileNameInformation,
  type FileNetworkOpenInfo,
  FileNetworkOpenInformation,
  type FileStandardInfo,
  FileStandardInformation,
  STATUS_BUFFER_OVERFLOW,
  STATUS_DISK_FULL,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { memfsVolume } from './setup.ts';

test('every file gets its own index number, stable while it lives', () => {
  const v = memfsVolume();
  v.mkdir('d');
  v.writeFile('d\\a', '1');
  v.writeFile('b', '2');
  const ids = ['d', 'd\\a', 'b'].map((path) => {
    const h = v.handle(path, { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE, options: 0 });
    const id = v.query<FileInternalInfo>(h, FileInternalInformation).info!.indexNumber;
    v.close(h);
    return id;
  });
  assert.equal(new Set(ids).size, 3);
  const again = v.handle('d\\a', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
  assert.equal(v.query<FileInternalInfo>(again, FileInternalInformation).info!.indexNumber, ids[1]);
  v.close(again);
});

test('FileNameInformation is the path from the volume root with the names as created', () => {
  const v = memfsVolume();
  v.mkdir('Docs');
  v.writeFile('Docs\\Report.TXT', 'x');
  const h = v.handle('docs\\report.txt');
  assert.equal(v.query<FileNameInfo>(h, FileNameInformation).info!.fileName, '\\Docs\\Report.TXT');
  v.close(h);
  const root = v.handle('\\??\\M:\\', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
  assert.equal(v.query<FileNameInfo>(root, FileNameInformation).info!.fileName, '\\');
  v.close(root);
});

test('standard, network-open, all and attribute-tag records agree with each other', () => {
  const v = memfsVolume();
  const h = v.handle('f', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_HIDDEN });
  v.write(h, new Uint8Array(1000));
  const standard = v.query<FileStandardInfo>(h, FileStandardInformation).info!;
  assert.deepEqual(standard, {
    allocationSize: 1024,
    endOfFile: 1000,
    numberOfLinks: 1,
    deletePending: false,
    directory: false,
  });
  const open = v.query<FileNetworkOpenInfo>(h, FileNetworkOpenInformation).info!;
  assert.equal(open.endOfFile, 1000);
  assert.equal(open.allocationSize, 1024);
  assert.equal(open.fileAttributes, FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE);
  const all = v.query<FileAllInfo>(h, FileAllInformation).info!;
  assert.deepEqual(all.standard, standard);
  assert.equal(all.name.fileName, '\\f');
  assert.equal(all.position.currentByteOffset, 1000);
  assert.deepEqual(v.query(h, FileAttributeTagInformation).info, {
    fileAttributes: FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE,
    reparseTag: 0,
  });
  v.close(h);
});

test('a directory reports DIRECTORY, no size and the directory flag', () => {
  const v = memfsVolume();
  v.mkdir('d');
  const h = v.handle('d', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
  assert.deepEqual(v.query<FileStandardInfo>(h, FileStandardInformation).info, {
    allocationSize: 0,
    endOfFile: 0,
    numberOfLinks: 1,
    deletePending: false,
    directory: true,
  });
  assert.equal(
    v.query<FileBasicInfo>(h, FileBasicInformation).info!.fileAttributes,
    FILE_ATTRIBUTE_DIRECTORY,
  );
  v.close(h);
});

test('a buffer too small for the fixed part is STATUS_INFO_LENGTH_MISMATCH, for the name STATUS_BUFFER_OVERFLOW', () => {
  const v = memfsVolume();
  v.writeFile('a-rather-long-name.txt', 'x');
  const h = v.handle('a-rather-long-name.txt');
  assert.equal(v.query(h, FileBasicInformation, 39).status, STATUS_INFO_LENGTH_MISMATCH);
  assert.equal(v.query(h, FileBasicInformation, 40).status, STATUS_SUCCESS);
  assert.equal(v.query(h, FileNameInformation, 3).status, STATUS_INFO_LENGTH_MISMATCH);
  const partial = v.query<{ fileName: string }>(h, FileNameInformation, 10);
  assert.equal(partial.status, STATUS_BUFFER_OVERFLOW);
  assert.equal(
    partial.info?.fileName,
    '\\a-',
    'a warning still returns what fits: 3 UTF-16 units after the 4-byte length',
  );
  v.close(h);
});

test('unknown or unsupported classes are STATUS_INVALID_INFO_CLASS, volume opens have no file information', () => {
  const v = memfsVolume();
  v.writeFile('f', 'x');
  const h = v.handle('f');
  assert.equal(v.query(h, FileEaInformation).status, STATUS_INVALID_INFO_CLASS);
  assert.equal(v.query(h, 999).status, STATUS_INVALID_INFO_CLASS);
  v.close(h);
  const volume = v.openVolume();
  assert.equal(v.query(volume.handle!, FileStandardInformation).status, STATUS_INVALID_PARAMETER);
  v.close(volume.handle!);
});

test('setting basic information changes only what is given; 0 and -1 leave a time alone', () => {
  const v = memfsVolume();
  const h = v.handle('f', {
    disposition: FILE_CREATE,
    access: FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES | SYNCHRONIZE,
  });
  const before = v.query<FileBasicInfo>(h, FileBasicInformation).info!;
  const now = v.tick();
  const info = { creationTime: 1234, lastAccessTime: 0, lastWriteTime: -1, changeTime: 0, fileAttributes: 0 };
  assert.equal(v.set(h, FileBasicInformation, info), STATUS_SUCCESS);
  const after = v.query<FileBasicInfo>(h, FileBasicInformation).info!;
  assert.equal(after.creationTime, 1234);
  assert.equal(after.lastAccessTime, before.lastAccessTime);
  assert.equal(after.lastWriteTime, before.lastWriteTime);
  assert.equal(after.changeTime, now, 'a change moves the change time');
  assert.equal(after.fileAttributes, before.fileAttributes);
  assert.equal(
    v.set(h, FileBasicInformation, {
      ...info,
      fileAttributes: FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN,
    }),
    STATUS_SUCCESS,
  );
  assert.equal(
    v.query<FileBasicInfo>(h, FileBasicInformation).info!.fileAttributes,
    FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN,
  );
  assert.equal(
    v.set(h, FileBasicInformation, { ...info, fileAttributes: FILE_ATTRIBUTE_NORMAL }),
    STATUS_SUCCESS,
  );
  assert.equal(v.query<FileBasicInfo>(h, FileBasicInformation).info!.fileAttributes, FILE_ATTRIBUTE_NORMAL);
  v.close(h);
});

test('a file cannot become a directory, a directory cannot become temporary, garbage is refused', () => {
  const v = memfsVolume();
  const h = v.handle('f', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_HIDDEN });
  const zero = { creationTime: 0, lastAccessTime: 0, lastWriteTime: 0, changeTime: 0 };
  assert.equal(
    v.set(h, FileBasicInformation, { ...zero, fileAttributes: FILE_ATTRIBUTE_DIRECTORY }),
    STATUS_INVALID_PARAMETER,
  );
  assert.equal(
    v.set(h, FileBasicInformation, { ...zero, creationTime: Number.NaN, fileAttributes: 0 }),
    STATUS_INVALID_PARAMETER,
  );
  assert.equal(
    v.set(h, FileBasicInformation, { ...zero, fileAttributes: 0x40000000 }),
    STATUS_INVALID_PARAMETER,
  );
  assert.equal(
    v.set(h, FileBasicInformation, { ...zero, fileAttributes: 'hidden' }),
    STATUS_INVALID_PARAMETER,
  );
  assert.equal(
    v.query<FileBasicInfo>(h, FileBasicInformation).info!.fileAttributes,
    FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE,
  );
  v.close(h);
  v.mkdir('d');
  const d = v.handle('d', { access: FILE_WRITE_ATTRIBUTES | FILE_READ_ATTRIBUTES | SYNCHRONIZE });
  assert.equal(
    v.set(d, FileBasicInformation, { ...zero, fileAttributes: FILE_ATTRIBUTE_TEMPORARY }),
    STATUS_INVALID_PARAMETER,
  );
  assert.equal(
    v.set(d, FileBasicInformation, { ...zero, fileAttributes: FILE_ATTRIBUTE_HIDDEN }),
    STATUS_SUCCESS,
  );
  assert.equal(
    v.query<FileBasicInfo>(d, FileBasicInformation).info!.fileAttributes,
    FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_DIRECTORY,
  );
  v.close(d);
});

test('end of file truncates and extends; allocation only truncates', () => {
  const v = memfsVolume();
  const h = v.handle('f', { disposition: FILE_CREATE });
  v.write(h, 'abcdefgh');
  assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: 3 }), STATUS_SUCCESS);
  assert.equal(new TextDecoder().decode(v.read(h, 10).data), 'abc');
  assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: 6 }), STATUS_SUCCESS);
  assert.deepEqual([...v.read(h, 10).data], [97, 98, 99, 0, 0, 0]);
  assert.equal(v.set(h, FileAllocationInformation, { allocationSize: 100 }), STATUS_SUCCESS);
  assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.endOfFile, 6);
  assert.equal(v.set(h, FileAllocationInformation, { allocationSize: 2 }), STATUS_SUCCESS);
  assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.endOfFile, 2);
  for (const bad of [-1, 1.5, Number.NaN, '3', null]) {
    assert.equal(
      v.set(h, FileEndOfFileInformation, { endOfFile: bad }),
      STATUS_INVALID_PARAMETER,
      String(bad),
    );
  }
  assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: 10 << 20 }), STATUS_DISK_FULL);
  assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.endOfFile, 2);
  v.close(h);
});

test('a directory has no end of file to set', () => {
  const v = memfsVolume();
  v.mkdir('d');
  const h = v.handle('d', { options: FILE_DIRECTORY_FILE });
  assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: 0 }), STATUS_INVALID_PARAMETER);
  v.close(h);
});

test('hard links are not supported', () => {
  const v = memfsVolume();
  v.writeFile('f', 'x');
  const h = v.handle('f');
  assert.equal(
    v.set(h, FileLinkInformation, { replaceIfExists: false, rootDirectory: null, fileName: 'g' }),
    STATUS_INVALID_DEVICE_REQUEST,
  );
  v.close(h);
});
