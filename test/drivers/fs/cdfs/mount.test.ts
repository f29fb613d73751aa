/**
 * CDFS registration, recognition and volume life: the low-priority `\Cdfs` control device, what
 * mounts and what does not, the serial number and label Windows would show, volume information,
 * lock, dismount, verify, shutdown, unload, and a disc that pends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createSystem,
  NtClose,
  NtCreateFile,
  NtReadFile,
  NtShutdownSystem,
} from '../../../../src/api/index.ts';
import {
  DO_LOW_PRIORITY_FILESYSTEM,
  FILE_DEVICE_CD_ROM,
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_GENERIC_READ,
  FILE_OPEN,
  FILE_READ_ONLY_VOLUME,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FILE_UNICODE_ON_DISK,
  type FileFsAttributeInfo,
  FileFsAttributeInformation,
  type FileFsDeviceInfo,
  FileFsDeviceInformation,
  type FileFsSizeInfo,
  FileFsSizeInformation,
  type FileFsVolumeInfo,
  FileFsVolumeInformation,
  FSCTL_DISMOUNT_VOLUME,
  FSCTL_IS_VOLUME_MOUNTED,
  FSCTL_LOCK_VOLUME,
  FSCTL_UNLOCK_VOLUME,
  IRP_MJ_READ,
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_NOT_LOCKED,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  STATUS_VOLUME_DISMOUNTED,
  VPB_MOUNTED,
} from '../../../../src/base/index.ts';
import {
  CDFS_CONTROL_DEVICE_NAME,
  cdfsDriver,
  cdfsDriverWith,
  cdSerial32,
} from '../../../../src/drivers/fs/cdfs/index.ts';
import { IoCreateRamDisk } from '../../../../src/drivers/storage/ramdisk/index.ts';
import {
  IoGetCurrentIrpStackLocation,
  IoLoadDriver,
  IoRegisterDriverImage,
  IoStatusBlock,
  IoUnloadDriver,
  IoVerifyVolume,
  type ReadWriteParameters,
} from '../../../../src/io/index.ts';
import { toyFileSystem } from '../../../support/toy-drivers.ts';
import { buildIso, cdVolume, descriptorsOf, services } from './setup.ts';

const TREE = { 'hello.txt': 'hello\n', 'dir/inner.txt': 'inner\n' };

test('DriverEntry registers \\Cdfs as a low-priority CD-ROM file system, just before RAW', () => {
  const system = createSystem();
  IoRegisterDriverImage(system, cdfsDriver);
  const loaded = IoLoadDriver(system, 'Cdfs');
  assert.equal(loaded.status, STATUS_SUCCESS);
  assert.equal(loaded.driverObject!.driverName, '\\FileSystem\\Cdfs');
  const queue = system.io.cdRomFileSystemQueue;
  const cdo = queue.find((device) => device.deviceName === CDFS_CONTROL_DEVICE_NAME)!;
  assert.equal(cdo.deviceType, FILE_DEVICE_CD_ROM_FILE_SYSTEM);
  assert.equal(cdo.flags & DO_LOW_PRIORITY_FILESYSTEM, DO_LOW_PRIORITY_FILESYSTEM);
  assert.deepEqual(
    queue.map((device) => device.deviceName),
    ['\\Cdfs', '\\Device\\RawCdRom'],
  );
  assert.equal(system.io.diskFileSystemQueue.includes(cdo), false);
});

test('a CD-ROM file system registered later is asked to mount before CDFS', () => {
  const system = createSystem();
  IoLoadDriver(system, cdfsDriver);
  const log: string[] = [];
  IoLoadDriver(
    system,
    toyFileSystem('ToyCd', log, { deviceType: FILE_DEVICE_CD_ROM_FILE_SYSTEM, recognizes: () => false }),
  );
  const { deviceObject: disc } = IoCreateRamDisk(system, {
    media: buildIso(TREE),
    sectorSize: 2048,
    deviceType: FILE_DEVICE_CD_ROM,
    readOnly: true,
  });
  system.ob.createSymbolicLink('\\??\\D:', disc!.deviceName!);
  const volume = services(system, system.createProcess('t'), '\\??\\D:');
  assert.deepEqual(volume.readAll('hello.txt'), new TextEncoder().encode('hello\n'));
  assert.equal(log[0], `ToyCd: mount ${disc!.deviceName} via \\Device\\ToyCd`);
  assert.equal(disc!.vpb!.deviceObject!.driverObject.driverName, '\\FileSystem\\Cdfs');
});

test('a disc without an ISO 9660 descriptor at sector 16 is not recognised; RAW takes volume opens', () => {
  const volume = cdVolume(new Uint8Array(40 * 2048));
  assert.equal(volume.open('file.txt').status, STATUS_UNRECOGNIZED_VOLUME);
  const raw = volume.openVolume();
  assert.equal(raw.status, STATUS_SUCCESS);
  assert.equal(volume.device.vpb!.deviceObject!.driverObject.driverName, '\\FileSystem\\RAW');
  volume.close(raw.handle!);
});

test('a disc too short to hold sector 16, or with a descriptor set but no primary, is not recognised', () => {
  assert.equal(cdVolume(new Uint8Array(16 * 2048)).open('x').status, STATUS_UNRECOGNIZED_VOLUME);
  const image = buildIso(TREE);
  image[16 * 2048] = 2; // the primary becomes a supplementary descriptor without escape sequences
  assert.equal(cdVolume(image).open('hello.txt').status, STATUS_UNRECOGNIZED_VOLUME);
});

test('ISO media on a disk device is left to disk file systems unless mountDiskDevices is set', () => {
  const image = buildIso(TREE);
  const plain = cdVolume(image, { deviceType: FILE_DEVICE_DISK });
  assert.equal(plain.open('hello.txt').status, STATUS_UNRECOGNIZED_VOLUME);
  const withDisks = cdVolume(image, { deviceType: FILE_DEVICE_DISK, cdfs: { mountDiskDevices: true } });
  assert.deepEqual(withDisks.readAll('hello.txt'), new TextEncoder().encode('hello\n'));
  const vdo = withDisks.device.vpb!.deviceObject!;
  assert.equal(vdo.deviceType, FILE_DEVICE_DISK_FILE_SYSTEM);
  assert.ok(withDisks.system.io.diskFileSystemQueue.some((device) => device.deviceName === '\\CdfsDisk'));
});

test('the serial number is CdSerial32 of the Joliet descriptor, and the label is Joliet’s, as Windows shows', () => {
  const image = buildIso(TREE, 'genisoimage', ['-R', '-J', '-V', 'Mixed Case']);
  const { primary, joliet } = descriptorsOf(image);
  // Make the primary's identifier differ, so the test sees which descriptor was used.
  primary.set(new TextEncoder().encode('PRIMARY LABEL'.padEnd(32, ' ')), 40);
  const volume = cdVolume(image);
  const h = volume.handle('hello.txt');
  const info = volume.queryVolume<FileFsVolumeInfo>(h, FileFsVolumeInformation).info!;
  volume.close(h);
  assert.equal(info.volumeSerialNumber, cdSerial32(joliet!));
  assert.equal(info.volumeLabel, 'Mixed Case');
  assert.equal(volume.device.vpb!.serialNumber, cdSerial32(joliet!));
  assert.equal(volume.device.vpb!.volumeLabel, 'Mixed Case');
  // The plain ISO 9660 name set uses the primary descriptor for both.
  const iso = cdVolume(image, { cdfs: { preferredNames: 'iso9660' } });
  iso.close(iso.handle('HELLO.TXT'));
  assert.equal(iso.device.vpb!.serialNumber, cdSerial32(primary));
  assert.equal(iso.device.vpb!.volumeLabel, 'PRIMARY LABEL');
});

test('a disc without Joliet takes serial and label from the primary descriptor', () => {
  const image = buildIso(TREE, 'genisoimage', ['-R', '-V', 'PLAINVOL']);
  const { primary, joliet } = descriptorsOf(image);
  assert.equal(joliet, null);
  const volume = cdVolume(image);
  volume.close(volume.handle('hello.txt'));
  assert.equal(volume.device.vpb!.serialNumber, cdSerial32(primary));
  assert.equal(volume.device.vpb!.volumeLabel, 'PLAINVOL');
});

test('volume information: size in 2048-byte sectors, nothing free, CDFS, read-only', () => {
  const image = buildIso(TREE, 'genisoimage', ['-J']);
  const volume = cdVolume(image);
  const h = volume.handle('hello.txt');
  const size = volume.queryVolume<FileFsSizeInfo>(h, FileFsSizeInformation).info!;
  const primary = descriptorsOf(image).primary;
  const volumeBlocks = primary[80]! | (primary[81]! << 8) | (primary[82]! << 16);
  assert.deepEqual(size, {
    totalAllocationUnits: volumeBlocks,
    availableAllocationUnits: 0,
    sectorsPerAllocationUnit: 1,
    bytesPerSector: 2048,
  });
  const attributes = volume.queryVolume<FileFsAttributeInfo>(h, FileFsAttributeInformation).info!;
  assert.equal(attributes.fileSystemName, 'CDFS');
  assert.equal(attributes.fileSystemAttributes & FILE_READ_ONLY_VOLUME, FILE_READ_ONLY_VOLUME);
  assert.equal(attributes.fileSystemAttributes & FILE_UNICODE_ON_DISK, FILE_UNICODE_ON_DISK);
  assert.equal(attributes.maximumComponentNameLength, 110);
  const device = volume.queryVolume<FileFsDeviceInfo>(h, FileFsDeviceInformation).info!;
  assert.equal(device.deviceType, FILE_DEVICE_CD_ROM);
  volume.close(h);
});

test('FSCTL_LOCK_VOLUME needs the volume to itself, and a locked volume refuses opens until unlocked', () => {
  const volume = cdVolume(buildIso(TREE));
  const file = volume.handle('hello.txt');
  const { handle: locker } = volume.openVolume();
  assert.equal(volume.fsctl(locker!, FSCTL_LOCK_VOLUME), STATUS_ACCESS_DENIED);
  volume.close(file);
  assert.equal(volume.fsctl(locker!, FSCTL_LOCK_VOLUME), STATUS_SUCCESS);
  assert.equal(volume.open('hello.txt').status, STATUS_ACCESS_DENIED);
  const { handle: other } = volume.openVolume(FILE_GENERIC_READ);
  assert.equal(other, null);
  assert.equal(volume.fsctl(locker!, FSCTL_UNLOCK_VOLUME), STATUS_SUCCESS);
  assert.equal(volume.fsctl(locker!, FSCTL_UNLOCK_VOLUME), STATUS_NOT_LOCKED);
  volume.close(volume.handle('hello.txt'));
  volume.close(locker!);
});

test('closing the locking handle unlocks the volume', () => {
  const volume = cdVolume(buildIso(TREE));
  const { handle: locker } = volume.openVolume();
  assert.equal(volume.fsctl(locker!, FSCTL_LOCK_VOLUME), STATUS_SUCCESS);
  volume.close(locker!);
  volume.close(volume.handle('hello.txt'));
});

test('dismount fails later requests on old handles; the next open mounts the disc again', () => {
  const volume = cdVolume(buildIso(TREE));
  const file = volume.handle('hello.txt');
  const { handle: v } = volume.openVolume();
  assert.equal(volume.fsctl(v!, FSCTL_IS_VOLUME_MOUNTED), STATUS_SUCCESS);
  const oldVolumeDevice = volume.device.vpb!.deviceObject!;
  assert.equal(volume.fsctl(v!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  assert.equal(volume.read(file, 10).status, STATUS_VOLUME_DISMOUNTED);
  assert.equal(volume.fsctl(v!, FSCTL_IS_VOLUME_MOUNTED), STATUS_VOLUME_DISMOUNTED);
  assert.deepEqual(volume.readAll('hello.txt'), new TextEncoder().encode('hello\n'));
  assert.notEqual(volume.device.vpb!.deviceObject, oldVolumeDevice);
  volume.close(file);
  volume.close(v!);
  assert.equal(oldVolumeDevice.deleteCompleted, true);
});

test('verify keeps the volume when the same disc is in the drive, and reports a changed one', () => {
  const first = buildIso(TREE, 'genisoimage', ['-R', '-V', 'FIRST']);
  const second = buildIso({ 'other.txt': 'other\n' }, 'genisoimage', ['-R', '-V', 'SECOND']);
  const volume = cdVolume(first.length >= second.length ? first : padded(first, second.length));
  volume.close(volume.handle('hello.txt'));
  const vpb = volume.device.vpb!;
  assert.equal(IoVerifyVolume(volume.device, false), STATUS_SUCCESS);
  assert.equal(volume.device.vpb, vpb);
  volume.media.fill(0);
  volume.media.set(second);
  // The old volume is wound down and the new disc mounted on a fresh VPB.
  IoVerifyVolume(volume.device, false);
  assert.notEqual(volume.device.vpb, vpb);
  assert.equal(vpb.flags & VPB_MOUNTED, 0);
  assert.deepEqual(volume.readAll('other.txt'), new TextEncoder().encode('other\n'));
  assert.equal(volume.device.vpb!.volumeLabel, 'SECOND');
});

function padded(image: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(length / 2048) * 2048);
  out.set(image);
  return out;
}

test('verify of a disc that is no longer ISO 9660 winds the old volume down and mounts nothing', () => {
  const volume = cdVolume(buildIso(TREE));
  const h = volume.handle('hello.txt');
  volume.media.fill(0);
  assert.equal(IoVerifyVolume(volume.device, false), STATUS_UNRECOGNIZED_VOLUME);
  assert.equal(volume.read(h, 4).status, STATUS_VOLUME_DISMOUNTED);
  volume.close(h);
  assert.equal(volume.open('hello.txt').status, STATUS_UNRECOGNIZED_VOLUME);
});

test('shutdown takes \\Cdfs out of the queue and deletes it; a mounted volume still reads', () => {
  const volume = cdVolume(buildIso(TREE));
  const h = volume.handle('hello.txt');
  const result = NtShutdownSystem(volume.system);
  assert.ok(!(result instanceof Promise));
  assert.equal(
    volume.system.io.cdRomFileSystemQueue.some((device) => device.deviceName === CDFS_CONTROL_DEVICE_NAME),
    false,
  );
  assert.equal(volume.system.ob.lookupNoParse(CDFS_CONTROL_DEVICE_NAME), undefined);
  assert.equal(volume.read(h, 5).status, STATUS_SUCCESS);
  volume.close(h);
});

test('CDFS cannot unload while a volume is mounted, and can once it is gone', () => {
  const volume = cdVolume(buildIso(TREE));
  volume.close(volume.handle('hello.txt'));
  assert.equal(IoUnloadDriver(volume.system, 'Cdfs'), STATUS_INVALID_DEVICE_REQUEST);
  const { handle: v } = volume.openVolume();
  assert.equal(volume.fsctl(v!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  volume.close(v!);
  assert.equal(IoUnloadDriver(volume.system, 'Cdfs'), STATUS_SUCCESS);
  assert.equal(volume.system.ob.lookupNoParse(CDFS_CONTROL_DEVICE_NAME), undefined);
});

test('a disc that completes reads later mounts, lists and reads like one that answers at once', async () => {
  const image = buildIso({ ...TREE, 'big.bin': new Uint8Array(200_000).map((_, i) => i * 7) });
  const system = createSystem();
  const process = system.createProcess('t');
  IoLoadDriver(system, cdfsDriverWith({}));
  const { deviceObject: disc } = IoCreateRamDisk(system, {
    media: image,
    sectorSize: 2048,
    deviceType: FILE_DEVICE_CD_ROM,
    readOnly: true,
    completeAsynchronously: true,
  });
  const opened = NtCreateFile(system, process, {
    objectName: `${disc!.deviceName}\\big.bin`,
    desiredAccess: FILE_GENERIC_READ,
    createDisposition: FILE_OPEN,
    createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
  });
  assert.ok(opened instanceof Promise, 'the mount pends with the disc');
  const { status, handle } = await opened;
  assert.equal(status, STATUS_SUCCESS);
  const buffer = new Uint8Array(200_000);
  const iosb = new IoStatusBlock();
  const read = NtReadFile(process, handle!, iosb, buffer, buffer.length, 0);
  assert.ok(read instanceof Promise);
  assert.equal(await read, STATUS_SUCCESS);
  assert.equal(iosb.information, 200_000);
  assert.deepEqual(
    buffer,
    new Uint8Array(200_000).map((_, i) => i * 7),
  );
  assert.equal(NtClose(process, handle!), STATUS_SUCCESS);
});

test('opens racing into one directory on a pending disc share a single read of it', async () => {
  const image = buildIso({ 'dir/a.txt': 'a', 'dir/b.txt': 'b' });
  const system = createSystem();
  const process = system.createProcess('t');
  IoLoadDriver(system, cdfsDriver);
  const { deviceObject: disc } = IoCreateRamDisk(system, {
    media: image,
    sectorSize: 2048,
    deviceType: FILE_DEVICE_CD_ROM,
    readOnly: true,
    completeAsynchronously: true,
  });
  const open = (name: string) =>
    NtCreateFile(system, process, {
      objectName: `${disc!.deviceName}\\${name}`,
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
      createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
    });
  await open('other-mount-trigger.txt'); // mounts (and reads the root) first
  const reads: number[] = [];
  const dispatch = disc!.driverObject.majorFunction;
  const original = dispatch[IRP_MJ_READ]!;
  dispatch[IRP_MJ_READ] = (device, irp) => {
    reads.push((IoGetCurrentIrpStackLocation(irp).parameters as ReadWriteParameters).byteOffset);
    return original(device, irp);
  };
  const [a, b] = await Promise.all([open('dir\\a.txt'), open('dir\\b.txt')]);
  assert.equal(a.status, STATUS_SUCCESS);
  assert.equal(b.status, STATUS_SUCCESS);
  assert.equal(reads.length, 1, 'one read of the directory served both opens');
  NtClose(process, a.handle!);
  NtClose(process, b.handle!);
});
