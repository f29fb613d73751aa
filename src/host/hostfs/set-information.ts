/**
 * IRP_MJ_SET_INFORMATION for HostFS (the record arrives in `irp.systemBuffer`).
 *
 * - FileBasicInformation: last access and last write times go to the host (utimes); creation and
 *   change times cannot be set on a POSIX host and are ignored. A time of 0 or -1 leaves it alone.
 *   READONLY maps to the write permission bits (attributes.ts); HostFS has nowhere to keep the other
 *   attributes, so they are accepted and not stored. DIRECTORY on a file, TEMPORARY on a directory:
 *   STATUS_INVALID_PARAMETER. A link opened as itself takes no changes (STATUS_ACCESS_DENIED).
 * - FileEndOfFileInformation / FileAllocationInformation: ftruncate (an extension reads as zeros);
 *   allocation only ever truncates. Directories: STATUS_INVALID_PARAMETER.
 * - FileDispositionInformation(Ex): mark or unmark delete-pending, as MemFS: the share root and
 *   read-only files cannot be deleted (STATUS_CANNOT_DELETE), nor non-empty directories
 *   (STATUS_DIRECTORY_NOT_EMPTY), nor names the host would refuse to remove (removable.ts:
 *   STATUS_ACCESS_DENIED in a directory without write permission). The host name goes at the last cleanup (or this handle's, with
 *   FILE_DISPOSITION_POSIX_SEMANTICS); the host never sees a pending state.
 * - FilePositionInformation: the file object's current byte offset.
 * - FileRenameInformation: rename.ts. FileLinkInformation: not offered.
 * A read-only share refuses every change (STATUS_ACCESS_DENIED). Checks come before the host call.
 */
import type { Stats } from 'node:fs';
import * as fs from 'node:fs';
import {
  FILE_ATTRIBUTE_READONLY,
  FileAllocationInformation,
  FileBasicInformation,
  FileDispositionInformation,
  FileDispositionInformationEx,
  FileEndOfFileInformation,
  FileLinkInformation,
  FilePositionInformation,
  FileRenameInformation,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_CANNOT_DELETE,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  completeRequest,
  type DeviceObject,
  type FileObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  isFileSize,
  readBasicInformation,
  readOnlyDeleteCheck,
  type SetFileParameters,
  setDispositionInformation,
  setFilePosition,
  setInformationRecord,
} from '../../io/index.ts';
import { isReadOnlyFile, S_IWALL, S_IWUSR } from './attributes.ts';
import { ccbOf, checkShare, fcbOf } from './common.ts';
import { ntStatusFromHostError } from './host-errors.ts';
import { checkHostRemovable } from './removable.ts';
import { renameFile } from './rename.ts';
import type { Ccb, Fcb } from './structures.ts';

function setBasic(fcb: Fcb, ccb: Ccb, info: Record<string, unknown>): NTSTATUS {
  const change = readBasicInformation(info, fcb.kind === 'directory');
  if (change.status !== STATUS_SUCCESS) return change.status;
  const attributes = change.fileAttributes;
  const namespace = fcb.share.namespace;
  const entry = ccb.entry;
  const stat: Stats = namespace.stat(entry);
  const mode = stat.mode & 0o7777;
  let newMode = mode;
  if (attributes !== 0 && fcb.kind === 'file') {
    newMode =
      (attributes & FILE_ATTRIBUTE_READONLY) !== 0 ? mode & ~S_IWALL : mode | (mode & S_IWUSR ? 0 : S_IWUSR);
  }
  // Creation and change times have nowhere to go on a POSIX host.
  const accessTime = change.lastAccessTime;
  const writeTime = change.lastWriteTime;
  if (newMode === mode && accessTime === null && writeTime === null) return STATUS_SUCCESS;
  if (fcb.share.readOnly || fcb.kind === 'link') return STATUS_ACCESS_DENIED;
  if (newMode !== mode) namespace.chmod(entry, newMode);
  if (accessTime !== null || writeTime !== null)
    namespace.utimes(entry, (accessTime ?? stat.atimeMs) / 1000, (writeTime ?? stat.mtimeMs) / 1000);
  return STATUS_SUCCESS;
}

function setSize(fcb: Fcb, ccb: Ccb, value: unknown, allocation: boolean): NTSTATUS {
  if (fcb.kind !== 'file' || !isFileSize(value)) return STATUS_INVALID_PARAMETER;
  const entry = ccb.entry;
  if (fcb.share.readOnly || entry.kind !== 'data') return STATUS_ACCESS_DENIED;
  const size = fcb.share.namespace.stat(entry).size;
  // Allocation below the end of file truncates; above it there is nothing to reserve.
  const newSize = allocation ? Math.min(value, size) : value;
  if (newSize !== size) fs.ftruncateSync(entry.fd, newSize);
  return STATUS_SUCCESS;
}

/** What HostFS checks before a file may become delete-pending, as MemFS does. */
function mayDelete(fcb: Fcb, ccb: Ccb, flags: number): NTSTATUS {
  if (fcb.isRoot) return STATUS_CANNOT_DELETE;
  const namespace = fcb.share.namespace;
  const readOnly = readOnlyDeleteCheck(isReadOnlyFile(namespace.stat(ccb.entry)), flags);
  if (readOnly !== STATUS_SUCCESS) return readOnly;
  if (fcb.kind === 'directory' && namespace.readNames(ccb.entry).length > 0)
    return STATUS_DIRECTORY_NOT_EMPTY;
  if (fcb.share.readOnly) return STATUS_ACCESS_DENIED;
  return checkHostRemovable(fcb.share, fcb.path, namespace.stat(ccb.entry));
}

function dispatch(
  fcb: Fcb,
  ccb: Ccb,
  fileObject: FileObject,
  irp: Irp,
  parameters: SetFileParameters,
): NTSTATUS {
  const info = setInformationRecord(irp);
  if (info === null) return STATUS_INVALID_PARAMETER;
  switch (parameters.fileInformationClass) {
    case FileBasicInformation:
      return setBasic(fcb, ccb, info);
    case FileEndOfFileInformation:
      return setSize(fcb, ccb, info.endOfFile, false);
    case FileAllocationInformation:
      return setSize(fcb, ccb, info.allocationSize, true);
    case FileDispositionInformation:
    case FileDispositionInformationEx:
      return setDispositionInformation(
        fcb,
        ccb,
        fileObject,
        parameters.fileInformationClass,
        info,
        mayDelete,
      );
    case FilePositionInformation:
      return setFilePosition(fileObject, info);
    case FileRenameInformation:
      return renameFile(fcb, info, parameters);
    case FileLinkInformation:
      return STATUS_INVALID_DEVICE_REQUEST;
    default:
      return STATUS_INVALID_PARAMETER;
  }
}

export function HostFsSetInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const fcb = fcbOf(fileObject);
  const ccb = ccbOf(fileObject);
  if (fcb === null || ccb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const shared = checkShare(fcb);
  if (shared !== STATUS_SUCCESS) return completeRequest(irp, shared);
  let status: NTSTATUS;
  try {
    status = dispatch(fcb, ccb, fileObject, irp, location.parameters as SetFileParameters);
  } catch (error) {
    status = ntStatusFromHostError(error);
  }
  return completeRequest(irp, status);
}
