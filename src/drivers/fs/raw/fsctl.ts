/**
 * IRP_MJ_FILE_SYSTEM_CONTROL for RAW: mount on the control devices, volume FSCTLs on volumes.
 *
 * Mount: the I/O manager sends IRP_MN_MOUNT_VOLUME to RAW only when raw mount is allowed (an open
 * of the volume itself) and every other file system declined, so RAW accepts any media. It creates
 * an unnamed volume device of its control device's type, with the disk's sector size (512 when it
 * does not say), serial number 0 and no label (createVolumeDevice in the I/O library: StackSize and
 * SectorSize are set before DO_DEVICE_INITIALIZING is cleared). RAW never unloads, so it keeps no
 * list of its volumes. The I/O manager sets VPB_MOUNTED (D2).
 *
 * Verify: RAW never vouches for media (it never read it), so it answers STATUS_WRONG_VOLUME and the
 * I/O manager tries the real file systems again; an unused RAW volume goes away at once.
 *
 * User requests (volume opens only): LOCK fails with STATUS_ACCESS_DENIED while any other file
 * object is open or the volume is already locked; UNLOCK by anyone but the locker is
 * STATUS_NOT_LOCKED; DISMOUNT follows §5.4; IS_VOLUME_MOUNTED succeeds.
 */
import { VPB_LOCKED } from '../../../base/device-codes.ts';
import {
  FO_VOLUME_OPEN,
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
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_LOCKED,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
  STATUS_WRONG_VOLUME,
} from '../../../base/ntstatus.ts';
import {
  type ControlParameters,
  completeRequest,
  createVolumeDevice,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type MountVolumeParameters,
} from '../../../io/index.ts';
import { RawControlDevice, RawVcb, rawDeleteIfUnused, rawDismount, rawVcbOf } from './vcb.ts';

function mountVolume(controlDevice: DeviceObject, irp: Irp): NTSTATUS {
  const parameters = IoGetCurrentIrpStackLocation(irp).parameters as MountVolumeParameters;
  const storage = parameters.deviceObject;
  const facts = {
    deviceType: controlDevice.deviceType,
    sectorSize: storage.sectorSize !== 0 ? storage.sectorSize : 512,
    serialNumber: 0,
    label: '',
  };
  const vcb = new RawVcb(parameters.vpb, storage);
  return completeRequest(irp, createVolumeDevice(controlDevice, parameters, vcb, facts, null));
}

function userFsRequest(vcb: RawVcb, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const { controlCode } = location.parameters as ControlParameters;
  const fileObject = location.fileObject;
  if (controlCode === FSCTL_IS_VOLUME_MOUNTED) return completeRequest(irp, STATUS_SUCCESS);
  if (
    controlCode !== FSCTL_LOCK_VOLUME &&
    controlCode !== FSCTL_UNLOCK_VOLUME &&
    controlCode !== FSCTL_DISMOUNT_VOLUME
  ) {
    return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  }
  if (fileObject === null || (fileObject.flags & FO_VOLUME_OPEN) === 0)
    return completeRequest(irp, STATUS_INVALID_PARAMETER);
  switch (controlCode) {
    case FSCTL_LOCK_VOLUME:
      if ((vcb.vpb.flags & VPB_LOCKED) !== 0 || vcb.openCount > 1)
        return completeRequest(irp, STATUS_ACCESS_DENIED);
      vcb.vpb.flags |= VPB_LOCKED;
      vcb.lockedBy = fileObject;
      return completeRequest(irp, STATUS_SUCCESS);
    case FSCTL_UNLOCK_VOLUME:
      if (vcb.lockedBy !== fileObject) return completeRequest(irp, STATUS_NOT_LOCKED);
      vcb.vpb.flags &= ~VPB_LOCKED;
      vcb.lockedBy = null;
      return completeRequest(irp, STATUS_SUCCESS);
    default:
      // FSCTL_DISMOUNT_VOLUME: refused only when another handle holds the lock.
      if (vcb.lockedBy !== null && vcb.lockedBy !== fileObject)
        return completeRequest(irp, STATUS_ACCESS_DENIED);
      rawDismount(vcb);
      return completeRequest(irp, STATUS_SUCCESS);
  }
}

export function RawFileSystemControl(device: DeviceObject, irp: Irp): NTSTATUS {
  const minor = IoGetCurrentIrpStackLocation(irp).minorFunction;
  if (device.deviceExtension instanceof RawControlDevice) {
    return minor === IRP_MN_MOUNT_VOLUME
      ? mountVolume(device, irp)
      : completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  }
  const vcb = rawVcbOf(device);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  if (minor === IRP_MN_VERIFY_VOLUME) {
    // The I/O manager re-mounts with the VPB; only our own bookkeeping goes here.
    vcb.dismounted = true;
    vcb.lockedBy = null;
    rawDeleteIfUnused(vcb);
    return completeRequest(irp, STATUS_WRONG_VOLUME);
  }
  if (vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  if (minor === IRP_MN_USER_FS_REQUEST) return userFsRequest(vcb, irp);
  return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
}
