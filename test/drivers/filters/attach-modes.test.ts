/**
 * The seed scenario's two kinds of filter, on toy drivers: SFilter attaches by notification, Spy on a
 * user-mode command, and the one that attaches later always lands above.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NtClose } from '../../../src/api/nt-close.ts';
import { NtDeviceIoControlFile } from '../../../src/api/nt-control.ts';
import { NtCreateFile } from '../../../src/api/nt-create-file.ts';
import {
  FILE_GENERIC_READ,
  FILE_OPEN,
  STATUS_DEVICE_ALREADY_ATTACHED,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import { sfilterDriver } from '../../../src/drivers/filters/sfilter/index.ts';
import {
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_FILTER_DETACH_VOLUME,
  SPY_CONTROL_DEVICE,
  spyDriver,
} from '../../../src/drivers/filters/spy/index.ts';
import {
  type DeviceObject,
  IoGetAttachedDevice,
  IoLoadDriver,
  IoUnloadDriver,
  IoUnregisterFileSystem,
  System,
} from '../../../src/io/index.ts';
import type { Process } from '../../../src/ob/index.ts';
import { type Log, toyFileSystem, toyStorageDriver } from '../../support/toy-drivers.ts';

function stackOf(device: DeviceObject): string[] {
  const names: string[] = [];
  for (let d: DeviceObject | null = IoGetAttachedDevice(device); d !== null; d = d.attachedTo)
    names.push(d.driverObject.serviceName);
  return names;
}

function setup() {
  const log: Log = [];
  const system = new System();
  const process = system.createProcess('test.exe');
  const storage = toyStorageDriver('Disk', log);
  const { driverObject: storageDriver } = IoLoadDriver(system, storage);
  const fs = toyFileSystem('ToyFs', log);
  IoLoadDriver(system, fs);
  const disk = storage.createDisk(storageDriver!);
  system.ob.createSymbolicLink('\\??\\T:', disk.deviceName!);
  return { system, process, fs, disk, storage, storageDriver: storageDriver!, log };
}

function open(system: System, process: Process, name: string) {
  const result = NtCreateFile(system, process, {
    objectName: name,
    desiredAccess: FILE_GENERIC_READ,
    createDisposition: FILE_OPEN,
  });
  assert.ok(!(result instanceof Promise));
  return result;
}

function command(system: System, process: Process, code: number, volumeName: unknown) {
  const control = open(system, process, SPY_CONTROL_DEVICE);
  assert.equal(control.status, STATUS_SUCCESS);
  const result = NtDeviceIoControlFile(process, control.handle!, code, { volumeName });
  assert.ok(!(result instanceof Promise));
  NtClose(process, control.handle!);
  return result.status;
}

test('SFilter attaches to a file system already registered, during its own DriverEntry', () => {
  const { system, fs } = setup();
  IoLoadDriver(system, sfilterDriver);
  assert.deepEqual(stackOf(fs.cdo()), ['SFilter', 'ToyFs']);
});

test('SFilter attaches to a volume as it mounts, by watching the mount request on the control device', () => {
  const { system, process, disk } = setup();
  IoLoadDriver(system, sfilterDriver);
  const file = open(system, process, '\\??\\T:\\file');
  assert.equal(file.status, STATUS_SUCCESS);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['SFilter', 'ToyFs']);
});

test('a filter attached on a user-mode command lands above the one attached on notification', () => {
  const { system, process, disk } = setup();
  IoLoadDriver(system, sfilterDriver);
  IoLoadDriver(system, spyDriver);
  assert.equal(command(system, process, IOCTL_FILTER_ATTACH_VOLUME, '\\??\\T:'), STATUS_SUCCESS);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['Spy', 'SFilter', 'ToyFs']);
});

test('even loaded first, the on-command filter ends above a notification filter once it is told to attach', () => {
  const { system, process, disk } = setup();
  IoLoadDriver(system, spyDriver);
  IoLoadDriver(system, sfilterDriver);
  open(system, process, '\\??\\T:\\x');
  assert.equal(command(system, process, IOCTL_FILTER_ATTACH_VOLUME, '\\??\\T:'), STATUS_SUCCESS);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['Spy', 'SFilter', 'ToyFs']);
});

test('Spy refuses a second attach, bad input, and detaches on command', () => {
  const { system, process, disk } = setup();
  IoLoadDriver(system, spyDriver);
  assert.equal(command(system, process, IOCTL_FILTER_ATTACH_VOLUME, '\\??\\T:'), STATUS_SUCCESS);
  assert.equal(
    command(system, process, IOCTL_FILTER_ATTACH_VOLUME, '\\??\\T:'),
    STATUS_DEVICE_ALREADY_ATTACHED,
  );
  assert.equal(command(system, process, IOCTL_FILTER_ATTACH_VOLUME, 42), STATUS_INVALID_PARAMETER);
  assert.equal(command(system, process, IOCTL_FILTER_ATTACH_VOLUME, 'relative'), STATUS_INVALID_PARAMETER);
  assert.equal(command(system, process, IOCTL_FILTER_DETACH_VOLUME, '\\??\\T:'), STATUS_SUCCESS);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['ToyFs']);
  assert.equal(command(system, process, IOCTL_FILTER_DETACH_VOLUME, '\\??\\T:'), STATUS_NOT_FOUND);
});

test('SFilter leaves a file system that unregisters, while its volumes keep their filters and keep working', () => {
  const { system, process, fs, disk, log } = setup();
  IoLoadDriver(system, sfilterDriver);
  const file = open(system, process, '\\??\\T:\\file');
  IoUnregisterFileSystem(fs.cdo());
  assert.deepEqual(stackOf(fs.cdo()), ['ToyFs']);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['SFilter', 'ToyFs']);
  log.length = 0;
  assert.equal(NtClose(process, file.handle!), STATUS_SUCCESS);
  assert.deepEqual(log, ['ToyFs: IRP_MJ_CLEANUP on volume', 'ToyFs: IRP_MJ_CLOSE on volume']);
});

test('SFilter unloads cleanly: its devices leave every stack', () => {
  const { system, process, fs, disk } = setup();
  IoLoadDriver(system, sfilterDriver);
  open(system, process, '\\??\\T:\\file');
  assert.equal(IoUnloadDriver(system, 'SFilter'), STATUS_SUCCESS);
  assert.deepEqual(stackOf(fs.cdo()), ['ToyFs']);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['ToyFs']);
  assert.equal(system.io.fsNotifyList.length, 0);
});
