/**
 * NtQueryDirectoryFile: the next batch of entries of an open directory.
 *
 * The search expression given on the first call (or on a restart) sticks to the handle, as in NT.
 * Entries come back as structured records (FileDirectoryEntry); `length` bounds how many by the size
 * of the class's C structure, so a small buffer yields small batches.
 */

import type { MaybePromise } from '../base/index.ts';
import {
  FILE_LIST_DIRECTORY,
  type FileDirectoryEntry,
  IRP_MJ_DIRECTORY_CONTROL,
  IRP_MN_QUERY_DIRECTORY,
  isDirectoryInformationClass,
  NT_ERROR,
  type NTSTATUS,
  SL_INDEX_SPECIFIED,
  SL_RESTART_SCAN,
  SL_RETURN_SINGLE_ENTRY,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
} from '../base/index.ts';
import { IoGetNextIrpStackLocation, IoGetRelatedDeviceObject } from '../io/index.ts';
import type { Handle, Process } from '../ob/index.ts';
import { referenceFileByHandle } from './file-handle.ts';
import { buildFileIrp, callAndMap } from './service-tail.ts';

export interface QueryDirectoryRequest {
  fileInformationClass: number;
  /** Bytes the caller's buffer would hold (default 64 KiB). */
  length?: number;
  returnSingleEntry?: boolean;
  /** Search expression with wildcards; only the first call (or a restart) uses it. */
  fileName?: string | null;
  restartScan?: boolean;
  /** Resume after this index (SL_INDEX_SPECIFIED); file systems may ignore it. */
  fileIndex?: number;
}

export interface QueryDirectoryResult {
  status: NTSTATUS;
  entries: FileDirectoryEntry[];
}

export function NtQueryDirectoryFile(
  process: Process,
  handle: Handle,
  request: QueryDirectoryRequest,
): MaybePromise<QueryDirectoryResult> {
  const resolved = referenceFileByHandle(process, handle, FILE_LIST_DIRECTORY);
  const fileObject = resolved.fileObject;
  if (fileObject === null) return { status: resolved.status, entries: [] };
  if (!isDirectoryInformationClass(request.fileInformationClass))
    return { status: STATUS_INVALID_INFO_CLASS, entries: [] };
  const length = request.length ?? 65536;
  if (!Number.isInteger(length) || length <= 0) return { status: STATUS_INVALID_PARAMETER, entries: [] };
  const target = IoGetRelatedDeviceObject(fileObject);
  const irp = buildFileIrp(target, fileObject, IRP_MJ_DIRECTORY_CONTROL, IRP_MN_QUERY_DIRECTORY, {
    length,
    fileName: request.fileName ?? null,
    fileInformationClass: request.fileInformationClass,
    fileIndex: request.fileIndex ?? 0,
  });
  const location = IoGetNextIrpStackLocation(irp);
  location.flags =
    (request.restartScan ? SL_RESTART_SCAN : 0) |
    (request.returnSingleEntry ? SL_RETURN_SINGLE_ENTRY : 0) |
    (request.fileIndex !== undefined ? SL_INDEX_SPECIFIED : 0);
  return callAndMap(target, irp, (done) => {
    const status = done.ioStatus.status;
    const entries =
      !NT_ERROR(status) && Array.isArray(done.systemBuffer)
        ? (done.systemBuffer as FileDirectoryEntry[])
        : [];
    return { status, entries };
  });
}
