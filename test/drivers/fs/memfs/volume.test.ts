import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NtDeviceIoControlFile } from '../../../../src/api/index.ts';
import {
  DO_DEVICE_INITIALIZING,
  FILE_CASE_PRESERVED_NAMES,
  FILE_CREATE,
  FILE_DEVICE_DISK,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_GENERIC_READ,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_UNICODE_ON_DISK,
  type FileFsAttributeInfo,
  FileFsAttributeInformation,
  FileFsControlInformation,
  type FileFsDeviceInfo,
  FileFsDeviceInformation,
  type FileFsFullSizeInfo,
  FileFsFullSizeInformation,
  FileFsLabelInformation,
  type FileFsSizeInfo,
  FileFsSizeInformation,
  type FileFsVolumeInfo,
  FileFsVolumeInformation,
  FileStandardInformation,
  FSCTL_DISMOUNT_VOLUME,
  FSCTL_IS_VOLUME_MOUNTED,
  FSCTL_LOCK_VOLUME,
  FSCTL_MARK_VOLUME_DIRTY,
  FSCTL_UNLOCK_VOLUME,
  IOCTL_DISK_GET_LENGTH_INFO,
  IRP_MJ_SHUTDOWN,
  mustBeSync,
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_VOLUME_LABEL,
  STATUS_NOT_LOCKED,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
  VPB_LOCKED,
  VPB_MOUNTED,
} from '../../../../src/base/index.ts';
import { MEMFS_CONTROL_DEVICE_NAME } from '../../../../src/drivers/fs/memfs/index.ts';
import {
  type DeviceObject,
  IoAllocateIrp,
  IoCallDriver,
  IoGetAttachedDevice,
  IoGetNextIrpStackLocation,
  IoLoadDriver,
  IoUnloadDriver,
} from '../../../../src/io/index.ts';
import { type Log, toyPassThroughFilter } from '../../../support/toy-drivers.ts';
import { memfsVolume } from './setup.ts';

test("the volume device is unnamed, sits on the disk's VPB and is sized for the storage stack", () => {
  const v = memfsVolume();
  v.writeFile('f', 'x');
  const volume = v.volumeDevice()!;
  assert.equal(volume.deviceName, null);
  assert.equal(volume.deviceType, FILE_DEVICE_DISK_FILE_SYSTEM);
  assert.equal(volume.flags & DO_DEVICE_INITIALIZING, 0);
  assert.equal(volume.stackSize, v.device.stackSize + 1);
  assert.equal(volume.sectorSize, 512);
  assert.equal(volume.driverObject.driverName, '\\FileSystem\\MemFs');
  const vpb = v.device.vpb!;
  assert.equal(vpb.flags & VPB_MOUNTED, VPB_MOUNTED);
  assert.equal(vpb.serialNumber, 0x1234abcd);
  assert.equal(vpb.volumeLabel, 'TEST');
  assert.ok(v.system.ob.lookupNoParse(MEMFS_CONTROL_DEVICE_NAME) !== undefined);
});

test('volume information reports the label, serial, sizes, device and file system', () => {
  const v = memfsVolume({ sizeBytes: 256 * 1024, label: 'DATA', serialNumber: 77 });
  const h = v.handle('f', { disposition: FILE_CREATE });
  const volumeInfo = v.queryVolume<FileFsVolumeInfo>(h, FileFsVolumeInformation).info!;
  assert.deepEqual(volumeInfo, {
    volumeCreationTime: 500,
    volumeSerialNumber: 77,
    volumeLabel: 'DATA',
    supportsObjects: false,
  });
  const before = v.queryVolume<FileFsSizeInfo>(h, FileFsSizeInformation).info!;
  assert.equal(before.totalAllocationUnits, 512);
  assert.equal(before.bytesPerSector, 512);
  assert.equal(before.sectorsPerAllocationUnit, 1);
  v.write(h, new Uint8Array(10 * 512));
  const after = v.queryVolume<FileFsFullSizeInfo>(h, FileFsFullSizeInformation).info!;
  assert.equal(after.actualAvailableAllocationUnits, before.availableAllocationUnits - 10);
  assert.deepEqual(v.queryVolume<FileFsDeviceInfo>(h, FileFsDeviceInformation).info, {
    deviceType: FILE_DEVICE_DISK,
    characteristics: 0,
  });
  assert.deepEqual(v.queryVolume<FileFsAttributeInfo>(h, FileFsAttributeInformation).info, {
    fileSystemAttributes: FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK,
    maximumComponentNameLength: 255,
    fileSystemName: 'MemFS',
  });
  assert.equal(v.queryVolume(h, FileFsControlInformation).status, STATUS_INVALID_INFO_CLASS);
  v.close(h);
});

test('the label can be changed, is checked, shows in the VPB and survives a remount', () => {
  const v = memfsVolume();
  const volume = v.openVolume();
  assert.equal(
    v.setVolume(volume.handle!, FileFsLabelInformation, { volumeLabel: 'x'.repeat(33) }),
    STATUS_INVALID_VOLUME_LABEL,
  );
  assert.equal(
    v.setVolume(volume.handle!, FileFsLabelInformation, { volumeLabel: 'bad\u0007' }),
    STATUS_INVALID_VOLUME_LABEL,
  );
  assert.equal(
    v.setVolume(volume.handle!, FileFsLabelInformation, { volumeLabel: 42 }),
    STATUS_INVALID_PARAMETER,
  );
  assert.equal(
    v.setVolume(volume.handle!, FileFsLabelInformation, { volumeLabel: 'Renamed Volume' }),
    STATUS_SUCCESS,
  );
  assert.equal(v.device.vpb!.volumeLabel, 'Renamed Volume');
  assert.equal(v.fsctl(volume.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  v.close(volume.handle!);
  const h = v.handle('\\??\\M:\\', { access: FILE_GENERIC_READ });
  assert.equal(
    v.queryVolume<FileFsVolumeInfo>(h, FileFsVolumeInformation).info!.volumeLabel,
    'Renamed Volume',
  );
  v.close(h);
});

test('files survive a dismount and the remount that the next open causes', () => {
  const v = memfsVolume();
  v.mkdir('dir');
  v.writeFile('dir\\kept.txt', 'persisted');
  const firstVolume = v.volumeDevice();
  const volume = v.openVolume();
  assert.equal(v.fsctl(volume.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  assert.equal(v.device.vpb!.flags & VPB_MOUNTED, 0, 'the disk has a fresh, unmounted VPB');
  v.close(volume.handle!);
  assert.equal(firstVolume!.deletePending, true, 'the old volume device went with its last file object');
  assert.equal(v.readFile('dir\\kept.txt'), 'persisted');
  assert.notEqual(v.volumeDevice(), firstVolume);
});

test('after a dismount, open handles fail with STATUS_VOLUME_DISMOUNTED but can still be closed', () => {
  const v = memfsVolume();
  v.writeFile('f', 'x');
  const file = v.handle('f');
  const volume = v.openVolume();
  assert.equal(v.fsctl(volume.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  const oldVolume = volume;
  assert.equal(v.read(file, 1).status, STATUS_VOLUME_DISMOUNTED);
  assert.equal(v.write(file, 'y').status, STATUS_VOLUME_DISMOUNTED);
  assert.equal(v.query(file, FileStandardInformation).status, STATUS_VOLUME_DISMOUNTED);
  assert.equal(v.fsctl(oldVolume.handle!, FSCTL_IS_VOLUME_MOUNTED), STATUS_VOLUME_DISMOUNTED);
  const dismounted = v.volumeDevice();
  v.close(oldVolume.handle!);
  v.close(file);
  assert.equal(v.readFile('f'), 'x');
  assert.notEqual(v.volumeDevice(), dismounted);
});

test('a filter attached to the volume hears FastIoDetachDevice when the volume device goes', () => {
  const v = memfsVolume();
  const log: Log = [];
  const filter = toyPassThroughFilter('Spy', log);
  const { driverObject } = IoLoadDriver(v.system, filter);
  v.writeFile('f', 'x');
  const volumeDevice = v.volumeDevice()!;
  const filterDevice = filter.attach(driverObject!, volumeDevice)!;
  assert.equal(IoGetAttachedDevice(volumeDevice), filterDevice);
  assert.equal(v.readFile('f'), 'x');
  assert.ok(log.includes('Spy: IRP_MJ_READ'));
  const volume = v.openVolume();
  assert.equal(v.fsctl(volume.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  v.close(volume.handle!);
  assert.ok(log.includes('Spy: FastIoDetachDevice'));
  assert.equal(filterDevice.deletePending, true);
});

test('without a flush the disk keeps the old image; a flush writes the tree back', () => {
  const v = memfsVolume();
  const mediaBefore = v.media.slice();
  const h = v.handle('f', { disposition: FILE_CREATE });
  v.write(h, 'data');
  assert.deepEqual(v.media, mediaBefore, 'MemFS works in memory');
  assert.equal(v.flush(h), STATUS_SUCCESS);
  v.close(h);
  assert.notDeepEqual(v.media, mediaBefore);
  // A second system mounting a copy of the disk sees the file.
  const copy = memfsVolume({ media: v.media.slice() });
  assert.equal(copy.readFile('f'), 'data');
});

test('SHUTDOWN on the control device writes back every mounted volume', () => {
  const v = memfsVolume();
  v.writeFile('f', 'at shutdown');
  const cdo = v.system.io.diskFileSystemQueue.find((d) => d.deviceName === MEMFS_CONTROL_DEVICE_NAME)!;
  assert.equal(sendShutdown(cdo), STATUS_SUCCESS);
  assert.equal(memfsVolume({ media: v.media.slice() }).readFile('f'), 'at shutdown');
});

/** IRP_MJ_SHUTDOWN as the I/O manager sends it to registered devices at shutdown. */
function sendShutdown(device: DeviceObject): number {
  const irp = IoAllocateIrp(device.stackSize);
  IoGetNextIrpStackLocation(irp).majorFunction = IRP_MJ_SHUTDOWN;
  IoCallDriver(device, irp);
  assert.equal(irp.completed, true);
  return irp.ioStatus.status;
}

test('locking needs the only open, refuses new opens, and is released by unlock or close', () => {
  const v = memfsVolume();
  v.writeFile('f', 'x');
  const share = FILE_SHARE_READ | FILE_SHARE_WRITE;
  const volume = v.openVolume(FILE_GENERIC_READ, share);
  const file = v.handle('f');
  assert.equal(v.fsctl(volume.handle!, FSCTL_LOCK_VOLUME), STATUS_ACCESS_DENIED, 'a file is open');
  v.close(file);
  assert.equal(v.fsctl(file, FSCTL_LOCK_VOLUME), 0xc0000008, 'a closed handle is just invalid');
  assert.equal(v.fsctl(volume.handle!, FSCTL_LOCK_VOLUME), STATUS_SUCCESS);
  assert.equal(v.device.vpb!.flags & VPB_LOCKED, VPB_LOCKED);
  assert.equal(v.open('f').status, STATUS_ACCESS_DENIED);
  assert.equal(v.openVolume().status, STATUS_ACCESS_DENIED);
  assert.equal(v.fsctl(volume.handle!, FSCTL_LOCK_VOLUME), STATUS_ACCESS_DENIED, 'already locked');
  assert.equal(v.fsctl(volume.handle!, FSCTL_UNLOCK_VOLUME), STATUS_SUCCESS);
  assert.equal(v.fsctl(volume.handle!, FSCTL_UNLOCK_VOLUME), STATUS_NOT_LOCKED);
  assert.equal(v.readFile('f'), 'x');
  assert.equal(v.fsctl(volume.handle!, FSCTL_LOCK_VOLUME), STATUS_SUCCESS);
  v.close(volume.handle!);
  assert.equal(v.device.vpb!.flags & VPB_LOCKED, 0, 'closing the locking handle unlocks');
  assert.equal(v.readFile('f'), 'x');
});

test('lock, unlock and dismount need a volume handle; unknown controls are refused', () => {
  const v = memfsVolume();
  v.writeFile('f', 'x');
  const file = v.handle('f');
  for (const code of [FSCTL_LOCK_VOLUME, FSCTL_UNLOCK_VOLUME, FSCTL_DISMOUNT_VOLUME]) {
    assert.equal(v.fsctl(file, code), STATUS_INVALID_PARAMETER);
  }
  assert.equal(v.fsctl(file, FSCTL_IS_VOLUME_MOUNTED), STATUS_SUCCESS);
  assert.equal(v.fsctl(file, FSCTL_MARK_VOLUME_DIRTY), STATUS_INVALID_DEVICE_REQUEST);
  assert.equal(v.fsctl(file, 0x12345678), STATUS_INVALID_DEVICE_REQUEST);
  v.close(file);
  assert.equal(v.device.vpb!.flags & VPB_MOUNTED, VPB_MOUNTED);
});

test("a volume handle reads the disk's sectors and may write them only while it holds the lock", () => {
  const v = memfsVolume();
  const volume = v.openVolume();
  const sector = v.read(volume.handle!, 512, 0);
  assert.equal(sector.status, STATUS_SUCCESS);
  assert.equal(new TextDecoder().decode(sector.data.subarray(0, 12)), 'STRATA-MEMFS');
  assert.equal(
    v.read(volume.handle!, 100, 0).status,
    STATUS_INVALID_PARAMETER,
    "sector alignment is the disk's rule",
  );
  assert.equal(v.write(volume.handle!, new Uint8Array(512), 512).status, STATUS_ACCESS_DENIED);
  assert.equal(v.fsctl(volume.handle!, FSCTL_LOCK_VOLUME), STATUS_SUCCESS);
  assert.equal(v.write(volume.handle!, new Uint8Array(512).fill(9), 8192).status, STATUS_SUCCESS);
  assert.equal(v.media[8192], 9);
  v.close(volume.handle!);
});

test('the driver cannot unload while a volume is mounted, and can once it is gone', () => {
  const v = memfsVolume();
  v.writeFile('f', 'x');
  assert.equal(IoUnloadDriver(v.system, 'MemFs'), STATUS_INVALID_DEVICE_REQUEST);
  const volume = v.openVolume();
  assert.equal(v.fsctl(volume.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  v.close(volume.handle!);
  assert.equal(IoUnloadDriver(v.system, 'MemFs'), STATUS_SUCCESS);
  assert.equal(v.system.ob.lookupNoParse(MEMFS_CONTROL_DEVICE_NAME), undefined);
  assert.equal(
    v.system.io.diskFileSystemQueue.some((d) => d.driverObject.serviceName === 'MemFs'),
    false,
  );
});

test('disk IOCTLs on a file or volume handle go through to the disk', () => {
  const v = memfsVolume({ sizeBytes: 128 * 1024 });
  v.writeFile('f', 'x');
  const h = v.handle('f');
  const answer = mustBeSync(
    NtDeviceIoControlFile(v.process, h, IOCTL_DISK_GET_LENGTH_INFO, null, 8),
    'ioctl',
  );
  assert.equal(answer.status, STATUS_SUCCESS);
  assert.deepEqual(answer.output, { length: 128 * 1024 });
  v.close(h);
});
