/**
 * Conformance: §2 of the reference, IoRegisterFsRegistrationChange(Ex|MountAware) and
 * IoUnregisterFsRegistrationChange, with disputes D3–D6.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NtCreateFile } from '../../src/api/index.ts';
import {
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_NETWORK_FILE_SYSTEM,
  FILE_DEVICE_TAPE_FILE_SYSTEM,
  FILE_GENERIC_READ,
  FILE_OPEN,
  STATUS_DEVICE_ALREADY_ATTACHED,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_NOT_SUPPORTED,
  STATUS_SUCCESS,
} from '../../src/base/index.ts';
import {
  type DeviceObject,
  type FsNotificationRoutine,
  IoRegisterFsRegistrationChange,
  IoRegisterFsRegistrationChangeEx,
  IoRegisterFsRegistrationChangeMountAware,
  IoUnregisterFileSystem,
  IoUnregisterFsRegistrationChange,
} from '../../src/io/index.ts';
import {
  label,
  loadDriver,
  openSync,
  recorder,
  scriptedFileSystem,
  toySystem,
} from '../support/conformance.ts';

function filterDriver(system: ReturnType<typeof toySystem>['system'], name = 'Spy') {
  return loadDriver(system, name, 'legacy-filter');
}

test('§2.1 the routine receives the control device object itself, with TRUE on register and FALSE on unregister', () => {
  const { system } = toySystem();
  const calls: Array<[DeviceObject, boolean]> = [];
  IoRegisterFsRegistrationChange(filterDriver(system), (cdo, active) => calls.push([cdo, active]));
  const fs = scriptedFileSystem(system, 'ToyFs', []);
  IoUnregisterFileSystem(fs.cdo);
  assert.equal(calls.length, 2);
  assert.equal(calls[0]![0], fs.cdo);
  assert.equal(calls[0]![1], true);
  assert.equal(calls[1]![0], fs.cdo);
  assert.equal(calls[1]![1], false);
});

test('§2.2 the documented status values', () => {
  assert.equal(STATUS_DEVICE_ALREADY_ATTACHED, 0xc0000038);
  assert.equal(STATUS_INSUFFICIENT_RESOURCES, 0xc000009a);
  assert.equal(STATUS_NOT_SUPPORTED, 0xc00000bb);
});

test('§2.2 registration succeeds and appends one entry to the notification list', () => {
  const { system } = toySystem();
  const driver = filterDriver(system);
  const routine: FsNotificationRoutine = () => undefined;
  assert.equal(IoRegisterFsRegistrationChange(driver, routine), STATUS_SUCCESS);
  assert.deepEqual(system.io.fsNotifyList, [{ driverObject: driver, routine }]);
});

test('§2.2 under IoBlockLegacyFsFilters every form fails with STATUS_NOT_SUPPORTED and leaves no entry, replay or reference', () => {
  const { system } = toySystem({ blockLegacyFsFilters: true });
  scriptedFileSystem(system, 'ToyFs', []);
  const driver = filterDriver(system);
  const log: string[] = [];
  const routine = recorder(log, 'spy');
  assert.equal(IoRegisterFsRegistrationChange(driver, routine), STATUS_NOT_SUPPORTED);
  assert.equal(IoRegisterFsRegistrationChangeEx(driver, routine), STATUS_NOT_SUPPORTED);
  assert.equal(IoRegisterFsRegistrationChangeMountAware(driver, routine, true), STATUS_NOT_SUPPORTED);
  assert.equal(IoRegisterFsRegistrationChangeMountAware(driver, routine, false), STATUS_NOT_SUPPORTED);
  assert.deepEqual(system.io.fsNotifyList, []);
  assert.deepEqual(log, []);
  assert.equal(driver.pointerCount, 0);
  scriptedFileSystem(system, 'Later', []);
  assert.deepEqual(log, []);
  // Lifting the policy lets the same registration through, with its replay.
  system.io.blockLegacyFsFilters = false;
  assert.equal(IoRegisterFsRegistrationChange(driver, routine), STATUS_SUCCESS);
  assert.deepEqual(log, ['spy \\Device\\Later TRUE', 'spy \\Device\\ToyFs TRUE']);
});

test('§2.3 (D5) a duplicate is refused with STATUS_DEVICE_ALREADY_ATTACHED only when it is the last entry of the list', () => {
  const { system } = toySystem();
  scriptedFileSystem(system, 'ToyFs', []);
  const driver = filterDriver(system);
  const log: string[] = [];
  const routine = recorder(log, 'spy');
  assert.equal(IoRegisterFsRegistrationChange(driver, routine), STATUS_SUCCESS);
  assert.equal(IoRegisterFsRegistrationChange(driver, routine), STATUS_DEVICE_ALREADY_ATTACHED);
  assert.equal(system.io.fsNotifyList.length, 1);
  assert.deepEqual(log, ['spy \\Device\\ToyFs TRUE']); // the refused call replays nothing
  assert.equal(driver.pointerCount, 1); // and takes no reference
});

test('§2.3 a duplicate that is not last is accepted, replayed, and then hears every event twice', () => {
  const { system } = toySystem();
  scriptedFileSystem(system, 'ToyFs', []);
  const a = filterDriver(system, 'A');
  const b = filterDriver(system, 'B');
  const log: string[] = [];
  const routineA = recorder(log, 'a');
  IoRegisterFsRegistrationChange(a, routineA);
  IoRegisterFsRegistrationChange(b, recorder(log, 'b'));
  log.length = 0;
  assert.equal(IoRegisterFsRegistrationChange(a, routineA), STATUS_SUCCESS);
  assert.deepEqual(log, ['a \\Device\\ToyFs TRUE']);
  assert.equal(a.pointerCount, 2);
  log.length = 0;
  scriptedFileSystem(system, 'Next', []);
  assert.deepEqual(log, ['a \\Device\\Next TRUE', 'b \\Device\\Next TRUE', 'a \\Device\\Next TRUE']);
});

test('§2.3 the same routine for another driver, or another routine of the same driver, is not a duplicate', () => {
  const { system } = toySystem();
  const a = filterDriver(system, 'A');
  const b = filterDriver(system, 'B');
  const shared: FsNotificationRoutine = () => undefined;
  assert.equal(IoRegisterFsRegistrationChange(a, shared), STATUS_SUCCESS);
  assert.equal(IoRegisterFsRegistrationChange(b, shared), STATUS_SUCCESS);
  assert.equal(
    IoRegisterFsRegistrationChange(b, () => undefined),
    STATUS_SUCCESS,
  );
  assert.equal(system.io.fsNotifyList.length, 3);
});

test('§2.3 after IoUnregisterFsRegistrationChange the same pair registers again', () => {
  const { system } = toySystem();
  const driver = filterDriver(system);
  const routine: FsNotificationRoutine = () => undefined;
  IoRegisterFsRegistrationChange(driver, routine);
  IoUnregisterFsRegistrationChange(driver, routine);
  assert.equal(IoRegisterFsRegistrationChange(driver, routine), STATUS_SUCCESS);
  assert.equal(system.io.fsNotifyList.length, 1);
});

test('§2.3 the Ex and MountAware forms apply the same last-entry duplicate rule, across forms', () => {
  const { system } = toySystem();
  const driver = filterDriver(system);
  const routine: FsNotificationRoutine = () => undefined;
  assert.equal(IoRegisterFsRegistrationChangeEx(driver, routine), STATUS_SUCCESS);
  assert.equal(IoRegisterFsRegistrationChangeEx(driver, routine), STATUS_DEVICE_ALREADY_ATTACHED);
  assert.equal(
    IoRegisterFsRegistrationChangeMountAware(driver, routine, false),
    STATUS_DEVICE_ALREADY_ATTACHED,
  );
  assert.equal(
    IoRegisterFsRegistrationChangeMountAware(driver, routine, true),
    STATUS_DEVICE_ALREADY_ATTACHED,
  );
  assert.equal(IoRegisterFsRegistrationChange(driver, routine), STATUS_DEVICE_ALREADY_ATTACHED);
  assert.equal(system.io.fsNotifyList.length, 1);
});

test('§2.4 (D3, D4) the replay reports every registered file system before the call returns: recognizers yes, RAW never', () => {
  const { system } = toySystem();
  scriptedFileSystem(system, 'DiskFs', []);
  scriptedFileSystem(system, 'Fs_Rec', [], { kind: 'recognizer' });
  const log: string[] = [];
  const status = IoRegisterFsRegistrationChange(filterDriver(system), recorder(log, 'spy'));
  assert.equal(status, STATUS_SUCCESS);
  assert.deepEqual(log, ['spy \\Device\\Fs_Rec TRUE', 'spy \\Device\\DiskFs TRUE']);
  assert.ok(!log.some((line) => line.includes('Raw')));
});

test('§2.4 the replay order is network, CD-ROM, disk, tape, each head to tail (ReactOS order; docs/deviations.md)', () => {
  const { system } = toySystem();
  for (const [name, deviceType] of [
    ['Disk1', undefined],
    ['Net1', FILE_DEVICE_NETWORK_FILE_SYSTEM],
    ['Tape1', FILE_DEVICE_TAPE_FILE_SYSTEM],
    ['Cd1', FILE_DEVICE_CD_ROM_FILE_SYSTEM],
    ['Disk2', undefined],
    ['Net2', FILE_DEVICE_NETWORK_FILE_SYSTEM],
  ] as const) {
    scriptedFileSystem(system, name, [], deviceType === undefined ? {} : { deviceType });
  }
  const seen: string[] = [];
  IoRegisterFsRegistrationChange(filterDriver(system), (cdo) => seen.push(label(cdo)));
  assert.deepEqual(seen, [
    '\\Device\\Net2',
    '\\Device\\Net1',
    '\\Device\\Cd1',
    '\\Device\\Disk2',
    '\\Device\\Disk1',
    '\\Device\\Tape1',
  ]);
});

test('§2.4 the entry is listed before the replay: a file system registered from inside the replay is reported exactly once', () => {
  const { system } = toySystem();
  scriptedFileSystem(system, 'First', []);
  const log: string[] = [];
  let loaded = false;
  IoRegisterFsRegistrationChange(filterDriver(system), (cdo, active) => {
    log.push(`${label(cdo)} ${active}`);
    if (!loaded) {
      loaded = true;
      scriptedFileSystem(system, 'Inner', []);
    }
  });
  assert.deepEqual(log, ['\\Device\\First true', '\\Device\\Inner true']);
});

test('§2.4 (D6) routines may register a file system from inside a notification: everyone hears it at once, nested', () => {
  const { system } = toySystem();
  const log: string[] = [];
  IoRegisterFsRegistrationChange(filterDriver(system, 'One'), (cdo) => {
    log.push(`one ${label(cdo)}`);
    if (cdo.deviceName === '\\Device\\Outer') scriptedFileSystem(system, 'Inner', []);
  });
  IoRegisterFsRegistrationChange(filterDriver(system, 'Two'), (cdo) => log.push(`two ${label(cdo)}`));
  scriptedFileSystem(system, 'Outer', []);
  assert.deepEqual(log, [
    'one \\Device\\Outer',
    'one \\Device\\Inner',
    'two \\Device\\Inner',
    'two \\Device\\Outer',
  ]);
});

test('§2.4 IoRegisterFsRegistrationChangeEx replays exactly like the plain form (XP and later)', () => {
  const { system } = toySystem();
  scriptedFileSystem(system, 'A', []);
  scriptedFileSystem(system, 'B', [], { deviceType: FILE_DEVICE_CD_ROM_FILE_SYSTEM });
  const plain: string[] = [];
  const ex: string[] = [];
  IoRegisterFsRegistrationChange(filterDriver(system, 'Plain'), recorder(plain, 'x'));
  IoRegisterFsRegistrationChangeEx(filterDriver(system, 'Ex'), recorder(ex, 'x'));
  assert.deepEqual(ex, plain);
  assert.deepEqual(ex, ['x \\Device\\B TRUE', 'x \\Device\\A TRUE']);
});

test('§2.5 MountAware with SynchronizeWithMounts waits for a pending mount, then registers and replays', async () => {
  const { system, process, disk } = toySystem();
  const log: string[] = [];
  const fs = scriptedFileSystem(system, 'ToyFs', log, { mount: (call) => call.pend() });
  const volume = disk();
  const opening = NtCreateFile(system, process, {
    objectName: `${volume.deviceName}\\file`,
    desiredAccess: FILE_GENERIC_READ,
    createDisposition: FILE_OPEN,
  });
  assert.ok(opening instanceof Promise);
  const registering = IoRegisterFsRegistrationChangeMountAware(
    filterDriver(system),
    recorder(log, 'spy'),
    true,
  );
  assert.ok(registering instanceof Promise);
  assert.deepEqual(log, ['ToyFs: mount \\Device\\Disk0']);
  assert.equal(system.io.fsNotifyList.length, 0);
  fs.pending[0]!.mount();
  assert.equal(await registering, STATUS_SUCCESS);
  assert.deepEqual(log.slice(1), ['spy \\Device\\ToyFs TRUE']);
  assert.equal((await opening).status, STATUS_SUCCESS);
});

test('§2.5 MountAware with SynchronizeWithMounts holds new mounts back until its replay has finished', async () => {
  const { system, process, disk } = toySystem();
  const log: string[] = [];
  scriptedFileSystem(system, 'ToyFs', log);
  const volume = disk();
  let opening: unknown = null;
  const status = IoRegisterFsRegistrationChangeMountAware(
    filterDriver(system),
    (cdo) => {
      log.push(`replay ${label(cdo)}`);
      opening = NtCreateFile(system, process, {
        objectName: `${volume.deviceName}\\file`,
        desiredAccess: FILE_GENERIC_READ,
        createDisposition: FILE_OPEN,
      });
      log.push('open started');
    },
    true,
  );
  assert.equal(status, STATUS_SUCCESS); // nothing pended, so the registration itself is synchronous
  assert.ok(opening instanceof Promise);
  assert.deepEqual(log, ['replay \\Device\\ToyFs', 'open started']);
  assert.equal(((await opening) as { status: number }).status, STATUS_SUCCESS);
  assert.deepEqual(log, [
    'replay \\Device\\ToyFs',
    'open started',
    'ToyFs: mount \\Device\\Disk0',
    'ToyFs: IRP_MJ_CREATE volume',
  ]);
});

test('§2.5 MountAware without SynchronizeWithMounts registers at once, even while a mount pends', async () => {
  const { system, process, disk } = toySystem();
  const log: string[] = [];
  const fs = scriptedFileSystem(system, 'ToyFs', log, { mount: (call) => call.pend() });
  const volume = disk();
  const opening = NtCreateFile(system, process, {
    objectName: `${volume.deviceName}\\file`,
    desiredAccess: FILE_GENERIC_READ,
    createDisposition: FILE_OPEN,
  });
  const status = IoRegisterFsRegistrationChangeMountAware(filterDriver(system), recorder(log, 'spy'), false);
  assert.equal(status, STATUS_SUCCESS);
  assert.deepEqual(log, ['ToyFs: mount \\Device\\Disk0', 'spy \\Device\\ToyFs TRUE']);
  fs.pending[0]!.mount();
  assert.equal(((await opening) as { status: number }).status, STATUS_SUCCESS);
});

test('§2.5 MountAware reports file systems only, never the volumes already mounted', () => {
  const { system, process, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', []);
  const volume = disk();
  assert.equal(
    openSync(system, process, `${volume.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
  const seen: DeviceObject[] = [];
  IoRegisterFsRegistrationChangeMountAware(filterDriver(system), (cdo) => seen.push(cdo), true);
  assert.deepEqual(seen, [fs.cdo]);
});

test('§2.6 registering references the filter driver object once; unregistering drops that reference', () => {
  const { system } = toySystem();
  const driver = filterDriver(system);
  const routine: FsNotificationRoutine = () => undefined;
  assert.equal(driver.pointerCount, 0);
  IoRegisterFsRegistrationChange(driver, routine);
  assert.equal(driver.pointerCount, 1);
  IoUnregisterFsRegistrationChange(driver, routine);
  assert.equal(driver.pointerCount, 0);
});

test('§2.6 after unregistering, the routine hears nothing more, and no FsActive=FALSE replay happens', () => {
  const { system } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', []);
  const driver = filterDriver(system);
  const log: string[] = [];
  const routine = recorder(log, 'spy');
  IoRegisterFsRegistrationChange(driver, routine);
  IoUnregisterFsRegistrationChange(driver, routine);
  assert.deepEqual(log, ['spy \\Device\\ToyFs TRUE']);
  scriptedFileSystem(system, 'Later', []);
  IoUnregisterFileSystem(fs.cdo);
  assert.deepEqual(log, ['spy \\Device\\ToyFs TRUE']);
});

test('§2.6 unregistering removes only the first matching entry', () => {
  const { system } = toySystem();
  const a = filterDriver(system, 'A');
  const log: string[] = [];
  const routineA = recorder(log, 'a');
  IoRegisterFsRegistrationChange(a, routineA);
  IoRegisterFsRegistrationChange(filterDriver(system, 'B'), recorder(log, 'b'));
  IoRegisterFsRegistrationChange(a, routineA);
  IoUnregisterFsRegistrationChange(a, routineA);
  assert.equal(a.pointerCount, 1);
  scriptedFileSystem(system, 'ToyFs', []);
  // Had the last entry been removed, `a` would be heard first.
  assert.deepEqual(log, ['b \\Device\\ToyFs TRUE', 'a \\Device\\ToyFs TRUE']);
});

test('§2.6 unregistering a routine that was never registered changes nothing (docs/deviations.md)', () => {
  const { system } = toySystem();
  const driver = filterDriver(system);
  const log: string[] = [];
  const routine = recorder(log, 'spy');
  IoRegisterFsRegistrationChange(driver, routine);
  IoUnregisterFsRegistrationChange(driver, () => undefined);
  IoUnregisterFsRegistrationChange(filterDriver(system, 'Stranger'), routine);
  assert.equal(driver.pointerCount, 1);
  assert.equal(system.io.fsNotifyList.length, 1);
  scriptedFileSystem(system, 'ToyFs', []);
  assert.deepEqual(log, ['spy \\Device\\ToyFs TRUE']);
  IoUnregisterFsRegistrationChange(driver, routine);
  assert.equal(driver.pointerCount, 0);
});
