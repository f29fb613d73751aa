/**
 * System shutdown (io/shutdown.ts): registered devices most recent first, then each file system's
 * control device stack, then last-chance devices; pended answers are waited for in order; deleted devices are not told.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSystem, NtShutdownSystem } from '../../src/api/index.ts';
import {
  DO_DEVICE_INITIALIZING,
  DO_SHUTDOWN_REGISTERED,
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_DEVICE_UNKNOWN,
  IRP_MJ_SHUTDOWN,
  mustBeSync,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_PENDING,
  STATUS_SUCCESS,
} from '../../src/base/index.ts';
import {
  type DeviceObject,
  type DriverObject,
  IoAttachDeviceToDeviceStackSafe,
  IoCallDriver,
  IoCompleteRequest,
  IoCreateDevice,
  IoDeleteDevice,
  IoLoadDriver,
  IoMarkIrpPending,
  IoRegisterFileSystem,
  IoRegisterLastChanceShutdownNotification,
  IoRegisterShutdownNotification,
  IoSkipCurrentIrpStackLocation,
  IoUnregisterFileSystem,
  IoUnregisterShutdownNotification,
  type Irp,
  type System,
} from '../../src/io/index.ts';
import { memfsVolume } from '../drivers/fs/memfs/setup.ts';

interface Harness {
  system: System;
  log: string[];
  driver: DriverObject;
  device(name: string, type?: number): DeviceObject;
}

/** One driver whose every device logs IRP_MJ_SHUTDOWN; `answers` overrides per device name. */
function harness(answers: Record<string, (irp: Irp) => number> = {}): Harness {
  const system = createSystem();
  const log: string[] = [];
  let driver: DriverObject | null = null;
  IoLoadDriver(system, {
    manifest: { name: 'ShutdownProbe', kind: 'file-system', description: 'logs shutdown' },
    DriverEntry(d) {
      driver = d;
      d.majorFunction[IRP_MJ_SHUTDOWN] = (device, irp) => {
        const name = device.deviceName ?? 'unnamed';
        log.push(name);
        const answer = answers[name.replace('\\Device\\', '')];
        if (answer !== undefined) return answer(irp);
        irp.ioStatus.status = STATUS_SUCCESS;
        IoCompleteRequest(irp);
        return STATUS_SUCCESS;
      };
      return STATUS_SUCCESS;
    },
  });
  const device = (name: string, type = FILE_DEVICE_UNKNOWN): DeviceObject => {
    const created = IoCreateDevice(driver!, null, `\\Device\\${name}`, type, 0, false);
    assert.equal(created.status, STATUS_SUCCESS);
    created.deviceObject!.flags &= ~DO_DEVICE_INITIALIZING;
    return created.deviceObject!;
  };
  return { system, log, driver: driver!, device };
}

test('registered devices hear IRP_MJ_SHUTDOWN most recent first, then file systems disk, CD-ROM', () => {
  const h = harness();
  const first = h.device('First');
  const second = h.device('Second');
  assert.equal(IoRegisterShutdownNotification(first), STATUS_SUCCESS);
  assert.equal(IoRegisterShutdownNotification(second), STATUS_SUCCESS);
  assert.equal(IoRegisterShutdownNotification(second), STATUS_SUCCESS, 'twice is harmless');
  assert.equal(first.flags & DO_SHUTDOWN_REGISTERED, DO_SHUTDOWN_REGISTERED);
  IoRegisterFileSystem(h.device('CdFs', FILE_DEVICE_CD_ROM_FILE_SYSTEM));
  IoRegisterFileSystem(h.device('DiskFs', FILE_DEVICE_DISK_FILE_SYSTEM));
  const result = mustBeSync(NtShutdownSystem(h.system), 'shutdown');
  assert.equal(result.status, STATUS_SUCCESS);
  assert.deepEqual(h.log, ['\\Device\\Second', '\\Device\\First', '\\Device\\DiskFs', '\\Device\\CdFs']);
  assert.deepEqual(
    result.records.map((r) => r.device.deviceName),
    ['\\Device\\Second', '\\Device\\First', '\\Device\\DiskFs', '\\Device\\RawDisk', '\\Device\\CdFs'],
    'RAW hears it on \\Device\\RawDisk and deletes all three control devices (RawShutdown)',
  );
  assert.deepEqual(
    h.system.io.cdRomFileSystemQueue.map((d) => d.deviceName),
    ['\\Device\\CdFs'],
    'RAW left the queues',
  );
});

test('last-chance devices hear IRP_MJ_SHUTDOWN after every file system, most recent first', () => {
  const h = harness();
  const disk = h.device('Disk');
  const tape = h.device('Tape');
  const early = h.device('Early');
  assert.equal(IoRegisterLastChanceShutdownNotification(disk), STATUS_SUCCESS);
  assert.equal(IoRegisterLastChanceShutdownNotification(tape), STATUS_SUCCESS);
  assert.equal(IoRegisterShutdownNotification(early), STATUS_SUCCESS);
  IoRegisterFileSystem(h.device('DiskFs', FILE_DEVICE_DISK_FILE_SYSTEM));
  mustBeSync(NtShutdownSystem(h.system), 'shutdown');
  assert.deepEqual(h.log, ['\\Device\\Early', '\\Device\\DiskFs', '\\Device\\Tape', '\\Device\\Disk']);
});

test('IoUnregisterShutdownNotification withdraws a last-chance registration too', () => {
  const h = harness();
  const disk = h.device('Disk');
  IoRegisterLastChanceShutdownNotification(disk);
  IoUnregisterShutdownNotification(disk);
  assert.equal(disk.flags & DO_SHUTDOWN_REGISTERED, 0);
  mustBeSync(NtShutdownSystem(h.system), 'shutdown');
  assert.deepEqual(h.log, []);
});

test('a filter attached to a file system control device sees the shutdown first', () => {
  const h = harness();
  const cdo = h.device('DiskFs', FILE_DEVICE_DISK_FILE_SYSTEM);
  IoRegisterFileSystem(cdo);
  const seen: string[] = [];
  IoLoadDriver(h.system, {
    manifest: { name: 'Filter', kind: 'legacy-filter', description: 'passes shutdown down' },
    DriverEntry(d) {
      d.majorFunction[IRP_MJ_SHUTDOWN] = (device, irp) => {
        seen.push('filter');
        IoSkipCurrentIrpStackLocation(irp);
        return IoCallDriver(device.attachedTo!, irp);
      };
      const filter = IoCreateDevice(d, null, null, FILE_DEVICE_DISK_FILE_SYSTEM, 0, false).deviceObject!;
      assert.equal(IoAttachDeviceToDeviceStackSafe(filter, cdo).status, STATUS_SUCCESS);
      filter.flags &= ~DO_DEVICE_INITIALIZING;
      return STATUS_SUCCESS;
    },
  });
  mustBeSync(NtShutdownSystem(h.system), 'shutdown');
  assert.deepEqual(seen, ['filter']);
  assert.deepEqual(h.log, ['\\Device\\DiskFs']);
});

test('a file system that unregisters itself from its shutdown handler does not upset the walk', () => {
  let cdo: DeviceObject | null = null;
  const h = harness({
    DiskFs: (irp) => {
      IoUnregisterFileSystem(cdo!);
      IoDeleteDevice(cdo!);
      irp.ioStatus.status = STATUS_SUCCESS;
      IoCompleteRequest(irp);
      return STATUS_SUCCESS;
    },
  });
  cdo = h.device('DiskFs', FILE_DEVICE_DISK_FILE_SYSTEM);
  IoRegisterFileSystem(cdo);
  IoRegisterFileSystem(h.device('OtherFs', FILE_DEVICE_DISK_FILE_SYSTEM));
  mustBeSync(NtShutdownSystem(h.system), 'shutdown');
  assert.deepEqual(h.log, ['\\Device\\OtherFs', '\\Device\\DiskFs']);
  assert.equal(h.system.io.diskFileSystemQueue.includes(cdo), false);
});

test('IoDeleteDevice withdraws the shutdown registration', () => {
  const h = harness();
  const gone = h.device('Gone');
  IoRegisterShutdownNotification(gone);
  IoDeleteDevice(gone);
  assert.equal(h.system.io.shutdownNotifications.includes(gone), false);
  mustBeSync(NtShutdownSystem(h.system), 'shutdown');
  assert.deepEqual(h.log, []);
});

test('a pended shutdown is waited for before the next device hears anything; failures are reported', async () => {
  const h = harness({
    Slow: (irp) => {
      IoMarkIrpPending(irp);
      setTimeout(() => {
        h.log.push('slow done');
        irp.ioStatus.status = STATUS_MEDIA_WRITE_PROTECTED;
        IoCompleteRequest(irp);
      }, 5);
      return STATUS_PENDING;
    },
  });
  IoRegisterShutdownNotification(h.device('Fast'));
  IoRegisterShutdownNotification(h.device('Slow'));
  const pending = NtShutdownSystem(h.system);
  assert.ok(pending instanceof Promise, 'a pended IRP makes shutdown asynchronous');
  const result = await pending;
  assert.deepEqual(h.log, ['\\Device\\Slow', 'slow done', '\\Device\\Fast']);
  assert.equal(result.status, STATUS_MEDIA_WRITE_PROTECTED);
});

test('shutdown writes every mounted MemFS volume back to its disk', () => {
  const v = memfsVolume();
  v.writeFile('kept.txt', 'survives shutdown');
  const result = mustBeSync(NtShutdownSystem(v.system), 'shutdown');
  assert.equal(result.status, STATUS_SUCCESS);
  assert.equal(memfsVolume({ media: v.media.slice() }).readFile('kept.txt'), 'survives shutdown');
});
