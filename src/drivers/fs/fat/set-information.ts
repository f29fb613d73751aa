/**
 * IRP_MJ_SET_INFORMATION for FAT (FastFat's fileinfo.c, set side). The record arrives in
 * `irp.systemBuffer`.
 *
 * - FileBasicInformation: a time of 0 (or -1) leaves it alone. Times are stored at FAT resolution
 *   as FastFat stores them: creation rounded down to 10 ms, last write rounded up to 2 s, last
 *   access as a date; a time outside 1980..2107 is STATUS_INVALID_PARAMETER; FAT keeps no change
 *   time, so one given is accepted and dropped. Attributes 0 leave them alone, NORMAL alone clears
 *   them; FAT keeps READONLY, HIDDEN, SYSTEM and ARCHIVE, and accepts (without keeping) the other
 *   settable ones; DIRECTORY on a file or TEMPORARY on a directory is STATUS_INVALID_PARAMETER.
 * - FileEndOfFileInformation: truncate (clusters past the new end go back to the FAT) or extend
 *   (clusters taken first, the new bytes written as zeros; STATUS_DISK_FULL changes nothing).
 * - FileAllocationInformation: below the end of file truncates the file; above it preallocates
 *   clusters, which the last handle's cleanup gives back if the file did not grow into them.
 * - FileDispositionInformation(Ex): delete-pending, as MemFS and FastFat decide it; the root and
 *   read-only files cannot be deleted (STATUS_CANNOT_DELETE), nor non-empty directories
 *   (STATUS_DIRECTORY_NOT_EMPTY); a file whose chain is corrupt cannot be deleted
 *   (STATUS_FILE_CORRUPT_ERROR) since that would free clusters through it.
 * - FilePositionInformation, FileRenameInformation (rename.ts); FAT has no hard links.
 * A read-only volume refuses every change with STATUS_MEDIA_WRITE_PROTECTED. Every check happens
 * before the first change.
 */
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
  completeWhenDone,
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
import { checkWritable, clustersFor, growChain, loadChain, truncateChain } from './allocation.ts';
import { ccbOf, checkMounted, fcbOf, vcbOfOpen } from './common.ts';
import { isEmptyDirectory } from './create.ts';
import { rewriteEntry } from './directory-entries.ts';
import { fatFsdCall } from './irp-context.ts';
import { ATTR_ARCHIVE, ATTR_FILE_BITS, ATTR_READ_ONLY } from './on-disk.ts';
import { FAT_MAX_FILE_SIZE, writeFileData } from './read-write.ts';
import { renameFile } from './rename.ts';
import type { Ccb, Fcb } from './structures.ts';
import { msToFatTimestamp } from './timestamps.ts';
import { noteVolumeChange } from './volume-state.ts';

const EMPTY = new Uint8Array(0);

function setBasic(fcb: Fcb, info: Record<string, unknown>): NTSTATUS {
  const { node, vcb } = fcb;
  const change = readBasicInformation(info, node.isDirectory);
  if (change.status !== STATUS_SUCCESS) return change.status;
  const creation = change.creationTime;
  const access = change.lastAccessTime;
  const write = change.lastWriteTime;
  const creationStamp = creation === null ? null : msToFatTimestamp(creation, false);
  const writeStamp = write === null ? null : msToFatTimestamp(write, true);
  const accessStamp = access === null ? null : msToFatTimestamp(access, false);
  if (
    (creation !== null && creationStamp === null) ||
    (write !== null && writeStamp === null) ||
    (access !== null && accessStamp === null)
  )
    return STATUS_INVALID_PARAMETER;
  // FAT keeps READONLY, HIDDEN, SYSTEM and ARCHIVE; no change time is kept, so one given is dropped.
  const newAttributes =
    change.fileAttributes === 0
      ? node.attributes
      : storedAttributes(change.fileAttributes, node.isDirectory, ATTR_FILE_BITS);
  const changes =
    creationStamp !== null ||
    writeStamp !== null ||
    accessStamp !== null ||
    newAttributes !== node.attributes;
  if (!changes || node.isRoot) return STATUS_SUCCESS;
  if (vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  noteVolumeChange(vcb);
  if (creationStamp !== null) {
    node.creationDate = creationStamp.date;
    node.creationTime = creationStamp.time;
    node.creationTenths = creationStamp.tenths;
  }
  if (writeStamp !== null) {
    node.writeDate = writeStamp.date;
    node.writeTime = writeStamp.time;
  }
  if (accessStamp !== null) node.accessDate = accessStamp.date;
  node.attributes = newAttributes;
  rewriteEntry(vcb, node);
  return STATUS_SUCCESS;
}

/** Truncation (or a size change that needs no new bytes on disk). */
function truncateTo(fcb: Fcb, newSize: number): void {
  const { node, vcb } = fcb;
  noteVolumeChange(vcb);
  truncateChain(vcb, node, clustersFor(vcb, newSize));
  node.fileSize = newSize;
  node.stampWrite(vcb.realDevice.system.now());
  node.attributes |= ATTR_ARCHIVE;
  rewriteEntry(vcb, node);
}

function setEndOfFile(fcb: Fcb, irp: Irp, value: unknown): NTSTATUS {
  const { node, vcb } = fcb;
  if (node.isDirectory || !isFileSize(value)) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (value > FAT_MAX_FILE_SIZE) return completeRequest(irp, STATUS_DISK_FULL);
  if (value === node.fileSize) return completeRequest(irp, STATUS_SUCCESS);
  if (vcb.readOnly) return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED);
  return fatFsdCall(irp, () => {
    loadChain(vcb, node);
    checkWritable(vcb, node);
    if (value < node.fileSize) {
      truncateTo(fcb, value);
      return completeRequest(irp, STATUS_SUCCESS);
    }
    return completeWhenDone(irp, (finish) =>
      writeFileData(vcb, node, value, EMPTY, 0, (status) => finish(status, 0)),
    );
  });
}

function setAllocation(fcb: Fcb, value: unknown): NTSTATUS {
  const { node, vcb } = fcb;
  if (node.isDirectory || !isFileSize(value)) return STATUS_INVALID_PARAMETER;
  if (value > FAT_MAX_FILE_SIZE) return STATUS_DISK_FULL;
  const runs = loadChain(vcb, node);
  const wanted = clustersFor(vcb, value);
  if (value >= node.fileSize && wanted === runs.length) return STATUS_SUCCESS;
  if (vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  checkWritable(vcb, node);
  if (value < node.fileSize) {
    truncateTo(fcb, value);
  } else if (wanted > runs.length) {
    growChain(vcb, node, wanted);
    node.preallocated = true;
    rewriteEntry(vcb, node);
  } else {
    noteVolumeChange(vcb);
    truncateChain(vcb, node, wanted);
    rewriteEntry(vcb, node);
  }
  return STATUS_SUCCESS;
}

/** What FAT checks before a file may become delete-pending (FatSetDispositionInfo). */
function mayDelete(fcb: Fcb, _ccb: Ccb | null, flags: number): NTSTATUS {
  const { node, vcb } = fcb;
  if (node.isRoot) return STATUS_CANNOT_DELETE;
  const readOnly = readOnlyDeleteCheck((node.attributes & ATTR_READ_ONLY) !== 0, flags);
  if (readOnly !== STATUS_SUCCESS) return readOnly;
  if (node.isDirectory && !isEmptyDirectory(vcb, node)) return STATUS_DIRECTORY_NOT_EMPTY;
  if (vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  // Deleting frees the chain: it must be readable now, not at cleanup.
  loadChain(vcb, node);
  checkWritable(vcb, node);
  return STATUS_SUCCESS;
}

function dispatch(fcb: Fcb, fileObject: FileObject, irp: Irp, parameters: SetFileParameters): NTSTATUS {
  const info = setInformationRecord(irp);
  if (info === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const ccb = ccbOf(fileObject);
  switch (parameters.fileInformationClass) {
    case FileEndOfFileInformation:
      return setEndOfFile(fcb, irp, info.endOfFile);
    case FilePositionInformation:
      return completeRequest(irp, setFilePosition(fileObject, info));
    case FileLinkInformation:
      return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
    default:
      break;
  }
  return fatFsdCall(irp, () => {
    let status: NTSTATUS;
    switch (parameters.fileInformationClass) {
      case FileBasicInformation:
        status = setBasic(fcb, info);
        break;
      case FileAllocationInformation:
        status = setAllocation(fcb, info.allocationSize);
        break;
      case FileDispositionInformation:
      case FileDispositionInformationEx:
        status = setDispositionInformation(
          fcb,
          ccb,
          fileObject,
          parameters.fileInformationClass,
          info,
          mayDelete,
        );
        break;
      case FileRenameInformation:
        status = renameFile(fcb, info, parameters);
        break;
      default:
        status = STATUS_INVALID_PARAMETER;
    }
    return completeRequest(irp, status);
  });
}

export function FatSetInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const vcb = vcbOfOpen(fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const fcb = fcbOf(fileObject);
  if (fcb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  return dispatch(fcb, fileObject, irp, location.parameters as SetFileParameters);
}
