/**
 * IRP_MJ_FILE_SYSTEM_CONTROL for MemFS.
 *
 * On the control device only IRP_MN_MOUNT_VOLUME means anything (mount.ts); MemFS has no
 * recognizer, so IRP_MN_LOAD_FILE_SYSTEM is not for it. On a volume: IRP_MN_VERIFY_VOLUME
 * (mount.ts) and the user requests FSCTL_LOCK_VOLUME, FSCTL_UNLOCK_VOLUME, FSCTL_DISMOUNT_VOLUME and
 * FSCTL_IS_VOLUME_MOUNTED, by the rules every disk file system shares (volumeUserFsRequest in the
 * I/O library). MemFS keeps its whole tree in memory, so lock and dismount first write the volume
 * back (flushVolume); a failed write-back still dismounts and reports the write's status.
 * A dismounted volume answers STATUS_VOLUME_DISMOUNTED; other minor codes are
 * STATUS_INVALID_DEVICE_REQUEST.
 */
import {
  IRP_MN_MOUNT_VOLUME,
  IRP_MN_USER_FS_REQUEST,
  IRP_MN_VERIFY_VOLUME,
} from '../../../base/irp-codes.ts';
import { type NTSTATUS, STATUS_INVALID_DEVICE_REQUEST, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  volumeUserFsRequest,
} from '../../../io/index.ts';
import { checkMounted, vcbOfOpen } from './common.ts';
import { flushVolume } from './flush.ts';
import { MemFsMountVolume, MemFsVerifyVolume } from './mount.ts';
import { MemFsControl, vcbOf } from './structures.ts';

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
  return volumeUserFsRequest(vcb, irp, flushVolume);
}
