/**
 * IRP_MJ_QUERY_INFORMATION for FAT (FastFat's fileinfo.c, query side): the facts of a node that
 * src/io/fsrtl/file-information.ts builds the records from (it applies the buffer-length rules).
 *
 * FAT has no change time: it is reported as 0, as FastFat does. Times are FAT's (2 s write, 10 ms
 * creation, date-only access) read as local time. Directories report 0 for size and allocation. The
 * file index is derived from where the entry lives (the parent's first cluster and the entry's byte
 * offset), so it is stable while the file keeps its name, as FastFat's is.
 * FileAlternateNameInformation gives the 8.3 name (the root has none: STATUS_OBJECT_NAME_NOT_FOUND).
 * No EAs are kept here: FileEaInformation, FileStatLxInformation and unknown classes are
 * STATUS_INVALID_INFO_CLASS.
 */
import {
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  type FileFacts,
  IoGetCurrentIrpStackLocation,
  type Irp,
  pathFromRoot,
  queryFileInformation,
} from '../../../io/index.ts';
import { checkMounted, fcbOf, vcbOfOpen } from './common.ts';
import type { FatNode } from './fat-node.ts';
import { DIRENT_SIZE } from './on-disk.ts';
import type { Fcb, Vcb } from './structures.ts';

/** Bytes allocated to a file: its clusters (directories report 0). */
export function allocationSize(vcb: Vcb, node: FatNode): number {
  if (node.isDirectory) return 0;
  const clusters = node.runs !== null ? node.runs.length : Math.ceil(node.fileSize / vcb.clusterSize);
  return clusters * vcb.clusterSize;
}

/** The file index: (parent's first cluster + 1) · 2^21 + byte offset of the entry; 0 for the root. */
export function fileIndexOf(node: FatNode): number {
  const parent = node.parent;
  if (parent === null) return 0;
  return (parent.firstCluster + 1) * 0x200000 + node.slot * DIRENT_SIZE;
}

const fatFileFacts: FileFacts<Fcb> = {
  unsupportedClass: STATUS_INVALID_INFO_CLASS,
  creationTime: (fcb) => fcb.node.creationMs(fcb.vcb.toMs),
  lastAccessTime: (fcb) => fcb.node.lastAccessMs(fcb.vcb.toMs),
  lastWriteTime: (fcb) => fcb.node.lastWriteMs(fcb.vcb.toMs),
  changeTime: () => 0,
  fileAttributes: (fcb) => fcb.node.fileAttributes,
  allocationSize: (fcb) => allocationSize(fcb.vcb, fcb.node),
  endOfFile: (fcb) => (fcb.node.isDirectory ? 0 : fcb.node.fileSize),
  numberOfLinks: () => 1,
  deletePending: (fcb) => fcb.deletePending,
  isDirectory: (fcb) => fcb.node.isDirectory,
  indexNumber: (fcb) => fileIndexOf(fcb.node),
  reparseTag: () => 0,
  fileName: (fcb) => pathFromRoot(fcb.node),
  eaSize: null,
  alternateName: (fcb) => (fcb.node.isRoot ? null : fcb.node.shortDisplay),
  statLx: null,
};

export function FatQueryInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject!;
  const vcb = vcbOfOpen(fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const fcb = fcbOf(fileObject);
  if (fcb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  return queryFileInformation(irp, fatFileFacts, fcb, undefined);
}
