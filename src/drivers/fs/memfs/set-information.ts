/**
 * IRP_MJ_SET_INFORMATION for MemFS (the record arrives in `irp.systemBuffer`).
 *
 * - FileBasicInformation: a time of 0 (or -1) leaves that time alone; attributes 0 leave them alone,
 *   FILE_ATTRIBUTE_NORMAL alone clears them; DIRECTORY cannot be given to a file, TEMPORARY not to a
 *   directory (STATUS_INVALID_PARAMETER). The change time moves unless the caller set it.
 * - FileEndOfFileInformation / FileAllocationInformation: truncate or extend a file (extension
 *   reads as zeros and may be STATUS_DISK_FULL); allocation only ever truncates. Directories:
 *   STATUS_INVALID_PARAMETER.
 * - FileDispositionInformation(Ex): mark or unmark the file delete-pending. The root and read-only
 *   files cannot be deleted (STATUS_CANNOT_DELETE), nor non-empty directories
 *   (STATUS_DIRECTORY_NOT_EMPTY). The name stays until the last handle is cleaned up — or, with
 *   FILE_DISPOSITION_POSIX_SEMANTICS, until this handle is.
 * - FilePositionInformation: the file object's current byte offset.
 * - FileRenameInformation: rename.ts. FileLinkInformation: MemFS has no hard links.
 * The record rules every file system shares (basic, disposition, position) are src/io/fsrtl's.
 * Every check happens before the first change; a refused request leaves the file as it was.
 */
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_VALID_SET_FLAGS,
} from '../../../base/file-codes.ts';
import {
  FileAllocationInformation,
  FileBasicInformation,
  FileDispositionInformation,
  FileDispositionInformationEx,
  FileEndOfFileInformation,
  FileLinkInformation,
  FilePositionInformation,
  FileRenameInformation,
} from '../../../base/information-classes.ts';
import {
  type NTSTATUS,
  STATUS_CANNOT_DELETE,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_DISK_FULL,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
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
  storedAttributes,
} from '../../../io/index.ts';
import { ccbOf, checkMounted, fcbOf, vcbOfOpen } from './common.ts';
import { renameFile } from './rename.ts';
import type { Ccb, Fcb } from './structures.ts';

function setBasic(fcb: Fcb, info: Record<string, unknown>): NTSTATUS {
  const node = fcb.node;
  const change = readBasicInformation(info, node.isDirectory);
  if (change.status !== STATUS_SUCCESS) return change.status;
  const newAttributes =
    change.fileAttributes === 0
      ? node.attributes
      : storedAttributes(change.fileAttributes, node.isDirectory, FILE_ATTRIBUTE_VALID_SET_FLAGS);
  const changes =
    change.creationTime !== null ||
    change.lastAccessTime !== null ||
    change.lastWriteTime !== null ||
    change.changeTime !== null ||
    newAttributes !== node.attributes;
  if (!changes) return STATUS_SUCCESS;
  if (fcb.vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  node.creationTime = change.creationTime ?? node.creationTime;
  node.lastAccessTime = change.lastAccessTime ?? node.lastAccessTime;
  node.lastWriteTime = change.lastWriteTime ?? node.lastWriteTime;
  node.attributes = newAttributes;
  node.changeTime = change.changeTime ?? fcb.vcb.realDevice.system.now();
  fcb.vcb.dirty = true;
  return STATUS_SUCCESS;
}

function setSize(fcb: Fcb, value: unknown, allocation: boolean): NTSTATUS {
  const node = fcb.node;
  if (node.isDirectory || !isFileSize(value)) return STATUS_INVALID_PARAMETER;
  // Allocation below the end of file truncates; above it reserves nothing MemFS needs to keep.
  const newSize = allocation ? Math.min(value, node.size) : value;
  if (newSize === node.size) return STATUS_SUCCESS;
  if (fcb.vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  if (!fcb.vcb.volume.resize(node, newSize)) return STATUS_DISK_FULL;
  node.lastWriteTime = node.changeTime = fcb.vcb.realDevice.system.now();
  node.attributes |= FILE_ATTRIBUTE_ARCHIVE;
  fcb.vcb.dirty = true;
  return STATUS_SUCCESS;
}

/** What MemFS checks before a file may become delete-pending (FatSetDispositionInfo's checks). */
function mayDelete(fcb: Fcb, _ccb: Ccb | null, flags: number): NTSTATUS {
  const node = fcb.node;
  if (node.parent === null) return STATUS_CANNOT_DELETE;
  const readOnly = readOnlyDeleteCheck((node.attributes & FILE_ATTRIBUTE_READONLY) !== 0, flags);
  if (readOnly !== STATUS_SUCCESS) return readOnly;
  if (node.isDirectory && node.children!.size > 0) return STATUS_DIRECTORY_NOT_EMPTY;
  if (fcb.vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  return STATUS_SUCCESS;
}

function dispatch(fcb: Fcb, fileObject: FileObject, irp: Irp, parameters: SetFileParameters): NTSTATUS {
  const info = setInformationRecord(irp);
  if (info === null) return STATUS_INVALID_PARAMETER;
  switch (parameters.fileInformationClass) {
    case FileBasicInformation:
      return setBasic(fcb, info);
    case FileEndOfFileInformation:
      return setSize(fcb, info.endOfFile, false);
    case FileAllocationInformation:
      return setSize(fcb, info.allocationSize, true);
    case FileDispositionInformation:
    case FileDispositionInformationEx:
      return setDispositionInformation(
        fcb,
        ccbOf(fileObject),
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

export function MemFsSetInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const vcb = vcbOfOpen(fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const fcb = fcbOf(fileObject);
  if (fcb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  return completeRequest(irp, dispatch(fcb, fileObject, irp, location.parameters as SetFileParameters));
}
