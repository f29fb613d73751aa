/**
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE for HostFS, by the cleanup rules every file system shares
 * (src/io/fsrtl/cleanup.ts). Neither can fail (§6.4); both work on a removed share.
 *
 * Cleanup (the last handle of a file object is gone): return the open's share access; a handle
 * opened with FILE_DELETE_ON_CLOSE marks the file delete-pending (unless it is a directory that is
 * no longer empty); a handle that set a POSIX-semantics disposition removes the name now; when the
 * last handle of a delete-pending file goes, the name leaves the host directory. The name is
 * removed only if it still names the inode HostFS opened: a file the host put in its place
 * survives. A host refusal (say, the host filled the directory meanwhile) leaves the name.
 *
 * Close (the last reference is gone): the open's host descriptor is closed, the FCB loses the file
 * object and leaves the share's table with the last.
 */
import * as fs from 'node:fs';
import { type NTSTATUS, STATUS_SUCCESS } from '../../base/index.ts';
import {
  cleanupHandle,
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  unlinksAtCleanup,
} from '../../io/index.ts';
import { ccbOf, fcbOf, updateUnload } from './common.ts';
import { ntStatusFromHostError } from './host-errors.ts';
import { openDirectoryAt } from './resolve.ts';
import { type Ccb, type Fcb, HostFsControl, type HostFsData } from './structures.ts';

function canDelete(fcb: Fcb, ccb: Ccb): boolean {
  if (fcb.isRoot) return false;
  if (fcb.kind !== 'directory') return true;
  try {
    return fcb.share.namespace.readNames(ccb.entry).length === 0;
  } catch (error) {
    ntStatusFromHostError(error);
    return false;
  }
}

/** Removes the FCB's name from the host, if it still names the same inode. */
function removeFromHost(fcb: Fcb): void {
  const share = fcb.share;
  const namespace = share.namespace;
  const parent = openDirectoryAt(share, fcb.path.slice(0, -1));
  if (parent.dir === null) return;
  const dir = parent.dir;
  try {
    const path = namespace.child(dir, fcb.name);
    const stat = fs.lstatSync(path, { throwIfNoEntry: false });
    if (stat === undefined || stat.dev !== fcb.dev || stat.ino !== fcb.ino) return;
    const remove = fcb.kind === 'directory' ? () => fs.rmdirSync(path) : () => fs.unlinkSync(path);
    share.names.change(dir, remove, [], [fcb.name]);
    fcb.unlinked = true;
    if (share.fcbs.get(fcb.key) === fcb) share.fcbs.delete(fcb.key);
  } catch (error) {
    ntStatusFromHostError(error); // host refusals leave the name; anything else is a bug and throws
  } finally {
    namespace.closeEntry(dir);
  }
}

export function HostFsCleanup(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const fcb = fcbOf(fileObject);
  const ccb = ccbOf(fileObject);
  if (fcb !== null && ccb !== null && fileObject !== null) {
    cleanupHandle(fileObject, fcb);
    if (!fcb.share.removed) {
      if (ccb.deleteOnClose && canDelete(fcb, ccb)) fcb.deletePending = true;
      // The host refuses a directory filled meanwhile; no second emptiness check is needed.
      if (unlinksAtCleanup(fcb, ccb, !fcb.unlinked)) removeFromHost(fcb);
    }
  }
  return completeRequest(irp, STATUS_SUCCESS);
}

export function HostFsClose(device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const data = device.driverObject.driverExtension as HostFsData;
  if (fileObject !== null) {
    const fcb = fcbOf(fileObject);
    const ccb = ccbOf(fileObject);
    if (fcb !== null && ccb !== null) {
      fcb.openCount--;
      const share = fcb.share;
      if (fcb.openCount === 0 && share.fcbs.get(fcb.key) === fcb) share.fcbs.delete(fcb.key);
      share.namespace.closeEntry(ccb.entry);
      share.opens.delete(ccb);
      data.openCount--;
    } else if (fileObject.fsContext instanceof HostFsControl) {
      data.openCount--;
    }
    fileObject.fsContext = null;
    fileObject.fsContext2 = null;
    updateUnload(data, fileObject);
  }
  return completeRequest(irp, STATUS_SUCCESS);
}
