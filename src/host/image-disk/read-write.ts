/**
 * IRP_MJ_READ / IRP_MJ_WRITE for an image disk: sector I/O on the host file at random offsets.
 *
 * The same rules as any disk (verifyDiskTransfer in the I/O library): offset and length are
 * multiples of the sector size and the whole transfer lies inside the disk, else
 * STATUS_INVALID_PARAMETER with nothing transferred; a write-protected disk refuses writes with STATUS_MEDIA_WRITE_PROTECTED. The data
 * moves with fs.readSync / fs.writeSync straight between the descriptor and the caller's buffer (no
 * copy, no cache), looping over short transfers, and the IRP completes before the dispatch routine
 * returns: this is the synchronous fast path. A host error becomes its NTSTATUS (host-status.ts) and
 * IoStatus.Information is 0; a read that meets the end of a file that shrank behind the disk's
 * back is STATUS_DEVICE_DATA_ERROR. A disk whose descriptor is closed answers STATUS_NO_SUCH_DEVICE.
 */
import fs from 'node:fs';
import {
  type NTSTATUS,
  STATUS_DEVICE_DATA_ERROR,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_IO_DEVICE_ERROR,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NO_SUCH_DEVICE,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type ReadWriteParameters,
  verifyDiskTransfer,
} from '../../io/index.ts';
import { type ImageDiskExtension, imageDiskExtension } from './extension.ts';
import { hostErrorStatus } from './host-status.ts';

function checkTransfer(disk: ImageDiskExtension, irp: Irp, parameters: ReadWriteParameters): NTSTATUS {
  if (disk.fd === null) return STATUS_NO_SUCH_DEVICE;
  return verifyDiskTransfer(irp, parameters, disk.sectorSize, disk.length);
}

export function ImageDiskRead(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const disk = imageDiskExtension(deviceObject);
  if (disk === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
  const parameters = IoGetCurrentIrpStackLocation(irp).parameters as ReadWriteParameters;
  const checked = checkTransfer(disk, irp, parameters);
  if (checked !== STATUS_SUCCESS) return completeRequest(irp, checked, 0);
  const { byteOffset, length } = parameters;
  const buffer = irp.userBuffer!;
  let done = 0;
  try {
    while (done < length) {
      const read = fs.readSync(disk.fd!, buffer, done, length - done, byteOffset + done);
      if (read === 0) return completeRequest(irp, STATUS_DEVICE_DATA_ERROR, 0);
      done += read;
    }
  } catch (error) {
    return completeRequest(irp, hostErrorStatus(error), 0);
  }
  return completeRequest(irp, STATUS_SUCCESS, length);
}

export function ImageDiskWrite(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const disk = imageDiskExtension(deviceObject);
  if (disk === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
  const parameters = IoGetCurrentIrpStackLocation(irp).parameters as ReadWriteParameters;
  const checked = checkTransfer(disk, irp, parameters);
  if (checked !== STATUS_SUCCESS) return completeRequest(irp, checked, 0);
  if (disk.readOnly) return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED, 0);
  const { byteOffset, length } = parameters;
  const buffer = irp.userBuffer!;
  const fd = disk.fd!;
  let done = 0;
  try {
    while (done < length) {
      const wrote = fs.writeSync(fd, buffer, done, length - done, byteOffset + done);
      if (wrote <= 0) return completeRequest(irp, STATUS_IO_DEVICE_ERROR, 0);
      done += wrote;
    }
    if (length > 0) {
      disk.dirty = true;
      if (disk.writeThrough) {
        fs.fsyncSync(fd);
        disk.dirty = false;
      }
    }
  } catch (error) {
    return completeRequest(irp, hostErrorStatus(error), 0);
  }
  return completeRequest(irp, STATUS_SUCCESS, length);
}
