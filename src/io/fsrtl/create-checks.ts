/**
 * The checks IRP_MJ_CREATE makes before it changes anything, one function per step of FastFat's
 * order (FatCommonCreate, FatOpenExistingFcb/Dcb, FatCheckFileAccess, FatCreateNewFile,
 * FatSupersedeOrOverwriteFile, FatOpenTargetDirectory, FatOpenVolume). A file system calls them in
 * this order, with its own checks in between (name rules, corruption, host state):
 *
 * - an existing file: `checkOpenExisting` (disposition against file or directory, trailing
 *   backslash), delete-pending, `checkReadOnlyFileOpen`, delete-on-close on the root or a
 *   directory that is not empty, `checkOverwriteAttributes`, write-protected media
 *   (`opensForChange`), share access;
 * - a new name: `checkCreateNew` (disposition, trailing backslash), the parent's delete-pending,
 *   `checkNewFileAttributes`, write-protected media;
 * - the volume itself: `checkVolumeOpen`, then `openVolumeFileObject` (share access against the
 *   volume's, and the file object becomes the volume's).
 *
 * Each check returns STATUS_SUCCESS or the status the create fails with, and reads only the
 * request and the booleans given: no allocation, no callback, so the create path stays monomorphic.
 */
import {
  DELETE,
  FILE_APPEND_DATA,
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_SYSTEM,
  FILE_ATTRIBUTE_TEMPORARY,
  FILE_CREATE,
  FILE_DELETE_CHILD,
  FILE_DOES_NOT_EXIST,
  FILE_EXISTS,
  FILE_OPEN,
  FILE_OPEN_IF,
  FILE_OPENED,
  FILE_OVERWRITE,
  FILE_SUPERSEDE,
  FILE_WRITE_ATTRIBUTES,
  FILE_WRITE_DATA,
  FILE_WRITE_EA,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_CANNOT_DELETE,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_A_DIRECTORY,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
  WRITE_DAC,
  WRITE_OWNER,
} from '../../base/index.ts';
import { IoCheckShareAccess, type ShareAccess } from '../share-access.ts';
import type { CreateRequest } from './create-request.ts';

/** Access a read-only file refuses (FatCheckFileAccess). */
export const WRITE_LIKE_ACCESS = FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_DELETE_CHILD;

/** Access that can change a file, a directory or its metadata: what read-only storage refuses. */
export const MODIFYING_ACCESS =
  FILE_WRITE_DATA |
  FILE_APPEND_DATA |
  FILE_WRITE_EA |
  FILE_WRITE_ATTRIBUTES |
  FILE_DELETE_CHILD |
  DELETE |
  WRITE_DAC |
  WRITE_OWNER;

/**
 * An open of the volume itself (no name): it is not a directory, cannot be deleted, and can only
 * be opened, never created or overwritten.
 */
export function checkVolumeOpen(request: CreateRequest): NTSTATUS {
  if (request.directoryFile) return STATUS_NOT_A_DIRECTORY;
  if (request.deleteOnClose) return STATUS_CANNOT_DELETE;
  const disposition = request.disposition;
  if (disposition !== FILE_OPEN && disposition !== FILE_OPEN_IF) return STATUS_ACCESS_DENIED;
  return STATUS_SUCCESS;
}

/**
 * The volume open goes ahead once the file system's checks passed: share access against the
 * volume's, then the file object is the volume's (FsContext the VCB, FsContext2 the open's CCB,
 * or null for a file system that keeps none) and the volume counts it (FatOpenVolume's end).
 */
export function openVolumeFileObject(
  request: CreateRequest,
  volume: { readonly shareAccess: ShareAccess; openCount: number },
  ccb: object | null,
): NTSTATUS {
  const fileObject = request.fileObject;
  const status = IoCheckShareAccess(
    request.desiredAccess,
    request.shareAccess,
    fileObject,
    volume.shareAccess,
    true,
  );
  if (status !== STATUS_SUCCESS) return status;
  fileObject.fsContext = volume;
  fileObject.fsContext2 = ccb;
  volume.openCount++;
  request.information = FILE_OPENED;
  return STATUS_SUCCESS;
}

/**
 * The name exists: FILE_CREATE collides; a directory cannot be opened as a file nor overwritten;
 * a file cannot be opened as a directory, nor named with a trailing backslash.
 */
export function checkOpenExisting(
  request: CreateRequest,
  isDirectory: boolean,
  trailingBackslash: boolean,
): NTSTATUS {
  if (request.disposition === FILE_CREATE) return STATUS_OBJECT_NAME_COLLISION;
  if (isDirectory) {
    if (request.nonDirectoryFile || request.overwrite) return STATUS_FILE_IS_A_DIRECTORY;
  } else {
    if (request.directoryFile) return STATUS_NOT_A_DIRECTORY;
    if (trailingBackslash) return STATUS_OBJECT_NAME_INVALID;
  }
  return STATUS_SUCCESS;
}

/**
 * A read-only file or directory cannot be deleted on close; a read-only file takes no write-like
 * access and no overwrite. A read-only directory still takes new entries.
 */
export function checkReadOnlyFileOpen(
  request: CreateRequest,
  readOnly: boolean,
  isDirectory: boolean,
): NTSTATUS {
  if (!readOnly) return STATUS_SUCCESS;
  if (request.deleteOnClose) return STATUS_CANNOT_DELETE;
  if (!isDirectory && ((request.desiredAccess & WRITE_LIKE_ACCESS) !== 0 || request.overwrite))
    return STATUS_ACCESS_DENIED;
  return STATUS_SUCCESS;
}

/** Overwriting a hidden or system file must keep those attributes (FastFat, NTFS). */
export function checkOverwriteAttributes(request: CreateRequest, attributes: number): NTSTATUS {
  if (!request.overwrite) return STATUS_SUCCESS;
  const required = attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM);
  return (request.fileAttributes & required) !== required ? STATUS_ACCESS_DENIED : STATUS_SUCCESS;
}

/** The open of an existing file could change it: it overwrites, deletes on close, or may write. */
export function opensForChange(request: CreateRequest): boolean {
  return request.overwrite || request.deleteOnClose || (request.desiredAccess & WRITE_LIKE_ACCESS) !== 0;
}

/**
 * The name does not exist: FILE_OPEN and FILE_OVERWRITE need it to; a trailing backslash may only
 * name a new directory.
 */
export function checkCreateNew(request: CreateRequest, trailingBackslash: boolean): NTSTATUS {
  const disposition = request.disposition;
  if (disposition === FILE_OPEN || disposition === FILE_OVERWRITE) return STATUS_OBJECT_NAME_NOT_FOUND;
  if (trailingBackslash && !request.directoryFile) return STATUS_OBJECT_NAME_INVALID;
  return STATUS_SUCCESS;
}

/** A directory cannot be temporary; a file created read-only cannot be deleted on close. */
export function checkNewFileAttributes(request: CreateRequest): NTSTATUS {
  if (request.directoryFile && (request.fileAttributes & FILE_ATTRIBUTE_TEMPORARY) !== 0)
    return STATUS_INVALID_PARAMETER;
  if (request.deleteOnClose && (request.fileAttributes & FILE_ATTRIBUTE_READONLY) !== 0)
    return STATUS_CANNOT_DELETE;
  return STATUS_SUCCESS;
}

/**
 * The attributes a new or overwritten file gets: those asked for that the file system keeps
 * (`storable`), plus DIRECTORY on a directory or ARCHIVE on a file.
 */
export function newFileAttributes(requested: number, isDirectory: boolean, storable: number): number {
  const kept = requested & storable;
  return isDirectory ? kept | FILE_ATTRIBUTE_DIRECTORY : kept | FILE_ATTRIBUTE_ARCHIVE;
}

/** An overwrite keeps the file's attributes and adds the new ones; a supersede replaces them. */
export function overwrittenAttributes(request: CreateRequest, current: number, given: number): number {
  return request.disposition === FILE_SUPERSEDE ? given : current | given;
}

/**
 * SL_OPEN_TARGET_DIRECTORY after the parent opened: the file object keeps the final component (the
 * rename's new name) and Information tells whether that name exists.
 */
export function targetDirectoryOpened(request: CreateRequest, finalName: string, exists: boolean): NTSTATUS {
  request.fileObject.fileName = finalName;
  request.information = exists ? FILE_EXISTS : FILE_DOES_NOT_EXIST;
  return STATUS_SUCCESS;
}
