/**
 * IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY for FAT (FastFat's dirctrl.c).
 *
 * Entries come in on-disk order, as FastFat returns them: the order the directory's slots hold
 * them, `.` and `..` included where the disk has them (every subdirectory written by FAT tools),
 * the root without them. Volume labels and long-name slots are never entries. The cursor is the
 * slot of the last entry returned, so files created or deleted between queries neither repeat nor
 * shift the enumeration (a new file in a slot before the cursor is simply not seen by this scan).
 *
 * The parameter checks, the search expression kept on the handle and the statuses are every file
 * system's (src/io/fsrtl/query-directory.ts). An entry matches when its long name or its 8.3 name matches (FsRtlIsNameInExpression with DOS
 * wildcards, case-insensitive), as FastFat matches both; an expression without wildcards is a
 * direct lookup. FileBothDirectoryInformation carries the 8.3 name for entries that have a long
 * name, and '' for those whose name is already 8.3, as Windows reports them. Directories report 0
 * for size and allocation.
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
import { type DirectoryContents, loadDirectory } from './directory-contents.ts';
import type { FatNode } from './fat-node.ts';
import { allocationSize, fileIndexOf } from './information.ts';
import { fatFsdCall } from './irp-context.ts';
import { DIRENT_SIZE } from './on-disk.ts';
import type { Ccb, Vcb } from './structures.ts';

function entryFor(vcb: Vcb, node: FatNode): FileDirectoryEntry {
  return {
    fileIndex: node.slot * DIRENT_SIZE,
    creationTime: node.creationMs(vcb.toMs),
    lastAccessTime: node.lastAccessMs(vcb.toMs),
    lastWriteTime: node.lastWriteMs(vcb.toMs),
    changeTime: 0,
    endOfFile: node.isDirectory ? 0 : node.fileSize,
    allocationSize: node.dot !== 0 ? 0 : allocationSize(vcb, node),
    fileAttributes: node.fileAttributes,
    fileName: node.name,
    shortName: node.longName !== null ? node.shortDisplay : '',
    fileId: node.dot !== 0 ? 0 : fileIndexOf(node),
  };
}

/** The long name or the 8.3 name matches; the keys are upcased already. */
function matches(expression: string, node: FatNode): boolean {
  if (expression === '*') return true;
  const keys = node.keys;
  if (keys.length === 0) return FsRtlIsNameInExpression(expression, node.name, false);
  if (FsRtlIsNameInExpression(expression, keys[0]!, false)) return true;
  return keys.length > 1 && FsRtlIsNameInExpression(expression, keys[1]!, false);
}

function enumerate(vcb: Vcb, contents: DirectoryContents, ccb: Ccb, batch: DirectoryBatch): void {
  const expression = ccb.searchExpression!;
  if (!FsRtlDoesNameContainWildCards(expression)) {
    // An exact name: one lookup, at most one entry (the dot entries are not indexed).
    if (ccb.cursorSlot >= 0) return;
    let node = contents.lookup(expression);
    if (node === undefined && (expression === '.' || expression === '..'))
      node = contents.entries.find((entry) => entry.name === expression);
    if (node !== undefined) {
      if (!batch.fits(node.name.length)) return;
      batch.push(entryFor(vcb, node));
    }
    ccb.cursorSlot = contents.slotCount;
    return;
  }
  const entries = contents.entries;
  for (let i = contents.indexAfter(ccb.cursorSlot); i < entries.length; i++) {
    const node = entries[i]!;
    if (matches(expression, node)) {
      if (!batch.fits(node.name.length)) return;
      batch.push(entryFor(vcb, node));
    }
    ccb.cursorSlot = node.slot;
  }
}

export function FatDirectoryControl(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const vcb = vcbOfOpen(fileObject);
  const mounted = checkVolumeOfOpen(vcb);
  if (mounted !== STATUS_SUCCESS || vcb === null) return completeRequest(irp, mounted);
  const fcb = fcbOf(fileObject);
  const ccb = ccbOf(fileObject);
  const checked = checkQueryDirectory(location, fcb !== null && ccb !== null && fcb.node.isDirectory);
  if (checked !== STATUS_SUCCESS || fcb === null || ccb === null) return completeRequest(irp, checked);
  return fatFsdCall(irp, () => {
    // Read before the scan starts: a read that pends runs this again from the top.
    const contents = loadDirectory(vcb, fcb.node);
    if (startDirectorySearch(location, ccb)) ccb.cursorSlot = -1;
    const batch = directoryBatchFor(location);
    enumerate(vcb, contents, ccb, batch);
    return completeRequest(irp, directoryQueryStatus(irp, batch, ccb), batch.used);
  });
}
