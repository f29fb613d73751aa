/**
 * IRP_MJ_FILE_SYSTEM_CONTROL for HostFS: FSCTL_GET_REPARSE_POINT on a symbolic link opened as
 * itself (FILE_OPEN_REPARSE_POINT) answers the host link's target, as an SMB redirector passes the
 * request to a server that reports a POSIX link as IO_REPARSE_TAG_SYMLINK. Nothing else is a user
 * request HostFS knows: a network file system mounts nothing, so other minors and codes are
 * STATUS_INVALID_DEVICE_REQUEST, as they were before this routine existed.
 *
 * Invariants: the link is read by name from its parent directory, reached again through the
 * containment walk (resolve.ts); the name must still hold the link HostFS opened (same device and
 * inode), else STATUS_NOT_A_REPARSE_POINT. The target is reported as the host holds it, even when
 * it leaves the share: reading it reveals a string, never reaches a file.
 */
import * as fs from 'node:fs';
import {
  FSCTL_GET_REPARSE_POINT,
  IRP_MN_USER_FS_REQUEST,
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_NOT_A_REPARSE_POINT,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  type ControlParameters,
  completeRequest,
  completeSymbolicLinkReparsePoint,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
} from '../../io/index.ts';
import { checkShare, fcbOf } from './common.ts';
import { ntStatusFromHostError } from './host-errors.ts';
import { decodeHostName } from './name-cache.ts';
import { openDirectoryAt } from './resolve.ts';
import type { Fcb } from './structures.ts';

export function HostFsFileSystemControl(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  if (location.minorFunction !== IRP_MN_USER_FS_REQUEST)
    return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const { controlCode, outputBufferLength } = location.parameters as ControlParameters;
  const fcb = fcbOf(location.fileObject);
  if (controlCode !== FSCTL_GET_REPARSE_POINT || fcb === null)
    return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const shared = checkShare(fcb);
  if (shared !== STATUS_SUCCESS) return completeRequest(irp, shared);
  if (fcb.kind !== 'link') return completeRequest(irp, STATUS_NOT_A_REPARSE_POINT);
  const target = readLinkTarget(fcb);
  if (typeof target === 'number') return completeRequest(irp, target);
  return completeSymbolicLinkReparsePoint(irp, target, outputBufferLength);
}

/** What the link `fcb` opened says, or the status that explains why it cannot be read. */
function readLinkTarget(fcb: Fcb): string | NTSTATUS {
  const share = fcb.share;
  const parent = openDirectoryAt(share, fcb.path.slice(0, -1));
  if (parent.dir === null) return parent.status;
  try {
    const child = share.namespace.child(parent.dir, fcb.name);
    const stat = fs.lstatSync(child, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isSymbolicLink() || stat.dev !== fcb.dev || stat.ino !== fcb.ino)
      return STATUS_NOT_A_REPARSE_POINT;
    return decodeHostName(share.namespace.readLink(parent.dir, fcb.name)) ?? STATUS_NOT_A_REPARSE_POINT;
  } catch (error) {
    return ntStatusFromHostError(error);
  } finally {
    share.namespace.closeEntry(parent.dir);
  }
}
