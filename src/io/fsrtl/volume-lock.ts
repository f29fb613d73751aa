/**
 * The volume FSCTLs every Strata disk file system answers alike, and the bookkeeping of a dismount
 * (reference §5.1, §5.4): the shared part of FastFat's FatUserFsCtrl (FatLockVolume,
 * FatUnlockVolume, FatDismountVolume, FatIsVolumeMounted), CDFS's CdUserFsctl and rawfs's
 * RawUserFsCtrl.
 *
 * Rules, on a volume that is still mounted:
 * - FSCTL_LOCK_VOLUME (a volume open): refused with STATUS_ACCESS_DENIED while the volume is locked
 *   or any other file object is open on it. A file system that keeps changes in memory writes them
 *   back first (`writeBack`), and refuses after all if something was opened, locked or dismounted
 *   while a pended write-back was out. Then VPB_LOCKED is set, after which the I/O manager
 *   refuses every open of the volume.
 * - FSCTL_UNLOCK_VOLUME: only from the locking file object (else STATUS_NOT_LOCKED).
 * - FSCTL_DISMOUNT_VOLUME (a volume open): refused only when another file object holds the lock;
 *   otherwise written back and dismounted even with files open. A failed write-back still
 *   dismounts and reports the write's status, so the loss is never silent.
 * - FSCTL_IS_VOLUME_MOUNTED: success on any open of the volume.
 * Other codes are STATUS_INVALID_DEVICE_REQUEST; lock, unlock and dismount through a file open
 * are STATUS_INVALID_PARAMETER. A driver answers its own extra codes before it comes here.
 *
 * Dismount: the old VPB loses VPB_MOUNTED and VPB_LOCKED, the lock is forgotten, and the real
 * device gets a fresh VPB, so the next open mounts again (not during verify, where the I/O manager
 * replaces the VPB itself). The volume is marked dismounted: from then on its file system answers
 * everything but cleanup and close with STATUS_VOLUME_DISMOUNTED.
 */
import {
  FSCTL_DISMOUNT_VOLUME,
  FSCTL_IS_VOLUME_MOUNTED,
  FSCTL_LOCK_VOLUME,
  FSCTL_UNLOCK_VOLUME,
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_LOCKED,
  STATUS_SUCCESS,
  VPB_LOCKED,
  VPB_MOUNTED,
} from '../../base/index.ts';
import { completeRequest } from '../complete-request.ts';
import type { FileObject } from '../file-object.ts';
import { IoGetCurrentIrpStackLocation, type Irp } from '../irp.ts';
import type { ControlParameters } from '../irp-parameters.ts';
import { completeWhenDone } from '../private-request.ts';
import { Vpb } from '../vpb.ts';

/** What the lock and dismount rules need of a volume (its VCB). Volume opens carry it as FsContext. */
export interface LockableVolume {
  readonly vpb: Vpb;
  /** File objects open on the volume (files and volume opens) and not yet closed. */
  readonly openCount: number;
  /** The file object holding FSCTL_LOCK_VOLUME, if any. */
  lockedBy: FileObject | null;
  dismounted: boolean;
}

/** Writes what a volume keeps in memory back to its disk, then calls `done` (at once or later). */
export type VolumeWriteBack<V> = (volume: V, done: (status: NTSTATUS) => void) => void;

/**
 * Marks the volume dismounted (see the header); false when it already was. With `replaceVpb`, the
 * real device also gets a fresh VPB.
 */
export function dismountVolume(volume: LockableVolume, replaceVpb: boolean): boolean {
  if (volume.dismounted) return false;
  volume.dismounted = true;
  volume.lockedBy = null;
  const vpb = volume.vpb;
  vpb.flags &= ~(VPB_MOUNTED | VPB_LOCKED);
  const realDevice = vpb.realDevice;
  if (replaceVpb && realDevice.vpb === vpb) realDevice.vpb = new Vpb(realDevice);
  return true;
}

/** Drops the lock if `fileObject` holds it: FSCTL_UNLOCK_VOLUME, and the locker's cleanup. */
export function releaseVolumeLock(volume: LockableVolume, fileObject: FileObject): boolean {
  if (volume.lockedBy !== fileObject) return false;
  volume.lockedBy = null;
  volume.vpb.flags &= ~VPB_LOCKED;
  return true;
}

function isLockable(volume: LockableVolume): boolean {
  return !volume.dismounted && (volume.vpb.flags & VPB_LOCKED) === 0 && volume.openCount <= 1;
}

/**
 * Completes the IRP with what `then` makes of the write-back's status, once the volume was written
 * back (at once when there is nothing to write).
 */
function afterWriteBack<V extends LockableVolume>(
  volume: V,
  irp: Irp,
  writeBack: VolumeWriteBack<V> | null,
  then: (status: NTSTATUS) => NTSTATUS,
): NTSTATUS {
  if (writeBack === null) return completeRequest(irp, then(STATUS_SUCCESS));
  return completeWhenDone(irp, (finish) => writeBack(volume, (status) => finish(then(status), 0)));
}

function lockVolume<V extends LockableVolume>(
  volume: V,
  fileObject: FileObject,
  irp: Irp,
  writeBack: VolumeWriteBack<V> | null,
): NTSTATUS {
  if (!isLockable(volume)) return completeRequest(irp, STATUS_ACCESS_DENIED);
  return afterWriteBack(volume, irp, writeBack, (status) => {
    if (!NT_SUCCESS(status)) return status;
    // Someone may have opened, locked or dismounted while a pended write-back was out.
    if (!isLockable(volume)) return STATUS_ACCESS_DENIED;
    volume.vpb.flags |= VPB_LOCKED;
    volume.lockedBy = fileObject;
    return status;
  });
}

function dismount<V extends LockableVolume>(
  volume: V,
  fileObject: FileObject,
  irp: Irp,
  writeBack: VolumeWriteBack<V> | null,
): NTSTATUS {
  if (volume.lockedBy !== null && volume.lockedBy !== fileObject)
    return completeRequest(irp, STATUS_ACCESS_DENIED);
  return afterWriteBack(volume, irp, writeBack, (status) => {
    dismountVolume(volume, true);
    return status;
  });
}

/**
 * IRP_MN_USER_FS_REQUEST on a mounted volume for the codes above; `writeBack` is null for a file
 * system with nothing to write (read-only media, RAW).
 */
export function volumeUserFsRequest<V extends LockableVolume>(
  volume: V,
  irp: Irp,
  writeBack: VolumeWriteBack<V> | null,
): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const { controlCode } = location.parameters as ControlParameters;
  if (controlCode === FSCTL_IS_VOLUME_MOUNTED) return completeRequest(irp, STATUS_SUCCESS);
  if (
    controlCode !== FSCTL_LOCK_VOLUME &&
    controlCode !== FSCTL_UNLOCK_VOLUME &&
    controlCode !== FSCTL_DISMOUNT_VOLUME
  )
    return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const fileObject = location.fileObject;
  if (fileObject === null || fileObject.fsContext !== volume)
    return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (controlCode === FSCTL_LOCK_VOLUME) return lockVolume(volume, fileObject, irp, writeBack);
  if (controlCode === FSCTL_UNLOCK_VOLUME)
    return completeRequest(irp, releaseVolumeLock(volume, fileObject) ? STATUS_SUCCESS : STATUS_NOT_LOCKED);
  return dismount(volume, fileObject, irp, writeBack);
}
