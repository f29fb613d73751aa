import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { createSystem } from '../../../../src/api/index.ts';
import {
  type DiskGeometry,
  FILE_DEVICE_CD_ROM,
  FILE_DEVICE_DISK,
  FILE_READ_ATTRIBUTES,
  FILE_READ_ONLY_DEVICE,
  type GetLengthInformation,
  IOCTL_DISK_GET_DRIVE_GEOMETRY,
  IOCTL_DISK_GET_LENGTH_INFO,
  IOCTL_DISK_GET_PARTITION_INFO,
  IOCTL_DISK_GET_PARTITION_INFO_EX,
  IOCTL_DISK_IS_WRITABLE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_FLUSH_BUFFERS,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
  isPromise,
  mustBeSync,
  type NTSTATUS,
  PARTITION_STYLE_MBR,
  type PartitionInformation,
  type PartitionInformationEx,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NOT_FOUND,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_PENDING,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  SYNCHRONIZE,
  VPB_MOUNTED,
  VPB_RAW_MOUNT,
} from '../../../../src/base/index.ts';
import {
  type CreatePartitionDevicesResult,
  IoCreatePartitionDevices,
  IoDeletePartitionDevices,
} from '../../../../src/drivers/storage/partmgr/index.ts';
import { IoCreateRamDisk, type RamDiskOptions } from '../../../../src/drivers/storage/ramdisk/index.ts';
import {
  type DeviceObject,
  IoAllocateIrp,
  IoCallDriver,
  IoGetNextIrpStackLocation,
  IoLoadDriver,
  type IoParameters,
} from '../../../../src/io/index.ts';
import { ObjectDirectory, SymbolicLink } from '../../../../src/ob/index.ts';
import {
  fileBytes,
  makeFatImage,
  makePartitionedImage,
  makeTempDir,
  openRaw,
  readAll,
  sfdiskPartitions,
} from '../../../support/disk-images.ts';
import { type Log, toyPassThroughFilter } from '../../../support/toy-drivers.ts';

const temp = makeTempDir('strata-partmgr-');
after(() => temp.cleanup());

const SCRIPT =
  'label: dos\nstart=2048, size=4096, type=c\nstart=6144, size=2048, type=83\nstart=8192, type=5\nstart=10240, size=2048, type=6\n';
const imageFile = path.join(temp.dir, 'four.img');
makePartitionedImage(imageFile, 8 << 20, SCRIPT);
const imageBytes = fs.readFileSync(imageFile);

function ramDisk(
  options: Omit<RamDiskOptions, 'media' | 'sizeBytes'> = {},
  media = new Uint8Array(imageBytes),
) {
  const system = createSystem();
  const process = system.createProcess('partmgr.exe');
  const created = IoCreateRamDisk(system, { media, ...options });
  assert.equal(created.status, STATUS_SUCCESS);
  return { system, process, disk: created.deviceObject!, media };
}

function partition(system: ReturnType<typeof createSystem>, name: string): DeviceObject {
  const found = system.ob.lookupNoParse(name);
  assert.ok(found !== undefined, `${name} exists`);
  return found as DeviceObject;
}

interface Sent {
  returned: NTSTATUS;
  status: NTSTATUS;
  information: number;
  output: unknown;
}

function send(
  device: DeviceObject,
  majorFunction: number,
  parameters: IoParameters,
  buffer: Uint8Array | null = null,
  stackSize = device.stackSize,
): Sent {
  const irp = IoAllocateIrp(stackSize);
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
  };
}

const io = (byteOffset: number, length: number) => ({ byteOffset, length, key: 0 });
const ioctl = (controlCode: number, outputBufferLength = 256) => ({
  controlCode,
  inputBufferLength: 0,
  outputBufferLength,
});

test('a RAM disk gets \\Device\\HarddiskN with a Partition0 link, a device per partition and a HarddiskVolumeM link to each', () => {
  const { system, disk } = ramDisk();
  const result = mustBeSync(IoCreatePartitionDevices(disk), 'scan');
  assert.equal(result.status, STATUS_SUCCESS);
  assert.equal(result.style, 'mbr');
  assert.deepEqual(
    result.partitions.map((p) => [p.deviceName, p.volumeName]),
    [
      ['\\Device\\Harddisk0\\Partition1', '\\Device\\HarddiskVolume1'],
      ['\\Device\\Harddisk0\\Partition2', '\\Device\\HarddiskVolume2'],
      ['\\Device\\Harddisk0\\Partition3', '\\Device\\HarddiskVolume3'],
    ],
  );
  assert.ok(system.ob.lookupNoParse('\\Device\\Harddisk0') instanceof ObjectDirectory);
  const zero = system.ob.lookupNoParse('\\Device\\Harddisk0\\Partition0');
  assert.ok(zero instanceof SymbolicLink && zero.target === '\\Device\\RamDisk0');
  for (const p of result.partitions) {
    const link = system.ob.lookupNoParse(p.volumeName);
    assert.ok(link instanceof SymbolicLink && link.target === p.deviceName);
    const device = p.deviceObject;
    assert.equal(partition(system, p.deviceName), device);
    assert.equal(device.deviceType, FILE_DEVICE_DISK);
    assert.ok(device.vpb !== null, 'a partition has a VPB, so it mounts');
    assert.equal(device.sectorSize, 512);
    assert.equal(device.stackSize, disk.stackSize + 1);
    assert.equal(device.driverObject.driverName, '\\Driver\\PartMgr');
  }
  assert.equal(disk.referenceCount, 3, 'each partition holds a reference on its disk');
  const oracle = sfdiskPartitions(imageFile).filter((p) => p.type !== '5');
  assert.deepEqual(
    result.partitions.map((p) => [p.startingOffset / 512, p.partitionLength / 512]),
    oracle.map((p) => [p.start, p.size]),
  );
});

test('reads through a partition return the disk bytes at its offset; writes land there and nowhere else', () => {
  const { system, process, disk, media } = ramDisk();
  const { partitions } = mustBeSync(IoCreatePartitionDevices(disk), 'scan');
  for (const p of partitions)
    media.fill(p.partitionNumber * 17, p.startingOffset, p.startingOffset + p.partitionLength);
  const before = new Uint8Array(media);
  const volume = openRaw(system, process, partitions[1]!.volumeName);
  assert.equal(volume.status, STATUS_SUCCESS);
  assert.notEqual(
    partitions[1]!.deviceObject.vpb!.flags & VPB_RAW_MOUNT,
    0,
    'a raw open mounts RAW on the partition',
  );
  const start = partitions[1]!.startingOffset;
  const length = partitions[1]!.partitionLength;
  assert.deepEqual(readAll(volume, 0, length), media.subarray(start, start + length));
  const pattern = new Uint8Array(1024).map((_, i) => (i * 7) & 0xff);
  assert.equal(volume.write(512, pattern).status, STATUS_SUCCESS);
  const changed: number[] = [];
  for (let i = 0; i < media.length; i++) if (media[i] !== before[i]) changed.push(i);
  assert.equal(changed[0], start + 512);
  assert.ok(changed.at(-1)! < start + 512 + 1024);
  assert.deepEqual(media.subarray(start + 512, start + 1536), pattern);
  volume.close();
});

test('a transfer that does not fit inside the partition is STATUS_INVALID_PARAMETER and never reaches the disk', () => {
  const { system, disk, media } = ramDisk();
  const log: Log = [];
  const spy = toyPassThroughFilter('DiskSpy', log);
  const spyDriver = IoLoadDriver(system, spy).driverObject!;
  spy.attach(spyDriver, disk);
  const { partitions } = mustBeSync(IoCreatePartitionDevices(disk), 'scan');
  const second = partitions[1]!;
  const device = second.deviceObject;
  const before = new Uint8Array(media);
  log.length = 0;
  const buffer = new Uint8Array(4096).fill(0xee);
  for (const [offset, length] of [
    [second.partitionLength - 512, 1024], // runs past the end, into partition 3's space on disk
    [second.partitionLength, 512],
    [-512, 512],
    [0, -512],
    [Number.MAX_SAFE_INTEGER, 512],
    [0.5, 512],
  ] as const) {
    const sent = send(device, IRP_MJ_WRITE, io(offset, length), buffer);
    assert.equal(sent.status, STATUS_INVALID_PARAMETER, `write ${offset}+${length}`);
    assert.equal(send(device, IRP_MJ_READ, io(offset, length), buffer).status, STATUS_INVALID_PARAMETER);
  }
  assert.deepEqual(log, [], 'the disk heard nothing');
  assert.deepEqual(media, before);
  // In bounds but unaligned: the disk is asked, and refuses.
  assert.equal(send(device, IRP_MJ_READ, io(100, 512), buffer).status, STATUS_INVALID_PARAMETER);
  assert.deepEqual(log, ['DiskSpy: IRP_MJ_READ']);
});

test('partitions answer length and partition information themselves and pass geometry and other IOCTLs to the disk', () => {
  const { disk } = ramDisk({ readOnly: true });
  const { partitions } = mustBeSync(IoCreatePartitionDevices(disk), 'scan');
  const [first, , logical] = partitions as [(typeof partitions)[0], unknown, (typeof partitions)[0]];
  const device = logical.deviceObject;
  assert.equal(
    device.characteristics & FILE_READ_ONLY_DEVICE,
    FILE_READ_ONLY_DEVICE,
    'read-only is inherited',
  );
  const length = send(device, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_LENGTH_INFO));
  assert.equal(length.status, STATUS_SUCCESS);
  assert.equal((length.output as GetLengthInformation).length, 2048 * 512);
  const info = send(device, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_PARTITION_INFO))
    .output as PartitionInformation;
  assert.deepEqual(info, {
    startingOffset: 10240 * 512,
    partitionLength: 2048 * 512,
    hiddenSectors: 10240 - 8192,
    partitionNumber: 3,
    partitionType: 0x06,
    bootIndicator: false,
    recognizedPartition: true,
    rewritePartition: false,
  });
  const ex = send(first.deviceObject, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_PARTITION_INFO_EX))
    .output as PartitionInformationEx;
  assert.equal(ex.partitionStyle, PARTITION_STYLE_MBR);
  assert.equal(ex.startingOffset, 2048 * 512);
  assert.equal(ex.mbr.partitionType, 0x0c);
  for (const [code, size] of [
    [IOCTL_DISK_GET_LENGTH_INFO, 7],
    [IOCTL_DISK_GET_PARTITION_INFO, 31],
    [IOCTL_DISK_GET_PARTITION_INFO_EX, 143],
  ] as const) {
    assert.equal(send(device, IRP_MJ_DEVICE_CONTROL, ioctl(code, size)).status, STATUS_BUFFER_TOO_SMALL);
  }
  const geometry = send(device, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_DRIVE_GEOMETRY))
    .output as DiskGeometry;
  assert.equal(geometry.bytesPerSector, 512);
  assert.equal(
    send(device, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_IS_WRITABLE)).status,
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(send(device, IRP_MJ_DEVICE_CONTROL, ioctl(0x12345)).status, STATUS_INVALID_DEVICE_REQUEST);
  assert.equal(
    send(device, IRP_MJ_WRITE, io(0, 512), new Uint8Array(512)).status,
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(send(device, IRP_MJ_FLUSH_BUFFERS, {}).status, STATUS_SUCCESS);
});

test('on a disk that pends, the scan returns a promise and partition I/O pends and completes', async () => {
  const { disk, media } = ramDisk({ completeAsynchronously: true });
  const scan = IoCreatePartitionDevices(disk);
  assert.ok(isPromise(scan));
  const result: CreatePartitionDevicesResult = await scan;
  assert.equal(result.partitions.length, 3);
  const device = result.partitions[0]!.deviceObject;
  const buffer = new Uint8Array(512);
  const irp = IoAllocateIrp(device.stackSize);
  const location = IoGetNextIrpStackLocation(irp);
  location.majorFunction = IRP_MJ_READ;
  location.parameters = io(512, 512);
  irp.userBuffer = buffer;
  const done = new Promise<void>((resolve) => {
    irp.onCompleted = () => resolve();
  });
  assert.equal(IoCallDriver(device, irp), STATUS_PENDING);
  await done;
  assert.equal(irp.ioStatus.status, STATUS_SUCCESS);
  assert.deepEqual(buffer, media.subarray(2048 * 512 + 512, 2048 * 512 + 1024));
});

test('a second scan is refused; deleting removes every name, returns the disk references and allows a new scan', () => {
  const { system, disk } = ramDisk();
  mustBeSync(IoCreatePartitionDevices(disk), 'scan');
  const again = mustBeSync(IoCreatePartitionDevices(disk), 'scan again');
  assert.equal(again.status, STATUS_OBJECT_NAME_COLLISION);
  assert.equal(IoDeletePartitionDevices(disk), STATUS_SUCCESS);
  for (const name of [
    '\\Device\\Harddisk0',
    '\\Device\\Harddisk0\\Partition1',
    '\\Device\\HarddiskVolume1',
    '\\Device\\HarddiskVolume3',
  ]) {
    assert.equal(system.ob.lookupNoParse(name), undefined, `${name} is gone`);
  }
  assert.equal(disk.referenceCount, 0);
  assert.equal(IoDeletePartitionDevices(disk), STATUS_NOT_FOUND);
  const rescan = mustBeSync(IoCreatePartitionDevices(disk), 'rescan');
  assert.deepEqual(
    rescan.partitions.map((p) => p.volumeName),
    ['\\Device\\HarddiskVolume4', '\\Device\\HarddiskVolume5', '\\Device\\HarddiskVolume6'],
  );
  assert.equal(rescan.partitions[0]!.deviceName, '\\Device\\Harddisk1\\Partition1');
});

test('a partition still open keeps its disk reference until its last handle closes', () => {
  const { system, process, disk } = ramDisk();
  const { partitions } = mustBeSync(IoCreatePartitionDevices(disk), 'scan');
  const volume = openRaw(system, process, partitions[0]!.volumeName);
  assert.equal(volume.status, STATUS_SUCCESS);
  IoDeletePartitionDevices(disk);
  assert.equal(disk.referenceCount, 1);
  assert.equal(volume.read(0, 512).status, STATUS_SUCCESS, 'the open partition still works');
  volume.close();
  assert.equal(disk.referenceCount, 0);
  assert.ok(partitions[0]!.deviceObject.deleteCompleted);
});

test('names already taken are skipped: directories, volume links and partition numbers stay unique', () => {
  const { system, disk } = ramDisk();
  system.ob.createDirectory('\\Device\\Harddisk0');
  system.ob.createSymbolicLink('\\Device\\HarddiskVolume1', '\\Device\\Nowhere');
  const { partitions } = mustBeSync(IoCreatePartitionDevices(disk), 'scan');
  assert.equal(partitions[0]!.deviceName, '\\Device\\Harddisk1\\Partition1');
  assert.equal(partitions[0]!.volumeName, '\\Device\\HarddiskVolume2');
});

test('a superfloppy RAM disk made by mkfs.fat is one partition over the whole disk, its boot sector readable raw', () => {
  const file = path.join(temp.dir, 'floppy.img');
  makeFatImage(file, 1440, { fatBits: 12, label: 'FLOPPY' });
  const { system, process, disk } = ramDisk({}, new Uint8Array(fs.readFileSync(file)));
  const result = mustBeSync(IoCreatePartitionDevices(disk), 'scan');
  assert.equal(result.style, 'superfloppy');
  assert.equal(result.partitions[0]!.partitionLength, 1440 * 1024);
  const volume = openRaw(system, process, '\\Device\\Harddisk0\\Partition1');
  assert.deepEqual(volume.read(0, 512).data, fileBytes(file, 0, 512));
  volume.close();
});

test('only disks are partitioned; a table that cannot be read fails the scan with the read status', () => {
  const { disk: cdrom } = ramDisk(
    { deviceType: FILE_DEVICE_CD_ROM, sectorSize: 2048 },
    new Uint8Array(8 * 2048),
  );
  assert.equal(mustBeSync(IoCreatePartitionDevices(cdrom), 'cd').status, STATUS_INVALID_DEVICE_REQUEST);
  const { disk: tiny } = ramDisk({ sectorSize: 128 }, new Uint8Array(256));
  const failed = mustBeSync(IoCreatePartitionDevices(tiny), 'tiny');
  assert.equal(failed.status, STATUS_INVALID_PARAMETER);
  assert.match(failed.reason, /reading the partition table failed with STATUS_INVALID_PARAMETER/);
  const retried = mustBeSync(IoCreatePartitionDevices(tiny), 'retry');
  assert.equal(
    retried.status,
    STATUS_INVALID_PARAMETER,
    'a failed scan leaves no marker: the retry reads again',
  );
});

test('an IRP built for a shorter stack than the disk now has is carried to the disk in a private IRP', () => {
  const { system, disk, media } = ramDisk();
  const { partitions } = mustBeSync(IoCreatePartitionDevices(disk), 'scan');
  const device = partitions[0]!.deviceObject;
  const log: Log = [];
  const spy = toyPassThroughFilter('LateSpy', log);
  spy.attach(IoLoadDriver(system, spy).driverObject!, disk);
  assert.equal(device.stackSize, 2, 'computed before the filter attached');
  const buffer = new Uint8Array(512);
  const read = send(device, IRP_MJ_READ, io(0, 512), buffer);
  assert.equal(read.status, STATUS_SUCCESS);
  assert.deepEqual(buffer, media.subarray(2048 * 512, 2049 * 512));
  const ioctlResult = send(device, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_DRIVE_GEOMETRY));
  assert.equal((ioctlResult.output as DiskGeometry).bytesPerSector, 512);
  assert.deepEqual(log, ['LateSpy: IRP_MJ_READ', 'LateSpy: IRP_MJ_DEVICE_CONTROL']);
});

test('a direct open of a partition reaches PartMgr without mounting; a name below an unformatted partition is unrecognized', () => {
  const { system, process, disk } = ramDisk();
  const { partitions } = mustBeSync(IoCreatePartitionDevices(disk), 'scan');
  const direct = openRaw(system, process, partitions[0]!.volumeName, FILE_READ_ATTRIBUTES | SYNCHRONIZE);
  assert.equal(direct.status, STATUS_SUCCESS);
  assert.equal(partitions[0]!.deviceObject.vpb!.flags & VPB_MOUNTED, 0, 'a direct open does not mount');
  direct.close();
  assert.equal(
    openRaw(system, process, `${partitions[0]!.volumeName}\\file`).status,
    STATUS_UNRECOGNIZED_VOLUME,
  );
});
