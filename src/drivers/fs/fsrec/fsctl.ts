/**
 * Dispatch routines of the recognizer control devices (ReactOS FsRecFsControl, FsRecCreate,
 * FsRecClose).
 *
 * IRP_MN_MOUNT_VOLUME: read the volume through the storage device in the mount parameters and
 * answer STATUS_FS_DRIVER_REQUIRED when the format is this group's, else STATUS_UNRECOGNIZED_VOLUME
 * (a group that is loaded, or whose last load failed with the image still registered, answers
 * STATUS_UNRECOGNIZED_VOLUME without reading). The reads are private IRPs, so the mount completes
 * at once on a disk that answers at once. IRP_MN_LOAD_FILE_SYSTEM: load.ts. Anything else on
 * IRP_MJ_FILE_SYSTEM_CONTROL is STATUS_INVALID_DEVICE_REQUEST. Creates open the device itself only.
 */
import { FILE_OPENED } from '../../../base/file-codes.ts';
import { IRP_MN_LOAD_FILE_SYSTEM, IRP_MN_MOUNT_VOLUME } from '../../../base/irp-codes.ts';
import {
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  completeWhenDone,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type MountVolumeParameters,
} from '../../../io/index.ts';
import { recognizerGroup } from './extension.ts';
import { FsRecLoadFileSystem, isLoadStillFailing } from './load.ts';

export function FsRecFsControl(device: DeviceObject, irp: Irp): NTSTATUS {
  const group = recognizerGroup(device);
  const location = IoGetCurrentIrpStackLocation(irp);
  if (group === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  switch (location.minorFunction) {
    case IRP_MN_MOUNT_VOLUME: {
      if (group.state === 'loaded' || isLoadStillFailing(group))
        return completeRequest(irp, STATUS_UNRECOGNIZED_VOLUME);
      const storage = (location.parameters as MountVolumeParameters).deviceObject;
      return completeWhenDone(irp, (finish) =>
        group.format.recognize(storage, (status) => finish(status, 0)),
      );
    }
    case IRP_MN_LOAD_FILE_SYSTEM:
      return completeRequest(irp, FsRecLoadFileSystem(group));
    default:
      return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  }
}

export function FsRecCreate(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  if (fileObject !== null && fileObject.fileName !== '')
    return completeRequest(irp, STATUS_OBJECT_PATH_NOT_FOUND);
  return completeRequest(irp, STATUS_SUCCESS, FILE_OPENED);
}

/** IRP_MJ_CLEANUP, IRP_MJ_CLOSE and IRP_MJ_SHUTDOWN: nothing to undo or write. */
export function FsRecSucceed(_device: DeviceObject, irp: Irp): NTSTATUS {
  return completeRequest(irp, STATUS_SUCCESS);
}
