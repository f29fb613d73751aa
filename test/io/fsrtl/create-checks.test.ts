/**
 * The create checks every file system shares (src/io/fsrtl/create-checks.ts): what a request that
 * breaks several rules at once is told (the first rule in FastFat's order), and the volume-open
 * rules as MemFS, FAT and RAW apply them through real opens.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSystem, NtClose, NtCreateFile } from '../../../src/api/index.ts';
import {
  DELETE,
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_SYSTEM,
  FILE_ATTRIBUTE_TEMPORARY,
  FILE_CREATE,
  FILE_DELETE_ON_CLOSE,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_DIRECTORY_FILE,
  FILE_DOES_NOT_EXIST,
  FILE_EXISTS,
  FILE_GENERIC_READ,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OPEN_IF,
  FILE_OPENED,
  FILE_OVERWRITE,
  FILE_OVERWRITE_IF,
  FILE_OVERWRITTEN,
  FILE_READ_ATTRIBUTES,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_SUPERSEDE,
  FILE_SUPERSEDED,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FILE_WRITE_DATA,
  mustBeSync,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_CANNOT_DELETE,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_A_DIRECTORY,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../src/base/index.ts';
import { fatFormat } from '../../../src/drivers/fs/fat/format.ts';
import { fatDriver } from '../../../src/drivers/fs/fat/index.ts';
import { memFsDriver, memFsFormat } from '../../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../../src/drivers/storage/ramdisk/index.ts';
import {
  CreateRequest,
  checkCreateNew,
  checkNewFileAttributes,
  checkOpenExisting,
  checkOverwriteAttributes,
  checkReadOnlyFileOpen,
  checkVolumeOpen,
  FileObject,
  IoCreateDevice,
  IoLoadDriver,
  newFileAttributes,
  opensForChange,
  overwrittenAttributes,
  targetDirectoryOpened,
} from '../../../src/io/index.ts';
import { loadDriver } from '../../support/conformance.ts';

function requestMaker(): (
  disposition: number,
  options?: number,
  access?: number,
  attributes?: number,
) => CreateRequest {
  const system = createSystem({ withoutRaw: true });
  const driver = loadDriver(system, 'Fs', 'file-system');
  const device = IoCreateDevice(driver, null, null, FILE_DEVICE_DISK_FILE_SYSTEM, 0, false).deviceObject!;
  return (disposition, options = 0, access = FILE_GENERIC_READ, attributes = 0) =>
    new CreateRequest(
      new FileObject(device, 'name', null, null),
      access,
      0,
      attributes,
      disposition,
      options,
      false,
    );
}

test('an existing name: FILE_CREATE collides before anything is said about its type', () => {
  const request = requestMaker();
  assert.equal(
    checkOpenExisting(request(FILE_CREATE, FILE_DIRECTORY_FILE), false, true),
    STATUS_OBJECT_NAME_COLLISION,
  );
  assert.equal(
    checkOpenExisting(request(FILE_OPEN, FILE_NON_DIRECTORY_FILE), true, false),
    STATUS_FILE_IS_A_DIRECTORY,
  );
  assert.equal(checkOpenExisting(request(FILE_OVERWRITE_IF), true, false), STATUS_FILE_IS_A_DIRECTORY);
  assert.equal(
    checkOpenExisting(request(FILE_OPEN_IF), true, true),
    STATUS_SUCCESS,
    'a directory may be named with \\',
  );
  assert.equal(
    checkOpenExisting(request(FILE_OPEN, FILE_DIRECTORY_FILE), false, true),
    STATUS_NOT_A_DIRECTORY,
  );
  assert.equal(checkOpenExisting(request(FILE_OPEN), false, true), STATUS_OBJECT_NAME_INVALID);
  assert.equal(checkOpenExisting(request(FILE_SUPERSEDE), false, false), STATUS_SUCCESS);
});

test('a read-only file refuses delete-on-close first, then write-like access and overwrites; a read-only directory takes entries', () => {
  const request = requestMaker();
  const writeAndDelete = request(FILE_OVERWRITE, FILE_DELETE_ON_CLOSE, FILE_WRITE_DATA | DELETE);
  assert.equal(checkReadOnlyFileOpen(writeAndDelete, true, false), STATUS_CANNOT_DELETE);
  assert.equal(checkReadOnlyFileOpen(writeAndDelete, false, false), STATUS_SUCCESS, 'only read-only files');
  assert.equal(
    checkReadOnlyFileOpen(request(FILE_OPEN, 0, FILE_WRITE_DATA), true, false),
    STATUS_ACCESS_DENIED,
  );
  assert.equal(checkReadOnlyFileOpen(request(FILE_SUPERSEDE), true, false), STATUS_ACCESS_DENIED);
  assert.equal(checkReadOnlyFileOpen(request(FILE_OPEN), true, false), STATUS_SUCCESS);
  assert.equal(checkReadOnlyFileOpen(request(FILE_OPEN, 0, FILE_WRITE_DATA), true, true), STATUS_SUCCESS);
  assert.equal(
    checkReadOnlyFileOpen(request(FILE_OPEN, FILE_DELETE_ON_CLOSE, DELETE), true, true),
    STATUS_CANNOT_DELETE,
  );
});

test('overwriting a hidden or system file must ask for those attributes; opening it need not', () => {
  const request = requestMaker();
  const both = FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM;
  assert.equal(
    checkOverwriteAttributes(request(FILE_OVERWRITE, 0, 0, FILE_ATTRIBUTE_HIDDEN), both),
    STATUS_ACCESS_DENIED,
  );
  assert.equal(checkOverwriteAttributes(request(FILE_OVERWRITE, 0, 0, both), both), STATUS_SUCCESS);
  assert.equal(checkOverwriteAttributes(request(FILE_OPEN), both), STATUS_SUCCESS);
  assert.equal(checkOverwriteAttributes(request(FILE_SUPERSEDE), FILE_ATTRIBUTE_READONLY), STATUS_SUCCESS);
});

test('a missing name: FILE_OPEN and FILE_OVERWRITE need it, then a trailing backslash needs a directory', () => {
  const request = requestMaker();
  assert.equal(checkCreateNew(request(FILE_OPEN), true), STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(checkCreateNew(request(FILE_OVERWRITE), false), STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(checkCreateNew(request(FILE_CREATE), true), STATUS_OBJECT_NAME_INVALID);
  assert.equal(checkCreateNew(request(FILE_OPEN_IF, FILE_DIRECTORY_FILE), true), STATUS_SUCCESS);
  assert.equal(checkCreateNew(request(FILE_SUPERSEDE), false), STATUS_SUCCESS);
  const temporaryDirectory = request(
    FILE_CREATE,
    FILE_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE,
    DELETE,
    FILE_ATTRIBUTE_TEMPORARY | FILE_ATTRIBUTE_READONLY,
  );
  assert.equal(checkNewFileAttributes(temporaryDirectory), STATUS_INVALID_PARAMETER);
  assert.equal(
    checkNewFileAttributes(request(FILE_CREATE, FILE_DELETE_ON_CLOSE, DELETE, FILE_ATTRIBUTE_READONLY)),
    STATUS_CANNOT_DELETE,
  );
  assert.equal(checkNewFileAttributes(request(FILE_CREATE, 0, 0, FILE_ATTRIBUTE_TEMPORARY)), STATUS_SUCCESS);
});

test('the dispositions that replace data, and what a successful open of an existing file reports', () => {
  const request = requestMaker();
  const cases: Array<[number, boolean, number]> = [
    [FILE_OPEN, false, FILE_OPENED],
    [FILE_OPEN_IF, false, FILE_OPENED],
    [FILE_OVERWRITE, true, FILE_OVERWRITTEN],
    [FILE_OVERWRITE_IF, true, FILE_OVERWRITTEN],
    [FILE_SUPERSEDE, true, FILE_SUPERSEDED],
  ];
  for (const [disposition, overwrite, information] of cases) {
    assert.equal(request(disposition).overwrite, overwrite, `disposition ${disposition}`);
    assert.equal(request(disposition).existingInformation, information, `disposition ${disposition}`);
    assert.equal(opensForChange(request(disposition, 0, FILE_READ_ATTRIBUTES)), overwrite);
  }
  assert.equal(opensForChange(request(FILE_OPEN, FILE_DELETE_ON_CLOSE, DELETE)), true);
  assert.equal(opensForChange(request(FILE_OPEN, 0, FILE_WRITE_DATA)), true);
});

test('new attributes keep what the file system stores and add ARCHIVE or DIRECTORY; supersede replaces, overwrite adds', () => {
  const request = requestMaker();
  const storable =
    FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_ARCHIVE;
  const asked = FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_NORMAL | FILE_ATTRIBUTE_TEMPORARY;
  assert.equal(newFileAttributes(asked, false, storable), FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE);
  assert.equal(newFileAttributes(asked, true, storable), FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_DIRECTORY);
  const current = FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_ARCHIVE;
  assert.equal(
    overwrittenAttributes(request(FILE_SUPERSEDE), current, FILE_ATTRIBUTE_ARCHIVE),
    FILE_ATTRIBUTE_ARCHIVE,
  );
  assert.equal(
    overwrittenAttributes(request(FILE_OVERWRITE), current, FILE_ATTRIBUTE_HIDDEN),
    current | FILE_ATTRIBUTE_HIDDEN,
  );
});

test('a target directory open keeps the final component in the file object and reports whether it exists', () => {
  const request = requestMaker();
  const exists = request(FILE_OPEN);
  assert.equal(targetDirectoryOpened(exists, 'new.txt', true), STATUS_SUCCESS);
  assert.equal(exists.fileObject.fileName, 'new.txt');
  assert.equal(exists.information, FILE_EXISTS);
  const missing = request(FILE_OPEN);
  targetDirectoryOpened(missing, 'other', false);
  assert.equal(missing.information, FILE_DOES_NOT_EXIST);
  const parent = request(FILE_SUPERSEDE, FILE_NON_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE).forTargetDirectory();
  assert.equal(parent.disposition, FILE_OPEN);
  assert.equal(parent.directoryFile && !parent.nonDirectoryFile && !parent.deleteOnClose, true);
});

test('a volume open is not a directory, cannot be deleted, and only opens, in that order', () => {
  const request = requestMaker();
  assert.equal(
    checkVolumeOpen(request(FILE_CREATE, FILE_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE)),
    STATUS_NOT_A_DIRECTORY,
  );
  assert.equal(checkVolumeOpen(request(FILE_CREATE, FILE_DELETE_ON_CLOSE)), STATUS_CANNOT_DELETE);
  assert.equal(checkVolumeOpen(request(FILE_OVERWRITE_IF)), STATUS_ACCESS_DENIED);
  assert.equal(checkVolumeOpen(request(FILE_OPEN_IF)), STATUS_SUCCESS);
});

/** Opens `\Device\RamDisk0` (the volume itself) on a fresh system with the given file system. */
function volumeOpener(fileSystem: 'memfs' | 'fat' | 'raw') {
  const system = createSystem();
  const process = system.createProcess('t.exe');
  if (fileSystem === 'memfs') IoLoadDriver(system, memFsDriver);
  if (fileSystem === 'fat') IoLoadDriver(system, fatDriver);
  const format = fileSystem === 'memfs' ? memFsFormat() : fileSystem === 'fat' ? fatFormat() : undefined;
  IoCreateRamDisk(system, { sizeBytes: 2 * 1024 * 1024, ...(format ? { format } : {}) });
  return (disposition: number, options: number, access = FILE_GENERIC_READ | DELETE): NTSTATUS => {
    const opened = mustBeSync(
      NtCreateFile(system, process, {
        objectName: '\\Device\\RamDisk0',
        desiredAccess: access | SYNCHRONIZE,
        shareAccess: FILE_SHARE_READ | FILE_SHARE_WRITE,
        createDisposition: disposition,
        createOptions: options | FILE_SYNCHRONOUS_IO_NONALERT,
      }),
      'open',
    );
    if (opened.status === STATUS_SUCCESS) NtClose(process, opened.handle!);
    return opened.status;
  };
}

for (const fileSystem of ['memfs', 'fat', 'raw'] as const) {
  test(`${fileSystem}: a volume open refuses a directory open, delete-on-close and creating dispositions`, () => {
    const open = volumeOpener(fileSystem);
    assert.equal(open(FILE_OPEN, FILE_DIRECTORY_FILE), STATUS_NOT_A_DIRECTORY);
    assert.equal(open(FILE_OPEN, FILE_DELETE_ON_CLOSE), STATUS_CANNOT_DELETE);
    assert.equal(open(FILE_CREATE, 0), STATUS_ACCESS_DENIED);
    assert.equal(open(FILE_SUPERSEDE, 0), STATUS_ACCESS_DENIED);
    assert.equal(open(FILE_OPEN_IF, 0), STATUS_SUCCESS, 'and the volume still opens afterwards');
    assert.equal(open(FILE_OPEN, 0), STATUS_SUCCESS);
  });
}
