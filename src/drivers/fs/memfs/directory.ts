/**
 * IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY for MemFS: directory enumeration.
 *
 * The parameter checks, the search expression kept on the handle (its CCB) and the statuses are
 * every file system's (src/io/fsrtl/query-directory.ts). Matching is FsRtlIsNameInExpression,
 * case-insensitive, with the DOS wildcards. Non-root directories list "." and ".." first, as FAT
 * and NTFS do; then
 * the children in upcased-name order. The cursor is the last key returned, so files created or
 * deleted between queries neither repeat nor shift the enumeration. An expression without
 * wildcards is a direct lookup, not a scan.
 *
 */
import type { FileDirectoryEntry } from '../../../base/information-classes.ts';
import { type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  checkQueryDirectory,
  checkVolumeOfOpen,
  completeRequest,
  type DeviceObject,
  type DirectoryBatch,
  directoryBatchFor,
  directoryQueryStatus,
  FsRtlDoesNameContainWildCards,
  FsRtlIsNameInExpression,
  IoGetCurrentIrpStackLocation,
  type Irp,
  startDirectorySearch,
} from '../../../io/index.ts';
import { ccbOf, fcbOf, vcbOfOpen } from './common.ts';
import { allocationSize, reportedAttributes } from './information.ts';
import type { Ccb, Fcb } from './structures.ts';
import { type MemNode, sortedChildren, upperBound } from './tree.ts';

const PHASE_DOT = 0;
const PHASE_DOT_DOT = 1;
const PHASE_CHILDREN = 2;

function entryFor(name: string, node: MemNode, sectorSize: number): FileDirectoryEntry {
  return {
    fileIndex: 0,
    creationTime: node.creationTime,
    lastAccessTime: node.lastAccessTime,
    lastWriteTime: node.lastWriteTime,
    changeTime: node.changeTime,
    endOfFile: node.isDirectory ? 0 : node.size,
    allocationSize: allocationSize(node, sectorSize),
    fileAttributes: reportedAttributes(node),
    fileName: name,
    shortName: '',
    fileId: node.id,
  };
}

/** Adds the entry for `node` under `name` if it fits; false when the batch is closed. */
function add(batch: DirectoryBatch, name: string, node: MemNode, sectorSize: number): boolean {
  if (!batch.fits(name.length)) return false;
  batch.push(entryFor(name, node, sectorSize));
  return true;
}

/** Matches a folded name; the expression is folded too, so no case work per entry. */
function matches(expression: string, folded: string, wildcards: boolean): boolean {
  return wildcards ? FsRtlIsNameInExpression(expression, folded, false) : expression === folded;
}

function enumerate(fcb: Fcb, ccb: Ccb, batch: DirectoryBatch, sectorSize: number): void {
  const directory = fcb.node;
  const expression = ccb.searchExpression!;
  const wildcards = FsRtlDoesNameContainWildCards(expression);
  if (ccb.cursorPhase === PHASE_DOT) {
    if (matches(expression, '.', wildcards) && !add(batch, '.', directory, sectorSize)) return;
    ccb.cursorPhase = PHASE_DOT_DOT;
  }
  if (ccb.cursorPhase === PHASE_DOT_DOT) {
    if (matches(expression, '..', wildcards) && !add(batch, '..', directory.parent ?? directory, sectorSize))
      return;
    ccb.cursorPhase = PHASE_CHILDREN;
  }
  if (!wildcards) {
    // An exact name: one lookup, at most one entry.
    if (ccb.cursorKey !== null) return;
    const child = directory.children!.get(expression);
    if (child !== undefined && !add(batch, child.name, child, sectorSize)) return;
    ccb.cursorKey = expression;
    return;
  }
  const children = sortedChildren(directory);
  const start = ccb.cursorKey === null ? 0 : upperBound(children, ccb.cursorKey);
  for (let i = start; i < children.length; i++) {
    const child = children[i]!;
    if (FsRtlIsNameInExpression(expression, child.key, false) && !add(batch, child.name, child, sectorSize))
      return;
    ccb.cursorKey = child.key;
  }
}

export function MemFsDirectoryControl(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const vcb = vcbOfOpen(fileObject);
  const mounted = checkVolumeOfOpen(vcb);
  if (mounted !== STATUS_SUCCESS || vcb === null) return completeRequest(irp, mounted);
  const fcb = fcbOf(fileObject);
  const ccb = ccbOf(fileObject);
  const checked = checkQueryDirectory(location, fcb !== null && ccb !== null && fcb.node.isDirectory);
  if (checked !== STATUS_SUCCESS || fcb === null || ccb === null) return completeRequest(irp, checked);
  if (startDirectorySearch(location, ccb)) {
    ccb.cursorPhase = fcb.node.parent === null ? PHASE_CHILDREN : PHASE_DOT;
    ccb.cursorKey = null;
  }
  const batch = directoryBatchFor(location);
  enumerate(fcb, ccb, batch, vcb.sectorSize);
  return completeRequest(irp, directoryQueryStatus(irp, batch, ccb), batch.used);
}
