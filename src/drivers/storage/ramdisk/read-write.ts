/**
 * IRP_MJ_READ / IRP_MJ_WRITE for the RAM disk: sector I/O on the media (the disk class driver's
 * read/write path, reduced to a copy).
 *
 * Rules, as every disk enforces them (verifyDiskTransfer in the I/O library): the offset and the
 * length are multiples of the sector size, the whole transfer lies inside the media (else
 * STATUS_INVALID_PARAMETER, nothing copied), and a write-protected disk refuses writes with
 * STATUS_MEDIA_WRITE_PROTECTED. The data is the caller's
 * buffer (`irp.userBuffer`); IoStatus.Information is the byte count. A zero-length transfer
 * succeeds at any aligned offset up to the end.
 */
import {
  type NTSTATUS,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_PENDING,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  IoMarkIrpPending,
  type Irp,
  type ReadWriteParameters,
  verifyDiskTransfer,
} from '../../../io/index.ts';
import { ramDiskExtension } from './extension.ts';

function transfer(deviceObject: DeviceObject, irp: Irp, write: boolean): NTSTATUS {
  const disk = ramDiskExtension(deviceObject);
  const parameters = IoGetCurrentIrpStackLocation(irp).parameters as ReadWriteParameters;
  const status = verifyDiskTransfer(irp, parameters, disk.sectorSize, disk.media.length);
  if (status !== STATUS_SUCCESS) return completeRequest(irp, status, 0);
  if (write && disk.readOnly) return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED, 0);
  const { byteOffset, length } = parameters;
  const copy = (): void => {
    if (length === 0) return;
    const buffer = irp.userBuffer!;
    if (write) disk.media.set(buffer.length === length ? buffer : buffer.subarray(0, length), byteOffset);
    else buffer.set(disk.media.subarray(byteOffset, byteOffset + length), 0);
  };
  if (!disk.completeAsynchronously) {
    copy();
    return completeRequest(irp, STATUS_SUCCESS, length);
  }
  IoMarkIrpPending(irp);
  queueMicrotask(() => {
    copy();
    completeRequest(irp, STATUS_SUCCESS, length);
  });
  return STATUS_PENDING;
}

export function RamDiskRead(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  return transfer(deviceObject, irp, false);
}

export function RamDiskWrite(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  return transfer(deviceObject, irp, true);
}
