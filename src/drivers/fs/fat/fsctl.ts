/**
 * IRP_MJ_FILE_SYSTEM_CONTROL for FAT (FastFat's fsctrl.c).
 *
 * On a control device: IRP_MN_MOUNT_VOLUME (mount.ts) and the user request
 * FSCTL_FAT_FORMAT_VOLUME (format-fsctl.ts). On a volume: IRP_MN_VERIFY_VOLUME (mount.ts) and the
 * user requests FSCTL_LOCK_VOLUME, FSCTL_UNLOCK_VOLUME, FSCTL_DISMOUNT_VOLUME and
 * FSCTL_IS_VOLUME_MOUNTED, by the rules every disk file system shares (volumeUserFsRequest in the
 * I/O library). FAT keeps its metadata in memory until a flush, so lock and dismount first write it
 * back (flushVolume); a failed write-back still dismounts and reports its status. A dismounted
 * volume answers STATUS_VOLUME_DISMOUNTED; other minor codes are STATUS_INVALID_DEVICE_REQUEST.
 */
import {
  IRP_MN_MOUNT_VOLUME,
  IRP_MN_USER_FS_REQUEST,
  IRP_MN_VERIFY_VOLUME,
} from '../../../base/irp-codes.ts';
import { type NTSTATUS, STATUS_INVALID_DEVICE_REQUEST, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  type ControlParameters,
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  volumeUserFsRequest,
} from '../../../io/index.ts';
import { checkMounted, vcbOfOpen } from './common.ts';
import { flushVolume } from './flush.ts';
import { FSCTL_FAT_FORMAT_VOLUME, formatThroughControlDevice } from './format-fsctl.ts';
import { FatMountVolume, FatVerifyVolume } from './mount.ts';
import { FatControl, vcbOf } from './structures.ts';

export function FatFileSystemControl(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const minor = location.minorFunction;
  if (device.deviceExtension instanceof FatControl) {
    if (minor === IRP_MN_MOUNT_VOLUME) return FatMountVolume(device, irp);
    const { controlCode } = location.parameters as ControlParameters;
    if (minor === IRP_MN_USER_FS_REQUEST && controlCode === FSCTL_FAT_FORMAT_VOLUME)
      return formatThroughControlDevice(device, irp);
    return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  }
  if (minor === IRP_MN_VERIFY_VOLUME) {
    const vcb = vcbOf(device);
    return vcb === null ? completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST) : FatVerifyVolume(vcb, irp);
  }
  if (minor !== IRP_MN_USER_FS_REQUEST) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const vcb = vcbOfOpen(location.fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  return volumeUserFsRequest(vcb, irp, flushVolume);
}
