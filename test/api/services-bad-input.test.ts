import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NtClose } from '../../src/api/nt-close.ts';
import { NtCreateFile } from '../../src/api/nt-create-file.ts';
import { NtQueryInformationFile, NtSetInformationFile } from '../../src/api/nt-information.ts';
import { NtQueryDirectoryFile } from '../../src/api/nt-query-directory.ts';
import { NtReadFile, NtWriteFile } from '../../src/api/nt-read-write.ts';
import {
  FILE_APPEND_DATA,
  FILE_BASIC_INFORMATION_SIZE,
  FILE_COMPLETE_IF_OPLOCKED,
  FILE_DELETE_ON_CLOSE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_NO_INTERMEDIATE_BUFFERING,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OPEN_FOR_BACKUP_INTENT,
  FILE_OPEN_REPARSE_POINT,
  FILE_OVERWRITE_IF,
  FILE_READ_ATTRIBUTES,
  FILE_READ_DATA,
  FILE_RESERVE_OPFILTER,
  FILE_SEQUENTIAL_ONLY,
  FILE_SYNCHRONOUS_IO_ALERT,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FILE_WRITE_THROUGH,
  type FileAccessInfo,
  FileAccessInformation,
  type FileAlignmentInfo,
  FileAlignmentInformation,
  FileAllInformation,
  FileAlternateNameInformation,
  FileAttributeTagInformation,
  FileBasicInformation,
  FileDirectoryInformation,
  FileDispositionInformation,
  type FileModeInfo,
  FileModeInformation,
  FileNameInformation,
  FileNetworkOpenInformation,
  FilePositionInformation,
  FileRenameInformation,
  GENERIC_WRITE,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../src/base/index.ts';
import { IoLoadDriver, IoStatusBlock, System } from '../../src/io/index.ts';
import { SymbolicLink } from '../../src/ob/index.ts';
import { toyFileSystem, toyStorageDriver } from '../support/toy-drivers.ts';

function setup() {
  const log: string[] = [];
  const system = new System();
  const process = system.createProcess('test.exe');
  const storage = toyStorageDriver('Disk', log);
  const { driverObject } = IoLoadDriver(system, storage);
  IoLoadDriver(system, toyFileSystem('ToyFs', log));
  storage.createDisk(driverObject!);
  const open = (desiredAccess: number, createOptions = 0) => {
    const result = NtCreateFile(system, process, {
      objectName: '\\Device\\Disk0\\f',
      desiredAccess,
      createDisposition: FILE_OPEN,
      createOptions,
    });
    assert.ok(!(result instanceof Promise));
    assert.equal(result.status, STATUS_SUCCESS);
    return result.handle!;
  };
  return { system, process, open, log };
}

test('create parameters IoCreateFile refuses are STATUS_INVALID_PARAMETER before any driver sees them', () => {
  const { system, process, log } = setup();
  const create = (
    desiredAccess: number,
    createOptions: number,
    createDisposition = FILE_OPEN,
    extra = {},
  ) => {
    const result = NtCreateFile(system, process, {
      objectName: '\\Device\\Disk0\\f',
      desiredAccess,
      createDisposition,
      createOptions,
      ...extra,
    });
    assert.ok(!(result instanceof Promise));
    return result.status;
  };
  const cases: Array<[string, NTSTATUS]> = [
    ['disposition past FILE_MAXIMUM_DISPOSITION', create(FILE_GENERIC_READ, 0, 6)],
    ['an option bit past FILE_VALID_OPTION_FLAGS', create(FILE_GENERIC_READ, 0x01000000)],
    ['share bits past FILE_SHARE_VALID_FLAGS', create(FILE_GENERIC_READ, 0, FILE_OPEN, { shareAccess: 8 })],
    [
      'a directory and a non-directory at once',
      create(FILE_GENERIC_READ, FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE),
    ],
    ['a directory overwritten', create(FILE_GENERIC_READ, FILE_DIRECTORY_FILE, FILE_OVERWRITE_IF)],
    ['a directory read sequentially', create(FILE_GENERIC_READ, FILE_DIRECTORY_FILE | FILE_SEQUENTIAL_ONLY)],
    [
      'a directory without buffering',
      create(FILE_GENERIC_READ, FILE_DIRECTORY_FILE | FILE_NO_INTERMEDIATE_BUFFERING),
    ],
    [
      'both synchronous modes',
      create(FILE_GENERIC_READ, FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT),
    ],
    ['synchronous I/O without SYNCHRONIZE', create(FILE_READ_DATA, FILE_SYNCHRONOUS_IO_NONALERT)],
    ['delete on close without DELETE', create(FILE_GENERIC_READ, FILE_DELETE_ON_CLOSE)],
    [
      'oplock completion with a reserved opfilter',
      create(FILE_GENERIC_READ, FILE_COMPLETE_IF_OPLOCKED | FILE_RESERVE_OPFILTER),
    ],
    ['unbuffered appends', create(FILE_APPEND_DATA, FILE_NO_INTERMEDIATE_BUFFERING)],
  ];
  for (const [what, status] of cases) assert.equal(status, STATUS_INVALID_PARAMETER, what);
  assert.deepEqual(log, []);
  // GENERIC_WRITE maps to FILE_APPEND_DATA among others, but only the access as asked counts.
  assert.equal(create(GENERIC_WRITE | SYNCHRONIZE, FILE_NO_INTERMEDIATE_BUFFERING), STATUS_SUCCESS);
  assert.equal(
    create(FILE_GENERIC_READ, FILE_DIRECTORY_FILE | FILE_OPEN_FOR_BACKUP_INTENT | FILE_OPEN_REPARSE_POINT),
    STATUS_SUCCESS,
  );
});

test('a read through a handle that lacks FILE_READ_DATA is refused before any driver sees it', () => {
  const { process, open, log } = setup();
  const handle = open(FILE_READ_ATTRIBUTES);
  log.length = 0;
  const iosb = new IoStatusBlock();
  assert.equal(NtReadFile(process, handle, iosb, new Uint8Array(16), 16, 0), STATUS_ACCESS_DENIED);
  assert.equal(iosb.status, STATUS_ACCESS_DENIED);
  assert.equal(NtWriteFile(process, handle, iosb, new Uint8Array(16), 16, 0), STATUS_ACCESS_DENIED);
  assert.deepEqual(log, []);
});

test('closed, unknown and non-file handles give the object manager statuses', () => {
  const { system, process, open } = setup();
  const handle = open(FILE_GENERIC_READ);
  assert.equal(NtClose(process, handle), STATUS_SUCCESS);
  assert.equal(NtClose(process, handle), STATUS_INVALID_HANDLE);
  const iosb = new IoStatusBlock();
  assert.equal(NtReadFile(process, handle, iosb, new Uint8Array(1), 1, 0), STATUS_INVALID_HANDLE);
  assert.equal(NtReadFile(process, 12345, iosb, new Uint8Array(1), 1, 0), STATUS_INVALID_HANDLE);
  const link = new SymbolicLink('\\Device');
  const linkHandle = process.handleTable.insert(link, 0xffffffff);
  assert.equal(NtReadFile(process, linkHandle, iosb, new Uint8Array(1), 1, 0), STATUS_OBJECT_TYPE_MISMATCH);
  const query = NtQueryInformationFile(process, linkHandle, FileBasicInformation);
  assert.ok(!(query instanceof Promise));
  assert.equal(query.status, STATUS_OBJECT_TYPE_MISMATCH);
  void system;
});

test('lengths beyond the buffer, negative offsets and missing offsets on asynchronous handles are invalid', () => {
  const { process, open } = setup();
  const handle = open(FILE_GENERIC_READ);
  const iosb = new IoStatusBlock();
  assert.equal(NtReadFile(process, handle, iosb, new Uint8Array(4), 8, 0), STATUS_INVALID_PARAMETER);
  assert.equal(NtReadFile(process, handle, iosb, new Uint8Array(4), 4, -1), STATUS_INVALID_PARAMETER);
  assert.equal(NtReadFile(process, handle, iosb, new Uint8Array(4), 4, 1.5), STATUS_INVALID_PARAMETER);
  assert.equal(NtReadFile(process, handle, iosb, new Uint8Array(4), 4), STATUS_INVALID_PARAMETER);
  const sync = open(FILE_GENERIC_READ | SYNCHRONIZE, FILE_SYNCHRONOUS_IO_NONALERT);
  assert.equal(NtReadFile(process, sync, iosb, new Uint8Array(4), 4), STATUS_SUCCESS);
});

test('the file position of a synchronous handle is answered and set by the I/O manager', () => {
  const { system, process, open, log } = setup();
  const sync = open(FILE_GENERIC_READ | SYNCHRONIZE, FILE_SYNCHRONOUS_IO_NONALERT);
  log.length = 0;
  assert.equal(
    NtSetInformationFile(system, process, sync, FilePositionInformation, { currentByteOffset: 42 }),
    STATUS_SUCCESS,
  );
  const position = NtQueryInformationFile<{ currentByteOffset: number }>(
    process,
    sync,
    FilePositionInformation,
  );
  assert.ok(!(position instanceof Promise));
  assert.equal(position.info?.currentByteOffset, 42);
  assert.equal(
    NtSetInformationFile(system, process, sync, FilePositionInformation, { currentByteOffset: -5 }),
    STATUS_INVALID_PARAMETER,
  );
  assert.deepEqual(log, []);
});

test('set-information classes check the access they need, and records must be objects', () => {
  const { system, process, open } = setup();
  const handle = open(FILE_GENERIC_READ);
  assert.equal(
    NtSetInformationFile(system, process, handle, FileDispositionInformation, { deleteFile: true }),
    STATUS_ACCESS_DENIED,
  );
  assert.equal(NtSetInformationFile(system, process, handle, FileBasicInformation, {}), STATUS_ACCESS_DENIED);
  const all = open(0x1f01ff);
  assert.equal(
    NtSetInformationFile(system, process, all, FileBasicInformation, null),
    STATUS_INVALID_PARAMETER,
  );
});

test('a name query whose buffer holds sizeof(FILE_NAME_INFORMATION) reaches the file system', () => {
  const { process, open, log } = setup();
  const handle = open(FILE_GENERIC_READ);
  log.length = 0;
  const result = NtQueryInformationFile(process, handle, FileNameInformation, 8);
  assert.ok(!(result instanceof Promise));
  // The toy file system has no query handler: the default routine answers.
  assert.equal(result.status, STATUS_INVALID_DEVICE_REQUEST);
});

test('the attribute classes need FILE_READ_ATTRIBUTES, as IopQueryOperationAccess requires, before any driver sees them', () => {
  const { process, open, log } = setup();
  const handle = open(FILE_READ_DATA);
  log.length = 0;
  for (const infoClass of [
    FileBasicInformation,
    FileAllInformation,
    FileNetworkOpenInformation,
    FileAttributeTagInformation,
  ]) {
    const result = NtQueryInformationFile(process, handle, infoClass);
    assert.ok(!(result instanceof Promise));
    assert.equal(result.status, STATUS_ACCESS_DENIED, `class ${infoClass}`);
  }
  assert.deepEqual(log, []);
});

test('a directory query with a class that is not a directory class is refused', () => {
  const { process, open } = setup();
  const handle = open(FILE_GENERIC_READ);
  const result = NtQueryDirectoryFile(process, handle, { fileInformationClass: FileBasicInformation });
  assert.ok(!(result instanceof Promise));
  assert.equal(result.status, STATUS_INVALID_INFO_CLASS);
});

test('a class that cannot be queried, or a buffer shorter than its fixed part, is refused before any driver sees it', () => {
  const { process, open, log } = setup();
  const handle = open(FILE_GENERIC_READ);
  log.length = 0;
  for (const infoClass of [
    0,
    FileDirectoryInformation,
    FileRenameInformation,
    FileDispositionInformation,
    999,
  ]) {
    const result = NtQueryInformationFile(process, handle, infoClass);
    assert.ok(!(result instanceof Promise));
    assert.equal(result.status, STATUS_INVALID_INFO_CLASS, `class ${infoClass}`);
  }
  const short = NtQueryInformationFile(
    process,
    handle,
    FileBasicInformation,
    FILE_BASIC_INFORMATION_SIZE - 1,
  );
  assert.ok(!(short instanceof Promise));
  assert.equal(short.status, STATUS_INFO_LENGTH_MISMATCH);
  // The minimum is sizeof the structure: a name record needs room for FileName[1] and padding.
  for (const [infoClass, tooShort] of [
    [FileNameInformation, 7],
    [FileAlternateNameInformation, 7],
    [FileAllInformation, 103],
  ] as const) {
    const cut = NtQueryInformationFile(process, handle, infoClass, tooShort);
    assert.ok(!(cut instanceof Promise));
    assert.equal(cut.status, STATUS_INFO_LENGTH_MISMATCH, `class ${infoClass}`);
  }
  // The class and the length are judged before the handle, as NT validates them first.
  const badClassBadHandle = NtQueryInformationFile(process, 12345, 999);
  assert.ok(!(badClassBadHandle instanceof Promise));
  assert.equal(badClassBadHandle.status, STATUS_INVALID_INFO_CLASS);
  const shortBadHandle = NtQueryInformationFile(process, 12345, FileBasicInformation, 1);
  assert.ok(!(shortBadHandle instanceof Promise));
  assert.equal(shortBadHandle.status, STATUS_INFO_LENGTH_MISMATCH);
  assert.deepEqual(log, []);
});

test('access, mode and alignment are answered by the I/O manager from the handle and its file object', () => {
  const { process, open, log } = setup();
  const handle = open(FILE_GENERIC_READ | SYNCHRONIZE, FILE_SYNCHRONOUS_IO_ALERT | FILE_WRITE_THROUGH);
  log.length = 0;
  const access = NtQueryInformationFile<FileAccessInfo>(process, handle, FileAccessInformation);
  assert.ok(!(access instanceof Promise));
  assert.deepEqual(access, {
    status: STATUS_SUCCESS,
    info: { accessFlags: FILE_GENERIC_READ | SYNCHRONIZE },
  });
  const mode = NtQueryInformationFile<FileModeInfo>(process, handle, FileModeInformation);
  assert.ok(!(mode instanceof Promise));
  assert.equal(mode.info?.mode, FILE_SYNCHRONOUS_IO_ALERT | FILE_WRITE_THROUGH);
  const plain = open(FILE_GENERIC_READ);
  log.length = 0;
  const plainMode = NtQueryInformationFile<FileModeInfo>(process, plain, FileModeInformation);
  assert.ok(!(plainMode instanceof Promise));
  assert.equal(plainMode.info?.mode, 0);
  const alignment = NtQueryInformationFile<FileAlignmentInfo>(process, handle, FileAlignmentInformation);
  assert.ok(!(alignment instanceof Promise));
  assert.equal(alignment.status, STATUS_SUCCESS);
  assert.equal(typeof alignment.info?.alignmentRequirement, 'number');
  assert.deepEqual(log, []);
});
