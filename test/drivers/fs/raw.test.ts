import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createSystem,
  NtClose,
  NtCreateFile,
  NtDeviceIoControlFile,
  NtFsControlFile,
  NtQueryVolumeInformationFile,
  NtReadFile,
  NtWriteFile,
} from '../../../src/api/index.ts';
import {
  DO_DEVICE_INITIALIZING,
  FILE_CREATE,
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_DEVICE_TAPE_FILE_SYSTEM,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_OPEN,
  FILE_READ_ATTRIBUTES,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileFsAttributeInformation,
  FileFsDeviceInformation,
  type FileFsSizeInfo,
  FileFsSizeInformation,
  FileFsVolumeInformation,
  FSCTL_DISMOUNT_VOLUME,
  FSCTL_IS_VOLUME_MOUNTED,
  FSCTL_LOCK_VOLUME,
  FSCTL_UNLOCK_VOLUME,
  IOCTL_DISK_GET_LENGTH_INFO,
  mustBeSync,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_A_DIRECTORY,
  STATUS_NOT_LOCKED,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  STATUS_VOLUME_DISMOUNTED,
  VPB_MOUNTED,
  VPB_RAW_MOUNT,
} from '../../../src/base/index.ts';
import { memFsDriver, memFsFormat } from '../../../src/drivers/fs/memfs/index.ts';
import { RAW_CONTROL_DEVICES, rawFileSystemDriver } from '../../../src/drivers/fs/raw/index.ts';
import { IoCreateRamDisk } from '../../../src/drivers/storage/ramdisk/index.ts';
import {
  IoGetDeviceObjectPointer,
  IoGetRelatedDeviceObject,
  IoLoadDriver,
  IoStatusBlock,
  System,
} from '../../../src/io/index.ts';
import { ObDereferenceObject } from '../../../src/ob/index.ts';

const SHARE_RW = FILE_SHARE_READ | FILE_SHARE_WRITE;

function setup(sizeBytes = 64 * 1024) {
  const system = createSystem();
  const process = system.createProcess('t.exe');
  const { deviceObject: disk } = IoCreateRamDisk(system, { sizeBytes });
  const media = (disk!.deviceExtension as { media: Uint8Array }).media;
  const open = (
    name = '\\Device\\RamDisk0',
    o: { access?: number; share?: number; disposition?: number; options?: number } = {},
  ) =>
    mustBeSync(
      NtCreateFile(system, process, {
        objectName: name,
        desiredAccess: o.access ?? FILE_GENERIC_READ | FILE_GENERIC_WRITE,
        shareAccess: o.share ?? SHARE_RW,
        createDisposition: o.disposition ?? FILE_OPEN,
        createOptions: o.options ?? FILE_SYNCHRONOUS_IO_NONALERT,
      }),
      'open',
    );
  const fsctl = (handle: number, code: number): NTSTATUS =>
    mustBeSync(NtFsControlFile(process, handle, code), 'fsctl').status;
  return { system, process, disk: disk!, media, open, fsctl };
}

test('RAW registers \\Device\\RawDisk, RawCdRom and RawTape at boot, each last in its queue', () => {
  const system = createSystem();
  const queues = [
    system.io.diskFileSystemQueue,
    system.io.cdRomFileSystemQueue,
    system.io.tapeFileSystemQueue,
  ];
  RAW_CONTROL_DEVICES.forEach(([name, type], i) => {
    const cdo = queues[i]!.at(-1)!;
    assert.equal(cdo.deviceName, name);
    assert.equal(cdo.deviceType, type);
    assert.equal(cdo.driverObject.driverName, '\\FileSystem\\RAW');
  });
  assert.deepEqual(
    RAW_CONTROL_DEVICES.map(([, type]) => type),
    [FILE_DEVICE_DISK_FILE_SYSTEM, FILE_DEVICE_CD_ROM_FILE_SYSTEM, FILE_DEVICE_TAPE_FILE_SYSTEM],
  );
  IoLoadDriver(system, memFsDriver);
  assert.equal(
    system.io.diskFileSystemQueue.at(-1)!.deviceName,
    '\\Device\\RawDisk',
    'file systems loaded later go first',
  );
  assert.equal(new System().io.diskFileSystemQueue.length, 0);
  assert.equal(IoLoadDriver(new System(), rawFileSystemDriver).status, STATUS_SUCCESS);
});

test('opening an unformatted volume itself mounts RAW; opening a file on it does not', () => {
  const { disk, open } = setup();
  assert.equal(open('\\Device\\RamDisk0\\file').status, STATUS_UNRECOGNIZED_VOLUME);
  assert.equal(disk.vpb!.flags & VPB_MOUNTED, 0);
  const volume = open();
  assert.equal(volume.status, STATUS_SUCCESS);
  const vpb = disk.vpb!;
  assert.equal(vpb.flags & (VPB_MOUNTED | VPB_RAW_MOUNT), VPB_MOUNTED | VPB_RAW_MOUNT);
  const vdo = vpb.deviceObject!;
  assert.equal(vdo.driverObject.driverName, '\\FileSystem\\RAW');
  assert.equal(vdo.deviceName, null);
  assert.equal(vdo.deviceType, FILE_DEVICE_DISK_FILE_SYSTEM);
  assert.equal(vdo.stackSize, disk.stackSize + 1);
  assert.equal(vdo.flags & DO_DEVICE_INITIALIZING, 0);
});

test('sector reads and writes through a RAW volume handle reach the disk and move the file position', () => {
  const { process, media, open } = setup();
  const volume = open();
  const iosb = new IoStatusBlock();
  const data = new Uint8Array(1024).fill(0x5a);
  assert.equal(NtWriteFile(process, volume.handle!, iosb, data, 1024, 1024), STATUS_SUCCESS);
  assert.equal(iosb.information, 1024);
  assert.equal(media[1024], 0x5a);
  assert.equal(media[2047], 0x5a);
  const buffer = new Uint8Array(512);
  assert.equal(
    NtReadFile(process, volume.handle!, iosb, buffer, 512, null),
    STATUS_SUCCESS,
    'at the current position',
  );
  assert.equal(buffer[0], 0, 'the position was 2048 after the write');
  assert.equal(
    NtReadFile(process, volume.handle!, iosb, buffer, 100, 0),
    STATUS_INVALID_PARAMETER,
    'the disk wants whole sectors',
  );
  const length = mustBeSync(
    NtDeviceIoControlFile(process, volume.handle!, IOCTL_DISK_GET_LENGTH_INFO, null, 8),
    'ioctl',
  );
  assert.deepEqual(length.output, { length: 64 * 1024 });
  NtClose(process, volume.handle!);
});

test('RAW has no files and only opens the volume for FILE_OPEN or FILE_OPEN_IF', () => {
  const { disk, open, process } = setup();
  const volume = open();
  assert.equal(open('\\Device\\RamDisk0\\file').status, STATUS_INVALID_PARAMETER);
  assert.equal(open('\\Device\\RamDisk0', { options: FILE_DIRECTORY_FILE }).status, STATUS_NOT_A_DIRECTORY);
  assert.equal(open('\\Device\\RamDisk0', { disposition: FILE_CREATE }).status, STATUS_ACCESS_DENIED);
  assert.equal(disk.vpb!.flags & VPB_MOUNTED, VPB_MOUNTED, 'failed opens do not dismount a volume in use');
  NtClose(process, volume.handle!);
});

test('a RAW mount lasts only while the volume is open, so a later format is recognized', () => {
  const { system, disk, media, open, process } = setup();
  const volume = open();
  const rawVolume = disk.vpb!.deviceObject!;
  NtClose(process, volume.handle!);
  assert.equal(rawVolume.deletePending, true);
  assert.equal(disk.vpb!.flags & VPB_MOUNTED, 0);
  // A failed first open does not leave RAW behind either.
  assert.equal(open('\\Device\\RamDisk0', { disposition: FILE_CREATE }).status, STATUS_ACCESS_DENIED);
  assert.equal(disk.vpb!.flags & VPB_MOUNTED, 0);
  IoLoadDriver(system, memFsDriver);
  memFsFormat({ serialNumber: 3 })(media);
  const file = open('\\Device\\RamDisk0\\now-memfs', { disposition: FILE_CREATE });
  assert.equal(file.status, STATUS_SUCCESS);
  assert.equal(disk.vpb!.deviceObject!.driverObject.driverName, '\\FileSystem\\MemFs');
});

test("RAW volume information: the size from the disk, the name RAW, the disk's device type", () => {
  const { process, open } = setup(128 * 1024);
  const volume = open();
  const query = (infoClass: number) =>
    mustBeSync(NtQueryVolumeInformationFile(process, volume.handle!, infoClass), 'query');
  const size = query(FileFsSizeInformation).info as FileFsSizeInfo;
  assert.deepEqual(size, {
    totalAllocationUnits: 256,
    availableAllocationUnits: 0,
    sectorsPerAllocationUnit: 1,
    bytesPerSector: 512,
  });
  assert.equal((query(FileFsAttributeInformation).info as { fileSystemName: string }).fileSystemName, 'RAW');
  assert.deepEqual(query(FileFsDeviceInformation).info, { deviceType: FILE_DEVICE_DISK, characteristics: 0 });
  assert.equal((query(FileFsVolumeInformation).info as { volumeLabel: string }).volumeLabel, '');
  NtClose(process, volume.handle!);
});

test('volume opens share by the rules of share access', () => {
  const { open, process } = setup();
  const exclusive = open('\\Device\\RamDisk0', { share: 0 });
  assert.equal(exclusive.status, STATUS_SUCCESS);
  assert.equal(open().status, STATUS_SHARING_VIOLATION);
  NtClose(process, exclusive.handle!);
});

test('lock needs the only open, unlock the locker, and dismount fails the other handles', () => {
  const { disk, open, fsctl, process } = setup();
  const first = open();
  const second = open();
  assert.equal(fsctl(first.handle!, FSCTL_LOCK_VOLUME), STATUS_ACCESS_DENIED);
  NtClose(process, second.handle!);
  assert.equal(fsctl(first.handle!, FSCTL_LOCK_VOLUME), STATUS_SUCCESS);
  assert.equal(open().status, STATUS_ACCESS_DENIED);
  assert.equal(fsctl(first.handle!, FSCTL_UNLOCK_VOLUME), STATUS_SUCCESS);
  assert.equal(fsctl(first.handle!, FSCTL_UNLOCK_VOLUME), STATUS_NOT_LOCKED);
  const other = open();
  assert.equal(fsctl(other.handle!, FSCTL_IS_VOLUME_MOUNTED), STATUS_SUCCESS);
  const rawVolume = disk.vpb!.deviceObject!;
  assert.equal(fsctl(first.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  assert.equal(disk.vpb!.flags & VPB_MOUNTED, 0);
  const iosb = new IoStatusBlock();
  assert.equal(
    NtReadFile(process, other.handle!, iosb, new Uint8Array(512), 512, 0),
    STATUS_VOLUME_DISMOUNTED,
  );
  assert.equal(fsctl(other.handle!, FSCTL_IS_VOLUME_MOUNTED), STATUS_VOLUME_DISMOUNTED);
  NtClose(process, first.handle!);
  assert.equal(rawVolume.deletePending, false, 'another handle still holds the volume device');
  NtClose(process, other.handle!);
  assert.equal(rawVolume.deletePending, true);
});

test("filters can open RAW's control device by name, as they must since RAW is never replayed", () => {
  const system = createSystem();
  const pointer = mustBeSync(
    IoGetDeviceObjectPointer(system, '\\Device\\RawDisk', FILE_READ_ATTRIBUTES),
    'open',
  );
  assert.equal(pointer.status, STATUS_SUCCESS);
  assert.equal(pointer.deviceObject!.deviceName, '\\Device\\RawDisk');
  assert.equal(IoGetRelatedDeviceObject(pointer.fileObject!), pointer.deviceObject);
  ObDereferenceObject(pointer.fileObject!);
  assert.equal(pointer.fileObject!.closed, true);
});
