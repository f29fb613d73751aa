/**
 * The volume FSCTLs every disk file system shares (src/io/fsrtl/volume-lock.ts), driven with
 * hand-built IRPs on a bare volume whose write-back the test finishes when it likes: the timing
 * rules of a write-back that pends, which the drivers' suites (memfs/volume, fat/mount, cdfs,
 * raw) cannot stage on demand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSystem } from '../../../src/api/index.ts';
import {
  FSCTL_DISMOUNT_VOLUME,
  FSCTL_IS_VOLUME_MOUNTED,
  FSCTL_LOCK_VOLUME,
  FSCTL_UNLOCK_VOLUME,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_DISK_FULL,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_LOCKED,
  STATUS_PENDING,
  STATUS_SUCCESS,
  VPB_LOCKED,
  VPB_MOUNTED,
} from '../../../src/base/index.ts';
import { IoCreateRamDisk } from '../../../src/drivers/storage/ramdisk/index.ts';
import {
  type DeviceObject,
  type FileObject,
  IoAllocateIrp,
  IoGetNextIrpStackLocation,
  IoSetNextIrpStackLocation,
  type Irp,
  type LockableVolume,
  type Vpb,
  volumeUserFsRequest,
} from '../../../src/io/index.ts';

class TestVolume implements LockableVolume {
  openCount = 1;
  lockedBy: FileObject | null = null;
  dismounted = false;
  readonly writeBacks: Array<(status: NTSTATUS) => void> = [];
  constructor(readonly vpb: Vpb) {}
}

/** A write-back that pends until the test calls the routine it stored. */
function pendingWriteBack(volume: TestVolume, done: (status: NTSTATUS) => void): void {
  volume.writeBacks.push(done);
}

function mountedVolume(): { volume: TestVolume; disk: DeviceObject } {
  const system = createSystem();
  const disk = IoCreateRamDisk(system, { sizeBytes: 4096 }).deviceObject!;
  const vpb = disk.vpb!;
  vpb.flags |= VPB_MOUNTED;
  return { volume: new TestVolume(vpb), disk };
}

function fsctl(fileObject: FileObject | null, controlCode: number): Irp {
  const irp = IoAllocateIrp(1);
  const location = IoGetNextIrpStackLocation(irp);
  location.parameters = { controlCode, inputBufferLength: 0, outputBufferLength: 0 };
  location.fileObject = fileObject;
  IoSetNextIrpStackLocation(irp);
  return irp;
}

function volumeOpen(volume: TestVolume): FileObject {
  return { fsContext: volume } as unknown as FileObject;
}

test('a lock whose write-back pends is refused if another file was opened meanwhile', () => {
  const { volume } = mountedVolume();
  const handle = volumeOpen(volume);
  const irp = fsctl(handle, FSCTL_LOCK_VOLUME);
  assert.equal(volumeUserFsRequest(volume, irp, pendingWriteBack), STATUS_PENDING);
  volume.openCount = 2;
  volume.writeBacks[0]!(STATUS_SUCCESS);
  assert.equal(irp.ioStatus.status, STATUS_ACCESS_DENIED);
  assert.equal(volume.vpb.flags & VPB_LOCKED, 0);
  assert.equal(volume.lockedBy, null);
});

test('a lock whose write-back fails reports the failure and leaves the volume unlocked', () => {
  const { volume } = mountedVolume();
  const irp = fsctl(volumeOpen(volume), FSCTL_LOCK_VOLUME);
  volumeUserFsRequest(volume, irp, pendingWriteBack);
  volume.writeBacks[0]!(STATUS_DISK_FULL);
  assert.equal(irp.ioStatus.status, STATUS_DISK_FULL);
  assert.equal(volume.vpb.flags & VPB_LOCKED, 0);
});

test('a lock sets VPB_LOCKED once written back; only the locker unlocks', () => {
  const { volume } = mountedVolume();
  const handle = volumeOpen(volume);
  const irp = fsctl(handle, FSCTL_LOCK_VOLUME);
  volumeUserFsRequest(volume, irp, pendingWriteBack);
  assert.equal(volume.vpb.flags & VPB_LOCKED, 0, 'not before the write-back finished');
  volume.writeBacks[0]!(STATUS_SUCCESS);
  assert.equal(irp.ioStatus.status, STATUS_SUCCESS);
  assert.notEqual(volume.vpb.flags & VPB_LOCKED, 0);
  const again = fsctl(volumeOpen(volume), FSCTL_LOCK_VOLUME);
  assert.equal(volumeUserFsRequest(volume, again, pendingWriteBack), STATUS_ACCESS_DENIED);
  assert.equal(volume.writeBacks.length, 1, 'a refused lock writes nothing back');
  assert.equal(
    volumeUserFsRequest(volume, fsctl(volumeOpen(volume), FSCTL_UNLOCK_VOLUME), null),
    STATUS_NOT_LOCKED,
  );
  assert.equal(volumeUserFsRequest(volume, fsctl(handle, FSCTL_UNLOCK_VOLUME), null), STATUS_SUCCESS);
  assert.equal(volume.vpb.flags & VPB_LOCKED, 0);
});

test('a dismount whose write-back fails still dismounts, reports the failure and gives the disk a fresh VPB', () => {
  const { volume, disk } = mountedVolume();
  const oldVpb = volume.vpb;
  const irp = fsctl(volumeOpen(volume), FSCTL_DISMOUNT_VOLUME);
  assert.equal(volumeUserFsRequest(volume, irp, pendingWriteBack), STATUS_PENDING);
  assert.equal(volume.dismounted, false);
  volume.writeBacks[0]!(STATUS_DISK_FULL);
  assert.equal(irp.ioStatus.status, STATUS_DISK_FULL);
  assert.equal(volume.dismounted, true);
  assert.equal(oldVpb.flags & VPB_MOUNTED, 0);
  assert.notEqual(disk.vpb, oldVpb);
  assert.equal(disk.vpb!.flags, 0);
});

test('dismount is refused while another handle holds the lock; the locker may dismount', () => {
  const { volume } = mountedVolume();
  const locker = volumeOpen(volume);
  assert.equal(volumeUserFsRequest(volume, fsctl(locker, FSCTL_LOCK_VOLUME), null), STATUS_SUCCESS);
  assert.equal(
    volumeUserFsRequest(volume, fsctl(volumeOpen(volume), FSCTL_DISMOUNT_VOLUME), null),
    STATUS_ACCESS_DENIED,
  );
  assert.equal(volume.dismounted, false);
  assert.equal(volumeUserFsRequest(volume, fsctl(locker, FSCTL_DISMOUNT_VOLUME), null), STATUS_SUCCESS);
  assert.equal(volume.dismounted, true);
  assert.equal(volume.lockedBy, null);
  assert.equal(volume.vpb.flags & (VPB_LOCKED | VPB_MOUNTED), 0);
});

test('lock, unlock and dismount need a volume open; other codes are not this helper’s', () => {
  const { volume } = mountedVolume();
  const fileOpen = { fsContext: {} } as unknown as FileObject;
  for (const code of [FSCTL_LOCK_VOLUME, FSCTL_UNLOCK_VOLUME, FSCTL_DISMOUNT_VOLUME]) {
    assert.equal(
      volumeUserFsRequest(volume, fsctl(fileOpen, code), pendingWriteBack),
      STATUS_INVALID_PARAMETER,
    );
    assert.equal(volumeUserFsRequest(volume, fsctl(null, code), pendingWriteBack), STATUS_INVALID_PARAMETER);
  }
  assert.equal(volume.writeBacks.length, 0);
  assert.equal(volumeUserFsRequest(volume, fsctl(fileOpen, FSCTL_IS_VOLUME_MOUNTED), null), STATUS_SUCCESS);
  assert.equal(volumeUserFsRequest(volume, fsctl(fileOpen, 0x90000), null), STATUS_INVALID_DEVICE_REQUEST);
  assert.equal(volume.dismounted, false);
});
