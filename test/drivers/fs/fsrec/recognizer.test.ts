import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { createSystem, deviceStack, NtClose, NtCreateFile } from '../../../../src/api/index.ts';
import {
  FILE_DEVICE_CD_ROM,
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_GENERIC_READ,
  FILE_OPEN,
  FILE_SHARE_READ,
  FILE_SYNCHRONOUS_IO_NONALERT,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MN_LOAD_FILE_SYSTEM,
  IRP_MN_MOUNT_VOLUME,
  IRP_MN_VERIFY_VOLUME,
  mustBeSync,
  type NTSTATUS,
  STATUS_FS_DRIVER_REQUIRED,
  STATUS_IMAGE_ALREADY_LOADED,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  VPB_MOUNTED,
  VPB_RAW_MOUNT,
} from '../../../../src/base/index.ts';
import { notifyAttachDriver } from '../../../../src/drivers/filters/notify-attach/index.ts';
import { fsRecDriver, recognizerGroup } from '../../../../src/drivers/fs/fsrec/index.ts';
import { IoCreateRamDisk } from '../../../../src/drivers/storage/ramdisk/index.ts';
import { IoCreateImageDisk } from '../../../../src/host/image-disk/index.ts';
import {
  type DeviceObject,
  IoAllocateIrp,
  IoCallDriver,
  IoGetNextIrpStackLocation,
  IoLoadDriver,
  IoRegisterDriverImage,
  IoUnloadDriver,
  isFileSystemRegistered,
  type System,
} from '../../../../src/io/index.ts';
import type { Process } from '../../../../src/ob/index.ts';
import {
  formatFatAt,
  makeFatImage,
  makeIsoImage,
  makePartitionedImage,
  makeTempDir,
} from '../../../support/disk-images.ts';
import { type Log, recordingFilter, standInFileSystem } from './stand-ins.ts';

const temp = makeTempDir('strata-fsrec-');
after(() => temp.cleanup());

const floppyFile = path.join(temp.dir, 'floppy.img');
makeFatImage(floppyFile, 1440, { fatBits: 12, label: 'FLOPPY' });
const isoFile = path.join(temp.dir, 'disc.iso');
makeIsoImage(isoFile, { 'readme.txt': 'on the disc' });

const DISK_RECOGNIZER = '\\FileSystem\\FatDiskRecognizer';
const FAT_CDROM_RECOGNIZER = '\\FileSystem\\FatCdRomRecognizer';
const CDFS_RECOGNIZER = '\\FileSystem\\CdfsRecognizer';

/** A system with the stand-in images installed, an event trace, and a process. */
function setup(options: { fat?: Parameters<typeof standInFileSystem>[2] } = {}) {
  const system = createSystem();
  const log: Log = [];
  IoRegisterDriverImage(system, standInFileSystem('Fat', log, options.fat));
  IoRegisterDriverImage(system, standInFileSystem('Cdfs', log));
  const events: string[] = [];
  system.io.addListener((event) => {
    if (event.kind === 'fs-registered' || event.kind === 'fs-unregistered')
      events.push(`${event.kind} ${event.device.deviceName}`);
    else if (event.kind === 'driver-loaded') events.push(`driver-loaded ${event.driver.driverName}`);
    else if (event.kind === 'mounted')
      events.push(`mounted ${event.realDevice.deviceName} by ${event.volumeDevice.driverObject.driverName}`);
  });
  const process = system.createProcess('fsrec.exe');
  return { system, log, events, process };
}

function open(system: System, process: Process, name: string): { status: NTSTATUS; close(): void } {
  const result = mustBeSync(
    NtCreateFile(system, process, {
      objectName: name,
      desiredAccess: FILE_GENERIC_READ,
      shareAccess: FILE_SHARE_READ,
      createDisposition: FILE_OPEN,
      createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
    }),
    `open ${name}`,
  );
  return {
    status: result.status,
    close: () => {
      if (result.handle !== null) NtClose(process, result.handle);
    },
  };
}

function device(system: System, name: string): DeviceObject | undefined {
  return system.ob.lookupNoParse(name) as DeviceObject | undefined;
}

function fsControl(
  target: DeviceObject,
  minorFunction: number,
  storage: DeviceObject | null = null,
): NTSTATUS {
  const irp = IoAllocateIrp(target.stackSize);
  const location = IoGetNextIrpStackLocation(irp);
  location.majorFunction = IRP_MJ_FILE_SYSTEM_CONTROL;
  location.minorFunction = minorFunction;
  if (storage !== null) location.parameters = { vpb: storage.vpb!, deviceObject: storage };
  IoCallDriver(target, irp);
  assert.ok(irp.completed, 'recognizers answer at once on a disk that answers at once');
  return irp.ioStatus.status;
}

test('Fs_Rec registers the FAT disk, FAT CD-ROM and CDFS recognizers, and filters hear them arrive, in the replay too', () => {
  const { system } = setup();
  const before: Log = [];
  IoLoadDriver(system, recordingFilter(before));
  const loaded = IoLoadDriver(system, fsRecDriver);
  assert.equal(loaded.status, STATUS_SUCCESS);
  assert.equal(loaded.driverObject!.driverName, '\\FileSystem\\Fs_Rec');
  assert.deepEqual(before, [
    `+ ${CDFS_RECOGNIZER} (\\FileSystem\\Fs_Rec)`,
    `+ ${DISK_RECOGNIZER} (\\FileSystem\\Fs_Rec)`,
    `+ ${FAT_CDROM_RECOGNIZER} (\\FileSystem\\Fs_Rec)`,
  ]);
  assert.deepEqual(
    system.io.diskFileSystemQueue.map((d) => d.deviceName),
    [DISK_RECOGNIZER, '\\Device\\RawDisk'],
  );
  assert.deepEqual(
    system.io.cdRomFileSystemQueue.map((d) => d.deviceName),
    [FAT_CDROM_RECOGNIZER, CDFS_RECOGNIZER, '\\Device\\RawCdRom'],
  );
  assert.equal(device(system, DISK_RECOGNIZER)!.deviceType, FILE_DEVICE_DISK_FILE_SYSTEM);
  assert.equal(device(system, CDFS_RECOGNIZER)!.deviceType, FILE_DEVICE_CD_ROM_FILE_SYSTEM);
  // D4: the replay skips RAW only; recognizers are reported to a filter that registers later.
  const replay: Log = [];
  const late = recordingFilter(replay);
  IoLoadDriver(system, { ...late, manifest: { ...late.manifest, name: 'LateRecorder' } });
  assert.deepEqual(replay.sort(), [...before].sort());
});

test('on a mkfs.fat volume: recognized, the real FAT loads and arrives, the recognizers leave, and the restarted walk mounts it', () => {
  const { system, log, events, process } = setup();
  const notifications: Log = [];
  IoLoadDriver(system, recordingFilter(notifications));
  IoLoadDriver(system, notifyAttachDriver);
  IoLoadDriver(system, fsRecDriver);
  const { deviceObject: disk } = IoCreateRamDisk(system, {
    media: new Uint8Array(fs.readFileSync(floppyFile)),
  });
  notifications.length = 0;
  events.length = 0;

  const file = open(system, process, '\\Device\\RamDisk0\\readme.txt');
  assert.equal(file.status, STATUS_SUCCESS);
  assert.deepEqual(notifications, [
    '+ \\Fat (\\FileSystem\\Fat)',
    `- ${DISK_RECOGNIZER} (\\FileSystem\\Fs_Rec)`,
    `- ${FAT_CDROM_RECOGNIZER} (\\FileSystem\\Fs_Rec)`,
  ]);
  assert.deepEqual(events, [
    'fs-registered \\Fat',
    'driver-loaded \\FileSystem\\Fat',
    `fs-unregistered ${DISK_RECOGNIZER}`,
    `fs-unregistered ${FAT_CDROM_RECOGNIZER}`,
    'mounted \\Device\\RamDisk0 by \\FileSystem\\Fat',
  ]);
  assert.deepEqual(log, [
    'Fat: DriverEntry',
    'Fat: mount \\Device\\RamDisk0',
    'Fat: mounted \\Device\\RamDisk0',
  ]);
  assert.notEqual(disk!.vpb!.flags & VPB_MOUNTED, 0);
  assert.equal(disk!.vpb!.deviceObject!.driverObject.driverName, '\\FileSystem\\Fat');
  // The recognizers are gone; CDFS's stays, its driver not being loaded.
  assert.equal(device(system, DISK_RECOGNIZER), undefined);
  assert.equal(device(system, FAT_CDROM_RECOGNIZER), undefined);
  assert.ok(isFileSystemRegistered(device(system, CDFS_RECOGNIZER)!));
  // A filter that skips Fs_Rec never sat on a recognizer, and now sits on the FAT volume.
  assert.deepEqual(
    deviceStack(disk!.vpb!.deviceObject!).map((entry) => entry.driverName),
    ['\\FileSystem\\NotifyAttach', '\\FileSystem\\Fat'],
  );
  file.close();
});

test('a volume that is neither FAT nor ISO 9660 goes on to RAW when opened itself, and is unrecognized otherwise', () => {
  const { system, log, process } = setup();
  IoLoadDriver(system, fsRecDriver);
  const { deviceObject: disk } = IoCreateRamDisk(system, { sizeBytes: 64 * 1024 });
  assert.equal(open(system, process, '\\Device\\RamDisk0\\file').status, STATUS_UNRECOGNIZED_VOLUME);
  const volume = open(system, process, '\\Device\\RamDisk0');
  assert.equal(volume.status, STATUS_SUCCESS);
  assert.notEqual(disk!.vpb!.flags & VPB_RAW_MOUNT, 0);
  volume.close();
  assert.deepEqual(log, [], 'no driver was loaded');
  assert.ok(isFileSystemRegistered(device(system, DISK_RECOGNIZER)!));
});

test('an ISO 9660 image on a CD-ROM is recognized by CdfsRecognizer and mounted by CDFS once it loads', () => {
  const { system, log, events, process } = setup();
  IoLoadDriver(system, fsRecDriver);
  const media = new Uint8Array(fs.readFileSync(isoFile));
  const { deviceObject: cdrom } = IoCreateRamDisk(system, {
    media,
    sectorSize: 2048,
    deviceType: FILE_DEVICE_CD_ROM,
  });
  // The FAT CD-ROM recognizer is asked first and declines.
  assert.equal(
    fsControl(device(system, FAT_CDROM_RECOGNIZER)!, IRP_MN_MOUNT_VOLUME, cdrom!),
    STATUS_UNRECOGNIZED_VOLUME,
  );
  assert.equal(
    fsControl(device(system, CDFS_RECOGNIZER)!, IRP_MN_MOUNT_VOLUME, cdrom!),
    STATUS_FS_DRIVER_REQUIRED,
  );
  events.length = 0;
  const file = open(system, process, '\\Device\\RamDisk0\\readme.txt');
  assert.equal(file.status, STATUS_SUCCESS);
  assert.deepEqual(log, [
    'Cdfs: DriverEntry',
    'Cdfs: mount \\Device\\RamDisk0',
    'Cdfs: mounted \\Device\\RamDisk0',
  ]);
  assert.deepEqual(events.slice(0, 3), [
    'fs-registered \\Cdfs',
    'driver-loaded \\FileSystem\\Cdfs',
    `fs-unregistered ${CDFS_RECOGNIZER}`,
  ]);
  assert.ok(isFileSystemRegistered(device(system, DISK_RECOGNIZER)!), 'the FAT recognizers stay');
  file.close();
});

test('no recognizer is created for a driver already loaded; with both loaded Fs_Rec has nothing to do', () => {
  const { system } = setup();
  IoLoadDriver(system, 'Fat');
  const loaded = IoLoadDriver(system, fsRecDriver);
  assert.equal(loaded.status, STATUS_SUCCESS);
  assert.deepEqual(
    loaded.driverObject!.deviceObjects.map((d) => d.deviceName),
    [CDFS_RECOGNIZER],
  );
  const both = setup().system;
  IoLoadDriver(both, 'Fat');
  IoLoadDriver(both, 'Cdfs');
  const idle = IoLoadDriver(both, fsRecDriver);
  assert.equal(
    idle.status,
    STATUS_SUCCESS,
    'DriverEntry returned STATUS_IMAGE_ALREADY_LOADED, a success code',
  );
  assert.deepEqual(idle.driverObject!.deviceObjects, []);
});

test('a failing load keeps the recognizers, is tried once per mount, and a working image registered later loads', () => {
  const { system, log, process } = setup({ fat: { failWith: STATUS_INSUFFICIENT_RESOURCES } });
  IoLoadDriver(system, fsRecDriver);
  const { deviceObject: disk } = IoCreateRamDisk(system, {
    media: new Uint8Array(fs.readFileSync(floppyFile)),
  });
  const recognizer = device(system, DISK_RECOGNIZER)!;
  assert.equal(fsControl(recognizer, IRP_MN_LOAD_FILE_SYSTEM), STATUS_INSUFFICIENT_RESOURCES);
  assert.ok(isFileSystemRegistered(recognizer));
  assert.equal(recognizerGroup(recognizer)!.state, 'load-failed');
  log.length = 0;
  // With the failing image still installed the recognizer steps aside: the walk goes on.
  assert.equal(open(system, process, '\\Device\\RamDisk0\\readme.txt').status, STATUS_UNRECOGNIZED_VOLUME);
  const raw = open(system, process, '\\Device\\RamDisk0');
  assert.equal(raw.status, STATUS_SUCCESS);
  assert.notEqual(disk!.vpb!.flags & VPB_RAW_MOUNT, 0);
  raw.close();
  assert.deepEqual(log, [], 'the failing image was not tried again');

  // A new image (here a working one) makes the recognizer ask for a load again.
  IoRegisterDriverImage(system, standInFileSystem('Fat', log));
  const file = open(system, process, '\\Device\\RamDisk0\\readme.txt');
  assert.equal(file.status, STATUS_SUCCESS);
  assert.deepEqual(log, [
    'Fat: DriverEntry',
    'Fat: mount \\Device\\RamDisk0',
    'Fat: mounted \\Device\\RamDisk0',
  ]);
  assert.equal(device(system, DISK_RECOGNIZER), undefined);
  file.close();
});

test('the mount walk tries a failing driver once: the open of a FAT volume is unrecognized, RAW still serves the volume', () => {
  const { system, log, process } = setup({ fat: { failWith: STATUS_INSUFFICIENT_RESOURCES } });
  IoLoadDriver(system, fsRecDriver);
  IoCreateRamDisk(system, { media: new Uint8Array(fs.readFileSync(floppyFile)) });
  assert.equal(open(system, process, '\\Device\\RamDisk0\\readme.txt').status, STATUS_UNRECOGNIZED_VOLUME);
  assert.deepEqual(log, ['Fat: DriverEntry']);
  const missing = setup().system;
  missing.io.driverImages.delete('FAT');
  IoLoadDriver(missing, fsRecDriver);
  assert.equal(
    fsControl(device(missing, DISK_RECOGNIZER)!, IRP_MN_LOAD_FILE_SYSTEM),
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
});

test('a retired recognizer answers a load with STATUS_IMAGE_ALREADY_LOADED and a mount with STATUS_UNRECOGNIZED_VOLUME', () => {
  const { system } = setup();
  IoLoadDriver(system, fsRecDriver);
  const diskRecognizer = device(system, DISK_RECOGNIZER)!;
  const cdRecognizer = device(system, FAT_CDROM_RECOGNIZER)!;
  assert.equal(fsControl(diskRecognizer, IRP_MN_LOAD_FILE_SYSTEM), STATUS_SUCCESS);
  assert.ok(
    diskRecognizer.deleteCompleted && cdRecognizer.deleteCompleted,
    'both FAT recognizers are deleted',
  );
  assert.equal(fsControl(cdRecognizer, IRP_MN_LOAD_FILE_SYSTEM), STATUS_IMAGE_ALREADY_LOADED);
  const { deviceObject: disk } = IoCreateRamDisk(system, {
    media: new Uint8Array(fs.readFileSync(floppyFile)),
  });
  assert.equal(fsControl(diskRecognizer, IRP_MN_MOUNT_VOLUME, disk!), STATUS_UNRECOGNIZED_VOLUME);
  assert.equal(
    fsControl(device(system, CDFS_RECOGNIZER)!, IRP_MN_VERIFY_VOLUME),
    STATUS_INVALID_DEVICE_REQUEST,
  );
});

test('a real driver loaded behind the recognizer: the load finds it loaded, the recognizers retire, the walk ends', () => {
  const { system, log, process } = setup({ fat: { rejectAll: true } });
  IoLoadDriver(system, fsRecDriver);
  IoLoadDriver(system, 'Fat');
  IoCreateRamDisk(system, { media: new Uint8Array(fs.readFileSync(floppyFile)) });
  assert.equal(open(system, process, '\\Device\\RamDisk0\\readme.txt').status, STATUS_UNRECOGNIZED_VOLUME);
  assert.deepEqual(log, [
    'Fat: DriverEntry',
    'Fat: mount \\Device\\RamDisk0',
    'Fat: mount \\Device\\RamDisk0',
  ]);
  assert.equal(device(system, DISK_RECOGNIZER), undefined);
});

test('on a partitioned image disk, the FAT partition is recognized through its partition device and mounted there', () => {
  const file = path.join(temp.dir, 'partitioned.img');
  makePartitionedImage(
    file,
    24 << 20,
    'label: dos\nstart=2048, size=8192, type=83\nstart=10240, size=20480, type=6\n',
  );
  formatFatAt(file, 10240, 10240, 'SECOND');
  const { system, log, process } = setup();
  IoLoadDriver(system, fsRecDriver);
  const { partitions } = IoCreateImageDisk(system, { path: file }).partitions!;
  assert.equal(open(system, process, `${partitions[0]!.volumeName}\\x`).status, STATUS_UNRECOGNIZED_VOLUME);
  const opened = open(system, process, `${partitions[1]!.volumeName}\\readme.txt`);
  assert.equal(opened.status, STATUS_SUCCESS);
  assert.deepEqual(log, [
    'Fat: DriverEntry',
    'Fat: mount \\Device\\Harddisk0\\Partition2',
    'Fat: mounted \\Device\\Harddisk0\\Partition2',
  ]);
  opened.close();
});

test('recognizer devices open only as themselves, and unloading Fs_Rec unregisters and deletes them', () => {
  const { system, process } = setup();
  const notifications: Log = [];
  IoLoadDriver(system, recordingFilter(notifications));
  IoLoadDriver(system, fsRecDriver);
  const control = open(system, process, CDFS_RECOGNIZER);
  assert.equal(control.status, STATUS_SUCCESS);
  control.close();
  assert.notEqual(open(system, process, `${CDFS_RECOGNIZER}\\below`).status, STATUS_SUCCESS);
  notifications.length = 0;
  assert.equal(IoUnloadDriver(system, 'Fs_Rec'), STATUS_SUCCESS);
  assert.deepEqual(
    notifications.map((n) => n.split(' ')[0]),
    ['-', '-', '-'],
  );
  assert.deepEqual(
    system.io.diskFileSystemQueue.map((d) => d.deviceName),
    ['\\Device\\RawDisk'],
  );
  assert.equal(device(system, CDFS_RECOGNIZER), undefined);
});
