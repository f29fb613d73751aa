/**
 * RAW's volume requests where they follow the rules every Strata file system shares: the buffer
 * rules of IRP_MJ_QUERY_VOLUME_INFORMATION and the bookkeeping of a volume that verify finds gone.
 * The rest of RAW is test/drivers/fs/raw.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createSystem,
  NtClose,
  NtCreateFile,
  NtFsControlFile,
  NtQueryVolumeInformationFile,
} from '../../../../src/api/index.ts';
import {
  FILE_FS_ATTRIBUTE_INFORMATION_SIZE,
  FILE_FS_DEVICE_INFORMATION_SIZE,
  FILE_FS_FULL_SIZE_INFORMATION_SIZE,
  FILE_FS_SIZE_INFORMATION_SIZE,
  FILE_FS_VOLUME_INFORMATION_SIZE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_OPEN,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileFsAttributeInformation,
  FileFsDeviceInformation,
  FileFsFullSizeInformation,
  FileFsSizeInformation,
  FileFsVolumeInformation,
  FSCTL_IS_VOLUME_MOUNTED,
  FSCTL_LOCK_VOLUME,
  mustBeSync,
  NT_ERROR,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_INFO_CLASS,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
  VPB_LOCKED,
  VPB_MOUNTED,
} from '../../../../src/base/index.ts';
import { memFsDriver, memFsFormat } from '../../../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../../../src/drivers/storage/ramdisk/index.ts';
import { IoLoadDriver, IoVerifyVolume } from '../../../../src/io/index.ts';

function rawVolume() {
  const system = createSystem();
  const process = system.createProcess('t.exe');
  const { deviceObject: disk } = IoCreateRamDisk(system, { sizeBytes: 64 * 1024 });
  const opened = mustBeSync(
    NtCreateFile(system, process, {
      objectName: '\\Device\\RamDisk0',
      desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE,
      shareAccess: FILE_SHARE_READ | FILE_SHARE_WRITE,
      createDisposition: FILE_OPEN,
      createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
    }),
    'open',
  );
  assert.equal(opened.status, STATUS_SUCCESS);
  const handle = opened.handle!;
  const query = (infoClass: number, length: number) =>
    mustBeSync(NtQueryVolumeInformationFile(process, handle, infoClass, length), 'query');
  return { system, process, disk: disk!, handle, query };
}

test('RAW refuses a volume information buffer below the fixed record, as every file system does', () => {
  const { query } = rawVolume();
  const sizes: Array<[number, number]> = [
    [FileFsVolumeInformation, FILE_FS_VOLUME_INFORMATION_SIZE],
    [FileFsSizeInformation, FILE_FS_SIZE_INFORMATION_SIZE],
    [FileFsFullSizeInformation, FILE_FS_FULL_SIZE_INFORMATION_SIZE],
    [FileFsDeviceInformation, FILE_FS_DEVICE_INFORMATION_SIZE],
    [FileFsAttributeInformation, FILE_FS_ATTRIBUTE_INFORMATION_SIZE],
  ];
  for (const [infoClass, size] of sizes) {
    const refused = query(infoClass, size - 1);
    assert.equal(refused.status, STATUS_INFO_LENGTH_MISMATCH, `class ${infoClass}`);
    assert.equal(refused.info, null);
    // At its fixed size a class is answered (the name of FileFsAttributeInformation cut to nothing).
    assert.equal(NT_ERROR(query(infoClass, size).status), false, `class ${infoClass} at its size`);
  }
  assert.equal(query(999, 4096).status, STATUS_INVALID_INFO_CLASS);
});

test('RAW cuts its file system name to the buffer with STATUS_BUFFER_OVERFLOW', () => {
  const { query } = rawVolume();
  const cut = query(FileFsAttributeInformation, FILE_FS_ATTRIBUTE_INFORMATION_SIZE + 4);
  assert.equal(cut.status, STATUS_BUFFER_OVERFLOW);
  assert.deepEqual(cut.info, {
    fileSystemAttributes: 0,
    maximumComponentNameLength: 0,
    fileSystemName: 'RA',
  });
  const whole = query(FileFsAttributeInformation, FILE_FS_ATTRIBUTE_INFORMATION_SIZE + 6);
  assert.equal(whole.status, STATUS_SUCCESS);
  assert.equal((whole.info as { fileSystemName: string }).fileSystemName, 'RAW');
});

test('a RAW volume that verify finds reformatted is dismounted like any other: its old VPB is neither mounted nor locked', () => {
  const { system, process, disk, handle } = rawVolume();
  const rawVpb = disk.vpb!;
  assert.equal(
    mustBeSync(NtFsControlFile(process, handle, FSCTL_LOCK_VOLUME), 'lock').status,
    STATUS_SUCCESS,
  );
  assert.notEqual(rawVpb.flags & VPB_LOCKED, 0);
  memFsFormat({ serialNumber: 9 })((disk.deviceExtension as { media: Uint8Array }).media);
  IoLoadDriver(system, memFsDriver);
  assert.equal(IoVerifyVolume(disk, false), STATUS_SUCCESS);
  assert.equal(rawVpb.flags & (VPB_MOUNTED | VPB_LOCKED), 0);
  assert.notEqual(disk.vpb, rawVpb);
  assert.equal(disk.vpb!.deviceObject!.driverObject.driverName, '\\FileSystem\\MemFs');
  assert.equal(
    mustBeSync(NtFsControlFile(process, handle, FSCTL_IS_VOLUME_MOUNTED), 'fsctl').status,
    STATUS_VOLUME_DISMOUNTED,
  );
  const rawDevice = rawVpb.deviceObject!;
  NtClose(process, handle);
  assert.equal(rawDevice.deletePending, true);
});
