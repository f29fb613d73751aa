/**
 * NtQueryVolumeInformationFile / NtSetVolumeInformationFile: volume records (size, label,
 * attributes, device) through any handle on the volume.
 */

import type { MaybePromise } from '../base/index.ts';
import {
  FILE_WRITE_DATA,
  IRP_MJ_QUERY_VOLUME_INFORMATION,
  IRP_MJ_SET_VOLUME_INFORMATION,
  NT_ERROR,
  type NTSTATUS,
  STATUS_INVALID_PARAMETER,
} from '../base/index.ts';
import { IoGetRelatedDeviceObject } from '../io/index.ts';
import type { Handle, Process } from '../ob/index.ts';
import { referenceFileByHandle } from './file-handle.ts';
import type { QueryResult } from './nt-information.ts';
import { buildFileIrp, callAndMap } from './service-tail.ts';

export function NtQueryVolumeInformationFile<T = unknown>(
  process: Process,
  handle: Handle,
  fsInformationClass: number,
  length = 4096,
): MaybePromise<QueryResult<T>> {
  const resolved = referenceFileByHandle(process, handle, 0);
  const fileObject = resolved.fileObject;
  if (fileObject === null) return { status: resolved.status, info: null };
  const target = IoGetRelatedDeviceObject(fileObject);
  const irp = buildFileIrp(target, fileObject, IRP_MJ_QUERY_VOLUME_INFORMATION, 0, {
    length,
    fsInformationClass,
  });
  return callAndMap(target, irp, (done) => {
    const status = done.ioStatus.status;
    return { status, info: NT_ERROR(status) ? null : (done.systemBuffer as T) };
  });
}

export function NtSetVolumeInformationFile(
  process: Process,
  handle: Handle,
  fsInformationClass: number,
  info: unknown,
): MaybePromise<NTSTATUS> {
  const resolved = referenceFileByHandle(process, handle, FILE_WRITE_DATA);
  const fileObject = resolved.fileObject;
  if (fileObject === null) return resolved.status;
  if (typeof info !== 'object' || info === null) return STATUS_INVALID_PARAMETER;
  const target = IoGetRelatedDeviceObject(fileObject);
  const irp = buildFileIrp(target, fileObject, IRP_MJ_SET_VOLUME_INFORMATION, 0, {
    length: 0,
    fsInformationClass,
  });
  irp.systemBuffer = info;
  return callAndMap(target, irp, (done) => done.ioStatus.status);
}
