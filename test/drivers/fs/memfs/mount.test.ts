import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  NtClose,
  NtCreateFile,
  NtFlushBuffersFile,
  NtFsControlFile,
  NtQueryVolumeInformationFile,
  NtReadFile,
  NtWriteFile,
} from '../../../../src/api/index.ts';
import {
  FILE_CREATE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_OPEN,
  FILE_READ_ONLY_VOLUME,
  type FileFsAttributeInfo,
  FileFsAttributeInformation,
  FSCTL_DISMOUNT_VOLUME,
  isPromise,
  STATUS_DISK_CORRUPT_ERROR,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  STATUS_VOLUME_DISMOUNTED,
  VPB_MOUNTED,
} from '../../../../src/base/index.ts';
import { formatMemFsVolume } from '../../../../src/drivers/fs/memfs/index.ts';
import { IoStatusBlock, IoVerifyVolume } from '../../../../src/io/index.ts';
import { memfsVolume } from './setup.ts';

function formatted(sizeBytes: number, serialNumber = 1): Uint8Array {
  const media = new Uint8Array(sizeBytes);
  assert.equal(formatMemFsVolume(media, { serialNumber, now: 1 }), STATUS_SUCCESS);
  return media;
}

test("a disk without MemFS's signature is not mounted for files, and RAW takes a volume open", () => {
  const v = memfsVolume({ media: new Uint8Array(64 * 1024) });
  assert.equal(v.open('f').status, STATUS_UNRECOGNIZED_VOLUME);
  assert.equal(v.device.vpb!.flags & VPB_MOUNTED, 0);
  const volume = v.openVolume();
  assert.equal(volume.status, STATUS_SUCCESS);
  assert.equal(
    v.queryVolume<FileFsAttributeInfo>(volume.handle!, FileFsAttributeInformation).info!.fileSystemName,
    'RAW',
  );
  v.close(volume.handle!);
});

test('a damaged MemFS disk refuses file opens with STATUS_DISK_CORRUPT_ERROR and stays open to RAW', () => {
  const media = formatted(64 * 1024);
  media[20] ^= 0x55; // inside the checksummed superblock
  const v = memfsVolume({ media });
  assert.equal(v.open('anything').status, STATUS_DISK_CORRUPT_ERROR);
  const volume = v.openVolume();
  assert.equal(volume.status, STATUS_SUCCESS);
  assert.equal(
    v.queryVolume<FileFsAttributeInfo>(volume.handle!, FileFsAttributeInformation).info!.fileSystemName,
    'RAW',
  );
  v.close(volume.handle!);
});

test('damage in the middle of the image is caught too, never thrown', () => {
  const v = memfsVolume();
  v.writeFile('f', 'x'.repeat(3000));
  const volume = v.openVolume();
  assert.equal(v.fsctl(volume.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  v.close(volume.handle!);
  v.media[2000] ^= 0xff;
  assert.equal(v.open('f').status, STATUS_DISK_CORRUPT_ERROR);
});

test('a disk too small for a superblock is simply not MemFS', () => {
  const v = memfsVolume({ media: new Uint8Array(512) });
  assert.equal(v.open('f').status, STATUS_UNRECOGNIZED_VOLUME);
});

test('disks with 4 KiB sectors mount, fill and write back in whole sectors', () => {
  const v = memfsVolume({ sizeBytes: 64 * 1024, sectorSize: 4096 });
  v.writeFile('f', 'big sectors');
  assert.equal(v.volumeDevice()!.sectorSize, 4096);
  const h = v.handle('f');
  assert.equal(v.flush(h), STATUS_SUCCESS);
  v.close(h);
  assert.equal(memfsVolume({ media: v.media.slice(), sectorSize: 4096 }).readFile('f'), 'big sectors');
});

test('a write-protected disk mounts read-only: reads work, changes are STATUS_MEDIA_WRITE_PROTECTED', () => {
  const source = memfsVolume();
  source.writeFile('f', 'frozen');
  const h = source.handle('f');
  source.flush(h);
  source.close(h);
  const v = memfsVolume({ media: source.media.slice(), readOnly: true });
  assert.equal(v.readFile('f'), 'frozen');
  assert.equal(v.open('new', { disposition: FILE_CREATE }).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(v.open('f', { access: FILE_GENERIC_WRITE }).status, STATUS_MEDIA_WRITE_PROTECTED);
  const reader = v.handle('f', { access: FILE_GENERIC_READ });
  const attributes = v.queryVolume<FileFsAttributeInfo>(reader, FileFsAttributeInformation).info!;
  assert.equal(attributes.fileSystemAttributes & FILE_READ_ONLY_VOLUME, FILE_READ_ONLY_VOLUME);
  v.close(reader);
  assert.equal(v.remove('f'), STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(v.readFile('f'), 'frozen');
});

test('verifying an unchanged disk succeeds; a reformatted one is a new volume and old handles are dismounted', () => {
  const v = memfsVolume();
  v.writeFile('old', 'x');
  const handle = v.handle('old');
  assert.equal(IoVerifyVolume(v.device, false), STATUS_SUCCESS);
  assert.equal(v.read(handle, 1).status, STATUS_SUCCESS);
  const oldVolume = v.volumeDevice();
  formatMemFsVolume(v.media, { serialNumber: 999, now: 2 });
  assert.equal(IoVerifyVolume(v.device, false), STATUS_SUCCESS, 'the new media mounted');
  assert.notEqual(v.volumeDevice(), oldVolume);
  assert.equal(v.device.vpb!.serialNumber, 999);
  assert.equal(v.read(handle, 1).status, STATUS_VOLUME_DISMOUNTED);
  assert.equal(v.open('old').status, STATUS_OBJECT_NAME_NOT_FOUND);
  v.close(handle);
  assert.equal(oldVolume!.deletePending, true);
});

test('on a disk that completes asynchronously, mount, flush and dismount pend and then succeed', async () => {
  const v = memfsVolume({ media: formatted(64 * 1024, 5), completeAsynchronously: true });
  const pending = NtCreateFile(v.system, v.process, {
    objectName: '\\??\\M:\\async.txt',
    desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE,
    createDisposition: FILE_CREATE,
  });
  assert.ok(isPromise(pending), 'the mount reads the disk, which pends');
  const created = await pending;
  assert.equal(created.status, STATUS_SUCCESS);
  const iosb = new IoStatusBlock();
  const data = new TextEncoder().encode('slow disk');
  assert.equal(
    NtWriteFile(v.process, created.handle!, iosb, data, data.length, 0),
    STATUS_SUCCESS,
    'file I/O stays in memory',
  );
  const flushed = NtFlushBuffersFile(v.process, created.handle!);
  assert.ok(isPromise(flushed));
  assert.equal(await flushed, STATUS_SUCCESS);
  NtClose(v.process, created.handle!);

  const volume = await NtCreateFile(v.system, v.process, {
    objectName: '\\??\\M:',
    desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE,
    createDisposition: FILE_OPEN,
    shareAccess: 3,
  });
  assert.equal(volume.status, STATUS_SUCCESS);
  const size = await NtQueryVolumeInformationFile(v.process, volume.handle!, FileFsAttributeInformation);
  assert.equal((size.info as FileFsAttributeInfo).fileSystemName, 'MemFS');
  assert.equal(
    (await NtFsControlFile(v.process, volume.handle!, FSCTL_DISMOUNT_VOLUME)).status,
    STATUS_SUCCESS,
  );
  NtClose(v.process, volume.handle!);

  const reopened = await NtCreateFile(v.system, v.process, {
    objectName: '\\??\\M:\\async.txt',
    desiredAccess: FILE_GENERIC_READ,
    createDisposition: FILE_OPEN,
  });
  assert.equal(reopened.status, STATUS_SUCCESS);
  const buffer = new Uint8Array(32);
  assert.equal(NtReadFile(v.process, reopened.handle!, iosb, buffer, 32, 0), STATUS_SUCCESS);
  assert.equal(new TextDecoder().decode(buffer.subarray(0, iosb.information)), 'slow disk');
  NtClose(v.process, reopened.handle!);
});
