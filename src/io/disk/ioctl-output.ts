/**
 * Answering a METHOD_BUFFERED disk IOCTL with a record, as disk.sys and cdrom.sys do (their
 * DiskIoctlGetDriveGeometry, DiskIoctlGetLengthInfo, ... handlers): an output buffer shorter than
 * the C structure is STATUS_BUFFER_TOO_SMALL with nothing returned; otherwise the record becomes
 * the IRP's buffer and IoStatus.Information is its size (or, for a record with a variable part,
 * the bytes it really fills).
 */
import { type NTSTATUS, STATUS_BUFFER_TOO_SMALL, STATUS_SUCCESS } from '../../base/index.ts';
import { completeRequest } from '../complete-request.ts';
import type { Irp } from '../irp.ts';

export function completeDiskIoctl(
  irp: Irp,
  outputBufferLength: number,
  size: number,
  record: unknown,
  information = size,
): NTSTATUS {
  if (outputBufferLength < size) return completeRequest(irp, STATUS_BUFFER_TOO_SMALL, 0);
  irp.systemBuffer = record;
  return completeRequest(irp, STATUS_SUCCESS, information);
}
