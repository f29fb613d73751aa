/**
 * NtFsControlFile / NtDeviceIoControlFile / NtFlushBuffersFile.
 *
 * Control requests use METHOD_BUFFERED semantics: the input arrives in Irp.systemBuffer and the
 * driver leaves its output there, with IoStatus.Information saying how much it produced.
 */

import type { MaybePromise, NTSTATUS } from '../base/index.ts';
import {
  FILE_APPEND_DATA,
  FILE_WRITE_DATA,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_FLUSH_BUFFERS,
  IRP_MN_USER_FS_REQUEST,
} from '../base/index.ts';
import { IoGetRelatedDeviceObject, NO_PARAMETERS } from '../io/index.ts';
import type { Handle, Process } from '../ob/index.ts';
import { referenceFileByHandle } from './file-handle.ts';
import { buildFileIrp, callAndMap } from './service-tail.ts';

export interface ControlResult {
  status: NTSTATUS;
  information: number;
  /** What the driver left in the system buffer. */
  output: unknown;
}

function control(
  process: Process,
  handle: Handle,
  majorFunction: number,
  minorFunction: number,
  controlCode: number,
  input: unknown,
  outputBufferLength: number,
): MaybePromise<ControlResult> {
  const resolved = referenceFileByHandle(process, handle, 0);
  const fileObject = resolved.fileObject;
  if (fileObject === null) return { status: resolved.status, information: 0, output: null };
  const inputBufferLength =
    input instanceof Uint8Array ? input.length : input === null || input === undefined ? 0 : 1;
  const target = IoGetRelatedDeviceObject(fileObject);
  const irp = buildFileIrp(target, fileObject, majorFunction, minorFunction, {
    outputBufferLength,
    inputBufferLength,
    controlCode: controlCode >>> 0,
  });
  irp.systemBuffer = input ?? null;
  return callAndMap(target, irp, (done) => ({
    status: done.ioStatus.status,
    information: done.ioStatus.information,
    output: done.systemBuffer,
  }));
}

/** NtFsControlFile: an FSCTL to the file system (IRP_MN_USER_FS_REQUEST). */
export function NtFsControlFile(
  process: Process,
  handle: Handle,
  fsControlCode: number,
  input: unknown = null,
  outputBufferLength = 0,
): MaybePromise<ControlResult> {
  return control(
    process,
    handle,
    IRP_MJ_FILE_SYSTEM_CONTROL,
    IRP_MN_USER_FS_REQUEST,
    fsControlCode,
    input,
    outputBufferLength,
  );
}

/** NtDeviceIoControlFile: an IOCTL to the top of the file's stack. */
export function NtDeviceIoControlFile(
  process: Process,
  handle: Handle,
  ioControlCode: number,
  input: unknown = null,
  outputBufferLength = 0,
): MaybePromise<ControlResult> {
  return control(process, handle, IRP_MJ_DEVICE_CONTROL, 0, ioControlCode, input, outputBufferLength);
}

/** NtFlushBuffersFile: needs write access, as in NT. */
export function NtFlushBuffersFile(process: Process, handle: Handle): MaybePromise<NTSTATUS> {
  const resolved = referenceFileByHandle(process, handle, FILE_WRITE_DATA | FILE_APPEND_DATA);
  const fileObject = resolved.fileObject;
  if (fileObject === null) return resolved.status;
  const target = IoGetRelatedDeviceObject(fileObject);
  const irp = buildFileIrp(target, fileObject, IRP_MJ_FLUSH_BUFFERS, 0, NO_PARAMETERS);
  return callAndMap(target, irp, (done) => done.ioStatus.status);
}
