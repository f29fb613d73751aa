/**
 * How CDFS uses the disc: on a disc that answers at once nothing allocates a promise; an aligned
 * read of file data is one transfer straight into the caller's buffer; directories are read once
 * per mount; and mounting, listing and reading a file touch a small part of the image.
 */
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { test } from 'node:test';
import { NtClose, NtCreateFile, NtQueryDirectoryFile, NtReadFile } from '../../../../src/api/index.ts';
import {
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_LIST_DIRECTORY,
  FILE_OPEN,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileDirectoryInformation,
  IRP_MJ_READ,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import {
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  IoStatusBlock,
  type Irp,
  type ReadWriteParameters,
} from '../../../../src/io/index.ts';
import { buildIso, cdVolume, descriptorsOf } from './setup.ts';

const big = new Uint8Array(4 << 20).map((_, i) => (i * 7 + (i >> 12)) & 0xff);
const TREE = {
  'big.bin': big,
  'small.txt': 'small\n',
  'dir/a.txt': 'a',
  'dir/b.txt': 'b',
  'other/c.txt': 'c',
};

interface DiscRead {
  offset: number;
  length: number;
  buffer: Uint8Array | null;
}

/** Records every read the RAM disk under `volume` receives. */
function recordReads(device: DeviceObject): DiscRead[] {
  const reads: DiscRead[] = [];
  const dispatch = device.driverObject.majorFunction;
  const original = dispatch[IRP_MJ_READ]!;
  dispatch[IRP_MJ_READ] = (target: DeviceObject, irp: Irp) => {
    const { byteOffset, length } = IoGetCurrentIrpStackLocation(irp).parameters as ReadWriteParameters;
    reads.push({ offset: byteOffset, length, buffer: irp.userBuffer });
    return original(target, irp);
  };
  return reads;
}

function promisesCreatedBy(body: () => void): number {
  let count = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') count++;
    },
  });
  hook.enable();
  try {
    body();
  } finally {
    hook.disable();
  }
  return count;
}

test('mount, open, enumerate and read on a disc that answers at once allocate no promise', () => {
  const volume = cdVolume(buildIso(TREE));
  const { system, process } = volume;
  const buffer = new Uint8Array(100_000);
  const iosb = new IoStatusBlock();
  const promises = promisesCreatedBy(() => {
    const dir = NtCreateFile(system, process, {
      objectName: '\\??\\D:\\dir',
      desiredAccess: FILE_LIST_DIRECTORY | SYNCHRONIZE,
      createDisposition: FILE_OPEN,
      createOptions: FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
    });
    assert.ok(!(dir instanceof Promise) && dir.status === STATUS_SUCCESS);
    const listed = NtQueryDirectoryFile(process, dir.handle!, {
      fileInformationClass: FileDirectoryInformation,
    });
    assert.ok(!(listed instanceof Promise) && listed.status === STATUS_SUCCESS);
    NtClose(process, dir.handle!);
    const file = NtCreateFile(system, process, {
      objectName: '\\??\\D:\\big.bin',
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
      createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
    });
    assert.ok(!(file instanceof Promise) && file.status === STATUS_SUCCESS);
    assert.equal(NtReadFile(process, file.handle!, iosb, buffer, buffer.length, 12_345), STATUS_SUCCESS);
    NtClose(process, file.handle!);
  });
  assert.equal(promises, 0);
  assert.deepEqual(buffer, big.subarray(12_345, 112_345));
});

test('an aligned read is one transfer into the caller’s own buffer; an unaligned one bounces only its ends', () => {
  const volume = cdVolume(buildIso(TREE));
  const h = volume.handle('big.bin');
  const reads = recordReads(volume.device);
  const buffer = new Uint8Array(1 << 20);
  const iosb = new IoStatusBlock();
  assert.equal(NtReadFile(volume.process, h, iosb, buffer, buffer.length, 2 << 20), STATUS_SUCCESS);
  assert.equal(reads.length, 1);
  assert.equal(reads[0]!.length, 1 << 20);
  assert.equal(reads[0]!.buffer!.buffer, buffer.buffer, 'the disc wrote into the caller’s memory');
  assert.deepEqual(buffer, big.subarray(2 << 20, 3 << 20));
  reads.length = 0;
  const odd = new Uint8Array(1 << 20);
  assert.equal(NtReadFile(volume.process, h, iosb, odd, odd.length, 1000), STATUS_SUCCESS);
  assert.deepEqual(odd, big.subarray(1000, 1000 + (1 << 20)));
  const direct = reads.filter((read) => read.buffer!.buffer === odd.buffer);
  assert.equal(direct.length, 1);
  assert.ok(direct[0]!.length >= (1 << 20) - 2048, 'the middle goes straight to the caller');
  assert.ok(reads.every((read) => read.buffer!.buffer === odd.buffer || read.length === 2048));
  volume.close(h);
});

test('directories are read once per mount, and only a small part of the image is read', () => {
  const image = buildIso(TREE);
  const volume = cdVolume(image);
  const reads = recordReads(volume.device);
  volume.list('dir');
  volume.list('dir');
  volume.readAll('dir\\a.txt');
  volume.readAll('other\\c.txt');
  volume.list('other');
  const h = volume.handle('big.bin');
  volume.read(h, 10, 3 << 20);
  volume.close(h);
  const total = reads.reduce((sum, read) => sum + read.length, 0);
  assert.ok(total < 64 * 2048, `read ${total} bytes of a ${image.length}-byte image`);
  const byOffset = new Map<number, number>();
  for (const read of reads) byOffset.set(read.offset, (byOffset.get(read.offset) ?? 0) + 1);
  // The mount reads the root's first sector to look for Rock Ridge; nothing else is read twice.
  const primary = descriptorsOf(image).primary;
  const rootOffset = (primary[158]! | (primary[159]! << 8) | (primary[160]! << 16)) * 2048;
  const again = reads.filter((read) => byOffset.get(read.offset)! > 1 && read.offset !== rootOffset);
  assert.deepEqual(again, [], 'no other sector was read twice');
});
