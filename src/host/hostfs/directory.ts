/**
 * IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY for HostFS: directory enumeration.
 *
 * The first query (or a restart with SL_RESTART_SCAN) takes a snapshot of the directory's names:
 * "." and ".." first (every directory of a share lists them, the share root included, as a
 * redirector shows them), then the host names HostFS can address (host-names.ts: valid UTF-8,
 * valid NT names, no trailing dot or space, no DOS device names) in upcased-name order. Later
 * queries continue through the snapshot; each entry's metadata is read when it is returned, and an
 * entry the host removed meanwhile is skipped. Names created after the snapshot appear on the next
 * restart. A name that is a symbolic link is listed with what it leads to when that stays inside
 * the share, else as itself with FILE_ATTRIBUTE_REPARSE_POINT (opening it is refused). ".." of the
 * root describes the root itself: nothing outside the share is ever described.
 *
 * Matching is FsRtlIsNameInExpression on upcased names with the DOS wildcards. An expression
 * without wildcards is a lookup (every case variant of the name). The parameter checks, the
 * expression kept on the handle and the statuses are every file system's
 * (src/io/fsrtl/query-directory.ts); HostFS's scan state is its snapshot, so a query after a
 * snapshot that failed starts the scan again.
 */
import type { Stats } from 'node:fs';
import * as fs from 'node:fs';
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  checkQueryDirectory,
  completeRequest,
  type DeviceObject,
  type DirectoryBatch,
  directoryBatchFor,
  directoryQueryStatus,
  FsRtlDoesNameContainWildCards,
  FsRtlIsNameInExpression,
  IoGetCurrentIrpStackLocation,
  type Irp,
  scanExpression,
  startsDirectoryScan,
  upcaseName,
} from '../../io/index.ts';
import { attributesOf, directoryEntryOf } from './attributes.ts';
import { ccbOf, checkShare, fcbOf } from './common.ts';
import { hostErrorCode, ntStatusFromHostError } from './host-errors.ts';
import { isValidHostFsComponent } from './host-names.ts';
import { decodeHostName } from './name-cache.ts';
import { openDirectoryAt, releaseResolution, resolvePath } from './resolve.ts';
import type { Ccb, Fcb } from './structures.ts';

function compareKeys(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** The snapshot of a scan: [name, upcased name] pairs in enumeration order. */
function snapshot(fcb: Fcb, ccb: Ccb, expression: string): NTSTATUS {
  const share = fcb.share;
  if (!share.namespace.isInside(ccb.entry, share.root)) return STATUS_ACCESS_DENIED;
  const pairs: Array<[string, string]> = [];
  if (FsRtlDoesNameContainWildCards(expression)) {
    for (const bytes of share.namespace.readNames(ccb.entry)) {
      const name = decodeHostName(bytes);
      if (name !== null && isValidHostFsComponent(name)) pairs.push([upcaseName(name), name]);
    }
  } else {
    for (const name of share.names.variants(ccb.entry, expression))
      if (isValidHostFsComponent(name)) pairs.push([expression, name]);
  }
  pairs.sort(compareKeys);
  ccb.names = ['.', '..'];
  ccb.keys = ['.', '..'];
  for (const [key, name] of pairs) {
    ccb.keys.push(key);
    ccb.names.push(name);
  }
  ccb.cursor = 0;
  return STATUS_SUCCESS;
}

/** Metadata of the directory's parent, or of the directory itself at the share root. */
function parentStat(fcb: Fcb, ccb: Ccb): Stats {
  const share = fcb.share;
  if (fcb.isRoot) return share.namespace.stat(ccb.entry);
  const parent = openDirectoryAt(share, fcb.path.slice(0, -1));
  if (parent.dir === null) return share.namespace.stat(ccb.entry);
  try {
    return share.namespace.stat(parent.dir);
  } finally {
    share.namespace.closeEntry(parent.dir);
  }
}

/** The entry for `name`, following a link that stays inside; null when the name went away. */
function describe(fcb: Fcb, ccb: Ccb, name: string): { stat: Stats; attributes: number } | null {
  const share = fcb.share;
  const stat = fs.lstatSync(share.namespace.child(ccb.entry, name), { throwIfNoEntry: false });
  if (stat === undefined) return null;
  if (!stat.isSymbolicLink()) return { stat, attributes: attributesOf(stat, name) };
  // A link that leaves the share, loops or dangles is shown as itself (REPARSE_POINT).
  const resolution = resolvePath(share, ccb.entry, fcb.path, [name], true);
  const target = resolution.leaf?.stat ?? stat;
  releaseResolution(share, resolution);
  return { stat: target, attributes: attributesOf(target, name) };
}

function enumerate(fcb: Fcb, ccb: Ccb, batch: DirectoryBatch): void {
  const names = ccb.names!;
  const keys = ccb.keys!;
  const expression = ccb.searchExpression!;
  const wildcards = FsRtlDoesNameContainWildCards(expression);
  while (ccb.cursor < names.length) {
    const name = names[ccb.cursor]!;
    const key = keys[ccb.cursor]!;
    const matches = wildcards ? FsRtlIsNameInExpression(expression, key, false) : expression === key;
    if (matches) {
      if (!batch.fits(name.length)) return;
      if (ccb.cursor < 2) {
        const stat = ccb.cursor === 0 ? fcb.share.namespace.stat(ccb.entry) : parentStat(fcb, ccb);
        batch.push(directoryEntryOf(name, stat, attributesOf(stat, name)));
      } else {
        const found = describe(fcb, ccb, name);
        if (found !== null) batch.push(directoryEntryOf(name, found.stat, found.attributes));
      }
    }
    ccb.cursor++;
  }
}

export function HostFsDirectoryControl(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const fcb = fcbOf(fileObject);
  const ccb = ccbOf(fileObject);
  if (fcb === null || ccb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const shared = checkShare(fcb);
  if (shared !== STATUS_SUCCESS) return completeRequest(irp, shared);
  const checked = checkQueryDirectory(location, fcb.kind === 'directory');
  if (checked !== STATUS_SUCCESS) return completeRequest(irp, checked);
  const batch = directoryBatchFor(location);
  try {
    if (startsDirectoryScan(location, ccb.names)) {
      ccb.searchExpression = scanExpression(location, ccb.searchExpression);
      const taken = snapshot(fcb, ccb, ccb.searchExpression);
      if (taken !== STATUS_SUCCESS) return completeRequest(irp, taken);
      ccb.returnedAny = false;
    }
    enumerate(fcb, ccb, batch);
  } catch (error) {
    if (hostErrorCode(error) === null) throw error;
    return completeRequest(irp, ntStatusFromHostError(error));
  }
  return completeRequest(irp, directoryQueryStatus(irp, batch, ccb), batch.used);
}
