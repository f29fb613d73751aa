/**
 * IRP_MJ_DEVICE_CONTROL for the RAM disk: the disk IOCTLs a file system asks before it mounts.
 *
 * METHOD_BUFFERED: the answer goes into `irp.systemBuffer` and IoStatus.Information is the size of
 * the C structure. An output buffer shorter than that structure is STATUS_BUFFER_TOO_SMALL, as
 * disk.sys answers (completeDiskIoctl). Unknown codes are STATUS_INVALID_DEVICE_REQUEST.
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
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  type ControlParameters,
  completeDiskIoctl,
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
} from '../../../io/index.ts';
import { ramDiskExtension } from './extension.ts';
import { ramDiskGeometry } from './geometry.ts';

export function RamDiskDeviceControl(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const disk = ramDiskExtension(deviceObject);
  const { controlCode, outputBufferLength } = IoGetCurrentIrpStackLocation(irp)
    .parameters as ControlParameters;
  switch (controlCode) {
    case IOCTL_DISK_GET_LENGTH_INFO: {
      const info: GetLengthInformation = { length: disk.media.length };
      return completeDiskIoctl(irp, outputBufferLength, GET_LENGTH_INFORMATION_SIZE, info);
    }
    case IOCTL_DISK_GET_DRIVE_GEOMETRY: {
      const geometry = ramDiskGeometry(disk.media.length, disk.sectorSize);
      return completeDiskIoctl(irp, outputBufferLength, DISK_GEOMETRY_SIZE, geometry);
    }
    case IOCTL_DISK_IS_WRITABLE:
      return completeRequest(irp, disk.readOnly ? STATUS_MEDIA_WRITE_PROTECTED : STATUS_SUCCESS, 0);
    default:
      return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
  }
}
