/**
 * Behaviour cases for NtQueryInformationFile and NtSetInformationFile on every file system: index
 * numbers, names, the standard, network-open, all and attribute-tag records, buffer lengths,
 * classes a file system does not answer, basic information, end of file and allocation, links.
 */
import assert from 'node:assert/strict';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_TEMPORARY,
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_READ_ATTRIBUTES,
  FILE_WRITE_ATTRIBUTES,
  type FileAllInfo,
  FileAllInformation,
  FileAllocationInformation,
  FileAttributeTagInformation,
  type FileBasicInfo,
  FileBasicInformation,
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
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { type BehaviourCase, ROOT } from './fixture.ts';

const ATTRIBUTES_ONLY = { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE };
const ZERO_TIMES = { creationTime: 0, lastAccessTime: 0, lastWriteTime: 0, changeTime: 0 };

export const INFORMATION_CASES: BehaviourCase[] = [
  {
    name: 'every file gets its own index number, stable while it lives',
    tree: { d: null, 'd/a': '1', b: '2' },
    reads: true,
    run(v) {
      const indexOf = (path: string): number => {
        const h = v.handle(path, ATTRIBUTES_ONLY);
        const id = v.query<FileInternalInfo>(h, FileInternalInformation).info!.indexNumber;
        v.close(h);
        return id;
      };
      const ids = ['d', 'd\\a', 'b'].map(indexOf);
      assert.equal(new Set(ids).size, 3);
      assert.equal(indexOf('d\\a'), ids[1]);
    },
  },
  {
    name: 'FileNameInformation is the path from the volume root with the names as created',
    tree: { 'Some Dir': null, 'Some Dir/File.Name': 'x' },
    reads: true,
    run(v, caps) {
      const h = v.handle('some dir\\file.name', { access: FILE_GENERIC_READ });
      assert.equal(
        v.query<FileNameInfo>(h, FileNameInformation).info!.fileName,
        `${caps.namePrefix}\\Some Dir\\File.Name`,
      );
      v.close(h);
      const root = v.handle(ROOT, ATTRIBUTES_ONLY);
      assert.equal(v.query<FileNameInfo>(root, FileNameInformation).info!.fileName, `${caps.namePrefix}\\`);
      v.close(root);
    },
  },
  {
    name: 'standard, network-open, all and attribute-tag records agree with each other',
    tree: { f: 'x'.repeat(1000) },
    reads: true,
    run(v, caps) {
      const h = v.handle('f', { access: FILE_GENERIC_READ });
      v.read(h, 1000, null);
      const standard = v.query<FileStandardInfo>(h, FileStandardInformation).info!;
      assert.equal(standard.endOfFile, 1000);
      assert.ok(standard.allocationSize >= 1000, `allocation ${standard.allocationSize}`);
      assert.deepEqual(
        [standard.numberOfLinks, standard.deletePending, standard.directory],
        [1, false, false],
      );
      const basic = v.query<FileBasicInfo>(h, FileBasicInformation).info!;
      const open = v.query<FileNetworkOpenInfo>(h, FileNetworkOpenInformation).info!;
      assert.deepEqual(
        [open.endOfFile, open.allocationSize, open.fileAttributes, open.lastWriteTime],
        [1000, standard.allocationSize, basic.fileAttributes, basic.lastWriteTime],
      );
      const all = v.query<FileAllInfo>(h, FileAllInformation).info!;
      assert.deepEqual(all.standard, standard);
      assert.deepEqual(all.basic, basic);
      assert.equal(all.position.currentByteOffset, 1000);
      assert.equal(all.name.fileName, `${caps.namePrefix}\\f`);
      assert.deepEqual(v.query(h, FileAttributeTagInformation).info, {
        fileAttributes: basic.fileAttributes,
        reparseTag: 0,
      });
      v.close(h);
    },
  },
  {
    name: 'a directory reports DIRECTORY, no size and the directory flag',
    tree: { d: null },
    reads: true,
    run(v, caps) {
      const h = v.handle('d', { ...ATTRIBUTES_ONLY, options: FILE_DIRECTORY_FILE });
      const standard = v.query<FileStandardInfo>(h, FileStandardInformation).info!;
      assert.deepEqual([standard.deletePending, standard.directory], [false, true]);
      // HostFS reports the host's size and link count (docs/drivers.md, HostFS metadata).
      if (caps.directoriesHaveNoSize)
        assert.deepEqual([standard.allocationSize, standard.endOfFile, standard.numberOfLinks], [0, 0, 1]);
      const { fileAttributes } = v.query<FileBasicInfo>(h, FileBasicInformation).info!;
      assert.equal(fileAttributes & FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_DIRECTORY);
      v.close(h);
    },
  },
  {
    name: 'a buffer too small for the fixed part is STATUS_INFO_LENGTH_MISMATCH, for the name STATUS_BUFFER_OVERFLOW',
    tree: { 'a-rather-long-name.txt': 'x' },
    reads: true,
    run(v, caps) {
      const h = v.handle('a-rather-long-name.txt', { access: FILE_GENERIC_READ });
      assert.equal(v.query(h, FileBasicInformation, 39).status, STATUS_INFO_LENGTH_MISMATCH);
      assert.equal(v.query(h, FileBasicInformation, 40).status, STATUS_SUCCESS);
      assert.equal(v.query(h, FileNameInformation, 3).status, STATUS_INFO_LENGTH_MISMATCH);
      const partial = v.query<{ fileName: string }>(h, FileNameInformation, 10);
      assert.equal(partial.status, STATUS_BUFFER_OVERFLOW);
      // A warning still returns what fits: 3 UTF-16 units after the 4-byte length.
      assert.equal(partial.info?.fileName, `${caps.namePrefix}\\a-rather-long-name.txt`.slice(0, 3));
      v.close(h);
    },
  },
  {
    name: 'an unknown class is STATUS_INVALID_INFO_CLASS, and a volume open has no file information',
    tree: { f: 'x' },
    reads: true,
    run(v, caps) {
      const h = v.handle('f', { access: FILE_GENERIC_READ });
      assert.equal(v.query(h, 999).status, STATUS_INVALID_INFO_CLASS);
      v.close(h);
      const volume = v.openVolume(FILE_GENERIC_READ);
      assert.equal(volume.status, STATUS_SUCCESS);
      const standard = v.query<FileStandardInfo>(volume.handle!, FileStandardInformation);
      // A HostFS drive names the share's root directory: there is no volume open (docs/drivers.md).
      if (caps.volumeOpens) assert.equal(standard.status, STATUS_INVALID_PARAMETER);
      else assert.equal(standard.info!.directory, true);
      v.close(volume.handle!);
    },
  },
  {
    name: 'setting basic information changes only what is given; 0 and -1 leave a time alone',
    run(v, caps) {
      const h = v.handle('f', {
        disposition: FILE_CREATE,
        access: FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES | SYNCHRONIZE,
      });
      const before = v.query<FileBasicInfo>(h, FileBasicInformation).info!;
      const now = v.tick();
      const creation = Date.UTC(2024, 5, 1, 12, 0, 0);
      const info = {
        creationTime: creation,
        lastAccessTime: 0,
        lastWriteTime: -1,
        changeTime: 0,
        fileAttributes: 0,
      };
      assert.equal(v.set(h, FileBasicInformation, info), STATUS_SUCCESS);
      const after = v.query<FileBasicInfo>(h, FileBasicInformation).info!;
      assert.equal(after.lastAccessTime, before.lastAccessTime);
      assert.equal(after.lastWriteTime, before.lastWriteTime);
      assert.equal(after.fileAttributes, before.fileAttributes);
      // HostFS cannot set a creation time (deviations: HostFS attributes).
      if (caps.times !== 'host') assert.equal(after.creationTime, creation);
      if (caps.times === 'clock') assert.equal(after.changeTime, now, 'a change moves the change time');
      const set = (fileAttributes: number): number => {
        assert.equal(v.set(h, FileBasicInformation, { ...info, fileAttributes }), STATUS_SUCCESS);
        return v.query<FileBasicInfo>(h, FileBasicInformation).info!.fileAttributes;
      };
      // HostFS stores READONLY only, and every file shows ARCHIVE (deviations: HostFS attributes).
      const extra = caps.storedAttributes ? 0 : FILE_ATTRIBUTE_ARCHIVE;
      const hidden = caps.storedAttributes ? FILE_ATTRIBUTE_HIDDEN : 0;
      assert.equal(
        set(FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN),
        FILE_ATTRIBUTE_READONLY | hidden | extra,
      );
      assert.equal(
        set(FILE_ATTRIBUTE_NORMAL),
        caps.storedAttributes ? FILE_ATTRIBUTE_NORMAL : FILE_ATTRIBUTE_ARCHIVE,
      );
      v.close(h);
    },
  },
  {
    name: 'a file cannot become a directory, a directory cannot become temporary, garbage is refused',
    tree: { f: 'x', d: null },
    run(v, caps) {
      const h = v.handle('f', { access: FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES | SYNCHRONIZE });
      const attributes = v.query<FileBasicInfo>(h, FileBasicInformation).info!.fileAttributes;
      for (const bad of [
        { ...ZERO_TIMES, fileAttributes: FILE_ATTRIBUTE_DIRECTORY },
        { ...ZERO_TIMES, creationTime: Number.NaN, fileAttributes: 0 },
        { ...ZERO_TIMES, fileAttributes: 0x40000000 },
        { ...ZERO_TIMES, fileAttributes: 'hidden' },
      ])
        assert.equal(v.set(h, FileBasicInformation, bad), STATUS_INVALID_PARAMETER, JSON.stringify(bad));
      assert.equal(v.query<FileBasicInfo>(h, FileBasicInformation).info!.fileAttributes, attributes);
      v.close(h);
      const d = v.handle('d', { access: FILE_WRITE_ATTRIBUTES | FILE_READ_ATTRIBUTES | SYNCHRONIZE });
      assert.equal(
        v.set(d, FileBasicInformation, { ...ZERO_TIMES, fileAttributes: FILE_ATTRIBUTE_TEMPORARY }),
        STATUS_INVALID_PARAMETER,
      );
      assert.equal(
        v.set(d, FileBasicInformation, { ...ZERO_TIMES, fileAttributes: FILE_ATTRIBUTE_HIDDEN }),
        STATUS_SUCCESS,
      );
      const hidden = caps.storedAttributes ? FILE_ATTRIBUTE_HIDDEN : 0;
      assert.equal(
        v.query<FileBasicInfo>(d, FileBasicInformation).info!.fileAttributes,
        hidden | FILE_ATTRIBUTE_DIRECTORY,
      );
      v.close(d);
    },
  },
  {
    name: 'end of file truncates and extends with zeros; allocation only truncates; bad sizes are refused',
    tree: { f: 'abcdefgh' },
    run(v) {
      const h = v.handle('f');
      assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: 3 }), STATUS_SUCCESS);
      assert.equal(new TextDecoder().decode(v.read(h, 10).data), 'abc');
      assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: 6 }), STATUS_SUCCESS);
      assert.deepEqual([...v.read(h, 10).data], [97, 98, 99, 0, 0, 0]);
      assert.equal(v.set(h, FileAllocationInformation, { allocationSize: 100 }), STATUS_SUCCESS);
      assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.endOfFile, 6);
      assert.equal(v.set(h, FileAllocationInformation, { allocationSize: 2 }), STATUS_SUCCESS);
      assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.endOfFile, 2);
      for (const bad of [-1, 1.5, Number.NaN, '3', null])
        assert.equal(
          v.set(h, FileEndOfFileInformation, { endOfFile: bad }),
          STATUS_INVALID_PARAMETER,
          String(bad),
        );
      assert.equal(v.query<FileStandardInfo>(h, FileStandardInformation).info!.endOfFile, 2);
      v.close(h);
      assert.equal(v.readFile('f'), 'ab');
    },
  },
  {
    name: 'a directory has no end of file to set',
    tree: { d: null },
    run(v) {
      const h = v.handle('d', { options: FILE_DIRECTORY_FILE });
      assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: 0 }), STATUS_INVALID_PARAMETER);
      v.close(h);
    },
  },
  {
    name: 'hard links are not supported and create nothing',
    tree: { f: 'x' },
    run(v) {
      const h = v.handle('f');
      assert.equal(
        v.set(h, FileLinkInformation, { replaceIfExists: false, rootDirectory: null, fileName: 'g' }),
        STATUS_INVALID_DEVICE_REQUEST,
      );
      v.close(h);
      assert.deepEqual(v.list(ROOT), ['f']);
    },
  },
];
