import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSystem, NtClose, NtCreateFile, NtDeviceIoControlFile } from '../../../src/api/index.ts';
import {
  DO_DEVICE_INITIALIZING,
  FILE_DEVICE_DISK,
  FILE_DEVICE_VIRTUAL_DISK,
  FILE_OPEN,
  FILE_READ_ATTRIBUTES,
  FILE_READ_ONLY_DEVICE,
  IOCTL_DISK_GET_DRIVE_GEOMETRY,
  IOCTL_DISK_GET_LENGTH_INFO,
  IOCTL_DISK_IS_WRITABLE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_FLUSH_BUFFERS,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
  mustBeSync,
  type NTSTATUS,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_IMAGE_ALREADY_LOADED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_VOLUME_LABEL,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_PENDING,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../src/base/index.ts';
import {
  createRamDisk,
  DriverEntry,
  FixedMedia,
  IoCreateRamDisk,
  manifest,
  ramDiskDriver,
} from '../../../src/drivers/storage/ramdisk/index.ts';
import {
  type DeviceObject,
  type DriverModule,
  IoAllocateIrp,
  IoCallDriver,
  IoGetNextIrpStackLocation,
  IoLoadDriver,
  type IoParameters,
  IoUnloadDriver,
} from '../../../src/io/index.ts';

interface Sent {
  returned: NTSTATUS;
  status: NTSTATUS;
  information: number;
  output: unknown;
  completed: boolean;
}

function send(
  device: DeviceObject,
  majorFunction: number,
  parameters: IoParameters,
  buffer: Uint8Array | null = null,
): Sent {
  const irp = IoAllocateIrp(device.stackSize);
  const location = IoGetNextIrpStackLocation(irp);
  location.majorFunction = majorFunction;
  location.parameters = parameters;
  irp.userBuffer = buffer;
  const returned = IoCallDriver(device, irp);
  return {
    returned,
    status: irp.ioStatus.status,
    information: irp.ioStatus.information,
    output: irp.systemBuffer,
    completed: irp.completed,
  };
}

const io = (byteOffset: number, length: number) => ({ byteOffset, length, key: 0 });
const ioctl = (controlCode: number, outputBufferLength = 64) => ({
  controlCode,
  inputBufferLength: 0,
  outputBufferLength,
});

function disk(options: Parameters<typeof IoCreateRamDisk>[1] = { sizeBytes: 64 * 1024 }) {
  const system = createSystem();
  const created = IoCreateRamDisk(system, options);
  assert.equal(created.status, STATUS_SUCCESS);
  return { system, device: created.deviceObject! };
}

test('IoCreateRamDisk loads \\Driver\\RamDisk once and numbers its disks', () => {
  const system = createSystem();
  const first = IoCreateRamDisk(system, { sizeBytes: 4096 });
  const second = IoCreateRamDisk(system, { sizeBytes: 8192, deviceType: FILE_DEVICE_VIRTUAL_DISK });
  assert.equal(first.deviceObject!.deviceName, '\\Device\\RamDisk0');
  assert.equal(second.deviceObject!.deviceName, '\\Device\\RamDisk1');
  assert.equal(first.deviceObject!.driverObject, second.deviceObject!.driverObject);
  assert.equal(first.deviceObject!.driverObject.driverName, '\\Driver\\RamDisk');
  assert.equal(IoLoadDriver(system, ramDiskDriver).status, STATUS_IMAGE_ALREADY_LOADED);
  assert.equal(manifest.kind, 'storage');
  for (const device of [first.deviceObject!, second.deviceObject!]) {
    assert.ok(device.vpb !== null, 'disk devices get a VPB');
    assert.equal(device.flags & DO_DEVICE_INITIALIZING, 0);
    assert.equal(device.sectorSize, 512);
  }
  assert.equal(second.deviceObject!.deviceType, FILE_DEVICE_VIRTUAL_DISK);
});

test('a disk number already taken in \\Device is skipped', () => {
  const system = createSystem();
  system.ob.createSymbolicLink('\\Device\\RamDisk0', '\\Device\\Elsewhere');
  assert.equal(IoCreateRamDisk(system, { sizeBytes: 4096 }).deviceObject!.deviceName, '\\Device\\RamDisk1');
});

test('disks created inside DriverEntry are initialized by the loader, like every DriverEntry device', () => {
  const system = createSystem();
  let during = -1;
  const module: DriverModule = {
    manifest,
    DriverEntry(driver, path) {
      const status = DriverEntry(driver, path);
      const { deviceObject } = createRamDisk(driver, { sizeBytes: 4096 });
      during = deviceObject!.flags & DO_DEVICE_INITIALIZING;
      return status;
    },
  };
  const { driverObject } = IoLoadDriver(system, module);
  assert.equal(during, DO_DEVICE_INITIALIZING);
  assert.equal(driverObject!.deviceObjects[0]!.flags & DO_DEVICE_INITIALIZING, 0);
});

test('bad sizes, sector sizes and media are STATUS_INVALID_PARAMETER, a failing format fails the disk', () => {
  const system = createSystem();
  const bad = [
    { sizeBytes: 0 },
    { sizeBytes: -512 },
    { sizeBytes: 1000 },
    { sizeBytes: 1.5 },
    { sizeBytes: 4096, sectorSize: 500 },
    { sizeBytes: 4096, sectorSize: 64 },
    { sizeBytes: 4096, media: new Uint8Array(2048) },
    {},
  ];
  for (const options of bad)
    assert.equal(IoCreateRamDisk(system, options).status, STATUS_INVALID_PARAMETER, JSON.stringify(options));
  const failed = IoCreateRamDisk(system, { sizeBytes: 4096, format: () => STATUS_INVALID_VOLUME_LABEL });
  assert.equal(failed.status, STATUS_INVALID_VOLUME_LABEL);
  assert.equal(system.ob.lookupNoParse('\\Device\\RamDisk0'), undefined);
});

test("sector reads and writes copy between the media and the caller's buffer", () => {
  const { device } = disk();
  const media = (device.deviceExtension as { media: Uint8Array }).media;
  const data = new Uint8Array(1024).map((_, i) => i & 0xff);
  const written = send(device, IRP_MJ_WRITE, io(512, 1024), data);
  assert.deepEqual(
    [written.returned, written.status, written.information],
    [STATUS_SUCCESS, STATUS_SUCCESS, 1024],
  );
  assert.deepEqual(media.subarray(512, 1536), data);
  const buffer = new Uint8Array(2048);
  const read = send(device, IRP_MJ_READ, io(0, 2048), buffer);
  assert.equal(read.information, 2048);
  assert.deepEqual(buffer.subarray(512, 1536), data);
  assert.deepEqual(buffer.subarray(0, 512), new Uint8Array(512));
});

test('unaligned, out-of-range or unbuffered transfers are STATUS_INVALID_PARAMETER and touch nothing', () => {
  const { device } = disk({ sizeBytes: 8192 });
  const media = (device.deviceExtension as { media: Uint8Array }).media;
  const cases: Array<[number, number, Uint8Array | null]> = [
    [100, 512, new Uint8Array(512)],
    [0, 100, new Uint8Array(100)],
    [8192, 512, new Uint8Array(512)],
    [7680, 1024, new Uint8Array(1024)],
    [-512, 512, new Uint8Array(512)],
    [0, 512, null],
    [0, 1024, new Uint8Array(512)],
  ];
  for (const [offset, length, buffer] of cases) {
    for (const major of [IRP_MJ_READ, IRP_MJ_WRITE]) {
      const result = send(device, major, io(offset, length), buffer?.fill(7) ?? null);
      assert.equal(result.status, STATUS_INVALID_PARAMETER, `${major} at ${offset}+${length}`);
      assert.equal(result.information, 0);
    }
  }
  assert.deepEqual(media, new Uint8Array(8192));
  assert.equal(
    send(device, IRP_MJ_READ, io(8192, 0), null).status,
    STATUS_SUCCESS,
    'an empty transfer at the end is fine',
  );
});

test('a write-protected disk refuses writes and says so when asked', () => {
  const { device } = disk({ sizeBytes: 4096, readOnly: true });
  assert.equal(device.characteristics & FILE_READ_ONLY_DEVICE, FILE_READ_ONLY_DEVICE);
  assert.equal(
    send(device, IRP_MJ_WRITE, io(0, 512), new Uint8Array(512)).status,
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(send(device, IRP_MJ_READ, io(0, 512), new Uint8Array(512)).status, STATUS_SUCCESS);
  assert.equal(
    send(device, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_IS_WRITABLE)).status,
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  const writable = disk({ sizeBytes: 4096 });
  assert.equal(
    send(writable.device, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_IS_WRITABLE)).status,
    STATUS_SUCCESS,
  );
});

test('the disk IOCTLs answer length and geometry, and refuse short buffers and unknown codes', () => {
  const { device } = disk({ sizeBytes: 1 << 20, sectorSize: 4096 });
  const length = send(device, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_LENGTH_INFO));
  assert.deepEqual(
    [length.status, length.information, length.output],
    [STATUS_SUCCESS, 8, { length: 1 << 20 }],
  );
  const geometry = send(device, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_DRIVE_GEOMETRY));
  assert.equal(geometry.information, 24);
  assert.deepEqual(geometry.output, {
    cylinders: (1 << 20) / (4096 * 32 * 2),
    mediaType: FixedMedia,
    tracksPerCylinder: 2,
    sectorsPerTrack: 32,
    bytesPerSector: 4096,
  });
  assert.equal(
    send(device, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_LENGTH_INFO, 7)).status,
    STATUS_BUFFER_TOO_SMALL,
  );
  assert.equal(
    send(device, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_DRIVE_GEOMETRY, 23)).status,
    STATUS_BUFFER_TOO_SMALL,
  );
  assert.equal(send(device, IRP_MJ_DEVICE_CONTROL, ioctl(0x7fff0000)).status, STATUS_INVALID_DEVICE_REQUEST);
  assert.equal(send(device, IRP_MJ_FLUSH_BUFFERS, {}).status, STATUS_SUCCESS);
});

test('a direct device open reaches the disk itself, without mounting anything', () => {
  const { system, device } = disk();
  const process = system.createProcess('t.exe');
  const opened = mustBeSync(
    NtCreateFile(system, process, {
      objectName: '\\Device\\RamDisk0',
      desiredAccess: FILE_READ_ATTRIBUTES | SYNCHRONIZE,
      createDisposition: FILE_OPEN,
    }),
    'open',
  );
  assert.equal(opened.status, STATUS_SUCCESS);
  const answer = mustBeSync(
    NtDeviceIoControlFile(process, opened.handle!, IOCTL_DISK_GET_LENGTH_INFO, null, 8),
    'ioctl',
  );
  assert.deepEqual(answer.output, { length: 64 * 1024 });
  assert.equal(device.vpb!.flags, 0, 'nothing mounted');
  NtClose(process, opened.handle!);
});

test('a disk in asynchronous mode pends transfers and completes them from a microtask', async () => {
  const { device } = disk({ sizeBytes: 4096, completeAsynchronously: true });
  const irp = IoAllocateIrp(device.stackSize);
  const location = IoGetNextIrpStackLocation(irp);
  location.majorFunction = IRP_MJ_WRITE;
  location.parameters = io(0, 512);
  irp.userBuffer = new Uint8Array(512).fill(3);
  const done = new Promise<void>((resolve) => {
    irp.onCompleted = () => resolve();
  });
  assert.equal(IoCallDriver(device, irp), STATUS_PENDING);
  assert.equal(irp.completed, false);
  await done;
  assert.equal(irp.ioStatus.status, STATUS_SUCCESS);
  assert.equal(irp.ioStatus.information, 512);
  assert.equal((device.deviceExtension as { media: Uint8Array }).media[0], 3);
});

test('unloading the driver deletes its disks', () => {
  const { system, device } = disk();
  assert.equal(IoUnloadDriver(system, 'RamDisk'), STATUS_SUCCESS);
  assert.equal(device.deletePending, true);
  assert.equal(system.ob.lookupNoParse('\\Device\\RamDisk0'), undefined);
  assert.equal(device.deviceType, FILE_DEVICE_DISK);
});
