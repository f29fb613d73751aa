import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { createSystem, NtShutdownSystem } from '../../../src/api/index.ts';
import {
  type CdromToc,
  type DiskGeometry,
  DO_DEVICE_INITIALIZING,
  DO_SHUTDOWN_REGISTERED,
  FILE_DEVICE_CD_ROM,
  FILE_DEVICE_DISK,
  FILE_READ_ONLY_DEVICE,
  FILE_REMOVABLE_MEDIA,
  FixedMedia,
  type GetLengthInformation,
  IOCTL_CDROM_CHECK_VERIFY,
  IOCTL_CDROM_GET_DRIVE_GEOMETRY,
  IOCTL_CDROM_READ_TOC,
  IOCTL_DISK_CHECK_VERIFY,
  IOCTL_DISK_GET_DRIVE_GEOMETRY,
  IOCTL_DISK_GET_LENGTH_INFO,
  IOCTL_DISK_GET_PARTITION_INFO,
  IOCTL_DISK_GET_PARTITION_INFO_EX,
  IOCTL_DISK_IS_WRITABLE,
  IOCTL_STORAGE_CHECK_VERIFY,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_FLUSH_BUFFERS,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
  mustBeSync,
  type NTSTATUS,
  type PartitionInformation,
  RemovableMedia,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_DELETE_PENDING,
  STATUS_DEVICE_DATA_ERROR,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_IO_DEVICE_ERROR,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NO_MEDIA_IN_DEVICE,
  STATUS_NO_SUCH_DEVICE,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import { IoDeletePartitionDevices } from '../../../src/drivers/storage/partmgr/index.ts';
import { IoCreateRamDisk } from '../../../src/drivers/storage/ramdisk/index.ts';
import {
  type ImageDiskExtension,
  type ImageDiskOptions,
  IoCreateImageDisk,
  IoRemoveImageDisk,
} from '../../../src/host/image-disk/index.ts';
import {
  type DeviceObject,
  IoAllocateIrp,
  IoCallDriver,
  IoDeleteDevice,
  IoGetNextIrpStackLocation,
  type IoParameters,
  IoUnloadDriver,
  type System,
} from '../../../src/io/index.ts';
import { ObjectDirectory } from '../../../src/ob/index.ts';
import {
  fileBytes,
  makeFatImage,
  makeIsoImage,
  makeTempDir,
  openRaw,
  readAll,
} from '../../support/disk-images.ts';

const temp = makeTempDir('strata-image-disk-');
after(() => temp.cleanup());

let counter = 0;
/** A fresh copy of a FAT12 floppy made by mkfs.fat. */
const floppyTemplate = path.join(temp.dir, 'floppy-template.img');
makeFatImage(floppyTemplate, 1440, { fatBits: 12, label: 'FLOPPY' });
function floppy(): string {
  const file = path.join(temp.dir, `floppy-${counter++}.img`);
  fs.copyFileSync(floppyTemplate, file);
  return file;
}

function attach(options: ImageDiskOptions, system: System = createSystem()) {
  const process = system.createProcess('image.exe');
  const created = IoCreateImageDisk(system, options);
  assert.equal(created.status, STATUS_SUCCESS, `attach ${options.path}`);
  const disk = created.deviceObject!;
  return { system, process, created, disk, extension: disk.deviceExtension as ImageDiskExtension };
}

interface Sent {
  status: NTSTATUS;
  information: number;
  output: unknown;
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
  IoCallDriver(device, irp);
  assert.ok(irp.completed, 'image disk requests complete before IoCallDriver returns');
  return { status: irp.ioStatus.status, information: irp.ioStatus.information, output: irp.systemBuffer };
}
const io = (byteOffset: number, length: number) => ({ byteOffset, length, key: 0 });
const ioctl = (controlCode: number, outputBufferLength = 1024) => ({
  controlCode,
  inputBufferLength: 0,
  outputBufferLength,
});

/** Counts fs.fsyncSync calls (still performing them) while `body` runs. */
function countingFsyncs<T>(body: (count: () => number) => T): T {
  const original = fs.fsyncSync;
  let calls = 0;
  fs.fsyncSync = (fd: number) => {
    calls++;
    original(fd);
  };
  try {
    return body(() => calls);
  } finally {
    fs.fsyncSync = original;
  }
}

function isDescriptorOpen(fd: number): boolean {
  try {
    fs.fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

test('a mkfs.fat superfloppy attaches as \\Device\\Harddisk0\\Partition0 with one partition and a volume link', () => {
  const { system, created, disk } = attach({ path: floppy() });
  assert.equal(disk.deviceName, '\\Device\\Harddisk0\\Partition0');
  assert.ok(system.ob.lookupNoParse('\\Device\\Harddisk0') instanceof ObjectDirectory);
  assert.equal(disk.driverObject.driverName, '\\Driver\\ImageDisk');
  assert.equal(disk.deviceType, FILE_DEVICE_DISK);
  assert.equal(disk.sectorSize, 512);
  assert.equal(disk.characteristics, 0);
  assert.ok(disk.vpb !== null);
  assert.equal(disk.flags & DO_DEVICE_INITIALIZING, 0);
  assert.notEqual(disk.flags & DO_SHUTDOWN_REGISTERED, 0);
  const partitions = created.partitions!;
  assert.equal(partitions.style, 'superfloppy');
  assert.deepEqual(
    partitions.partitions.map((p) => [p.deviceName, p.volumeName, p.startingOffset, p.partitionLength]),
    [['\\Device\\Harddisk0\\Partition1', '\\Device\\HarddiskVolume1', 0, 1440 * 1024]],
  );
  assert.equal(IoCreateImageDisk(system, { path: floppy(), partitions: false }).partitions, null);
});

test('the whole disk and its partition read back exactly what the file holds', () => {
  const file = floppy();
  const { system, process } = attach({ path: file });
  const expected = new Uint8Array(fs.readFileSync(file));
  for (const name of ['\\Device\\HarddiskVolume1', '\\Device\\Harddisk0\\Partition0']) {
    const volume = openRaw(system, process, name, 0x80000000);
    assert.equal(volume.status, STATUS_SUCCESS, name);
    assert.deepEqual(readAll(volume, 0, expected.length, 64 * 1024), expected, name);
    volume.close();
  }
});

test('geometry, length, writability and partition information describe the file', () => {
  const file = path.join(temp.dir, 'odd.img');
  fs.writeFileSync(file, new Uint8Array(100 * 512 + 300)); // a partial last sector
  const { disk } = attach({ path: file, partitions: false });
  const geometry = send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_DRIVE_GEOMETRY))
    .output as DiskGeometry;
  assert.deepEqual(geometry, {
    cylinders: 0,
    mediaType: FixedMedia,
    tracksPerCylinder: 255,
    sectorsPerTrack: 63,
    bytesPerSector: 512,
  });
  const length = send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_LENGTH_INFO))
    .output as GetLengthInformation;
  assert.equal(length.length, 100 * 512, 'the partial last sector is not addressable');
  assert.equal(send(disk, IRP_MJ_READ, io(99 * 512, 512), new Uint8Array(512)).status, STATUS_SUCCESS);
  assert.equal(
    send(disk, IRP_MJ_READ, io(100 * 512, 512), new Uint8Array(512)).status,
    STATUS_INVALID_PARAMETER,
  );
  assert.equal(send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_IS_WRITABLE)).status, STATUS_SUCCESS);
  const info = send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_PARTITION_INFO))
    .output as PartitionInformation;
  assert.equal(info.partitionNumber, 0);
  assert.equal(info.partitionLength, 100 * 512);
  assert.equal(
    send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_PARTITION_INFO_EX)).status,
    STATUS_SUCCESS,
  );
  for (const code of [IOCTL_DISK_CHECK_VERIFY, IOCTL_STORAGE_CHECK_VERIFY])
    assert.equal(send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(code)).status, STATUS_SUCCESS);
  for (const code of [IOCTL_CDROM_READ_TOC, IOCTL_CDROM_GET_DRIVE_GEOMETRY, IOCTL_CDROM_CHECK_VERIFY, 0x7777])
    assert.equal(send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(code)).status, STATUS_INVALID_DEVICE_REQUEST);
  assert.equal(
    send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_DRIVE_GEOMETRY, 23)).status,
    STATUS_BUFFER_TOO_SMALL,
  );
  assert.equal(
    send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_LENGTH_INFO, 7)).status,
    STATUS_BUFFER_TOO_SMALL,
  );
  const big = path.join(temp.dir, 'cylinders.img');
  fs.writeFileSync(big, '');
  fs.truncateSync(big, 255 * 63 * 512 * 3 + 4096);
  const cylinders = attach({ path: big, partitions: false }).disk;
  assert.equal(
    (send(cylinders, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_DRIVE_GEOMETRY)).output as DiskGeometry)
      .cylinders,
    3,
  );
});

test('writes change the file exactly where they land; unaligned or outside transfers change nothing', () => {
  const file = floppy();
  const { disk } = attach({ path: file, partitions: false });
  const before = new Uint8Array(fs.readFileSync(file));
  const data = new Uint8Array(1024).map((_, i) => (i * 13 + 5) & 0xff);
  for (const [offset, length, buffer] of [
    [100, 512, data],
    [512, 100, data],
    [1440 * 1024 - 512, 1024, data],
    [1440 * 1024, 512, data],
    [-512, 512, data],
    [0, 1024, new Uint8Array(512)],
    [0, 512, null],
    [Number.MAX_SAFE_INTEGER - 511, 512, data],
  ] as const) {
    assert.equal(
      send(disk, IRP_MJ_WRITE, io(offset, length), buffer).status,
      STATUS_INVALID_PARAMETER,
      `${offset}+${length}`,
    );
  }
  assert.deepEqual(new Uint8Array(fs.readFileSync(file)), before);
  const written = send(disk, IRP_MJ_WRITE, io(4096, 1024), data);
  assert.equal(written.status, STATUS_SUCCESS);
  assert.equal(written.information, 1024);
  const after = new Uint8Array(fs.readFileSync(file));
  const changed = after.findIndex((byte, i) => byte !== before[i]);
  const lastChanged = after.findLastIndex((byte, i) => byte !== before[i]);
  assert.ok(changed >= 4096 && lastChanged < 4096 + 1024);
  assert.deepEqual(after.subarray(4096, 5120), data);
  assert.equal(
    send(disk, IRP_MJ_WRITE, io(0, 0), null).status,
    STATUS_SUCCESS,
    'a zero-length transfer succeeds',
  );
});

test('a read-only disk refuses writes, says so, and leaves the file untouched; so does a file that cannot be opened for writing', () => {
  const file = floppy();
  const before = fs.readFileSync(file);
  const { system, process, disk } = attach({ path: file, readOnly: true });
  assert.equal(disk.characteristics & FILE_READ_ONLY_DEVICE, FILE_READ_ONLY_DEVICE);
  assert.equal(
    send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_IS_WRITABLE)).status,
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(
    send(disk, IRP_MJ_WRITE, io(0, 512), new Uint8Array(512)).status,
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  const volume = openRaw(system, process, '\\Device\\HarddiskVolume1');
  assert.equal(volume.write(0, new Uint8Array(512)).status, STATUS_MEDIA_WRITE_PROTECTED);
  volume.close();
  assert.deepEqual(fs.readFileSync(file), before);

  // The running node executable cannot be opened for writing (ETXTBSY), even by root.
  const executable = attach({ path: runningExecutable(), partitions: false });
  assert.equal(executable.extension.readOnly, true);
  assert.equal(
    send(executable.disk, IRP_MJ_WRITE, io(0, 512), new Uint8Array(512)).status,
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(send(executable.disk, IRP_MJ_READ, io(0, 512), new Uint8Array(512)).status, STATUS_SUCCESS);
  if (hostUid() !== 0) {
    const locked = floppy();
    fs.chmodSync(locked, 0o444);
    assert.equal(
      attach({ path: locked }).extension.readOnly,
      true,
      'a file without write permission is read-only',
    );
  }
});

/** The node binary running this test: open for execution, so even root cannot open it for writing. */
function runningExecutable(): string {
  return globalThis.process.execPath;
}

function hostUid(): number {
  return globalThis.process.getuid?.() ?? 0;
}

test('IRP_MJ_FLUSH_BUFFERS reaches fsync once something was written, through a partition too', () => {
  const { disk, created } = attach({ path: floppy() });
  const partition = created.partitions!.partitions[0]!.deviceObject;
  countingFsyncs((fsyncs) => {
    assert.equal(send(partition, IRP_MJ_FLUSH_BUFFERS, {}).status, STATUS_SUCCESS);
    assert.equal(fsyncs(), 0, 'nothing written, nothing to flush');
    assert.equal(
      send(partition, IRP_MJ_WRITE, io(512, 512), new Uint8Array(512).fill(1)).status,
      STATUS_SUCCESS,
    );
    assert.equal(send(partition, IRP_MJ_FLUSH_BUFFERS, {}).status, STATUS_SUCCESS);
    assert.equal(fsyncs(), 1);
    assert.equal(send(disk, IRP_MJ_FLUSH_BUFFERS, {}).status, STATUS_SUCCESS);
    assert.equal(fsyncs(), 1, 'flushed already');
  });
});

test('shutdown fsyncs every image disk, and writes after it are written through', () => {
  const system = createSystem();
  const first = attach({ path: floppy() }, system);
  const second = attach({ path: floppy() }, system);
  send(first.disk, IRP_MJ_WRITE, io(0, 512), new Uint8Array(512).fill(2));
  send(second.disk, IRP_MJ_WRITE, io(0, 512), new Uint8Array(512).fill(3));
  countingFsyncs((fsyncs) => {
    const result = mustBeSync(NtShutdownSystem(system), 'shutdown');
    const records = result.records.filter((r) => r.device === first.disk || r.device === second.disk);
    assert.deepEqual(
      records.map((r) => r.status),
      [STATUS_SUCCESS, STATUS_SUCCESS],
    );
    assert.equal(fsyncs(), 2);
    send(first.disk, IRP_MJ_WRITE, io(512, 512), new Uint8Array(512).fill(4));
    assert.equal(fsyncs(), 3, 'a write after shutdown is followed by fsync');
  });
});

test('an ISO image is a read-only CD-ROM \\Device\\CdRom0 with 2048-byte sectors, a table of contents and no partitions', () => {
  const iso = path.join(temp.dir, 'disc.iso');
  makeIsoImage(iso, { 'readme.txt': 'hello from the disc' }, 'STRATADISC');
  const { system, process, created, disk } = attach({ path: iso });
  assert.equal(disk.deviceName, '\\Device\\CdRom0');
  assert.equal(disk.deviceType, FILE_DEVICE_CD_ROM);
  assert.equal(disk.sectorSize, 2048);
  assert.equal(disk.characteristics, FILE_READ_ONLY_DEVICE | FILE_REMOVABLE_MEDIA);
  assert.equal(created.partitions, null);
  const size = fs.statSync(iso).size;
  const geometry = send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_CDROM_GET_DRIVE_GEOMETRY))
    .output as DiskGeometry;
  assert.equal(geometry.bytesPerSector, 2048);
  assert.equal(geometry.mediaType, RemovableMedia);
  const toc = send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_CDROM_READ_TOC, 804));
  assert.equal(toc.status, STATUS_SUCCESS);
  assert.equal(toc.information, 4 + 2 * 8);
  const tocRecord = toc.output as CdromToc;
  assert.equal(tocRecord.firstTrack, 1);
  assert.equal(tocRecord.trackData.at(-1)!.trackNumber, 0xaa);
  const leadOut = tocRecord.trackData.at(-1)!.address;
  assert.equal(
    (leadOut[1] * 60 + leadOut[2]) * 75 + leadOut[3] - 150,
    size / 2048,
    'the lead-out is at the end of the image',
  );
  assert.equal(
    send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_CDROM_READ_TOC, 803)).status,
    STATUS_BUFFER_TOO_SMALL,
  );
  assert.equal(
    send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_IS_WRITABLE)).status,
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_CDROM_CHECK_VERIFY)).status, STATUS_SUCCESS);
  const volume = openRaw(system, process, '\\Device\\CdRom0', 0x80000000);
  const descriptor = volume.read(16 * 2048, 2048);
  assert.equal(descriptor.status, STATUS_SUCCESS);
  assert.deepEqual(descriptor.data, fileBytes(iso, 16 * 2048, 2048));
  assert.equal(new TextDecoder().decode(descriptor.data.subarray(1, 6)), 'CD001');
  volume.close();
  assert.equal(
    send(disk, IRP_MJ_WRITE, io(0, 2048), new Uint8Array(2048)).status,
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  // An explicit media type wins over the extension, and a disk may use 2048-byte sectors too.
  const asDisk = attach({ path: iso, mediaType: 'disk', sectorSize: 2048, readOnly: true }, system);
  assert.equal(asDisk.disk.deviceType, FILE_DEVICE_DISK);
  assert.equal(asDisk.created.partitions!.style, 'superfloppy');
});

test('disk and CD-ROM numbers count per system and skip names already taken', () => {
  const system = createSystem();
  system.ob.createDirectory('\\Device\\Harddisk0');
  IoCreateRamDisk(system, { sizeBytes: 4096 });
  system.ob.createSymbolicLink('\\Device\\CdRom0', '\\Device\\Elsewhere');
  const first = attach({ path: floppy() }, system).disk;
  const second = attach({ path: floppy() }, system).disk;
  assert.equal(first.deviceName, '\\Device\\Harddisk1\\Partition0');
  assert.equal(second.deviceName, '\\Device\\Harddisk2\\Partition0');
  const iso = path.join(temp.dir, 'numbered.iso');
  makeIsoImage(iso, { 'a.txt': 'a' });
  assert.equal(attach({ path: iso }, system).disk.deviceName, '\\Device\\CdRom1');
  assert.equal(
    attach({ path: floppy() }).disk.deviceName,
    '\\Device\\Harddisk0\\Partition0',
    'another system counts alone',
  );
});

test('a file already attached for writing cannot be attached again; two read-only attachments may share it', () => {
  const system = createSystem();
  const file = floppy();
  attach({ path: file }, system);
  assert.equal(IoCreateImageDisk(system, { path: file }).status, STATUS_SHARING_VIOLATION);
  assert.equal(IoCreateImageDisk(system, { path: file, readOnly: true }).status, STATUS_SHARING_VIOLATION);
  const shared = floppy();
  attach({ path: shared, readOnly: true }, system);
  assert.equal(IoCreateImageDisk(system, { path: shared, readOnly: true }).status, STATUS_SUCCESS);
  assert.equal(IoCreateImageDisk(system, { path: shared }).status, STATUS_SHARING_VIOLATION);
});

test('IoRemoveImageDisk removes the names at once and closes the descriptor when the last open goes', () => {
  const { system, process, disk, extension } = attach({ path: floppy() });
  const volume = openRaw(system, process, '\\Device\\HarddiskVolume1');
  assert.equal(volume.status, STATUS_SUCCESS);
  const fd = extension.fd!;
  assert.equal(IoRemoveImageDisk(disk), STATUS_SUCCESS);
  for (const name of [
    '\\Device\\Harddisk0',
    '\\Device\\Harddisk0\\Partition0',
    '\\Device\\HarddiskVolume1',
  ]) {
    assert.equal(system.ob.lookupNoParse(name), undefined, `${name} is gone`);
  }
  assert.equal(IoRemoveImageDisk(disk), STATUS_DELETE_PENDING);
  assert.ok(isDescriptorOpen(fd), 'the partition is still open, so the disk stays');
  assert.equal(volume.read(0, 512).status, STATUS_SUCCESS);
  volume.close();
  assert.equal(extension.fd, null);
  assert.equal(isDescriptorOpen(fd), false, 'closed with the last reference');
  assert.ok(disk.deleteCompleted);
  assert.equal(send(disk, IRP_MJ_READ, io(0, 512), new Uint8Array(512)).status, STATUS_NO_SUCH_DEVICE);
  assert.equal(
    send(disk, IRP_MJ_DEVICE_CONTROL, ioctl(IOCTL_DISK_GET_LENGTH_INFO)).status,
    STATUS_NO_SUCH_DEVICE,
  );
  // A disk nobody uses closes at once.
  const idle = attach({ path: floppy() }, system);
  const idleFd = idle.extension.fd!;
  IoRemoveImageDisk(idle.disk);
  assert.equal(isDescriptorOpen(idleFd), false);
  assert.equal(IoRemoveImageDisk(volume as unknown as DeviceObject), STATUS_INVALID_DEVICE_REQUEST);
});

test('IoDeleteDevice on an unpartitioned disk closes its descriptor too; on a partitioned one it waits for the partitions', () => {
  const system = createSystem();
  const plain = attach({ path: floppy(), partitions: false }, system);
  const plainFd = plain.extension.fd!;
  IoDeleteDevice(plain.disk);
  assert.equal(isDescriptorOpen(plainFd), false);
  const partitioned = attach({ path: floppy() }, system);
  IoDeleteDevice(partitioned.disk);
  assert.ok(partitioned.extension.fd !== null, 'the partition device still references the disk');
  IoDeletePartitionDevices(partitioned.disk);
  assert.equal(partitioned.extension.fd, null);
});

test('unloading the driver removes every disk and closes every descriptor', () => {
  const system = createSystem();
  const disks = [attach({ path: floppy() }, system), attach({ path: floppy(), partitions: false }, system)];
  const fds = disks.map((d) => d.extension.fd!);
  assert.equal(IoUnloadDriver(system, 'ImageDisk'), STATUS_SUCCESS);
  assert.deepEqual(fds.map(isDescriptorOpen), [false, false]);
  assert.equal(system.ob.lookupNoParse('\\Device\\HarddiskVolume1'), undefined);
  assert.equal(system.ob.lookupNoParse('\\Driver\\ImageDisk'), undefined);
  assert.equal(
    attach({ path: floppy() }, system).disk.deviceName,
    '\\Device\\Harddisk0\\Partition0',
    'loads again',
  );
});

test('bad input gets a clear status and leaves no device or descriptor behind', () => {
  const system = createSystem();
  const empty = path.join(temp.dir, 'empty.img');
  fs.writeFileSync(empty, '');
  const short = path.join(temp.dir, 'short.img');
  fs.writeFileSync(short, new Uint8Array(511));
  const fifo = path.join(temp.dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const file = floppy();
  const cases: Array<[unknown, NTSTATUS]> = [
    [{ path: path.join(temp.dir, 'missing.img') }, STATUS_OBJECT_NAME_NOT_FOUND],
    [{ path: path.join(temp.dir, 'missing-dir', 'x.img') }, STATUS_OBJECT_NAME_NOT_FOUND],
    [{ path: `${file}/below` }, STATUS_OBJECT_PATH_NOT_FOUND],
    [{ path: temp.dir }, STATUS_FILE_IS_A_DIRECTORY],
    [{ path: empty }, STATUS_NO_MEDIA_IN_DEVICE],
    [{ path: short }, STATUS_NO_MEDIA_IN_DEVICE],
    [{ path: file, sectorSize: 4096 * 1024 }, STATUS_INVALID_PARAMETER],
    [{ path: fifo }, STATUS_INVALID_DEVICE_REQUEST],
    [{ path: '' }, STATUS_OBJECT_NAME_INVALID],
    [{ path: 42 }, STATUS_OBJECT_NAME_INVALID],
    [{ path: `${file}\0x` }, STATUS_OBJECT_NAME_INVALID],
    [{ path: file, mediaType: 'tape' }, STATUS_INVALID_PARAMETER],
    ...[0, 100, 256, 1000, 3000, 131072, Number.NaN, '512'].map((sectorSize): [unknown, NTSTATUS] => [
      { path: file, sectorSize },
      STATUS_INVALID_PARAMETER,
    ]),
  ];
  for (const [options, status] of cases) {
    const result = IoCreateImageDisk(system, options as ImageDiskOptions);
    assert.equal(result.status, status, JSON.stringify(options));
    assert.equal(result.deviceObject, null);
  }
  const driver = system.io.drivers.get('IMAGEDISK')!;
  assert.equal(driver.deviceObjects.length, 0);
  assert.equal((driver.driverExtension as { openDescriptors: number }).openDescriptors, 0);
  assert.equal(system.ob.lookupNoParse('\\Device\\Harddisk0'), undefined);
});

test('a host I/O error becomes a status, never an exception', () => {
  const { disk, extension } = attach({ path: floppy(), partitions: false });
  const real = extension.fd!;
  extension.fd = 0x3fff_ffff; // a descriptor that is not open: every call fails with EBADF
  try {
    assert.equal(send(disk, IRP_MJ_READ, io(0, 512), new Uint8Array(512)).status, STATUS_IO_DEVICE_ERROR);
    assert.equal(send(disk, IRP_MJ_WRITE, io(0, 512), new Uint8Array(512)).status, STATUS_IO_DEVICE_ERROR);
    extension.dirty = true;
    assert.equal(send(disk, IRP_MJ_FLUSH_BUFFERS, {}).status, STATUS_IO_DEVICE_ERROR);
    assert.equal(extension.dirty, true, 'a failed flush stays owed');
  } finally {
    extension.fd = real;
  }
  assert.equal(send(disk, IRP_MJ_FLUSH_BUFFERS, {}).status, STATUS_SUCCESS);
  // A file that shrank behind the disk's back: its last sectors are gone.
  fs.ftruncateSync(real, 1024);
  assert.equal(send(disk, IRP_MJ_READ, io(4096, 512), new Uint8Array(512)).status, STATUS_DEVICE_DATA_ERROR);
});
