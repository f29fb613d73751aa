/**
 * Share access (IoCheckShareAccess family, reference §6.6).
 *
 * A file system keeps one ShareAccess per file (in its FCB) and calls these at create and cleanup.
 * Only read (FILE_READ_DATA | FILE_EXECUTE), write (FILE_WRITE_DATA | FILE_APPEND_DATA) and DELETE
 * access count; an open asking for none of them (attributes only) never conflicts and is not
 * counted. The result of the check is stored in the file object so cleanup can undo exactly it.
 */
import {
  DELETE,
  FILE_APPEND_DATA,
  FILE_EXECUTE,
  FILE_READ_DATA,
  FILE_SHARE_DELETE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_WRITE_DATA,
  type NTSTATUS,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
} from '../base/index.ts';
import type { FileObject } from './file-object.ts';

export class ShareAccess {
  openCount = 0;
  readers = 0;
  writers = 0;
  deleters = 0;
  sharedRead = 0;
  sharedWrite = 0;
  sharedDelete = 0;
}

function recordIntent(desiredAccess: number, desiredShareAccess: number, fileObject: FileObject): boolean {
  fileObject.readAccess = (desiredAccess & (FILE_READ_DATA | FILE_EXECUTE)) !== 0;
  fileObject.writeAccess = (desiredAccess & (FILE_WRITE_DATA | FILE_APPEND_DATA)) !== 0;
  fileObject.deleteAccess = (desiredAccess & DELETE) !== 0;
  fileObject.sharedRead = (desiredShareAccess & FILE_SHARE_READ) !== 0;
  fileObject.sharedWrite = (desiredShareAccess & FILE_SHARE_WRITE) !== 0;
  fileObject.sharedDelete = (desiredShareAccess & FILE_SHARE_DELETE) !== 0;
  return fileObject.readAccess || fileObject.writeAccess || fileObject.deleteAccess;
}

function add(fileObject: FileObject, shareAccess: ShareAccess): void {
  shareAccess.openCount++;
  if (fileObject.readAccess) shareAccess.readers++;
  if (fileObject.writeAccess) shareAccess.writers++;
  if (fileObject.deleteAccess) shareAccess.deleters++;
  if (fileObject.sharedRead) shareAccess.sharedRead++;
  if (fileObject.sharedWrite) shareAccess.sharedWrite++;
  if (fileObject.sharedDelete) shareAccess.sharedDelete++;
}

/** IoCheckShareAccess: STATUS_SHARING_VIOLATION when the open conflicts; with `update`, records it. */
export function IoCheckShareAccess(
  desiredAccess: number,
  desiredShareAccess: number,
  fileObject: FileObject,
  shareAccess: ShareAccess,
  update: boolean,
): NTSTATUS {
  if (!recordIntent(desiredAccess, desiredShareAccess, fileObject)) return STATUS_SUCCESS;
  const open = shareAccess.openCount;
  if (
    (fileObject.readAccess && shareAccess.sharedRead < open) ||
    (fileObject.writeAccess && shareAccess.sharedWrite < open) ||
    (fileObject.deleteAccess && shareAccess.sharedDelete < open) ||
    (shareAccess.readers !== 0 && !fileObject.sharedRead) ||
    (shareAccess.writers !== 0 && !fileObject.sharedWrite) ||
    (shareAccess.deleters !== 0 && !fileObject.sharedDelete)
  ) {
    return STATUS_SHARING_VIOLATION;
  }
  if (update) add(fileObject, shareAccess);
  return STATUS_SUCCESS;
}

/** IoSetShareAccess: the first open of a file sets the state outright. */
export function IoSetShareAccess(
  desiredAccess: number,
  desiredShareAccess: number,
  fileObject: FileObject,
  shareAccess: ShareAccess,
): void {
  shareAccess.openCount = 0;
  shareAccess.readers = shareAccess.writers = shareAccess.deleters = 0;
  shareAccess.sharedRead = shareAccess.sharedWrite = shareAccess.sharedDelete = 0;
  if (recordIntent(desiredAccess, desiredShareAccess, fileObject)) add(fileObject, shareAccess);
}

/** IoUpdateShareAccess: records an open already checked with update = false. */
export function IoUpdateShareAccess(fileObject: FileObject, shareAccess: ShareAccess): void {
  if (fileObject.readAccess || fileObject.writeAccess || fileObject.deleteAccess)
    add(fileObject, shareAccess);
}

/** IoRemoveShareAccess: undoes what the file object's open recorded (at cleanup). */
export function IoRemoveShareAccess(fileObject: FileObject, shareAccess: ShareAccess): void {
  if (!(fileObject.readAccess || fileObject.writeAccess || fileObject.deleteAccess)) return;
  shareAccess.openCount--;
  if (fileObject.readAccess) shareAccess.readers--;
  if (fileObject.writeAccess) shareAccess.writers--;
  if (fileObject.deleteAccess) shareAccess.deleters--;
  if (fileObject.sharedRead) shareAccess.sharedRead--;
  if (fileObject.sharedWrite) shareAccess.sharedWrite--;
  if (fileObject.sharedDelete) shareAccess.sharedDelete--;
}
