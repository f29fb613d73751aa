/**
 * Conformance: §1 of the reference, IoRegisterFileSystem and IoUnregisterFileSystem.
 * One test per rule; each name starts with the section it checks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NtClose, NtWriteFile } from '../../src/api/index.ts';
import {
  DO_DEVICE_INITIALIZING,
  DO_LOW_PRIORITY_FILESYSTEM,
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_DEVICE_NETWORK_FILE_SYSTEM,
  FILE_DEVICE_TAPE_FILE_SYSTEM,
  FILE_DEVICE_UNKNOWN,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  VPB_MOUNTED,
} from '../../src/base/index.ts';
import { memFsDriver } from '../../src/drivers/fs/memfs/index.ts';
import {
  type DeviceObject,
  type DriverObject,
  IoCreateDevice,
  IoLoadDriver,
  IoRegisterFileSystem,
  IoRegisterFsRegistrationChange,
  IoShutdownSystem,
  IoStatusBlock,
  IoUnregisterFileSystem,
  isFileSystemRegistered,
} from '../../src/io/index.ts';
import {
  labels,
  loadDriver,
  loadingRecognizer,
  openSync,
  recorder,
  scriptedFileSystem,
  scriptedFileSystemImage,
  toySystem,
} from '../support/conformance.ts';

/** A control device created outside DriverEntry (so still DO_DEVICE_INITIALIZING), not registered. */
function controlDevice(
  driver: DriverObject,
  name: string | null,
  deviceType: number,
  flags = 0,
): DeviceObject {
  const { status, deviceObject } = IoCreateDevice(driver, null, name, deviceType, 0, false);
  assert.equal(status, STATUS_SUCCESS);
  deviceObject!.flags |= flags;
  return deviceObject!;
}

function fileSystemDriver(system: ReturnType<typeof toySystem>['system'], name = 'Fs'): DriverObject {
  return loadDriver(system, name, 'file-system');
}

test('§1.1 IoRegisterFileSystem and IoUnregisterFileSystem take the control device and return nothing', () => {
  const { system } = toySystem();
  const cdo = controlDevice(fileSystemDriver(system), '\\Device\\A', FILE_DEVICE_DISK_FILE_SYSTEM);
  assert.equal(IoRegisterFileSystem(cdo), undefined);
  assert.equal(IoUnregisterFileSystem(cdo), undefined);
});

test('§1.2 each control device goes to the queue of its type: disk, CD-ROM, network', () => {
  const { system } = toySystem();
  const driver = fileSystemDriver(system);
  IoRegisterFileSystem(controlDevice(driver, '\\Device\\DiskFs', FILE_DEVICE_DISK_FILE_SYSTEM));
  IoRegisterFileSystem(controlDevice(driver, '\\Device\\CdFs', FILE_DEVICE_CD_ROM_FILE_SYSTEM));
  IoRegisterFileSystem(controlDevice(driver, '\\Device\\NetFs', FILE_DEVICE_NETWORK_FILE_SYSTEM));
  assert.deepEqual(labels(system.io.diskFileSystemQueue), ['\\Device\\DiskFs', '\\Device\\RawDisk']);
  assert.deepEqual(labels(system.io.cdRomFileSystemQueue), ['\\Device\\CdFs', '\\Device\\RawCdRom']);
  assert.deepEqual(labels(system.io.networkFileSystemQueue), ['\\Device\\NetFs']);
  assert.deepEqual(labels(system.io.tapeFileSystemQueue), ['\\Device\\RawTape']);
});

test('§1.2 (D1) a tape file system control device goes to the fourth queue, the tape queue', () => {
  const { system } = toySystem();
  IoRegisterFileSystem(
    controlDevice(fileSystemDriver(system), '\\Device\\TapeFs', FILE_DEVICE_TAPE_FILE_SYSTEM),
  );
  assert.deepEqual(labels(system.io.tapeFileSystemQueue), ['\\Device\\TapeFs', '\\Device\\RawTape']);
  assert.deepEqual(labels(system.io.diskFileSystemQueue), ['\\Device\\RawDisk']);
});

test('§1.2 a control device of another type is queued nowhere, yet routines are notified (ReactOS; docs/deviations.md)', () => {
  const { system } = toySystem();
  const log: string[] = [];
  IoRegisterFsRegistrationChange(loadDriver(system, 'Spy', 'legacy-filter'), recorder(log, 'spy'));
  const odd = controlDevice(fileSystemDriver(system), '\\Device\\Odd', FILE_DEVICE_UNKNOWN);
  IoRegisterFileSystem(odd);
  const io = system.io;
  for (const queue of [
    io.diskFileSystemQueue,
    io.cdRomFileSystemQueue,
    io.tapeFileSystemQueue,
    io.networkFileSystemQueue,
  ])
    assert.ok(!queue.includes(odd));
  assert.deepEqual(log, ['spy \\Device\\Odd TRUE']);
  assert.equal(odd.referenceCount, 1);
  IoUnregisterFileSystem(odd);
  assert.deepEqual(log, ['spy \\Device\\Odd TRUE', 'spy \\Device\\Odd FALSE']);
  assert.equal(odd.referenceCount, 0);
});

test('§1.2 (D14) registering takes one I/O reference (ReferenceCount) on the control device, not an object reference', () => {
  const { system } = toySystem();
  const cdo = controlDevice(fileSystemDriver(system), '\\Device\\A', FILE_DEVICE_DISK_FILE_SYSTEM);
  assert.equal(cdo.referenceCount, 0);
  assert.equal(cdo.pointerCount, 0);
  IoRegisterFileSystem(cdo);
  assert.equal(cdo.referenceCount, 1);
  assert.equal(cdo.pointerCount, 0);
});

test('§1.2 (samples) FastFat-style drivers add their own object reference: MemFS holds one of each', () => {
  const { system } = toySystem();
  IoLoadDriver(system, memFsDriver);
  const cdo = system.io.diskFileSystemQueue[0]!;
  assert.equal(cdo.deviceName, '\\Device\\MemFs');
  assert.equal(cdo.referenceCount, 1);
  assert.equal(cdo.pointerCount, 1);
});

test('§1.2 an unnamed control device does not make registration fail', () => {
  const { system } = toySystem();
  const log: string[] = [];
  IoRegisterFsRegistrationChange(loadDriver(system, 'Spy', 'legacy-filter'), (cdo, active) =>
    log.push(`${cdo.deviceName} ${active}`),
  );
  const cdo = controlDevice(fileSystemDriver(system), null, FILE_DEVICE_DISK_FILE_SYSTEM);
  IoRegisterFileSystem(cdo);
  assert.equal(system.io.diskFileSystemQueue[0], cdo);
  assert.deepEqual(log, ['null true']);
});

test('§1.2 a normal file system goes to the head of its queue: the one registered last is asked first', () => {
  const { system } = toySystem();
  const driver = fileSystemDriver(system);
  for (const name of ['A', 'B', 'C'])
    IoRegisterFileSystem(controlDevice(driver, `\\Device\\${name}`, FILE_DEVICE_DISK_FILE_SYSTEM));
  assert.deepEqual(labels(system.io.diskFileSystemQueue), [
    '\\Device\\C',
    '\\Device\\B',
    '\\Device\\A',
    '\\Device\\RawDisk',
  ]);
});

test('§1.2 DO_LOW_PRIORITY_FILESYSTEM goes next-to-last, before RAW, and stays behind later normal registrations', () => {
  const { system } = toySystem();
  const driver = fileSystemDriver(system);
  const register = (name: string, flags = 0) =>
    IoRegisterFileSystem(controlDevice(driver, `\\Device\\${name}`, FILE_DEVICE_CD_ROM_FILE_SYSTEM, flags));
  register('Udfs');
  register('Cdfs', DO_LOW_PRIORITY_FILESYSTEM);
  assert.deepEqual(labels(system.io.cdRomFileSystemQueue), [
    '\\Device\\Udfs',
    '\\Device\\Cdfs',
    '\\Device\\RawCdRom',
  ]);
  register('Later');
  register('LowToo', DO_LOW_PRIORITY_FILESYSTEM);
  assert.deepEqual(labels(system.io.cdRomFileSystemQueue), [
    '\\Device\\Later',
    '\\Device\\Udfs',
    '\\Device\\Cdfs',
    '\\Device\\LowToo',
    '\\Device\\RawCdRom',
  ]);
});

test('§1.2 RAW, registered at boot, stays last in the disk, CD-ROM and tape queues', () => {
  const { system } = toySystem();
  const driver = fileSystemDriver(system);
  for (const [name, type] of [
    ['D1', FILE_DEVICE_DISK_FILE_SYSTEM],
    ['C1', FILE_DEVICE_CD_ROM_FILE_SYSTEM],
    ['T1', FILE_DEVICE_TAPE_FILE_SYSTEM],
    ['D2', FILE_DEVICE_DISK_FILE_SYSTEM],
  ] as const) {
    IoRegisterFileSystem(controlDevice(driver, `\\Device\\${name}`, type));
  }
  assert.equal(system.io.diskFileSystemQueue.at(-1)!.deviceName, '\\Device\\RawDisk');
  assert.equal(system.io.cdRomFileSystemQueue.at(-1)!.deviceName, '\\Device\\RawCdRom');
  assert.equal(system.io.tapeFileSystemQueue.at(-1)!.deviceName, '\\Device\\RawTape');
  assert.equal(system.io.diskFileSystemQueue.length, 3);
});

test('§1.2 registration calls every notification routine with (cdo, TRUE), in list order', () => {
  const { system } = toySystem();
  const log: string[] = [];
  IoRegisterFsRegistrationChange(loadDriver(system, 'First', 'legacy-filter'), recorder(log, 'first'));
  IoRegisterFsRegistrationChange(loadDriver(system, 'Second', 'legacy-filter'), recorder(log, 'second'));
  IoRegisterFsRegistrationChange(loadDriver(system, 'Third', 'legacy-filter'), recorder(log, 'third'));
  assert.deepEqual(log, []); // only RAW is registered, and RAW is never replayed
  IoRegisterFileSystem(controlDevice(fileSystemDriver(system), '\\Device\\A', FILE_DEVICE_DISK_FILE_SYSTEM));
  assert.deepEqual(log, ['first \\Device\\A TRUE', 'second \\Device\\A TRUE', 'third \\Device\\A TRUE']);
});

test('§1.2 (FastFat sample) one driver may register two control devices, each in the queue of its type', () => {
  const { system } = toySystem();
  const driver = fileSystemDriver(system, 'Fat');
  IoRegisterFileSystem(controlDevice(driver, '\\Fat', FILE_DEVICE_DISK_FILE_SYSTEM));
  IoRegisterFileSystem(controlDevice(driver, '\\FatCdrom', FILE_DEVICE_CD_ROM_FILE_SYSTEM));
  assert.deepEqual(labels(system.io.diskFileSystemQueue), ['\\Fat', '\\Device\\RawDisk']);
  assert.deepEqual(labels(system.io.cdRomFileSystemQueue), ['\\FatCdrom', '\\Device\\RawCdRom']);
});

test('§1.3 unregistering removes the control device, notifies (cdo, FALSE) in list order and drops the reference', () => {
  const { system } = toySystem();
  const log: string[] = [];
  IoRegisterFsRegistrationChange(loadDriver(system, 'First', 'legacy-filter'), recorder(log, 'first'));
  IoRegisterFsRegistrationChange(loadDriver(system, 'Second', 'legacy-filter'), recorder(log, 'second'));
  const cdo = controlDevice(fileSystemDriver(system), '\\Device\\A', FILE_DEVICE_DISK_FILE_SYSTEM);
  IoRegisterFileSystem(cdo);
  log.length = 0;
  IoUnregisterFileSystem(cdo);
  assert.deepEqual(labels(system.io.diskFileSystemQueue), ['\\Device\\RawDisk']);
  assert.deepEqual(log, ['first \\Device\\A FALSE', 'second \\Device\\A FALSE']);
  assert.equal(cdo.referenceCount, 0);
  assert.equal(isFileSystemRegistered(cdo), false);
});

test('§1.3 unregistering dismounts nothing: the volume keeps its VPB, its handles and new opens; only new mounts skip it', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  const first = disk();
  const file = openSync(system, process, `${first.deviceName}\\file`, FILE_GENERIC_READ | FILE_GENERIC_WRITE);
  assert.equal(file.status, STATUS_SUCCESS);
  const volume = first.vpb!.deviceObject!;
  IoUnregisterFileSystem(fs.cdo);
  assert.equal(first.vpb!.flags & VPB_MOUNTED, VPB_MOUNTED);
  assert.equal(first.vpb!.deviceObject, volume);
  log.length = 0;
  const iosb = new IoStatusBlock();
  assert.equal(NtWriteFile(process, file.handle!, iosb, new Uint8Array(8), 8, 0), STATUS_SUCCESS);
  const again = openSync(system, process, `${first.deviceName}\\other`, FILE_GENERIC_READ);
  assert.equal(again.status, STATUS_SUCCESS);
  assert.deepEqual(log, ['ToyFs: IRP_MJ_WRITE volume', 'ToyFs: IRP_MJ_CREATE volume']);
  const second = disk();
  log.length = 0;
  assert.equal(
    openSync(system, process, `${second.deviceName}\\file`, FILE_GENERIC_READ).status,
    STATUS_UNRECOGNIZED_VOLUME,
  );
  assert.deepEqual(log, []);
  assert.equal(NtClose(process, file.handle!), STATUS_SUCCESS);
  assert.equal(NtClose(process, again.handle!), STATUS_SUCCESS);
});

test('§1.3 (D4) a recognizer that loads its file system unregisters its own control device; filters hear both', () => {
  const { system, process, log, disk } = toySystem();
  const heard: string[] = [];
  const real = scriptedFileSystemImage('RealFs', log);
  const recognizer = loadingRecognizer(system, log, real.module);
  IoRegisterFsRegistrationChange(loadDriver(system, 'Spy', 'legacy-filter'), recorder(heard, 'spy'));
  assert.deepEqual(heard, ['spy \\Device\\Fs_Rec TRUE']);
  const volume = disk();
  assert.equal(
    openSync(system, process, `${volume.deviceName}\\file`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
  assert.deepEqual(heard, [
    'spy \\Device\\Fs_Rec TRUE',
    'spy \\Device\\RealFs TRUE',
    'spy \\Device\\Fs_Rec FALSE',
  ]);
  assert.equal(isFileSystemRegistered(recognizer.cdo), false);
  assert.equal(volume.vpb!.deviceObject!.driverObject, real.fs().driver);
});

test('§1.3 (samples) file systems unregister from their IRP_MJ_SHUTDOWN handler: RAW leaves every queue at shutdown', () => {
  const { system } = toySystem();
  const result = IoShutdownSystem(system);
  assert.ok(!(result instanceof Promise));
  assert.deepEqual(system.io.diskFileSystemQueue, []);
  assert.deepEqual(system.io.cdRomFileSystemQueue, []);
  assert.deepEqual(system.io.tapeFileSystemQueue, []);
  // ... and deletes its control devices, as FastFat and CDFS do after unregistering.
  const raw = system.io.drivers.get('RAW')!;
  assert.equal(raw.deviceObjects.length, 0);
  assert.equal(system.ob.lookupNoParse('\\Device\\RawDisk'), undefined);
});

test('§1.4 registration queues the device, bumps the counter and clears DO_DEVICE_INITIALIZING before notifying', () => {
  const { system } = toySystem();
  const cdo = controlDevice(fileSystemDriver(system), '\\Device\\A', FILE_DEVICE_DISK_FILE_SYSTEM);
  assert.equal(cdo.flags & DO_DEVICE_INITIALIZING, DO_DEVICE_INITIALIZING);
  const seen: unknown[] = [];
  IoRegisterFsRegistrationChange(loadDriver(system, 'Spy', 'legacy-filter'), (device, active) =>
    seen.push(
      active,
      system.io.diskFileSystemQueue.includes(device),
      device.flags & DO_DEVICE_INITIALIZING,
      device.referenceCount,
    ),
  );
  const ops = system.io.fsRegistrationOps;
  IoRegisterFileSystem(cdo);
  assert.equal(system.io.fsRegistrationOps, ops + 1);
  // Queued, no longer initializing, and the I/O reference is taken after the routines ran.
  assert.deepEqual(seen, [true, true, 0, 0]);
  assert.equal(cdo.referenceCount, 1);
});

test('§1.4 unregistration removes the device before notifying, then bumps the counter', () => {
  const { system } = toySystem();
  const cdo = controlDevice(fileSystemDriver(system), '\\Device\\A', FILE_DEVICE_DISK_FILE_SYSTEM);
  IoRegisterFileSystem(cdo);
  const seen: unknown[] = [];
  IoRegisterFsRegistrationChange(loadDriver(system, 'Spy', 'legacy-filter'), (device, active) => {
    if (!active) seen.push(system.io.diskFileSystemQueue.includes(device), system.io.fsRegistrationOps);
  });
  const ops = system.io.fsRegistrationOps;
  IoUnregisterFileSystem(cdo);
  assert.deepEqual(seen, [false, ops]);
  assert.equal(system.io.fsRegistrationOps, ops + 1);
});

test('§1.4 (D7) without RAW, low-priority insertion goes to the tail (docs/deviations.md)', () => {
  const { system } = toySystem({ withoutRaw: true });
  const driver = fileSystemDriver(system);
  IoRegisterFileSystem(
    controlDevice(driver, '\\Device\\Low1', FILE_DEVICE_DISK_FILE_SYSTEM, DO_LOW_PRIORITY_FILESYSTEM),
  );
  IoRegisterFileSystem(controlDevice(driver, '\\Device\\Normal', FILE_DEVICE_DISK_FILE_SYSTEM));
  IoRegisterFileSystem(
    controlDevice(driver, '\\Device\\Low2', FILE_DEVICE_DISK_FILE_SYSTEM, DO_LOW_PRIORITY_FILESYSTEM),
  );
  assert.deepEqual(labels(system.io.diskFileSystemQueue), [
    '\\Device\\Normal',
    '\\Device\\Low1',
    '\\Device\\Low2',
  ]);
});

test('§1.3 unregistering a device never registered changes nothing: no notification, counter or reference change', () => {
  const { system, process, disk } = toySystem();
  const log: string[] = [];
  IoRegisterFsRegistrationChange(loadDriver(system, 'Spy', 'legacy-filter'), recorder(log, 'spy'));
  // A device with a real I/O reference (an open file) must keep it.
  const storage = disk();
  const open = openSync(system, process, storage.deviceName!, 0x80 /* FILE_READ_ATTRIBUTES */);
  assert.equal(open.status, STATUS_SUCCESS);
  assert.equal(storage.referenceCount, 1);
  const ops = system.io.fsRegistrationOps;
  IoUnregisterFileSystem(storage);
  const cdo = controlDevice(fileSystemDriver(system), '\\Device\\A', FILE_DEVICE_DISK_FILE_SYSTEM);
  IoUnregisterFileSystem(cdo);
  assert.deepEqual(log, []);
  assert.equal(system.io.fsRegistrationOps, ops);
  assert.equal(storage.referenceCount, 1);
  assert.equal(cdo.referenceCount, 0);
  // The next normal operation works.
  IoRegisterFileSystem(cdo);
  assert.deepEqual(log, ['spy \\Device\\A TRUE']);
  assert.equal(NtClose(process, open.handle!), STATUS_SUCCESS);
  assert.equal(storage.referenceCount, 0);
});

test('§1.2 registering a device twice, or unregistering it twice, acts once (docs/deviations.md)', () => {
  const { system } = toySystem();
  const log: string[] = [];
  IoRegisterFsRegistrationChange(loadDriver(system, 'Spy', 'legacy-filter'), recorder(log, 'spy'));
  const cdo = controlDevice(fileSystemDriver(system), '\\Device\\A', FILE_DEVICE_DISK_FILE_SYSTEM);
  IoRegisterFileSystem(cdo);
  IoRegisterFileSystem(cdo);
  assert.deepEqual(labels(system.io.diskFileSystemQueue), ['\\Device\\A', '\\Device\\RawDisk']);
  assert.equal(cdo.referenceCount, 1);
  IoUnregisterFileSystem(cdo);
  IoUnregisterFileSystem(cdo);
  assert.deepEqual(log, ['spy \\Device\\A TRUE', 'spy \\Device\\A FALSE']);
  assert.equal(cdo.referenceCount, 0);
  assert.deepEqual(labels(system.io.diskFileSystemQueue), ['\\Device\\RawDisk']);
});
