/**
 * IRP_MJ_READ / IRP_MJ_WRITE for the RAM disk: sector I/O on the media (the disk class driver's
 * read/write path, reduced to a copy).
 *
 * Rules, as a disk enforces them: the offset and the length are multiples of the sector size, the
 * whole transfer lies inside the media (else STATUS_INVALID_PARAMETER, nothing copied), and a
 * write-protected disk refuses writes with STATUS_MEDIA_WRITE_PROTECTED. The data is the caller's
 * buffer (`irp.userBuffer`); IoStatus.Information is the byte count. A zero-length transfer
 * succeeds at any aligned offset up to the end.
 */
import {
  type NTSTATUS,
  STATUS_INVALID_PARAMETER,
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
} from '../../../io/index.ts';
import { type RamDiskExtension, ramDiskExtension } from './extension.ts';

/** Checks a transfer against the media; STATUS_SUCCESS when it may proceed. */
function checkTransfer(disk: RamDiskExtension, irp: Irp, parameters: ReadWriteParameters): NTSTATUS {
  const { byteOffset, length } = parameters;
  const sectorSize = disk.sectorSize;
  if (!Number.isSafeInteger(byteOffset) || !Number.isSafeInteger(length)) return STATUS_INVALID_PARAMETER;
  if (byteOffset < 0 || length < 0) return STATUS_INVALID_PARAMETER;
  if (byteOffset % sectorSize !== 0 || length % sectorSize !== 0) return STATUS_INVALID_PARAMETER;
  if (byteOffset + length > disk.media.length) return STATUS_INVALID_PARAMETER;
  const buffer = irp.userBuffer;
  if (length > 0 && (buffer === null || buffer.length < length)) return STATUS_INVALID_PARAMETER;
  return STATUS_SUCCESS;
}

function transfer(deviceObject: DeviceObject, irp: Irp, write: boolean): NTSTATUS {
  const disk = ramDiskExtension(deviceObject);
  const parameters = IoGetCurrentIrpStackLocation(irp).parameters as ReadWriteParameters;
  const status = checkTransfer(disk, irp, parameters);
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
