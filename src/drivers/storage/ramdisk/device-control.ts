/**
 * IRP_MJ_DEVICE_CONTROL for the RAM disk: the disk IOCTLs a file system asks before it mounts.
 *
 * METHOD_BUFFERED: the answer goes into `irp.systemBuffer` and IoStatus.Information is the size of
 * the C structure. An output buffer shorter than that structure is STATUS_BUFFER_TOO_SMALL, as
 * disk.sys answers. Unknown codes are STATUS_INVALID_DEVICE_REQUEST.
 */
import {
  DISK_GEOMETRY_SIZE,
  GET_LENGTH_INFORMATION_SIZE,
  type GetLengthInformation,
} from '../../../base/disk-structures.ts';
import {
  IOCTL_DISK_GET_DRIVE_GEOMETRY,
  IOCTL_DISK_GET_LENGTH_INFO,
  IOCTL_DISK_IS_WRITABLE,
} from '../../../base/file-codes.ts';
import {
  type NTSTATUS,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  type ControlParameters,
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
} from '../../../io/index.ts';
import { ramDiskExtension } from './extension.ts';
import { ramDiskGeometry } from './geometry.ts';

export function RamDiskDeviceControl(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const disk = ramDiskExtension(deviceObject);
  const parameters = IoGetCurrentIrpStackLocation(irp).parameters as ControlParameters;
  switch (parameters.controlCode) {
    case IOCTL_DISK_GET_LENGTH_INFO: {
      if (parameters.outputBufferLength < GET_LENGTH_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_BUFFER_TOO_SMALL, 0);
      const info: GetLengthInformation = { length: disk.media.length };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, GET_LENGTH_INFORMATION_SIZE);
    }
    case IOCTL_DISK_GET_DRIVE_GEOMETRY: {
      if (parameters.outputBufferLength < DISK_GEOMETRY_SIZE)
        return completeRequest(irp, STATUS_BUFFER_TOO_SMALL, 0);
      irp.systemBuffer = ramDiskGeometry(disk.media.length, disk.sectorSize);
      return completeRequest(irp, STATUS_SUCCESS, DISK_GEOMETRY_SIZE);
    }
    case IOCTL_DISK_IS_WRITABLE:
      return completeRequest(irp, disk.readOnly ? STATUS_MEDIA_WRITE_PROTECTED : STATUS_SUCCESS, 0);
    default:
      return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
  }
}
