/**
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE for MemFS, by the rules every file system shares
 * (src/io/fsrtl/cleanup.ts). Neither can fail (§6.4), and both work on a dismounted volume.
 *
 * Cleanup (the last handle of a file object is gone): return the open's share access; a handle
 * opened with FILE_DELETE_ON_CLOSE marks the file delete-pending (unless it is a directory that is
 * no longer empty); a handle that set a POSIX-semantics disposition unlinks the name now; when the
 * last handle of a delete-pending file goes, the file leaves its directory. A lock held by the
 * handle is released. Nothing changes on a dismounted volume: it will never be written back.
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
import { ccbOf, fcbOf, vcbOfOpen } from './common.ts';
import { deleteVolumeIfUnused } from './dismount.ts';
import { Fcb, type Vcb } from './structures.ts';
import type { MemNode } from './tree.ts';

function canDelete(node: MemNode): boolean {
  return node.parent !== null && (!node.isDirectory || node.children!.size === 0);
}

function cleanupFile(vcb: Vcb, fcb: Fcb, fileObject: FileObject): void {
  cleanupHandle(fileObject, fcb);
  if (vcb.dismounted) return;
  const node = fcb.node;
  const ccb = ccbOf(fileObject);
  if (ccb?.deleteOnClose && canDelete(node)) fcb.deletePending = true;
  if (unlinksAtCleanup(fcb, ccb, node.linked) && canDelete(node)) {
    vcb.volume.unlink(node, vcb.realDevice.system.now());
    vcb.dirty = true;
  }
}

export function MemFsCleanup(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const vcb = vcbOfOpen(fileObject);
  if (vcb !== null && fileObject !== null) {
    const context = fileObject.fsContext;
    if (context instanceof Fcb) cleanupFile(vcb, context, fileObject);
    else cleanupVolumeOpen(fileObject, vcb);
  }
  return completeRequest(irp, STATUS_SUCCESS);
}

export function MemFsClose(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const vcb = vcbOfOpen(fileObject);
  if (vcb !== null && fileObject !== null) {
    closeFileObject(fileObject, vcb, fcbOf(fileObject));
    deleteVolumeIfUnused(vcb);
  }
  return completeRequest(irp, STATUS_SUCCESS);
}
