/**
 * Conformance: §0 of the reference, the core model in one screen. Each item of §0 is checked here
 * end to end, in one scenario; the detailed rules behind it have their own tests in s1–s6.
 * (§0.7 summarises the Filter Manager of §7, which is not part of the kernel core yet.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NtClose, NtDeviceIoControlFile, NtWriteFile } from '../../src/api/index.ts';
import {
  DO_DEVICE_INITIALIZING,
  DO_LOW_PRIORITY_FILESYSTEM,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  STATUS_DEVICE_ALREADY_ATTACHED,
  STATUS_FS_DRIVER_REQUIRED,
  STATUS_NO_SUCH_DEVICE,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  VPB_MOUNTED,
  VPB_RAW_MOUNT,
} from '../../src/base/index.ts';
import {
  COMMAND_ATTACH_CONTROL_DEVICE,
  commandAttachDriver,
  IOCTL_COMMAND_ATTACH_VOLUME,
} from '../../src/drivers/filters/command-attach/index.ts';
import { notifyAttachDriver } from '../../src/drivers/filters/notify-attach/index.ts';
import {
  IoAttachDeviceToDeviceStackSafe,
  IoCreateDevice,
  IoDeleteDevice,
  IoDetachDevice,
  IoGetAttachedDevice,
  IoLoadDriver,
  IoRegisterFsRegistrationChange,
  IoStatusBlock,
  IoUnregisterFileSystem,
  System,
} from '../../src/io/index.ts';
import {
  completeIrp,
  type Log,
  labels,
  loadDriver,
  openSync,
  recorder,
  recordingFilter,
  scriptedFileSystem,
  scriptedFileSystemImage,
  stackOf,
  toySystem,
} from '../support/conformance.ts';

test('§0.1 a system keeps four file system queues, one notification list and a registration counter, and shares none', () => {
  const bare = new System();
  const io = bare.io;
  assert.deepEqual(
    [
      io.diskFileSystemQueue,
      io.cdRomFileSystemQueue,
      io.tapeFileSystemQueue,
      io.networkFileSystemQueue,
      io.fsNotifyList,
    ],
    [[], [], [], [], []],
  );
  assert.equal(io.fsRegistrationOps, 0);
  const { system } = toySystem(); // booted: RAW registered its three control devices
  assert.equal(system.io.fsRegistrationOps, 3);
  scriptedFileSystem(system, 'ToyFs', []);
  IoRegisterFsRegistrationChange(loadDriver(system, 'Spy', 'legacy-filter'), () => undefined);
  assert.deepEqual([io.diskFileSystemQueue.length, io.fsNotifyList.length, io.fsRegistrationOps], [0, 0, 0]);
});

test('§0.2 IoRegisterFileSystem queues by type at the head (low priority before RAW) and notifies; unregister reverses; volumes stay', () => {
  const { system, process, disk } = toySystem();
  const log: Log = [];
  IoRegisterFsRegistrationChange(loadDriver(system, 'Spy', 'legacy-filter'), recorder(log, 'spy'));
  const low = scriptedFileSystem(system, 'Low', [], { lowPriority: true });
  const fs = scriptedFileSystem(system, 'ToyFs', []);
  assert.equal(low.cdo.flags & DO_LOW_PRIORITY_FILESYSTEM, DO_LOW_PRIORITY_FILESYSTEM);
  assert.deepEqual(labels(system.io.diskFileSystemQueue), [
    '\\Device\\ToyFs',
    '\\Device\\Low',
    '\\Device\\RawDisk',
  ]);
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_WRITE);
  const ops = system.io.fsRegistrationOps;
  IoUnregisterFileSystem(fs.cdo);
  assert.deepEqual(log, ['spy \\Device\\Low TRUE', 'spy \\Device\\ToyFs TRUE', 'spy \\Device\\ToyFs FALSE']);
  assert.deepEqual([system.io.fsRegistrationOps, fs.cdo.referenceCount], [ops + 1, 0]);
  assert.equal(storage.vpb!.flags, VPB_MOUNTED);
  assert.equal(
    NtWriteFile(process, file.handle!, new IoStatusBlock(), new Uint8Array(2), 2, 0),
    STATUS_SUCCESS,
  );
});

test('§0.3 IoRegisterFsRegistrationChange: tail duplicate refused, entry appended, replay of all but RAW, driver referenced', () => {
  const { system } = toySystem();
  scriptedFileSystem(system, 'Fs_Rec', [], { kind: 'recognizer' });
  scriptedFileSystem(system, 'ToyFs', []);
  const driver = loadDriver(system, 'Spy', 'legacy-filter');
  const log: Log = [];
  const routine = recorder(log, 'spy');
  assert.equal(IoRegisterFsRegistrationChange(driver, routine), STATUS_SUCCESS);
  assert.equal(IoRegisterFsRegistrationChange(driver, routine), STATUS_DEVICE_ALREADY_ATTACHED);
  assert.deepEqual(log, ['spy \\Device\\ToyFs TRUE', 'spy \\Device\\Fs_Rec TRUE']);
  assert.deepEqual([system.io.fsNotifyList.length, driver.pointerCount], [1, 1]);
});

test('§0.4 stacks: attach on the current top with StackSize lower + 1, refused while the top initializes, detach without splicing', () => {
  const { system } = toySystem();
  const driver = loadDriver(system, 'Plain');
  const make = () => IoCreateDevice(driver, null, null, FILE_DEVICE_DISK_FILE_SYSTEM, 0, false).deviceObject!;
  const base = make();
  const a = make();
  const b = make();
  assert.equal(IoAttachDeviceToDeviceStackSafe(a, base).status, STATUS_NO_SUCH_DEVICE); // base still initializing
  base.flags &= ~DO_DEVICE_INITIALIZING;
  assert.equal(IoAttachDeviceToDeviceStackSafe(a, base).attachedTo, base);
  a.flags &= ~DO_DEVICE_INITIALIZING;
  assert.equal(IoAttachDeviceToDeviceStackSafe(b, base).attachedTo, a);
  assert.deepEqual([base.stackSize, a.stackSize, b.stackSize], [1, 2, 3]);
  IoDetachDevice(base);
  assert.deepEqual([IoGetAttachedDevice(base), b.attachedTo], [base, a]);
});

test('§0.5 mount: head to tail to each control stack top, UNRECOGNIZED next, FS_DRIVER_REQUIRED load and restart, RAW last', () => {
  const { system, process, disk } = toySystem();
  const log: Log = [];
  const real = scriptedFileSystemImage('RealFs', log, {
    mount: (call) =>
      call.vpb.realDevice.deviceName === '\\Device\\Disk0'
        ? call.mount()
        : call.fail(STATUS_UNRECOGNIZED_VOLUME),
  });
  const recognizer = scriptedFileSystem(system, 'Fs_Rec', log, {
    kind: 'recognizer',
    mount: (call) =>
      call.vpb.realDevice.deviceName === '\\Device\\Disk0'
        ? call.fail(STATUS_FS_DRIVER_REQUIRED)
        : call.fail(STATUS_UNRECOGNIZED_VOLUME),
    load: (self, irp) => {
      IoLoadDriver(system, real.module);
      IoUnregisterFileSystem(self.cdo);
      return completeIrp(irp, STATUS_SUCCESS);
    },
  });
  recordingFilter(system, 'RecFilter', log).attach(recognizer.cdo);
  scriptedFileSystem(system, 'Other', log, { mount: (call) => call.fail(STATUS_UNRECOGNIZED_VOLUME) });
  const known = disk();
  assert.equal(openSync(system, process, `${known.deviceName}\\f`, FILE_GENERIC_READ).status, STATUS_SUCCESS);
  assert.deepEqual(log, [
    'Other: mount \\Device\\Disk0',
    'RecFilter: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME',
    'Fs_Rec: mount \\Device\\Disk0',
    'RecFilter: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_LOAD_FILE_SYSTEM',
    'Fs_Rec: load',
    'RealFs: mount \\Device\\Disk0',
    'RealFs: IRP_MJ_CREATE volume',
  ]);
  const volume = known.vpb!.deviceObject!;
  assert.deepEqual([known.vpb!.flags, volume.attachedTo, volume.deviceName], [VPB_MOUNTED, null, null]);
  const unknown = disk();
  assert.equal(
    openSync(system, process, `${unknown.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_UNRECOGNIZED_VOLUME,
  );
  assert.equal(openSync(system, process, unknown.deviceName!, FILE_GENERIC_READ).status, STATUS_SUCCESS);
  assert.equal(unknown.vpb!.flags, VPB_MOUNTED | VPB_RAW_MOUNT);
});

test('§0.6 filters: notified, on every CDO but Fs_Rec, on volumes as they mount, gone on FastIoDetachDevice; command filters above', () => {
  const { system, process, log, disk } = toySystem();
  const recognizer = scriptedFileSystem(system, 'Fs_Rec', log, {
    kind: 'recognizer',
    mount: (call) => call.fail(STATUS_UNRECOGNIZED_VOLUME),
  });
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  IoLoadDriver(system, notifyAttachDriver);
  IoLoadDriver(system, commandAttachDriver);
  assert.deepEqual(stackOf(fs.cdo), ['NotifyAttach', 'ToyFs']);
  assert.deepEqual(stackOf(recognizer.cdo), ['Fs_Rec']);
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  const volume = fs.volumes[0]!;
  assert.deepEqual(stackOf(volume), ['NotifyAttach', 'ToyFs']);
  const control = openSync(system, process, COMMAND_ATTACH_CONTROL_DEVICE, FILE_GENERIC_READ);
  const attached = NtDeviceIoControlFile(process, control.handle!, IOCTL_COMMAND_ATTACH_VOLUME, {
    volumeName: storage.deviceName,
  });
  assert.ok(!(attached instanceof Promise));
  assert.equal(attached.status, STATUS_SUCCESS);
  assert.deepEqual(stackOf(volume), ['CommandAttach', 'NotifyAttach', 'ToyFs']);
  NtClose(process, file.handle!);
  NtClose(process, control.handle!);
  IoDeleteDevice(volume); // the file system lets its volume go: every filter detaches
  assert.deepEqual([volume.attachedDevice, stackOf(volume)], [null, ['ToyFs']]);
  assert.deepEqual(stackOf(fs.cdo), ['NotifyAttach', 'ToyFs']);
});
