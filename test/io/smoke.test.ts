import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NtClose } from '../../src/api/nt-close.ts';
import { NtCreateFile } from '../../src/api/nt-create-file.ts';
import { NtWriteFile } from '../../src/api/nt-read-write.ts';
import {
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_OPEN,
  FILE_SYNCHRONOUS_IO_NONALERT,
  STATUS_SUCCESS,
} from '../../src/base/index.ts';
import {
  type DeviceObject,
  IoGetAttachedDevice,
  IoLoadDriver,
  IoRegisterFsRegistrationChange,
  IoStatusBlock,
  IoUnregisterFileSystem,
  System,
} from '../../src/io/index.ts';
import { type Log, toyFileSystem, toyPassThroughFilter, toyStorageDriver } from '../support/toy-drivers.ts';

function stack(device: DeviceObject): string[] {
  const names: string[] = [];
  for (let d: DeviceObject | null = IoGetAttachedDevice(device); d !== null; d = d.attachedTo)
    names.push(d.driverObject.serviceName);
  return names;
}

test('the seed scenario runs end to end on toy drivers', () => {
  const log: Log = [];
  const system = new System();
  const process = system.createProcess('test.exe');
  const storage = toyStorageDriver('Disk', log);
  const fs = toyFileSystem('ToyFs', log);
  const notified = toyPassThroughFilter('NotifyFilter', log);
  const onDemand = toyPassThroughFilter('CommandFilter', log);
  const { driverObject: storageDriver } = IoLoadDriver(system, storage);
  assert.equal(IoLoadDriver(system, fs).status, STATUS_SUCCESS);
  const { driverObject: filterDriver } = IoLoadDriver(system, notified);
  IoLoadDriver(system, onDemand);
  const disk = storage.createDisk(storageDriver!);
  const heard: string[] = [];
  const volumeAttach: DeviceObject[] = [];
  IoRegisterFsRegistrationChange(filterDriver!, (cdo, active) => {
    heard.push(`${cdo.deviceName} ${active}`);
    if (active) notified.attach(filterDriver!, cdo);
  });
  assert.deepEqual(heard, ['\\Device\\ToyFs true']);
  system.ob.createSymbolicLink('\\??\\T:', disk.deviceName!);
  const opened = NtCreateFile(system, process, {
    objectName: '\\??\\T:\\file.txt',
    desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE,
    createDisposition: FILE_OPEN,
    createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
  });
  assert.ok(!(opened instanceof Promise));
  assert.equal(opened.status, STATUS_SUCCESS);
  const vdo = disk.vpb!.deviceObject!;
  volumeAttach.push(notified.attach(filterDriver!, vdo)!);
  onDemand.attach(onDemand.driver(), vdo);
  assert.deepEqual(stack(vdo), ['CommandFilter', 'NotifyFilter', 'ToyFs']);
  IoUnregisterFileSystem(fs.cdo());
  assert.deepEqual(heard, ['\\Device\\ToyFs true', '\\Device\\ToyFs false']);
  log.length = 0;
  const iosb = new IoStatusBlock();
  const status = NtWriteFile(process, opened.handle!, iosb, new Uint8Array(10), 10);
  assert.equal(status, STATUS_SUCCESS);
  assert.equal(iosb.information, 10);
  assert.deepEqual(log, [
    'CommandFilter: IRP_MJ_WRITE',
    'NotifyFilter: IRP_MJ_WRITE',
    'ToyFs: IRP_MJ_WRITE on volume',
  ]);
  assert.equal(NtClose(process, opened.handle!), STATUS_SUCCESS);
  assert.deepEqual(log.slice(3), [
    'CommandFilter: IRP_MJ_CLEANUP',
    'NotifyFilter: IRP_MJ_CLEANUP',
    'ToyFs: IRP_MJ_CLEANUP on volume',
    'CommandFilter: IRP_MJ_CLOSE',
    'NotifyFilter: IRP_MJ_CLOSE',
    'ToyFs: IRP_MJ_CLOSE on volume',
  ]);
});
