/**
 * Every way of changing a CD is refused with STATUS_MEDIA_WRITE_PROTECTED and changes nothing,
 * even when the disc underneath would accept writes: the image's bytes are identical afterwards.
 * (Windows CDFS answers STATUS_ACCESS_DENIED in most of these places; docs/deviations.md.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DELETE,
  FILE_APPEND_DATA,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_TEMPORARY,
  FILE_CREATE,
  FILE_DELETE_ON_CLOSE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_LIST_DIRECTORY,
  FILE_OPEN,
  FILE_OPEN_IF,
  FILE_OVERWRITE,
  FILE_OVERWRITE_IF,
  FILE_READ_DATA,
  FILE_SUPERSEDE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FILE_WRITE_ATTRIBUTES,
  FILE_WRITE_DATA,
  FILE_WRITE_EA,
  FileAllocationInformation,
  FileBasicInformation,
  FileDispositionInformation,
  FileDispositionInformationEx,
  FileEndOfFileInformation,
  FileFsLabelInformation,
  FilePositionInformation,
  FileRenameInformation,
  FSCTL_LOCK_VOLUME,
  FSCTL_UNLOCK_VOLUME,
  GENERIC_ALL,
  GENERIC_WRITE,
  IRP_MJ_SET_INFORMATION,
  IRP_MJ_WRITE,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
  SYNCHRONIZE,
  WRITE_DAC,
} from '../../../../src/base/index.ts';
import {
  type FileObject,
  IoAllocateIrp,
  IoCallDriver,
  IoGetNextIrpStackLocation,
  IoGetRelatedDeviceObject,
  type IoParameters,
  IoSetCompletionRoutine,
} from '../../../../src/io/index.ts';
import type { Handle } from '../../../../src/ob/index.ts';
import { memfsVolume } from '../memfs/setup.ts';
import { buildIso, cdVolume } from './setup.ts';

const TREE = { 'hello.txt': 'hello\n', 'dir/inner.txt': 'inner\n', 'dir/sub': null };

/** A CD on a disc that would accept writes, so only CDFS stands between callers and the bytes. */
function writableCd() {
  const image = buildIso(TREE, 'genisoimage', ['-R', '-J']);
  const original = image.slice();
  const volume = cdVolume(image, { readOnly: false });
  return { volume, unchanged: () => assert.deepEqual(volume.media, original) };
}

/** Sends a request for an open file object straight to its volume, as a kernel-mode caller can. */
function kernelRequest(
  fileObject: FileObject,
  majorFunction: number,
  parameters: IoParameters,
  buffers: { systemBuffer?: unknown; userBuffer?: Uint8Array } = {},
): NTSTATUS {
  const target = IoGetRelatedDeviceObject(fileObject);
  const irp = IoAllocateIrp(target.stackSize);
  irp.systemBuffer = buffers.systemBuffer ?? null;
  irp.userBuffer = buffers.userBuffer ?? null;
  const location = IoGetNextIrpStackLocation(irp);
  location.majorFunction = majorFunction;
  location.fileObject = fileObject;
  location.parameters = parameters;
  let status: NTSTATUS | null = null;
  IoSetCompletionRoutine(
    irp,
    (_device, done) => {
      status = done.ioStatus.status;
      return STATUS_MORE_PROCESSING_REQUIRED;
    },
    null,
    true,
    true,
    true,
  );
  IoCallDriver(target, irp);
  assert.notEqual(status, null, 'CDFS answers at once');
  return status!;
}

function fileObjectOf(volume: { process: ReturnType<typeof cdVolume>['process'] }, h: Handle): FileObject {
  return volume.process.handleTable.lookup(h)!.object as FileObject;
}

test('opens asking for any right that could change a file or directory are refused', () => {
  const { volume, unchanged } = writableCd();
  const rights = [
    GENERIC_WRITE,
    GENERIC_ALL,
    FILE_WRITE_DATA,
    FILE_APPEND_DATA,
    FILE_WRITE_ATTRIBUTES,
    FILE_WRITE_EA,
    DELETE,
    WRITE_DAC,
  ];
  for (const name of ['hello.txt', 'dir', '']) {
    for (const right of rights) {
      const status = volume.open(name === '' ? '\\??\\D:\\' : name, { access: right | SYNCHRONIZE }).status;
      assert.equal(status, STATUS_MEDIA_WRITE_PROTECTED, `${name} 0x${right.toString(16)}`);
    }
  }
  unchanged();
});

test('dispositions that would create, overwrite or supersede are refused; plain opens work', () => {
  const { volume, unchanged } = writableCd();
  const open = (name: string, disposition: number, options = 0) =>
    volume.open(name, {
      access: FILE_READ_DATA | SYNCHRONIZE,
      disposition,
      options: options | FILE_SYNCHRONOUS_IO_NONALERT,
    });
  assert.equal(open('new.txt', FILE_CREATE).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(open('hello.txt', FILE_CREATE).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(open('new-dir', FILE_CREATE, FILE_DIRECTORY_FILE).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(open('new.txt', FILE_OPEN_IF).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(open('new.txt', FILE_OVERWRITE_IF).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(open('new.txt', FILE_SUPERSEDE).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(open('new.txt', FILE_OVERWRITE).status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(open('hello.txt', FILE_OVERWRITE).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(open('hello.txt', FILE_OVERWRITE_IF).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(open('hello.txt', FILE_SUPERSEDE).status, STATUS_MEDIA_WRITE_PROTECTED);
  const existing = open('hello.txt', FILE_OPEN_IF);
  assert.equal(existing.status, STATUS_SUCCESS);
  volume.close(existing.handle!);
  assert.equal(
    volume.open('hello.txt', { access: DELETE | SYNCHRONIZE, options: FILE_DELETE_ON_CLOSE }).status,
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(volume.list('').includes('new.txt'), false);
  unchanged();
});

test('a rename cannot open its target directory, and a read handle cannot rename or write at all', () => {
  const { volume, unchanged } = writableCd();
  assert.equal(
    volume.open('dir\\renamed.txt', { openTargetDirectory: true }).status,
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  const h = volume.handle('hello.txt');
  assert.equal(
    volume.set(h, FileRenameInformation, { replaceIfExists: false, rootDirectory: null, fileName: 'x.txt' }),
    STATUS_ACCESS_DENIED,
  );
  assert.equal(volume.write(h, new Uint8Array([1, 2, 3])).status, STATUS_ACCESS_DENIED);
  volume.close(h);
  unchanged();
});

test('set-information requests that would change a file are refused; those that change nothing succeed', () => {
  const { volume, unchanged } = writableCd();
  const h = volume.handle('hello.txt', { access: FILE_GENERIC_READ, options: 0 });
  const file = fileObjectOf(volume, h);
  const set = (infoClass: number, info: unknown) =>
    kernelRequest(
      file,
      IRP_MJ_SET_INFORMATION,
      { length: 0, fileInformationClass: infoClass, fileObject: null, replaceIfExists: false },
      { systemBuffer: info },
    );
  assert.equal(
    set(FileBasicInformation, {
      creationTime: 12345,
      lastAccessTime: 0,
      lastWriteTime: 0,
      changeTime: 0,
      fileAttributes: 0,
    }),
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(
    set(FileBasicInformation, {
      creationTime: 0,
      lastAccessTime: 0,
      lastWriteTime: 0,
      changeTime: 0,
      fileAttributes: 0x20,
    }),
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(
    set(FileBasicInformation, {
      creationTime: 0,
      lastAccessTime: -1,
      lastWriteTime: 0,
      changeTime: 0,
      fileAttributes: 0,
    }),
    STATUS_SUCCESS,
  );
  assert.equal(set(FileEndOfFileInformation, { endOfFile: 1 }), STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(set(FileEndOfFileInformation, { endOfFile: 6 }), STATUS_SUCCESS);
  assert.equal(set(FileAllocationInformation, { allocationSize: 0 }), STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(set(FileDispositionInformation, { deleteFile: true }), STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(set(FileDispositionInformation, { deleteFile: false }), STATUS_SUCCESS);
  assert.equal(
    set(FileRenameInformation, { replaceIfExists: true, rootDirectory: null, fileName: 'x' }),
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(set(FilePositionInformation, { currentByteOffset: 3 }), STATUS_SUCCESS);
  assert.equal(file.currentByteOffset, 3);
  assert.equal(set(999, {}), STATUS_INVALID_PARAMETER);
  const written = kernelRequest(
    file,
    IRP_MJ_WRITE,
    { length: 3, byteOffset: 0, key: 0 },
    { userBuffer: new Uint8Array(3) },
  );
  assert.equal(written, STATUS_MEDIA_WRITE_PROTECTED);
  volume.close(h);
  assert.deepEqual(volume.readAll('hello.txt'), new TextEncoder().encode('hello\n'));
  unchanged();
});

test('a malformed set-information record is STATUS_INVALID_PARAMETER, as a write-protected MemFS answers it', () => {
  const { volume, unchanged } = writableCd();
  // The same file on a MemFS volume mounted from write-protected media: the reference answers.
  const writable = memfsVolume();
  writable.writeFile('hello.txt', 'hello\n');
  writable.mkdir('dir');
  const root = writable.handle('\\??\\M:\\', { access: FILE_GENERIC_WRITE, options: FILE_DIRECTORY_FILE });
  assert.equal(writable.flush(root), STATUS_SUCCESS);
  writable.close(root);
  const memfs = memfsVolume({ media: writable.media, readOnly: true });
  const requests: Array<[string, number, unknown]> = [
    ['a time that is not a number', FileBasicInformation, { creationTime: 'yesterday' }],
    ['an attribute that does not exist', FileBasicInformation, { fileAttributes: 0x40000000 }],
    ['an allocation that is not a size', FileAllocationInformation, { allocationSize: '6' }],
    ['a disposition that is not a boolean', FileDispositionInformation, { deleteFile: 1 }],
    ['an unknown disposition flag', FileDispositionInformationEx, { flags: 0x40 }],
    ['a position that is not a size', FilePositionInformation, { currentByteOffset: 1.5 }],
  ];
  const fileOnly: Array<[string, number, unknown]> = [
    ['DIRECTORY on a file', FileBasicInformation, { fileAttributes: FILE_ATTRIBUTE_DIRECTORY }],
    ['a negative end of file', FileEndOfFileInformation, { endOfFile: -1 }],
  ];
  const directoryOnly: Array<[string, number, unknown]> = [
    ['TEMPORARY on a directory', FileBasicInformation, { fileAttributes: FILE_ATTRIBUTE_TEMPORARY }],
    ['an end of file for a directory', FileEndOfFileInformation, { endOfFile: 0 }],
  ];
  for (const [path, isDirectory] of [
    ['hello.txt', false],
    ['dir', true],
  ] as const) {
    const cd = volume.handle(path, { access: FILE_GENERIC_READ, options: 0 });
    const mem = memfs.handle(path, { access: FILE_GENERIC_READ, options: 0 });
    const set = (target: FileObject, infoClass: number, info: unknown) =>
      kernelRequest(
        target,
        IRP_MJ_SET_INFORMATION,
        { length: 0, fileInformationClass: infoClass, fileObject: null, replaceIfExists: false },
        { systemBuffer: info },
      );
    const cases = [...requests, ...(isDirectory ? directoryOnly : fileOnly)];
    for (const [what, infoClass, info] of cases) {
      const answer = set(fileObjectOf(volume, cd), infoClass, info);
      assert.equal(answer, STATUS_INVALID_PARAMETER, `${path}: ${what}`);
      assert.equal(
        set(fileObjectOf(memfs, mem), infoClass, info),
        answer,
        `MemFS agrees on ${path}: ${what}`,
      );
    }
    // Well-formed records still split into "changes nothing" and "would change the disc".
    assert.equal(set(fileObjectOf(volume, cd), FileBasicInformation, { lastWriteTime: -1 }), STATUS_SUCCESS);
    assert.equal(
      set(fileObjectOf(volume, cd), FileDispositionInformationEx, { flags: 0x3 }),
      STATUS_MEDIA_WRITE_PROTECTED,
    );
    volume.close(cd);
    memfs.close(mem);
  }
  unchanged();
});

test('the label cannot be set, and volume writes are refused unless the handle locked the volume', () => {
  const { volume, unchanged } = writableCd();
  const { status, handle: v } = volume.openVolume(FILE_GENERIC_READ | FILE_GENERIC_WRITE);
  assert.equal(status, STATUS_SUCCESS, 'a volume open may ask for write access, for lock and dismount');
  assert.equal(
    volume.setVolume(v!, FileFsLabelInformation, { volumeLabel: 'NEW' }),
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(volume.setVolume(v!, 99, { volumeLabel: 'NEW' }), STATUS_INVALID_PARAMETER);
  assert.equal(volume.write(v!, new Uint8Array(2048), 0).status, STATUS_MEDIA_WRITE_PROTECTED);
  unchanged();
  // Locked, the handle's writes go to the disc, which decides.
  assert.equal(volume.fsctl(v!, FSCTL_LOCK_VOLUME), STATUS_SUCCESS);
  assert.equal(volume.write(v!, new Uint8Array(2048).fill(7), 0).status, STATUS_SUCCESS);
  assert.equal(volume.media[0], 7);
  assert.equal(volume.fsctl(v!, FSCTL_UNLOCK_VOLUME), STATUS_SUCCESS);
  volume.close(v!);
});

test('on a write-protected disc even the locking handle’s volume writes fail, with the disc’s status', () => {
  const image = buildIso(TREE);
  const original = image.slice();
  const volume = cdVolume(image);
  const { handle: v } = volume.openVolume(FILE_GENERIC_READ | FILE_GENERIC_WRITE);
  assert.equal(volume.fsctl(v!, FSCTL_LOCK_VOLUME), STATUS_SUCCESS);
  assert.equal(volume.write(v!, new Uint8Array(2048), 0).status, STATUS_MEDIA_WRITE_PROTECTED);
  volume.close(v!);
  assert.deepEqual(volume.media, original);
  const listed = volume.open('dir', { access: FILE_LIST_DIRECTORY | SYNCHRONIZE, disposition: FILE_OPEN });
  assert.equal(listed.status, STATUS_SUCCESS);
  volume.close(listed.handle!);
});
