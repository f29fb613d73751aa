import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSystem, NtClose, NtCreateFile } from '../../../src/api/index.ts';
import {
  DO_DEVICE_INITIALIZING,
  DO_DIRECT_IO,
  FILE_DEVICE_SECURE_OPEN,
  FILE_GENERIC_READ,
  FILE_OPEN,
  FSCTL_DISMOUNT_VOLUME,
  mustBeSync,
  type NTSTATUS,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import {
  createSFilterDriver,
  IOCTL_FILTER_LIST_ATTACHMENTS,
  SFILTER_CONTROL_DEVICE,
  sfilterDriver,
} from '../../../src/drivers/filters/sfilter/index.ts';
import { memFsFormat } from '../../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../../src/drivers/storage/ramdisk/index.ts';
import {
  type DeviceObject,
  type DriverModule,
  IoLoadDriver,
  IoUnloadDriver,
  IoUnregisterFileSystem,
  type System,
} from '../../../src/io/index.ts';
import { memfsVolume } from '../fs/memfs/setup.ts';
import { controlRequest, stackOf, toyRecognizer } from './setup.ts';

function cdo(system: System, name: string): DeviceObject {
  const device = (system.ob.lookupNoParse(name) ?? null) as DeviceObject | null;
  assert.ok(device !== null, name);
  return device;
}

function sfilterDevices(system: System): DeviceObject[] {
  return [...(system.io.drivers.get('SFILTER')?.deviceObjects ?? [])];
}

test('SFilter attaches to every file system control device, RAW included by name, during its DriverEntry', () => {
  const fx = memfsVolume();
  assert.equal(IoLoadDriver(fx.system, sfilterDriver).status, STATUS_SUCCESS);
  assert.deepEqual(stackOf(cdo(fx.system, '\\Device\\MemFs')), ['SFilter', 'MemFs']);
  assert.deepEqual(stackOf(cdo(fx.system, '\\Device\\RawDisk')), ['SFilter', 'RAW']);
  assert.deepEqual(stackOf(cdo(fx.system, '\\Device\\RawCdRom')), ['SFilter', 'RAW']);
  // RAW's tape device is not a disk, CD-ROM or network file system: sfilter leaves it alone.
  assert.deepEqual(stackOf(cdo(fx.system, '\\Device\\RawTape')), ['RAW']);
});

test('SFilter devices are unnamed, initialized, typed like their target, with flags and secure-open propagated', () => {
  const fx = memfsVolume();
  const memFsCdo = cdo(fx.system, '\\Device\\MemFs');
  memFsCdo.flags |= DO_DIRECT_IO;
  memFsCdo.characteristics |= FILE_DEVICE_SECURE_OPEN;
  IoLoadDriver(fx.system, sfilterDriver);
  const filter = memFsCdo.attachedDevice!;
  assert.equal(filter.deviceName, null);
  assert.equal(filter.flags & DO_DEVICE_INITIALIZING, 0);
  assert.equal(filter.deviceType, memFsCdo.deviceType);
  assert.equal(filter.flags & DO_DIRECT_IO, DO_DIRECT_IO);
  assert.equal(filter.characteristics & FILE_DEVICE_SECURE_OPEN, FILE_DEVICE_SECURE_OPEN);
  assert.equal(filter.stackSize, memFsCdo.stackSize + 1);
  // The control device is named and is the only named device of the driver.
  assert.deepEqual(
    sfilterDevices(fx.system)
      .map((d) => d.deviceName)
      .filter((n) => n !== null),
    [SFILTER_CONTROL_DEVICE],
  );
});

test('SFilter attaches to a volume that was mounted before it loaded, found by enumerating the file system', () => {
  const fx = memfsVolume();
  fx.writeFile('before.txt', 'x');
  const volume = fx.volumeDevice()!;
  IoLoadDriver(fx.system, sfilterDriver);
  assert.deepEqual(stackOf(volume), ['SFilter', 'MemFs']);
  // Only one device per volume, even though the replay and the enumeration both ran.
  assert.equal(sfilterDevices(fx.system).filter((d) => d.attachedTo === volume).length, 1);
});

test('SFilter attaches to a new volume once its mount completes, and not to a failed mount', () => {
  const fx = memfsVolume();
  IoLoadDriver(fx.system, sfilterDriver);
  const before = sfilterDevices(fx.system).length;
  fx.writeFile('a.txt', 'hello');
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['SFilter', 'MemFs']);
  assert.equal(sfilterDevices(fx.system).length, before + 1);
  // An unformatted disk: MemFS refuses the mount, the spare device sfilter pre-created is deleted.
  const blank = IoCreateRamDisk(fx.system, { sizeBytes: 1 << 20 }).deviceObject!;
  const opened = mustBeSync(
    NtCreateFile(fx.system, fx.process, {
      objectName: `${blank.deviceName}\\file`,
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
    }),
    'test',
  );
  assert.notEqual(opened.status, STATUS_SUCCESS);
  assert.equal(sfilterDevices(fx.system).length, before + 1);
  assert.equal(fx.readFile('a.txt'), 'hello');
});

test('SFilter attaches to a RAW volume mounted by a direct open of an unrecognized disk', () => {
  const fx = memfsVolume();
  IoLoadDriver(fx.system, sfilterDriver);
  const blank = IoCreateRamDisk(fx.system, { sizeBytes: 1 << 20 }).deviceObject!;
  const opened = mustBeSync(
    NtCreateFile(fx.system, fx.process, {
      objectName: blank.deviceName!,
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
    }),
    'test',
  );
  assert.equal(opened.status, STATUS_SUCCESS);
  assert.deepEqual(stackOf(blank.vpb!.deviceObject!), ['SFilter', 'RAW']);
  NtClose(fx.process, opened.handle!);
});

test('SFilter leaves a file system that unregisters; its mounted volume keeps the filter and keeps working', () => {
  const fx = memfsVolume();
  IoLoadDriver(fx.system, sfilterDriver);
  fx.writeFile('a.txt', 'kept');
  const memFsCdo = cdo(fx.system, '\\Device\\MemFs');
  IoUnregisterFileSystem(memFsCdo);
  assert.deepEqual(stackOf(memFsCdo), ['MemFs']);
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['SFilter', 'MemFs']);
  assert.equal(fx.readFile('a.txt'), 'kept');
});

test('SFilter detaches from a volume when it is dismounted and its volume device is deleted (FastIoDetachDevice)', () => {
  const fx = memfsVolume();
  IoLoadDriver(fx.system, sfilterDriver);
  fx.writeFile('a.txt', 'x');
  const volume = fx.volumeDevice()!;
  const filter = volume.attachedDevice!;
  const open = fx.openVolume();
  assert.equal(fx.fsctl(open.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  fx.close(open.handle!);
  assert.equal(volume.attachedDevice, null);
  assert.ok(filter.deletePending);
  assert.ok(!sfilterDevices(fx.system).includes(filter));
  // The next open mounts afresh, and sfilter is on the new volume.
  assert.equal(fx.readFile('a.txt'), 'x');
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['SFilter', 'MemFs']);
  assert.notEqual(fx.volumeDevice(), volume);
});

/** A system with the toy recognizer and `sfilter` loaded, and a MemFS disk not mounted yet. */
function recognizerSystem(sfilter: DriverModule, recognizerOptions: { failLoad?: boolean } = {}) {
  const system = createSystem();
  const process = system.createProcess('t.exe');
  IoLoadDriver(system, toyRecognizer(recognizerOptions));
  IoLoadDriver(system, sfilter);
  const recognizer = cdo(system, '\\FileSystem\\MemFsRecognizer');
  const disk = IoCreateRamDisk(system, { sizeBytes: 1 << 20, format: memFsFormat({ label: 'R' }) })
    .deviceObject!;
  /** Opens the disk's root, which starts the mount walk; closes the handle it got. */
  const openRoot = (): NTSTATUS => {
    const opened = mustBeSync(
      NtCreateFile(system, process, {
        objectName: `${disk.deviceName}\\`,
        desiredAccess: FILE_GENERIC_READ,
        createDisposition: FILE_OPEN,
      }),
      'test',
    );
    if (opened.handle !== null) NtClose(process, opened.handle);
    return opened.status;
  };
  return { system, recognizer, disk, openRoot };
}

test('SFilter skips the recognizer, then follows the real file system it loads to the new volume', () => {
  const { system, recognizer, disk, openRoot } = recognizerSystem(sfilterDriver);
  assert.deepEqual(stackOf(recognizer), ['Fs_Rec']);
  assert.equal(openRoot(), STATUS_SUCCESS);
  assert.deepEqual(stackOf(cdo(system, '\\Device\\MemFs')), ['SFilter', 'MemFs']);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['SFilter', 'MemFs']);
});

test('SFilter with the recognizer switch leaves the recognizer before it loads the file system and deletes its device', () => {
  const { recognizer, disk, openRoot } = recognizerSystem(createSFilterDriver({ attachToRecognizers: true }));
  assert.deepEqual(stackOf(recognizer), ['SFilter', 'Fs_Rec']);
  const onRecognizer = recognizer.attachedDevice!;
  assert.equal(openRoot(), STATUS_SUCCESS);
  assert.deepEqual(stackOf(recognizer), ['Fs_Rec']);
  assert.ok(onRecognizer.deletePending);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['SFilter', 'MemFs']);
});

test('SFilter attaches to the recognizer again when the file system fails to load', () => {
  const { recognizer, openRoot } = recognizerSystem(createSFilterDriver({ attachToRecognizers: true }), {
    failLoad: true,
  });
  assert.notEqual(openRoot(), STATUS_SUCCESS);
  assert.deepEqual(stackOf(recognizer), ['SFilter', 'Fs_Rec']);
});

test('SFilter lists its attachments through its control device', () => {
  const fx = memfsVolume();
  IoLoadDriver(fx.system, sfilterDriver);
  fx.writeFile('a.txt', 'x');
  const { status, output } = controlRequest(
    fx.system,
    fx.process,
    SFILTER_CONTROL_DEVICE,
    IOCTL_FILTER_LIST_ATTACHMENTS,
  );
  assert.equal(status, STATUS_SUCCESS);
  assert.deepEqual(output, [
    {
      target: '\\Device\\MemFs',
      kind: 'file-system',
      fileSystem: '\\FileSystem\\MemFs',
      attachedBy: 'notification',
    },
    {
      target: '\\Device\\RawDisk',
      kind: 'file-system',
      fileSystem: '\\FileSystem\\RAW',
      attachedBy: 'notification',
    },
    {
      target: '\\Device\\RawCdRom',
      kind: 'file-system',
      fileSystem: '\\FileSystem\\RAW',
      attachedBy: 'notification',
    },
    {
      target: fx.device.deviceName,
      kind: 'volume',
      fileSystem: '\\FileSystem\\MemFs',
      attachedBy: 'notification',
    },
  ]);
});

test('SFilter unloads cleanly: no device left on any stack, no notification left registered', () => {
  const fx = memfsVolume();
  IoLoadDriver(fx.system, sfilterDriver);
  fx.writeFile('a.txt', 'x');
  assert.equal(IoUnloadDriver(fx.system, 'SFilter'), STATUS_SUCCESS);
  assert.deepEqual(stackOf(cdo(fx.system, '\\Device\\MemFs')), ['MemFs']);
  assert.deepEqual(stackOf(cdo(fx.system, '\\Device\\RawDisk')), ['RAW']);
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['MemFs']);
  assert.equal(fx.system.io.fsNotifyList.length, 0);
  assert.equal(fx.system.ob.lookupNoParse(SFILTER_CONTROL_DEVICE), undefined);
  assert.equal(fx.readFile('a.txt'), 'x');
});
