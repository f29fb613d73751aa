/**
 * NtReadFile / NtWriteFile, in the NT shape: the caller passes the IoStatusBlock to fill and gets
 * the status back (or a promise of it when a driver pended).
 *
 * The byte offset is required unless the file was opened for synchronous I/O, in which case an
 * omitted offset means the current file position (FILE_USE_FILE_POINTER_POSITION). A write at
 * offset -1 appends (FILE_WRITE_TO_END_OF_FILE). The data buffer is the caller's memory.
 * This is the hot path: one IRP, one parameter record, nothing else.
 */

import type { MaybePromise } from '../base/index.ts';
import {
  FILE_APPEND_DATA,
  FILE_READ_DATA,
  FILE_WRITE_DATA,
  FO_SYNCHRONOUS_IO,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
  IRP_READ_OPERATION,
  IRP_WRITE_OPERATION,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_TYPE_MISMATCH,
} from '../base/index.ts';
import { FileObject, IoGetRelatedDeviceObject, type IoStatusBlock, type Irp } from '../io/index.ts';
import type { Handle, Process } from '../ob/index.ts';
import { buildFileIrp, callAndWait } from './service-tail.ts';

function transfer(
  process: Process,
  handle: Handle,
  ioStatus: IoStatusBlock,
  buffer: Uint8Array,
  length: number,
  byteOffset: number | null | undefined,
  write: boolean,
): MaybePromise<NTSTATUS> {
  // Inline handle resolution: this is the hot path, and a result record per call would be garbage.
  const entry = process.handleTable.lookup(handle);
  if (entry === undefined) return fail(ioStatus, STATUS_INVALID_HANDLE);
  if (!(entry.object instanceof FileObject)) return fail(ioStatus, STATUS_OBJECT_TYPE_MISMATCH);
  if ((entry.grantedAccess & (write ? FILE_WRITE_DATA | FILE_APPEND_DATA : FILE_READ_DATA)) === 0) {
    return fail(ioStatus, STATUS_ACCESS_DENIED);
  }
  const fileObject = entry.object;
  if (!Number.isInteger(length) || length < 0 || length > buffer.length)
    return fail(ioStatus, STATUS_INVALID_PARAMETER);
  let offset: number;
  if (byteOffset === undefined || byteOffset === null) {
    if ((fileObject.flags & FO_SYNCHRONOUS_IO) === 0) return fail(ioStatus, STATUS_INVALID_PARAMETER);
    offset = fileObject.currentByteOffset;
  } else {
    if (!Number.isSafeInteger(byteOffset) || byteOffset < (write ? -1 : 0))
      return fail(ioStatus, STATUS_INVALID_PARAMETER);
    offset = byteOffset;
  }
  const target = IoGetRelatedDeviceObject(fileObject);
  const irp: Irp = buildFileIrp(target, fileObject, write ? IRP_MJ_WRITE : IRP_MJ_READ, 0, {
    length,
    byteOffset: offset,
    key: 0,
  });
  irp.flags |= write ? IRP_WRITE_OPERATION : IRP_READ_OPERATION;
  irp.userBuffer = buffer;
  const status = callAndWait(target, irp);
  if (typeof status === 'number') {
    ioStatus.status = status;
    ioStatus.information = irp.ioStatus.information;
    return status;
  }
  return status.then((final) => {
    ioStatus.status = final;
    ioStatus.information = irp.ioStatus.information;
    return final;
  });
}

function fail(ioStatus: IoStatusBlock, status: NTSTATUS): NTSTATUS {
  ioStatus.status = status;
  ioStatus.information = 0;
  return status;
}

/** NtReadFile: reads up to `length` bytes into `buffer` at `byteOffset`. */
export function NtReadFile(
  process: Process,
  handle: Handle,
  ioStatus: IoStatusBlock,
  buffer: Uint8Array,
  length: number,
  byteOffset?: number | null,
): MaybePromise<NTSTATUS> {
  return transfer(process, handle, ioStatus, buffer, length, byteOffset, false);
}

/** NtWriteFile: writes `length` bytes of `buffer` at `byteOffset` (-1 appends). */
export function NtWriteFile(
  process: Process,
  handle: Handle,
  ioStatus: IoStatusBlock,
  buffer: Uint8Array,
  length: number,
  byteOffset?: number | null,
): MaybePromise<NTSTATUS> {
  return transfer(process, handle, ioStatus, buffer, length, byteOffset, true);
}
