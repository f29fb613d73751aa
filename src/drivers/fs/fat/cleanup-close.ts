/**
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE for FAT (FastFat's cleanup.c and close.c), by the rules every
 * file system shares (src/io/fsrtl/cleanup.ts). Neither can fail (§6.4), and both work on a
 * dismounted volume.
 *
 * Cleanup (the last handle of a file object is gone): the open's share access goes; a handle
 * opened with FILE_DELETE_ON_CLOSE makes the file delete-pending (unless it is a directory that is
 * no longer empty); a handle that set a POSIX-semantics disposition removes the name now; when the
 * last handle of a delete-pending file goes, its entry leaves the directory. Clusters go back to
 * the FAT once no handle uses them. The last handle of a file that stays also gives back
 * allocation past its end of file (FastFat's truncate-on-close), so no chain is longer than its
 * file needs when the volume is checked. A lock held by the handle is released. Corruption found
 * on the way (a chain that turned out cross-linked) leaves the entry as it is.
 *
 * Close (the last reference is gone): the FCB loses the file object and goes away with the last;
 * the volume loses an open; a dismounted volume with no opens left deletes its volume device.
 */
import { type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  cleanupHandle,
  cleanupVolumeOpen,
  closeFileObject,
  completeRequest,
  type DeviceObject,
  type FileObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  unlinksAtCleanup,
} from '../../../io/index.ts';
import { clustersFor, truncateChain } from './allocation.ts';
import { ccbOf, fcbOf, vcbOfOpen } from './common.ts';
import { isEmptyDirectory } from './create.ts';
import { deleteEntry, rewriteEntry } from './directory-entries.ts';
import { deleteVolumeIfUnused } from './dismount.ts';
import type { FatNode } from './fat-node.ts';
import { FatPostRequest, FatStatusError } from './irp-context.ts';
import { Fcb, type Vcb } from './structures.ts';
import { noteVolumeChange } from './volume-state.ts';

function canDelete(vcb: Vcb, node: FatNode): boolean {
  return !node.isRoot && (!node.isDirectory || isEmptyDirectory(vcb, node));
}

/** Removes a node's entry from its directory (its clusters stay until no handle uses them). */
export function unlinkNode(vcb: Vcb, node: FatNode): void {
  const parent = node.parent;
  if (parent === null || !node.linked || parent.contents === null) return;
  noteVolumeChange(vcb);
  deleteEntry(vcb, parent.contents, node);
}

function cleanupFile(vcb: Vcb, fcb: Fcb, fileObject: FileObject): void {
  cleanupHandle(fileObject, fcb);
  if (vcb.dismounted || vcb.readOnly) return;
  const node = fcb.node;
  const ccb = ccbOf(fileObject);
  if (ccb?.deleteOnClose && canDelete(vcb, node)) fcb.deletePending = true;
  if (unlinksAtCleanup(fcb, ccb, node.linked) && canDelete(vcb, node)) unlinkNode(vcb, node);
  if (fcb.cleanupCount > 0) {
    if (!node.linked && node.runs !== null && node.runs.length > 0) vcb.unlinkedInUse.add(node);
    return;
  }
  vcb.unlinkedInUse.delete(node);
  if (!node.linked) {
    // Nobody can reach the clusters any more: the FAT gets them back, and a deleted directory's
    // entries are never written again.
    if (node.contents !== null) {
      vcb.dirtyDirectories.delete(node.contents);
      node.contents.dirtyUnits.clear();
    }
    if (node.runs !== null && node.runs.length > 0) truncateChain(vcb, node, 0);
    return;
  }
  // Only allocation this driver added is given back: a longer chain found on disk is left as it is.
  if (node.preallocated && node.runs !== null && node.runs.length > clustersFor(vcb, node.fileSize)) {
    truncateChain(vcb, node, clustersFor(vcb, node.fileSize));
    rewriteEntry(vcb, node);
  }
  node.preallocated = false;
}

export function FatCleanup(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const vcb = vcbOfOpen(fileObject);
  if (vcb !== null && fileObject !== null) {
    const context = fileObject.fsContext;
    if (!(context instanceof Fcb)) cleanupVolumeOpen(fileObject, vcb);
    else {
      try {
        cleanupFile(vcb, context, fileObject);
      } catch (error) {
        if (!(error instanceof FatStatusError) && !(error instanceof FatPostRequest)) throw error;
      }
    }
  }
  return completeRequest(irp, STATUS_SUCCESS);
}

export function FatClose(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const vcb = vcbOfOpen(fileObject);
  if (vcb !== null && fileObject !== null) {
    closeFileObject(fileObject, vcb, fcbOf(fileObject));
    deleteVolumeIfUnused(vcb);
  }
  return completeRequest(irp, STATUS_SUCCESS);
}
