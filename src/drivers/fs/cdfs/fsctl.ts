/**
 * IRP_MJ_FILE_SYSTEM_CONTROL for CDFS (CdCommonFsControl, CdUserFsctl), IRP_MJ_DEVICE_CONTROL
 * (passed to the disc, as CdCommonDevControl does) and IRP_MJ_SHUTDOWN.
 *
 * On a control device only IRP_MN_MOUNT_VOLUME means anything (mount.ts). On a volume:
 * IRP_MN_VERIFY_VOLUME (mount.ts) and the user requests:
 * - FSCTL_LOCK_VOLUME (a volume open): sets VPB_LOCKED when the locking handle is the volume's only
 *   open, else STATUS_ACCESS_DENIED; FSCTL_UNLOCK_VOLUME only from the locking handle
 *   (STATUS_NOT_LOCKED otherwise);
 * - FSCTL_DISMOUNT_VOLUME (a volume open): dismounts even with files open, unless another handle
 *   holds the lock; there is nothing to write back;
 * - FSCTL_IS_VOLUME_MOUNTED: success on any open of a mounted volume;
 * - FSCTL_GET_REPARSE_POINT on a Rock Ridge link opened with FILE_OPEN_REPARSE_POINT: the link as a
 *   symbolic-link reparse record (the target with `\` separators as substitute name, as written on
 *   the disc as print name, SYMLINK_FLAG_RELATIVE unless it starts at `/`); on anything else
 *   STATUS_NOT_A_REPARSE_POINT. An output buffer below the 8-byte header is
 *   STATUS_BUFFER_TOO_SMALL; one below the whole record still gets it, with STATUS_BUFFER_OVERFLOW.
 * Other codes are STATUS_INVALID_DEVICE_REQUEST; lock, unlock and dismount on a file open are
 * STATUS_INVALID_PARAMETER.
 *
 * Shutdown, as CdShutdown: no more mounts; the control devices leave the file system queues and
 * are deleted. Mounted volumes keep working until they are closed; they hold nothing to flush.
 */
import { VPB_LOCKED } from '../../../base/device-codes.ts';
import {
  FSCTL_DISMOUNT_VOLUME,
  FSCTL_GET_REPARSE_POINT,
  FSCTL_IS_VOLUME_MOUNTED,
  FSCTL_LOCK_VOLUME,
  FSCTL_UNLOCK_VOLUME,
  IO_REPARSE_TAG_SYMLINK,
  SYMLINK_FLAG_RELATIVE,
} from '../../../base/file-codes.ts';
import {
  IRP_MN_MOUNT_VOLUME,
  IRP_MN_USER_FS_REQUEST,
  IRP_MN_VERIFY_VOLUME,
} from '../../../base/irp-codes.ts';
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_BUFFER_OVERFLOW,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_A_REPARSE_POINT,
  STATUS_NOT_LOCKED,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  type ControlParameters,
  completeRequest,
  type DeviceObject,
  type FileObject,
  IoCallDriver,
  IoDeleteDevice,
  IoGetCurrentIrpStackLocation,
  IoSkipCurrentIrpStackLocation,
  IoUnregisterFileSystem,
  type Irp,
} from '../../../io/index.ts';
import { ObDereferenceObject } from '../../../ob/index.ts';
import { checkMounted, fcbOf, vcbOfOpen } from './common.ts';
import { dismountVolume } from './dismount.ts';
import { CdfsMountVolume, CdfsVerifyVolume } from './mount.ts';
import { CdfsControl, type CdfsData, type Vcb, vcbOf } from './structures.ts';

/** REPARSE_DATA_BUFFER header (tag, length, reserved) and the symbolic link fields after it. */
const REPARSE_HEADER_SIZE = 8;
const SYMLINK_FIXED_SIZE = 12;

/** The reparse record FSCTL_GET_REPARSE_POINT returns for a symbolic link. */
export interface SymbolicLinkReparseInfo {
  reparseTag: number;
  substituteName: string;
  printName: string;
  flags: number;
}

function lockVolume(vcb: Vcb, fileObject: FileObject, irp: Irp): NTSTATUS {
  if ((vcb.vpb.flags & VPB_LOCKED) !== 0 || vcb.openCount > 1)
    return completeRequest(irp, STATUS_ACCESS_DENIED);
  vcb.vpb.flags |= VPB_LOCKED;
  vcb.lockedBy = fileObject;
  return completeRequest(irp, STATUS_SUCCESS);
}

function unlockVolume(vcb: Vcb, fileObject: FileObject, irp: Irp): NTSTATUS {
  if (vcb.lockedBy !== fileObject) return completeRequest(irp, STATUS_NOT_LOCKED);
  vcb.lockedBy = null;
  vcb.vpb.flags &= ~VPB_LOCKED;
  return completeRequest(irp, STATUS_SUCCESS);
}

function getReparsePoint(fileObject: FileObject, irp: Irp, outputLength: number): NTSTATUS {
  const target = fcbOf(fileObject)?.node.symlinkTarget ?? null;
  if (target === null) return completeRequest(irp, STATUS_NOT_A_REPARSE_POINT);
  if (outputLength < REPARSE_HEADER_SIZE) return completeRequest(irp, STATUS_BUFFER_TOO_SMALL);
  const info: SymbolicLinkReparseInfo = {
    reparseTag: IO_REPARSE_TAG_SYMLINK,
    substituteName: target.replaceAll('/', '\\'),
    printName: target,
    flags: target.startsWith('/') ? 0 : SYMLINK_FLAG_RELATIVE,
  };
  const size =
    REPARSE_HEADER_SIZE + SYMLINK_FIXED_SIZE + 2 * (info.substituteName.length + info.printName.length);
  irp.systemBuffer = info;
  if (outputLength < size) return completeRequest(irp, STATUS_BUFFER_OVERFLOW, outputLength);
  return completeRequest(irp, STATUS_SUCCESS, size);
}

function userFsRequest(vcb: Vcb, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const { controlCode, outputBufferLength } = location.parameters as ControlParameters;
  const fileObject = location.fileObject!;
  switch (controlCode) {
    case FSCTL_IS_VOLUME_MOUNTED:
      return completeRequest(irp, STATUS_SUCCESS);
    case FSCTL_GET_REPARSE_POINT:
      return getReparsePoint(fileObject, irp, outputBufferLength);
    case FSCTL_LOCK_VOLUME:
    case FSCTL_UNLOCK_VOLUME:
    case FSCTL_DISMOUNT_VOLUME:
      break;
    default:
      return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  }
  if (fileObject.fsContext !== vcb) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (controlCode === FSCTL_LOCK_VOLUME) return lockVolume(vcb, fileObject, irp);
  if (controlCode === FSCTL_UNLOCK_VOLUME) return unlockVolume(vcb, fileObject, irp);
  if (vcb.lockedBy !== null && vcb.lockedBy !== fileObject) return completeRequest(irp, STATUS_ACCESS_DENIED);
  dismountVolume(vcb, true);
  return completeRequest(irp, STATUS_SUCCESS);
}

export function CdfsFileSystemControl(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const minor = location.minorFunction;
  if (device.deviceExtension instanceof CdfsControl) {
    return minor === IRP_MN_MOUNT_VOLUME
      ? CdfsMountVolume(device, irp)
      : completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  }
  if (minor === IRP_MN_VERIFY_VOLUME) {
    const vcb = vcbOf(device);
    return vcb === null ? completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST) : CdfsVerifyVolume(vcb, irp);
  }
  if (minor !== IRP_MN_USER_FS_REQUEST) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const vcb = vcbOfOpen(location.fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  return userFsRequest(vcb, irp);
}

export function CdfsDeviceControl(_device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  IoSkipCurrentIrpStackLocation(irp);
  return IoCallDriver(vcb.storage, irp);
}

/** Takes the control devices out of the queues and deletes them (what DriverUnload also does). */
export function removeControlDevices(data: CdfsData): void {
  for (const cdo of data.controlDevices.splice(0)) {
    IoUnregisterFileSystem(cdo);
    ObDereferenceObject(cdo);
    IoDeleteDevice(cdo);
  }
}

export function CdfsShutdown(device: DeviceObject, irp: Irp): NTSTATUS {
  const data = device.driverObject.driverExtension as CdfsData;
  if (device.deviceExtension instanceof CdfsControl) {
    data.shutdown = true;
    removeControlDevices(data);
  }
  return completeRequest(irp, STATUS_SUCCESS);
}
