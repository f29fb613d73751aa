/**
 * IRP_MJ_QUERY_INFORMATION for MemFS: the facts of a node that src/io/fsrtl/file-information.ts
 * builds the records from (it applies the buffer-length rules).
 *
 * MemFS reports one link, allocation in whole sectors, 0 for a directory's size and allocation,
 * the node id as the index number, no reparse tags, and FILE_ATTRIBUTE_NORMAL for a node without
 * attributes. It keeps no EAs and no short names: those classes, FileStatLxInformation and unknown
 * classes are STATUS_INVALID_INFO_CLASS. Volume opens have no file information
 * (STATUS_INVALID_PARAMETER).
 */
import { FILE_ATTRIBUTE_NORMAL } from '../../../base/file-codes.ts';
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
import type { Fcb } from './structures.ts';
import type { MemNode } from './tree.ts';

/** Attributes as reported: FILE_ATTRIBUTE_NORMAL stands for "none". */
export function reportedAttributes(node: MemNode): number {
  return node.attributes === 0 ? FILE_ATTRIBUTE_NORMAL : node.attributes;
}

/** Bytes allocated for a file: its size in whole sectors (MemFS allocates per sector on the media). */
export function allocationSize(node: MemNode, sectorSize: number): number {
  return node.isDirectory ? 0 : Math.ceil(node.size / sectorSize) * sectorSize;
}

const memFsFileFacts: FileFacts<Fcb> = {
  unsupportedClass: STATUS_INVALID_INFO_CLASS,
  creationTime: (fcb) => fcb.node.creationTime,
  lastAccessTime: (fcb) => fcb.node.lastAccessTime,
  lastWriteTime: (fcb) => fcb.node.lastWriteTime,
  changeTime: (fcb) => fcb.node.changeTime,
  fileAttributes: (fcb) => reportedAttributes(fcb.node),
  allocationSize: (fcb) => allocationSize(fcb.node, fcb.vcb.sectorSize),
  endOfFile: (fcb) => (fcb.node.isDirectory ? 0 : fcb.node.size),
  numberOfLinks: () => 1,
  deletePending: (fcb) => fcb.deletePending,
  isDirectory: (fcb) => fcb.node.isDirectory,
  indexNumber: (fcb) => fcb.node.id,
  reparseTag: () => 0,
  fileName: (fcb) => pathFromRoot(fcb.node),
  eaSize: null,
  alternateName: null,
  statLx: null,
};

export function MemFsQueryInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject!;
  const vcb = vcbOfOpen(fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const fcb = fcbOf(fileObject);
  if (fcb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  return queryFileInformation(irp, memFsFileFacts, fcb, undefined);
}
