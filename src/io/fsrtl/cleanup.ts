/**
 * What IRP_MJ_CLEANUP and IRP_MJ_CLOSE do to a file system's control blocks, the part every Strata
 * file system shares (FastFat's FatCommonCleanup and FatCommonClose, CDFS's CdCommonCleanup and
 * CdCommonClose), and the counts a successful create sets up for them to take down
 * (`attachFileObject`, the end of FastFat's FatOpenExistingFcb: FatSetFileObject and the counts).
 * Neither request can fail (reference §6.4), and both work on a dismounted volume.
 *
 * Invariants: an FCB's `openCount` counts the file objects that reference it (create → close) and
 * its `cleanupCount` the handles still open (create → cleanup); its node finds it while the first
 * is not zero; the volume's `openCount` counts every file object open on it.
 *
 * Cleanup (the last handle of a file object is gone): the open's share access is returned and the
 * FCB counts one handle less (`cleanupHandle`); a handle opened with FILE_DELETE_ON_CLOSE makes
 * the file delete-pending if the file system still allows deleting it; the name leaves its
 * directory at the cleanup of the last handle of a delete-pending file, or at once at the cleanup
 * of the handle that set FILE_DISPOSITION_POSIX_SEMANTICS (`unlinksAtCleanup`). The cleanup of a
 * volume open returns its share access to the volume's and releases the volume lock it holds
 * (`cleanupVolumeOpen`): only a volume open can lock its volume (volume-lock.ts).
 *
 * Close (the last reference is gone): the FCB loses the file object and its node forgets the FCB
 * with the last one; the volume counts one open less (`closeFileObject`). Deleting a dismounted
 * volume's device with its last open is the caller's next step (volume-device.ts).
 */
import type { FileObject } from '../file-object.ts';
import { IoRemoveShareAccess, type ShareAccess } from '../share-access.ts';
import type { CreateRequest } from './create-request.ts';
import { type LockableVolume, releaseVolumeLock } from './volume-lock.ts';

/** What cleanup needs of an FCB. */
export interface CleanupFcb {
  readonly shareAccess: ShareAccess;
  /** Handles still open (create → cleanup). */
  cleanupCount: number;
  deletePending: boolean;
}

/** What cleanup needs of a CCB: the delete marks of this handle. */
export interface CleanupCcb {
  /** Opened with FILE_DELETE_ON_CLOSE. */
  readonly deleteOnClose: boolean;
  /** Set FILE_DISPOSITION_POSIX_SEMANTICS: the name goes at this handle's cleanup. */
  readonly posixDelete: boolean;
}

/** What close needs of an FCB: its reference count and the node that finds it. */
export interface CloseFcb {
  /** File objects referencing the FCB (create → close). */
  openCount: number;
  readonly node: { fcb: unknown };
}

/**
 * A create succeeded: the file object references the FCB (FsContext) and its own CCB (FsContext2,
 * remembering FILE_DELETE_ON_CLOSE), the node finds the FCB, and every count goes up by one.
 */
export function attachFileObject(
  request: CreateRequest,
  volume: { openCount: number },
  fcb: CleanupFcb & CloseFcb,
  ccb: { deleteOnClose: boolean },
): void {
  const fileObject = request.fileObject;
  fcb.node.fcb = fcb;
  fcb.openCount++;
  fcb.cleanupCount++;
  volume.openCount++;
  ccb.deleteOnClose = request.deleteOnClose;
  fileObject.fsContext = fcb;
  fileObject.fsContext2 = ccb;
}

/** The handle's share access goes back, and the FCB counts one handle less. */
export function cleanupHandle(fileObject: FileObject, fcb: CleanupFcb): void {
  IoRemoveShareAccess(fileObject, fcb.shareAccess);
  fcb.cleanupCount--;
}

/**
 * After `cleanupHandle`: whether the name of a file still `linked` into its directory must leave
 * it now, because the file is delete-pending and this was its last handle or the POSIX one.
 */
export function unlinksAtCleanup(fcb: CleanupFcb, ccb: CleanupCcb | null, linked: boolean): boolean {
  return fcb.deletePending && linked && (fcb.cleanupCount === 0 || ccb?.posixDelete === true);
}

/** The cleanup of an open of the volume itself. */
export function cleanupVolumeOpen(
  fileObject: FileObject,
  volume: LockableVolume & { readonly shareAccess: ShareAccess },
): void {
  IoRemoveShareAccess(fileObject, volume.shareAccess);
  releaseVolumeLock(volume, fileObject);
}

/** The bookkeeping of IRP_MJ_CLOSE; `fcb` is null for a volume open. */
export function closeFileObject(
  fileObject: FileObject,
  volume: { openCount: number },
  fcb: CloseFcb | null,
): void {
  if (fcb !== null) {
    fcb.openCount--;
    if (fcb.openCount === 0 && fcb.node.fcb === fcb) fcb.node.fcb = null;
  }
  fileObject.fsContext = null;
  fileObject.fsContext2 = null;
  volume.openCount--;
}
