/**
 * IRP_MJ_FILE_SYSTEM_CONTROL for MemFS.
 *
 * On the control device only IRP_MN_MOUNT_VOLUME means anything (mount.ts); MemFS has no
 * recognizer, so IRP_MN_LOAD_FILE_SYSTEM is not for it. On a volume: IRP_MN_VERIFY_VOLUME
 * (mount.ts) and the user requests:
 * - FSCTL_LOCK_VOLUME (a volume open): writes the volume back, then sets VPB_LOCKED, after which
 *   the I/O manager refuses every open. Refused (STATUS_ACCESS_DENIED) while any other file object
 *   is open or the volume is already locked.
 * - FSCTL_UNLOCK_VOLUME: only the locking handle may (else STATUS_NOT_LOCKED).
 * - FSCTL_DISMOUNT_VOLUME (a volume open): writes the volume back and dismounts it even with files
 *   open, unless another handle holds the lock (STATUS_ACCESS_DENIED). A failed write-back still
 *   dismounts and reports the write's status, so the loss is never silent.
 * - FSCTL_IS_VOLUME_MOUNTED: success on any open of a mounted volume.
 * Other codes are STATUS_INVALID_DEVICE_REQUEST; lock, unlock and dismount on a file open are
 * STATUS_INVALID_PARAMETER.
 */
import { VPB_LOCKED } from '../../../base/device-codes.ts';
import {
  FSCTL_DISMOUNT_VOLUME,
  FSCTL_IS_VOLUME_MOUNTED,
  FSCTL_LOCK_VOLUME,
  FSCTL_UNLOCK_VOLUME,
} from '../../../base/file-codes.ts';
import {
  IRP_MN_MOUNT_VOLUME,
  IRP_MN_USER_FS_REQUEST,
  IRP_MN_VERIFY_VOLUME,
} from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_LOCKED,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  type ControlParameters,
  completeRequest,
  completeWhenDone,
  type DeviceObject,
  type FileObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
} from '../../../io/index.ts';
import { checkMounted, vcbOfOpen } from './common.ts';
import { dismountVolume } from './dismount.ts';
import { flushVolume } from './flush.ts';
import { MemFsMountVolume, MemFsVerifyVolume } from './mount.ts';
import { MemFsControl, type Vcb, vcbOf } from './structures.ts';

function lockVolume(vcb: Vcb, fileObject: FileObject, irp: Irp): NTSTATUS {
  if ((vcb.vpb.flags & VPB_LOCKED) !== 0 || vcb.openCount > 1)
    return completeRequest(irp, STATUS_ACCESS_DENIED);
  return completeWhenDone(irp, (finish) =>
    flushVolume(vcb, (status) => {
      // Someone may have opened something while a pended write-back was out.
      if (NT_SUCCESS(status) && (vcb.openCount > 1 || vcb.dismounted || (vcb.vpb.flags & VPB_LOCKED) !== 0)) {
        finish(STATUS_ACCESS_DENIED, 0);
        return;
      }
      if (NT_SUCCESS(status)) {
        vcb.vpb.flags |= VPB_LOCKED;
        vcb.lockedBy = fileObject;
      }
      finish(status, 0);
    }),
  );
}

function unlockVolume(vcb: Vcb, fileObject: FileObject, irp: Irp): NTSTATUS {
  if (vcb.lockedBy !== fileObject) return completeRequest(irp, STATUS_NOT_LOCKED);
  vcb.lockedBy = null;
  vcb.vpb.flags &= ~VPB_LOCKED;
  return completeRequest(irp, STATUS_SUCCESS);
}

function dismount(vcb: Vcb, fileObject: FileObject, irp: Irp): NTSTATUS {
  if (vcb.lockedBy !== null && vcb.lockedBy !== fileObject) return completeRequest(irp, STATUS_ACCESS_DENIED);
  return completeWhenDone(irp, (finish) =>
    flushVolume(vcb, (status) => {
      dismountVolume(vcb, true);
      finish(status, 0);
    }),
  );
}

function userFsRequest(vcb: Vcb, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const { controlCode } = location.parameters as ControlParameters;
  const fileObject = location.fileObject!;
  if (controlCode === FSCTL_IS_VOLUME_MOUNTED) return completeRequest(irp, STATUS_SUCCESS);
  if (
    controlCode !== FSCTL_LOCK_VOLUME &&
    controlCode !== FSCTL_UNLOCK_VOLUME &&
    controlCode !== FSCTL_DISMOUNT_VOLUME
  )
    return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  if (fileObject.fsContext !== vcb) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (controlCode === FSCTL_LOCK_VOLUME) return lockVolume(vcb, fileObject, irp);
  if (controlCode === FSCTL_UNLOCK_VOLUME) return unlockVolume(vcb, fileObject, irp);
  return dismount(vcb, fileObject, irp);
}

export function MemFsFileSystemControl(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const minor = location.minorFunction;
  if (device.deviceExtension instanceof MemFsControl) {
    return minor === IRP_MN_MOUNT_VOLUME
      ? MemFsMountVolume(device, irp)
      : completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  }
  if (minor === IRP_MN_VERIFY_VOLUME) {
    const vcb = vcbOf(device);
    return vcb === null ? completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST) : MemFsVerifyVolume(vcb, irp);
  }
  if (minor !== IRP_MN_USER_FS_REQUEST) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const vcb = vcbOfOpen(location.fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  return userFsRequest(vcb, irp);
}
