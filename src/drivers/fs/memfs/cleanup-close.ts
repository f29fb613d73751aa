/**
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE for MemFS. Neither can fail (§6.4), and both work on a
 * dismounted volume.
 *
 * Cleanup (the last handle of a file object is gone): return the open's share access; a handle
 * opened with FILE_DELETE_ON_CLOSE marks the file delete-pending (unless it is a directory that is
 * no longer empty); a handle that set a POSIX-semantics disposition unlinks the name now; when the
 * last handle of a delete-pending file goes, the file leaves its directory. A lock held by the
 * handle is released.
 *
 * Close (the last reference is gone): the FCB loses the file object and goes away with the last;
 * the volume loses an open; a dismounted volume with no opens left deletes its volume device.
 */
import { VPB_LOCKED } from '../../../base/device-codes.ts';
import { type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  type FileObject,
  IoGetCurrentIrpStackLocation,
  IoRemoveShareAccess,
  type Irp,
} from '../../../io/index.ts';
import { ccbOf, vcbOfOpen } from './common.ts';
import { deleteVolumeIfUnused } from './dismount.ts';
import { Fcb, type Vcb } from './structures.ts';
import type { MemNode } from './tree.ts';

function canDelete(node: MemNode): boolean {
  return node.parent !== null && (!node.isDirectory || node.children!.size === 0);
}

function releaseLock(vcb: Vcb, fileObject: FileObject): void {
  if (vcb.lockedBy !== fileObject) return;
  vcb.lockedBy = null;
  vcb.vpb.flags &= ~VPB_LOCKED;
}

function cleanupFile(vcb: Vcb, fcb: Fcb, fileObject: FileObject): void {
  IoRemoveShareAccess(fileObject, fcb.shareAccess);
  fcb.cleanupCount--;
  const node = fcb.node;
  const ccb = ccbOf(fileObject);
  if (vcb.dismounted) return; // nothing on a dismounted volume will be written back
  if (ccb?.deleteOnClose && canDelete(node)) fcb.deletePending = true;
  const now = vcb.realDevice.system.now();
  const unlinkNow = fcb.deletePending && node.linked && (ccb?.posixDelete || fcb.cleanupCount === 0);
  if (unlinkNow && canDelete(node)) {
    vcb.volume.unlink(node, now);
    vcb.dirty = true;
  }
}

export function MemFsCleanup(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const vcb = vcbOfOpen(fileObject);
  if (vcb !== null && fileObject !== null) {
    const context = fileObject.fsContext;
    if (context instanceof Fcb) cleanupFile(vcb, context, fileObject);
    else IoRemoveShareAccess(fileObject, vcb.shareAccess);
    releaseLock(vcb, fileObject);
  }
  return completeRequest(irp, STATUS_SUCCESS);
}

export function MemFsClose(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const vcb = vcbOfOpen(fileObject);
  if (vcb !== null && fileObject !== null) {
    const context = fileObject.fsContext;
    if (context instanceof Fcb) {
      context.openCount--;
      if (context.openCount === 0 && context.node.fcb === context) context.node.fcb = null;
    }
    fileObject.fsContext = null;
    fileObject.fsContext2 = null;
    vcb.openCount--;
    deleteVolumeIfUnused(vcb);
  }
  return completeRequest(irp, STATUS_SUCCESS);
}
