import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createSystem,
  NtClose,
  NtCreateFile,
  NtFlushBuffersFile,
  NtReadFile,
  NtWriteFile,
} from '../../../src/api/index.ts';
import {
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_OPEN,
  FILE_OVERWRITE_IF,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
  mustBeSync,
  STATUS_DEVICE_ALREADY_ATTACHED,
  STATUS_END_OF_FILE,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_FOUND,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import { sfilterDriver } from '../../../src/drivers/filters/sfilter/index.ts';
import {
  createSpyDriver,
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_FILTER_DETACH_VOLUME,
  IOCTL_FILTER_LIST_ATTACHMENTS,
  IOCTL_SPY_GET_RECORDS,
  IOCTL_SPY_GET_STATISTICS,
  IOCTL_SPY_SET_CAPACITY,
  SPY_CONTROL_DEVICE,
  type SpyRecord,
  type SpyRecordBatch,
  type SpyStatistics,
  SpySubscribe,
  spyDriver,
} from '../../../src/drivers/filters/spy/index.ts';
import { memFsDriver, memFsFormat } from '../../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../../src/drivers/storage/ramdisk/index.ts';
import { IoLoadDriver, IoStatusBlock } from '../../../src/io/index.ts';
import { memfsVolume } from '../fs/memfs/setup.ts';
import { controlRequest, stackOf } from './setup.ts';

function spyVolume(options: Parameters<typeof createSpyDriver>[0] = {}) {
  const fx = memfsVolume();
  const loaded = IoLoadDriver(fx.system, options.attachMode ? createSpyDriver(options) : spyDriver);
  assert.equal(loaded.status, STATUS_SUCCESS);
  const request = (code: number, input: unknown = null) =>
    controlRequest(fx.system, fx.process, SPY_CONTROL_DEVICE, code, input);
  const drain = (maxRecords?: number): SpyRecordBatch => {
    const result = request(IOCTL_SPY_GET_RECORDS, maxRecords === undefined ? null : { maxRecords });
    assert.equal(result.status, STATUS_SUCCESS);
    return result.output as SpyRecordBatch;
  };
  return { ...fx, spy: loaded.driverObject!, request, drain };
}

const summary = (records: SpyRecord[]) =>
  records.map((r) => [r.majorName, r.minorFunction, r.fileName, r.status]);

test('Spy on demand attaches to the named volume and records an open, a write and a close in order', () => {
  const fx = spyVolume();
  assert.equal(fx.request(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: 'M:' }).status, STATUS_SUCCESS);
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['Spy', 'MemFs']);
  assert.deepEqual(fx.drain().records, [], 'the attach request itself is not in the trace');
  const h = fx.handle('notes.txt', { disposition: FILE_OVERWRITE_IF });
  fx.write(h, 'hello');
  fx.close(h);
  const { records, dropped } = fx.drain();
  assert.equal(dropped, 0);
  assert.deepEqual(summary(records), [
    ['IRP_MJ_CREATE', 0, '\\notes.txt', STATUS_SUCCESS],
    ['IRP_MJ_WRITE', 0, '\\notes.txt', STATUS_SUCCESS],
    ['IRP_MJ_CLEANUP', 0, '\\notes.txt', STATUS_SUCCESS],
    ['IRP_MJ_CLOSE', 0, '\\notes.txt', STATUS_SUCCESS],
  ]);
  assert.deepEqual(
    records.map((r) => r.majorFunction),
    [IRP_MJ_CREATE, IRP_MJ_WRITE, IRP_MJ_CLEANUP, IRP_MJ_CLOSE],
  );
  const write = records[1]!;
  assert.equal(write.information, 5);
  assert.equal(write.processName, 'test.exe');
  assert.equal(write.processId, fx.process.processId);
  assert.equal(write.volume, fx.device.deviceName);
  assert.deepEqual(
    records.map((r) => r.sequence),
    [1, 2, 3, 4],
  );
  // Under the test clock every record carries the clock's time and a zero duration.
  assert.ok(records.every((r) => r.time === fx.now() && r.duration === 0));
});

test('Spy records failures with their status and what was transferred', () => {
  const fx = spyVolume();
  fx.writeFile('a.txt', 'abc');
  fx.request(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: '\\??\\M:' });
  const h = fx.handle('a.txt');
  fx.read(h, 10, 0);
  fx.read(h, 10, 100);
  fx.close(h);
  fx.open('missing.txt');
  const reads = fx.drain().records.filter((r) => r.majorFunction === IRP_MJ_READ);
  assert.deepEqual(
    reads.map((r) => [r.status, r.information]),
    [
      [STATUS_SUCCESS, 3],
      [STATUS_END_OF_FILE, 0],
    ],
  );
  fx.open('missing.txt');
  const [create] = fx.drain().records;
  assert.equal(create!.status, STATUS_OBJECT_NAME_NOT_FOUND);
});

test('Spy attached on demand lands above SFilter, which attached on notification', () => {
  const fx = spyVolume();
  IoLoadDriver(fx.system, sfilterDriver);
  fx.writeFile('a.txt', 'x');
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['SFilter', 'MemFs']);
  assert.equal(fx.request(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: 'M:' }).status, STATUS_SUCCESS);
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['Spy', 'SFilter', 'MemFs']);
});

test('Spy in all-volumes mode attaches through notifications and records from the first request of a new mount', () => {
  const fx = spyVolume({ attachMode: 'all-volumes' });
  fx.writeFile('a.txt', 'x');
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['Spy', 'MemFs']);
  const majors = fx.drain().records.map((r) => r.majorFunction);
  assert.deepEqual(majors.slice(0, 1), [IRP_MJ_CREATE]);
  assert.deepEqual(majors.slice(-3), [IRP_MJ_WRITE, IRP_MJ_CLEANUP, IRP_MJ_CLOSE]);
});

test('Spy refuses a second attach, bad names and unknown volumes, and detaches on command', () => {
  const fx = spyVolume();
  assert.equal(fx.request(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: 'M:' }).status, STATUS_SUCCESS);
  assert.equal(
    fx.request(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: 'M:' }).status,
    STATUS_DEVICE_ALREADY_ATTACHED,
  );
  for (const bad of [null, {}, { volumeName: 42 }, { volumeName: 'relative' }, { volumeName: '' }]) {
    assert.equal(fx.request(IOCTL_FILTER_ATTACH_VOLUME, bad).status, STATUS_INVALID_PARAMETER);
  }
  assert.equal(
    fx.request(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: 'Q:' }).status,
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
  assert.equal(fx.request(0x12345678).status, STATUS_INVALID_DEVICE_REQUEST);
  const list = fx.request(IOCTL_FILTER_LIST_ATTACHMENTS);
  assert.deepEqual(list.output, [
    {
      target: fx.device.deviceName,
      kind: 'volume',
      fileSystem: '\\FileSystem\\MemFs',
      attachedBy: 'on-demand',
    },
  ]);
  assert.equal(fx.request(IOCTL_FILTER_DETACH_VOLUME, { volumeName: 'M:' }).status, STATUS_SUCCESS);
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['MemFs']);
  assert.equal(fx.request(IOCTL_FILTER_DETACH_VOLUME, { volumeName: 'M:' }).status, STATUS_NOT_FOUND);
  assert.deepEqual(fx.request(IOCTL_FILTER_LIST_ATTACHMENTS).output, []);
});

test('Spy keeps the newest records when its buffer is full and counts the ones it dropped', () => {
  const fx = spyVolume();
  assert.equal(fx.request(IOCTL_SPY_SET_CAPACITY, { capacity: 3 }).status, STATUS_SUCCESS);
  for (const bad of [{ capacity: 0 }, { capacity: 1.5 }, { capacity: 'x' }, null]) {
    assert.equal(fx.request(IOCTL_SPY_SET_CAPACITY, bad).status, STATUS_INVALID_PARAMETER);
  }
  fx.request(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: 'M:' });
  fx.writeFile('a.txt', 'x'); // create, write, cleanup, close
  fx.writeFile('b.txt', 'y');
  const stats = fx.request(IOCTL_SPY_GET_STATISTICS).output as SpyStatistics;
  assert.deepEqual(stats, { buffered: 3, capacity: 3, recorded: 8, dropped: 5 });
  const first = fx.drain(2);
  assert.deepEqual(
    first.records.map((r) => r.sequence),
    [6, 7],
  );
  assert.equal(first.dropped, 5);
  assert.deepEqual(
    fx.drain().records.map((r) => r.sequence),
    [8],
  );
  assert.deepEqual(fx.drain().records, []);
  assert.equal(fx.request(IOCTL_SPY_GET_RECORDS, { maxRecords: -1 }).status, STATUS_INVALID_PARAMETER);
});

test('A host subscriber hears each record as it completes, without polling, until it unsubscribes', () => {
  const fx = spyVolume();
  fx.request(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: 'M:' });
  const heard: SpyRecord[] = [];
  const stop = SpySubscribe(fx.spy, (record) => heard.push(record));
  const h = fx.handle('live.txt', { disposition: FILE_OVERWRITE_IF });
  assert.deepEqual(
    heard.map((r) => r.majorName),
    ['IRP_MJ_CREATE'],
  );
  stop();
  fx.close(h);
  assert.equal(heard.length, 1);
  // Subscribers get copies: the buffer still has every record for user mode.
  assert.equal(fx.drain().records.length, 3);
});

test('a request that pends is recorded when it completes, with the time it took', async () => {
  let now = 5_000;
  const system = createSystem({ clock: () => now });
  const process = system.createProcess('async.exe');
  IoLoadDriver(system, memFsDriver);
  const { driverObject: spy } = IoLoadDriver(system, createSpyDriver({ attachMode: 'all-volumes' }));
  const disk = IoCreateRamDisk(system, {
    sizeBytes: 1 << 20,
    format: memFsFormat({ label: 'A' }),
    completeAsynchronously: true,
  }).deviceObject!;
  const heard: SpyRecord[] = [];
  SpySubscribe(spy!, (record) => heard.push(record));
  const opened = await NtCreateFile(system, process, {
    objectName: `${disk.deviceName}\\log.txt`,
    desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE,
    createDisposition: FILE_OVERWRITE_IF,
    createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
  });
  assert.equal(opened.status, STATUS_SUCCESS);
  await Promise.resolve();
  heard.length = 0;
  // MemFS writes its image back on flush: that request goes to the disk and pends.
  const flushing = NtFlushBuffersFile(process, opened.handle!);
  assert.ok(flushing instanceof Promise);
  assert.equal(heard.length, 0, 'nothing is recorded before the request completes');
  now += 7;
  assert.equal(await flushing, STATUS_SUCCESS);
  assert.deepEqual(
    heard.map((r) => [r.majorName, r.status, r.time, r.duration]),
    [['IRP_MJ_FLUSH_BUFFERS', STATUS_SUCCESS, 5_000, 7]],
  );
  NtClose(process, opened.handle!);
});

test('Spy reads the performance counter when each request arrives and again when it completes', () => {
  // A counter that moves by one on every reading: a record whose two readings were shared with
  // another request, or skipped, shows up as a wrong time or duration.
  let readings = 0;
  const system = createSystem({ clock: () => 1_000_000, performanceCounter: () => ++readings });
  const process = system.createProcess('clock.exe');
  IoLoadDriver(system, memFsDriver);
  const { driverObject: spy } = IoLoadDriver(system, spyDriver);
  const disk = IoCreateRamDisk(system, { sizeBytes: 1 << 20, format: memFsFormat({ label: 'C' }) })
    .deviceObject!;
  const control = (code: number, input: unknown = null) =>
    controlRequest(system, process, SPY_CONTROL_DEVICE, code, input);
  assert.equal(control(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: disk.deviceName }).status, STATUS_SUCCESS);
  const heard: SpyRecord[] = [];
  SpySubscribe(spy!, (record) => heard.push(record));
  const before = readings;
  const opened = mustBeSync(
    NtCreateFile(system, process, {
      objectName: `${disk.deviceName}\\burst.bin`,
      desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE,
      createDisposition: FILE_OVERWRITE_IF,
      createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
    }),
    'open',
  );
  assert.equal(opened.status, STATUS_SUCCESS);
  const handle = opened.handle!;
  const iosb = new IoStatusBlock();
  const data = new Uint8Array(16);
  for (let i = 0; i < 3; i++)
    assert.equal(mustBeSync(NtWriteFile(process, handle, iosb, data, 16, i * 16), 'write'), 0);
  for (let i = 0; i < 3; i++)
    assert.equal(mustBeSync(NtReadFile(process, handle, iosb, data, 16, i * 16), 'read'), 0);
  NtClose(process, handle);
  const majors = heard.map((r) => r.majorName);
  assert.deepEqual(majors, [
    'IRP_MJ_CREATE',
    ...Array(3).fill('IRP_MJ_WRITE'),
    ...Array(3).fill('IRP_MJ_READ'),
    'IRP_MJ_CLEANUP',
    'IRP_MJ_CLOSE',
  ]);
  // Two readings per request, and nothing else reads the counter: the records account for all of them.
  assert.equal(readings - before, 2 * heard.length);
  // The counter read at load fixed the wall offset: wall = 1,000,000 - (reading at load) + reading.
  const offset = 1_000_000 - 1;
  heard.forEach((record, i) => {
    assert.equal(record.duration, 1, `${record.majorName} #${i} was timed by its own two readings`);
    assert.equal(
      record.time,
      offset + before + 1 + 2 * i,
      `${record.majorName} #${i} arrived at its own reading`,
    );
  });
});

test('Spy records every request of a burst that pends at once, beyond its first in-flight rows, and a smaller buffer keeps the newest', async () => {
  let now = 7_000;
  const system = createSystem({ clock: () => now });
  const process = system.createProcess('burst.exe');
  IoLoadDriver(system, memFsDriver);
  const { driverObject: spy } = IoLoadDriver(system, createSpyDriver({ attachMode: 'all-volumes' }));
  const disk = IoCreateRamDisk(system, {
    sizeBytes: 1 << 20,
    format: memFsFormat({ label: 'B' }),
    completeAsynchronously: true,
  }).deviceObject!;
  // A volume open: its reads go to the disk, which completes them later, so they are all in flight together.
  const volume = await NtCreateFile(system, process, {
    objectName: disk.deviceName!,
    desiredAccess: FILE_GENERIC_READ,
    createDisposition: FILE_OPEN,
    shareAccess: FILE_SHARE_READ | FILE_SHARE_WRITE,
  });
  assert.equal(volume.status, STATUS_SUCCESS);
  await Promise.resolve();
  const heard: SpyRecord[] = [];
  SpySubscribe(spy!, (record) => heard.push(record));
  const count = 150;
  const reads = Array.from({ length: count }, (_, i) =>
    NtReadFile(process, volume.handle!, new IoStatusBlock(), new Uint8Array(512), 512, i * 512),
  );
  assert.ok(reads.every((read) => read instanceof Promise));
  assert.equal(heard.length, 0, 'nothing is recorded before the requests complete');
  now += 3;
  assert.deepEqual(await Promise.all(reads), Array(count).fill(STATUS_SUCCESS));
  assert.equal(heard.length, count);
  const first = heard[0]!.sequence;
  assert.deepEqual(
    heard.map((r) => r.sequence).sort((a, b) => a - b),
    Array.from({ length: count }, (_, i) => first + i),
    'every request has its own sequence number',
  );
  assert.ok(heard.every((r) => r.majorName === 'IRP_MJ_READ' && r.fileName === '' && r.information === 512));
  assert.ok(heard.every((r) => r.time === 7_000 && r.duration === 3 && r.processName === 'burst.exe'));
  // Shrinking the buffer keeps the newest records, field for field.
  const control = (code: number, input: unknown = null) =>
    controlRequest(system, process, SPY_CONTROL_DEVICE, code, input);
  assert.equal(control(IOCTL_SPY_SET_CAPACITY, { capacity: 10 }).status, STATUS_SUCCESS);
  const kept = (control(IOCTL_SPY_GET_RECORDS).output as SpyRecordBatch).records;
  assert.deepEqual(kept, heard.slice(-10));
  NtClose(process, volume.handle!);
});
