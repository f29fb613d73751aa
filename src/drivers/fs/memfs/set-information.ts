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
 * Every check happens before the first change; a refused request leaves the file as it was.
 */
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_TEMPORARY,
  FILE_ATTRIBUTE_VALID_FLAGS,
  FILE_ATTRIBUTE_VALID_SET_FLAGS,
} from '../../../base/file-codes.ts';
import {
  FILE_DISPOSITION_DELETE,
  FILE_DISPOSITION_POSIX_SEMANTICS,
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
  type SetFileParameters,
} from '../../../io/index.ts';
import { ccbOf, checkMounted, fcbOf, vcbOfOpen } from './common.ts';
import { renameFile } from './rename.ts';
import type { Ccb, Fcb } from './structures.ts';

/** FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE (Windows 10 1809). */
const FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE = 0x10;
/** FILE_DISPOSITION_FORCE_IMAGE_SECTION_CHECK: no image sections here, so accepted and ignored. */
const FILE_DISPOSITION_FORCE_IMAGE_SECTION_CHECK = 0x4;
const DISPOSITION_FLAGS_SUPPORTED =
  FILE_DISPOSITION_DELETE |
  FILE_DISPOSITION_POSIX_SEMANTICS |
  FILE_DISPOSITION_FORCE_IMAGE_SECTION_CHECK |
  FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE;

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function record(irp: Irp): Record<string, unknown> | null {
  const buffer = irp.systemBuffer;
  return typeof buffer === 'object' && buffer !== null ? (buffer as Record<string, unknown>) : null;
}

function setBasic(fcb: Fcb, info: Record<string, unknown>): NTSTATUS {
  const node = fcb.node;
  const times = ['creationTime', 'lastAccessTime', 'lastWriteTime', 'changeTime'] as const;
  for (const field of times) {
    const value = info[field] ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value)) return STATUS_INVALID_PARAMETER;
  }
  const attributes = info.fileAttributes ?? 0;
  if (typeof attributes !== 'number' || !Number.isInteger(attributes) || attributes < 0)
    return STATUS_INVALID_PARAMETER;
  let newAttributes = node.attributes;
  if (attributes !== 0) {
    if ((attributes & ~FILE_ATTRIBUTE_VALID_FLAGS) !== 0) return STATUS_INVALID_PARAMETER;
    if (!node.isDirectory && (attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0) return STATUS_INVALID_PARAMETER;
    if (node.isDirectory && (attributes & FILE_ATTRIBUTE_TEMPORARY) !== 0) return STATUS_INVALID_PARAMETER;
    newAttributes =
      (attributes & FILE_ATTRIBUTE_VALID_SET_FLAGS & ~FILE_ATTRIBUTE_NORMAL) |
      (node.isDirectory ? FILE_ATTRIBUTE_DIRECTORY : 0);
  }
  const given = (field: (typeof times)[number]): number | null => {
    const value = (info[field] ?? 0) as number;
    return value === 0 || value === -1 ? null : value;
  };
  const changes = times.some((field) => given(field) !== null) || newAttributes !== node.attributes;
  if (!changes) return STATUS_SUCCESS;
  if (fcb.vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  node.creationTime = given('creationTime') ?? node.creationTime;
  node.lastAccessTime = given('lastAccessTime') ?? node.lastAccessTime;
  node.lastWriteTime = given('lastWriteTime') ?? node.lastWriteTime;
  node.attributes = newAttributes;
  node.changeTime = given('changeTime') ?? fcb.vcb.realDevice.system.now();
  fcb.vcb.dirty = true;
  return STATUS_SUCCESS;
}

function setSize(fcb: Fcb, value: unknown, allocation: boolean): NTSTATUS {
  const node = fcb.node;
  if (node.isDirectory || !isSize(value)) return STATUS_INVALID_PARAMETER;
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

function setDisposition(fcb: Fcb, ccb: Ccb | null, fileObject: FileObject, flags: number): NTSTATUS {
  if ((flags & ~DISPOSITION_FLAGS_SUPPORTED) !== 0) return STATUS_INVALID_PARAMETER;
  const node = fcb.node;
  if ((flags & FILE_DISPOSITION_DELETE) === 0) {
    fcb.deletePending = false;
    fileObject.deletePending = false;
    if (ccb !== null) ccb.posixDelete = false;
    return STATUS_SUCCESS;
  }
  if (node.parent === null) return STATUS_CANNOT_DELETE;
  if (
    (node.attributes & FILE_ATTRIBUTE_READONLY) !== 0 &&
    (flags & FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE) === 0
  )
    return STATUS_CANNOT_DELETE;
  if (node.isDirectory && node.children!.size > 0) return STATUS_DIRECTORY_NOT_EMPTY;
  if (fcb.vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  fcb.deletePending = true;
  fileObject.deletePending = true;
  if (ccb !== null && (flags & FILE_DISPOSITION_POSIX_SEMANTICS) !== 0) ccb.posixDelete = true;
  return STATUS_SUCCESS;
}

function dispatch(fcb: Fcb, fileObject: FileObject, irp: Irp, parameters: SetFileParameters): NTSTATUS {
  const info = record(irp);
  if (info === null) return STATUS_INVALID_PARAMETER;
  switch (parameters.fileInformationClass) {
    case FileBasicInformation:
      return setBasic(fcb, info);
    case FileEndOfFileInformation:
      return setSize(fcb, info.endOfFile, false);
    case FileAllocationInformation:
      return setSize(fcb, info.allocationSize, true);
    case FileDispositionInformation:
      if (typeof info.deleteFile !== 'boolean') return STATUS_INVALID_PARAMETER;
      return setDisposition(
        fcb,
        ccbOf(fileObject),
        fileObject,
        info.deleteFile ? FILE_DISPOSITION_DELETE : 0,
      );
    case FileDispositionInformationEx:
      if (typeof info.flags !== 'number' || !Number.isInteger(info.flags) || info.flags < 0)
        return STATUS_INVALID_PARAMETER;
      return setDisposition(fcb, ccbOf(fileObject), fileObject, info.flags);
    case FilePositionInformation:
      if (!isSize(info.currentByteOffset)) return STATUS_INVALID_PARAMETER;
      fileObject.currentByteOffset = info.currentByteOffset;
      return STATUS_SUCCESS;
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
