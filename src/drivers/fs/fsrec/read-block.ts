/**
 * How a recognizer looks at a volume: the sector size from the drive geometry, then a block read,
 * both as private IRPs to the storage device the mount request names (FsRecGetDeviceSectorSize and
 * FsRecReadBlock in ReactOS). Results arrive through callbacks, at once when the disk answers at
 * once, so a recognizer never makes a synchronous mount asynchronous.
 */

import {
  FILE_DEVICE_CD_ROM,
  FILE_DEVICE_DISK,
  FILE_DEVICE_VIRTUAL_DISK,
} from '../../../base/device-codes.ts';
import { DISK_GEOMETRY_SIZE, type DiskGeometry } from '../../../base/disk-structures.ts';
import { IOCTL_CDROM_GET_DRIVE_GEOMETRY, IOCTL_DISK_GET_DRIVE_GEOMETRY } from '../../../base/file-codes.ts';
import { IRP_MJ_DEVICE_CONTROL, IRP_MJ_READ } from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_DEVICE_DATA_ERROR,
  STATUS_INVALID_DEVICE_REQUEST,
} from '../../../base/ntstatus.ts';
import { type DeviceObject, sendPrivateRequest } from '../../../io/index.ts';

/**
 * Calls `done` with the device's bytes per sector, or null when the device is neither a disk nor a
 * CD-ROM, the geometry request fails, or it reports no sector size (unformatted media). A CD-ROM is
 * asked IOCTL_CDROM_GET_DRIVE_GEOMETRY, as ReactOS does; one that does not know that code (a RAM
 * disk of CD-ROM type) is asked the disk code instead.
 */
export function FsRecGetDeviceSectorSize(
  device: DeviceObject,
  done: (sectorSize: number | null) => void,
): void {
  switch (device.deviceType) {
    case FILE_DEVICE_CD_ROM:
      askGeometry(device, IOCTL_CDROM_GET_DRIVE_GEOMETRY, (status, sectorSize) => {
        if (status === STATUS_INVALID_DEVICE_REQUEST)
          askGeometry(device, IOCTL_DISK_GET_DRIVE_GEOMETRY, (_, size) => done(size));
        else done(sectorSize);
      });
      return;
    case FILE_DEVICE_DISK:
    case FILE_DEVICE_VIRTUAL_DISK:
      askGeometry(device, IOCTL_DISK_GET_DRIVE_GEOMETRY, (_, sectorSize) => done(sectorSize));
      return;
    default:
      done(null);
  }
}

function askGeometry(
  device: DeviceObject,
  controlCode: number,
  done: (status: NTSTATUS, sectorSize: number | null) => void,
): void {
  sendPrivateRequest(
    device,
    {
      majorFunction: IRP_MJ_DEVICE_CONTROL,
      parameters: { controlCode, outputBufferLength: DISK_GEOMETRY_SIZE, inputBufferLength: 0 },
    },
    (irp) => {
      const status = irp.ioStatus.status;
      const bytesPerSector = (irp.systemBuffer as DiskGeometry | null)?.bytesPerSector ?? 0;
      const valid = NT_SUCCESS(status) && Number.isInteger(bytesPerSector) && bytesPerSector > 0;
      done(status, valid ? bytesPerSector : null);
    },
  );
}

/**
 * Reads at least `minimumBytes` at `byteOffset` (rounded up to whole sectors) and calls `done` with
 * the status and the data (null on failure, including a short read).
 */
export function FsRecReadBlock(
  device: DeviceObject,
  byteOffset: number,
  minimumBytes: number,
  sectorSize: number,
  done: (status: NTSTATUS, data: Uint8Array | null) => void,
): void {
  const length = Math.ceil(Math.max(minimumBytes, sectorSize) / sectorSize) * sectorSize;
  const buffer = new Uint8Array(length);
  sendPrivateRequest(
    device,
    { majorFunction: IRP_MJ_READ, parameters: { length, byteOffset, key: 0 }, userBuffer: buffer },
    (irp) => {
      const status = irp.ioStatus.status;
      if (!NT_SUCCESS(status)) done(status, null);
      else if (irp.ioStatus.information < minimumBytes) done(STATUS_DEVICE_DATA_ERROR, null);
      else done(status, buffer);
    },
  );
}
