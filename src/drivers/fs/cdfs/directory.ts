/**
 * IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY for CDFS (CdQueryDirectory,
 * CdInitializeEnumeration, CdEnumerateIndex).
 *
 * Entries come in disc order; non-root directories start with "." and ".." (CDFS leaves them out
 * of the root, "for consistency with the rest of Microsoft's filesystems"). The parameter checks
 * and the statuses are every file system's (src/io/fsrtl/query-directory.ts). The expression of
 * the first query (or of a restart that brings one) sticks to the handle; it splits at `;` into a
 * name
 * part, matched with FsRtlIsNameInExpression on the upcased name, and a version part. Without a
 * version part, names are returned without their version and only the first of consecutive
 * versions of one file is returned; with one, versions are matched too and names come back with
 * their `;version`. Directories carrying a version keep it, as CDFS shows them.
 *
 * FileIndex is the entry's offset in its directory; SL_INDEX_SPECIFIED resumes after that offset.
 * Files report FILE_ATTRIBUTE_READONLY, sizes, and allocation in whole 2048-byte sectors;
 * directories report sizes of 0.
 */
import type { FileDirectoryEntry } from '../../../base/information-classes.ts';
import { SL_INDEX_SPECIFIED } from '../../../base/irp-codes.ts';
import { NT_SUCCESS, type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  checkQueryDirectory,
  checkVolumeOfOpen,
  completeRequest,
  completeWhenDone,
  type DeviceObject,
  type DirectoryBatch,
  directoryBatchFor,
  directoryQueryStatus,
  FsRtlDoesNameContainWildCards,
  FsRtlIsNameInExpression,
  IoGetCurrentIrpStackLocation,
  type IoStackLocation,
  type Irp,
  type QueryDirectoryParameters,
  startsDirectoryScan,
  upcaseName,
} from '../../../io/index.ts';
import { ccbOf, fcbOf, vcbOfOpen } from './common.ts';
import { loadDirectory } from './directory-cache.ts';
import { nameWithVersion, splitVersion } from './names.ts';
import { LOGICAL_SECTOR_SIZE } from './on-disk.ts';
import type { Ccb, CdNode } from './structures.ts';

const BEFORE_DOT = -2;
const BEFORE_DOT_DOT = -1;

export function allocationSizeOf(node: CdNode): number {
  return node.isDirectory ? 0 : Math.ceil(node.size / LOGICAL_SECTOR_SIZE) * LOGICAL_SECTOR_SIZE;
}

function entryFor(name: string, node: CdNode, fileIndex: number): FileDirectoryEntry {
  return {
    fileIndex,
    creationTime: node.creationTime,
    lastAccessTime: node.lastAccessTime,
    lastWriteTime: node.lastWriteTime,
    changeTime: node.changeTime,
    endOfFile: node.isDirectory ? 0 : node.size,
    allocationSize: allocationSizeOf(node),
    fileAttributes: node.attributes,
    fileName: name,
    shortName: '',
    fileId: node.id,
  };
}

function matches(ccb: Ccb, key: string, version: string): boolean {
  const name = ccb.searchName!;
  if (name !== '*' && !FsRtlIsNameInExpression(name, key, false)) return false;
  const wanted = ccb.searchVersion;
  if (wanted === '' || wanted === '*') return true;
  const upper = upcaseName(version);
  return FsRtlDoesNameContainWildCards(wanted)
    ? FsRtlIsNameInExpression(wanted, upper, false)
    : wanted === upper;
}

function enumerate(directory: CdNode, ccb: Ccb, batch: DirectoryBatch): void {
  if (ccb.cursor === BEFORE_DOT) {
    if (matches(ccb, '.', '')) {
      if (!batch.fits(1)) return;
      batch.push(entryFor('.', directory, 0));
    }
    ccb.cursor = BEFORE_DOT_DOT;
  }
  if (ccb.cursor === BEFORE_DOT_DOT) {
    if (matches(ccb, '..', '')) {
      if (!batch.fits(2)) return;
      batch.push(entryFor('..', directory.parent ?? directory, 0));
    }
    ccb.cursor = 0;
  }
  const children = directory.children!;
  const withVersions = ccb.searchVersion !== '';
  for (let i = ccb.cursor; i < children.length; i++) {
    const child = children[i]!;
    // Without a version in the expression, later versions of the same file are left out.
    const laterVersion = !withVersions && i > 0 && !child.isDirectory && children[i - 1]!.name === child.name;
    if (!laterVersion && matches(ccb, child.key, child.version)) {
      const name = withVersions || child.isDirectory ? nameWithVersion(child) : child.name;
      if (!batch.fits(name.length)) return;
      batch.push(entryFor(name, child, child.direntOffset));
    }
    ccb.cursor = i + 1;
  }
}

/** Sets up the expression, with its version part, and the cursor of a first query or a restart. */
function startScan(ccb: Ccb, directory: CdNode, location: IoStackLocation): void {
  const pattern = (location.parameters as QueryDirectoryParameters).fileName;
  if (pattern !== null && pattern !== '') {
    const { name, version } = splitVersion(upcaseName(pattern));
    ccb.searchName = name === '' ? '*' : name;
    ccb.searchVersion = version;
  } else if (ccb.searchName === null) {
    ccb.searchName = '*';
    ccb.searchVersion = '';
  }
  ccb.cursor = directory.parent === null ? 0 : BEFORE_DOT;
  ccb.returnedAny = false;
}

/** SL_INDEX_SPECIFIED: continue after the entry at directory offset `fileIndex`. */
function seek(ccb: Ccb, directory: CdNode, fileIndex: number): void {
  const children = directory.children!;
  let i = 0;
  while (i < children.length && children[i]!.direntOffset <= fileIndex) i++;
  ccb.cursor = i;
}

export function CdfsDirectoryControl(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const vcb = vcbOfOpen(fileObject);
  const mounted = checkVolumeOfOpen(vcb);
  if (mounted !== STATUS_SUCCESS || vcb === null) return completeRequest(irp, mounted);
  const fcb = fcbOf(fileObject);
  const ccb = ccbOf(fileObject);
  const checked = checkQueryDirectory(location, fcb !== null && ccb !== null && fcb.node.isDirectory);
  if (checked !== STATUS_SUCCESS || fcb === null || ccb === null) return completeRequest(irp, checked);
  const parameters = location.parameters as QueryDirectoryParameters;
  const directory = fcb.node;
  return completeWhenDone(irp, (finish) =>
    loadDirectory(vcb, directory, (status) => {
      if (!NT_SUCCESS(status)) {
        finish(status, 0);
        return;
      }
      if (startsDirectoryScan(location, ccb.searchName)) startScan(ccb, directory, location);
      if ((location.flags & SL_INDEX_SPECIFIED) !== 0 && Number.isSafeInteger(parameters.fileIndex))
        seek(ccb, directory, parameters.fileIndex);
      const batch = directoryBatchFor(location);
      enumerate(directory, ccb, batch);
      finish(directoryQueryStatus(irp, batch, ccb), batch.used);
    }),
  );
}
