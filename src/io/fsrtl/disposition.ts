/**
 * FileDispositionInformation and FileDispositionInformationEx as every disk file system answers
 * them (FastFat's FatSetDispositionInfo, NTFS's NtfsSetDispositionInfo): reading the record,
 * the read-only rule, and marking the open delete-pending.
 *
 * Rules: FileDispositionInformation carries a boolean DeleteFile; FileDispositionInformationEx
 * carries flags, of which DELETE, POSIX_SEMANTICS, FORCE_IMAGE_SECTION_CHECK (nothing to check
 * here) and IGNORE_READONLY_ATTRIBUTE are understood; anything else is STATUS_INVALID_PARAMETER.
 * A file with FILE_ATTRIBUTE_READONLY cannot be deleted (STATUS_CANNOT_DELETE) unless the caller
 * passed IGNORE_READONLY_ATTRIBUTE. Clearing the disposition always succeeds.
 *
 * Invariant: the marks move together. Delete-pending is set on the FCB (the name goes at the last
 * cleanup) and the file object, and with POSIX_SEMANTICS on the CCB too (the name goes at this
 * handle's cleanup); clearing takes all three back.
 */
import {
  FILE_DISPOSITION_DELETE,
  FILE_DISPOSITION_FORCE_IMAGE_SECTION_CHECK,
  FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE,
  FILE_DISPOSITION_POSIX_SEMANTICS,
  FileDispositionInformation,
  FileDispositionInformationEx,
  type NTSTATUS,
  STATUS_CANNOT_DELETE,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import type { FileObject } from '../file-object.ts';

const DISPOSITION_FLAGS_SUPPORTED =
  FILE_DISPOSITION_DELETE |
  FILE_DISPOSITION_POSIX_SEMANTICS |
  FILE_DISPOSITION_FORCE_IMAGE_SECTION_CHECK |
  FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE;

/**
 * The FileDispositionInformationEx flags a disposition record of either class asks for, or -1 when
 * the record is malformed or asks for a flag not understood (STATUS_INVALID_PARAMETER).
 */
export function dispositionFlags(infoClass: number, info: Record<string, unknown>): number {
  if (infoClass === FileDispositionInformation) {
    const deleteFile = info.deleteFile;
    if (typeof deleteFile !== 'boolean') return -1;
    return deleteFile ? FILE_DISPOSITION_DELETE : 0;
  }
  if (infoClass !== FileDispositionInformationEx) return -1;
  const flags = info.flags;
  if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0) return -1;
  return (flags & ~DISPOSITION_FLAGS_SUPPORTED) !== 0 ? -1 : flags;
}

/** STATUS_CANNOT_DELETE for a read-only file unless the flags say to ignore the attribute. */
export function readOnlyDeleteCheck(readOnly: boolean, flags: number): NTSTATUS {
  return readOnly && (flags & FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE) === 0
    ? STATUS_CANNOT_DELETE
    : STATUS_SUCCESS;
}

/**
 * Marks the open delete-pending (flags with DELETE, which the file system has allowed) or takes the
 * marks back (flags without it).
 */
export function setDeletePending(
  fcb: { deletePending: boolean },
  fileObject: FileObject,
  ccb: { posixDelete: boolean } | null,
  flags: number,
): void {
  const deleting = (flags & FILE_DISPOSITION_DELETE) !== 0;
  fcb.deletePending = deleting;
  fileObject.deletePending = deleting;
  if (ccb === null) return;
  if (!deleting) ccb.posixDelete = false;
  else if ((flags & FILE_DISPOSITION_POSIX_SEMANTICS) !== 0) ccb.posixDelete = true;
}

/**
 * Answers a disposition record of either class: `mayDelete` (a function the driver declares once)
 * makes the file system's own checks, only when the record asks to delete.
 */
export function setDispositionInformation<
  F extends { deletePending: boolean },
  C extends { posixDelete: boolean } | null,
>(
  fcb: F,
  ccb: C,
  fileObject: FileObject,
  infoClass: number,
  info: Record<string, unknown>,
  mayDelete: (fcb: F, ccb: C, flags: number) => NTSTATUS,
): NTSTATUS {
  const flags = dispositionFlags(infoClass, info);
  if (flags < 0) return STATUS_INVALID_PARAMETER;
  if ((flags & FILE_DISPOSITION_DELETE) !== 0) {
    const allowed = mayDelete(fcb, ccb, flags);
    if (allowed !== STATUS_SUCCESS) return allowed;
  }
  setDeletePending(fcb, fileObject, ccb, flags);
  return STATUS_SUCCESS;
}
