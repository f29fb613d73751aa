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
 * I/O manager tries the real file systems again; the volume is dismounted as any file system's is
 * (the I/O manager replaces the VPB) and an unused RAW volume goes away at once.
 *
 * User requests: FSCTL_LOCK_VOLUME, FSCTL_UNLOCK_VOLUME, FSCTL_DISMOUNT_VOLUME and
 * FSCTL_IS_VOLUME_MOUNTED by the rules every disk file system shares (volumeUserFsRequest); RAW
 * holds nothing to write back. A dismounted volume answers STATUS_VOLUME_DISMOUNTED.
 */
import {
  IRP_MN_MOUNT_VOLUME,
  IRP_MN_USER_FS_REQUEST,
  IRP_MN_VERIFY_VOLUME,
} from '../../../base/irp-codes.ts';
import {
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_VOLUME_DISMOUNTED,
  STATUS_WRONG_VOLUME,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  createVolumeDevice,
  type DeviceObject,
  dismountVolume,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type MountVolumeParameters,
  volumeUserFsRequest,
} from '../../../io/index.ts';
import { RawControlDevice, RawVcb, rawDeleteIfUnused, rawVcbOf } from './vcb.ts';

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
    dismountVolume(vcb, false);
    rawDeleteIfUnused(vcb);
    return completeRequest(irp, STATUS_WRONG_VOLUME);
  }
  if (vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  if (minor === IRP_MN_USER_FS_REQUEST) return volumeUserFsRequest(vcb, irp, null);
  return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
}
