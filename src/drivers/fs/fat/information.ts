/**
 * IRP_MJ_QUERY_INFORMATION for FAT (FastFat's fileinfo.c, query side).
 *
 * The records of src/base/information-classes.ts, built from the node. FAT has no change time:
 * it is reported as 0, as FastFat does. Times are FAT's (2 s write, 10 ms creation, date-only
 * access) read as local time. Directories report 0 for size and allocation. The file index is
 * derived from where the entry lives (the parent's first cluster and the entry's byte offset), so
 * it is stable while the file keeps its name, as FastFat's is. FileAlternateNameInformation gives
 * the 8.3 name (the root has none: STATUS_OBJECT_NAME_NOT_FOUND).
 *
 * Buffer rules as MemFS applies them: a `length` below the fixed part is
 * STATUS_INFO_LENGTH_MISMATCH, a name that does not fit is cut with STATUS_BUFFER_OVERFLOW.
 */
import {
  FILE_ALL_INFORMATION_SIZE,
  FILE_ATTRIBUTE_TAG_INFORMATION_SIZE,
  FILE_BASIC_INFORMATION_SIZE,
  FILE_INTERNAL_INFORMATION_SIZE,
  FILE_NAME_INFORMATION_SIZE,
  FILE_NETWORK_OPEN_INFORMATION_SIZE,
  FILE_POSITION_INFORMATION_SIZE,
  FILE_STANDARD_INFORMATION_SIZE,
  type FileAllInfo,
  FileAllInformation,
  FileAlternateNameInformation,
  FileAttributeTagInformation,
  type FileBasicInfo,
  FileBasicInformation,
  FileInternalInformation,
  FileNameInformation,
  type FileNetworkOpenInfo,
  FileNetworkOpenInformation,
  FilePositionInformation,
  type FileStandardInfo,
  FileStandardInformation,
} from '../../../base/information-classes.ts';
import {
  type NTSTATUS,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  type FileObject,
  fitNameInBuffer,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type QueryFileParameters,
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

export function basicInfo(vcb: Vcb, node: FatNode): FileBasicInfo {
  return {
    creationTime: node.creationMs(vcb.toMs),
    lastAccessTime: node.lastAccessMs(vcb.toMs),
    lastWriteTime: node.lastWriteMs(vcb.toMs),
    changeTime: 0,
    fileAttributes: node.fileAttributes,
  };
}

function standardInfo(fcb: Fcb): FileStandardInfo {
  const node = fcb.node;
  return {
    allocationSize: allocationSize(fcb.vcb, node),
    endOfFile: node.isDirectory ? 0 : node.fileSize,
    numberOfLinks: 1,
    deletePending: fcb.deletePending,
    directory: node.isDirectory,
  };
}

/** The path from the volume root: `\` for the root. */
export function fullPath(node: FatNode): string {
  if (node.parent === null) return '\\';
  const parts: string[] = [];
  for (let n: FatNode | null = node; n !== null && n.parent !== null; n = n.parent) parts.push(n.name);
  return `\\${parts.reverse().join('\\')}`;
}

function nameRecord(irp: Irp, name: string, length: number): NTSTATUS {
  if (length < FILE_NAME_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
  const fitted = fitNameInBuffer(name, length, FILE_NAME_INFORMATION_SIZE);
  irp.systemBuffer = { fileName: fitted.name };
  const status = fitted.overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
  return completeRequest(irp, status, FILE_NAME_INFORMATION_SIZE + 2 * fitted.name.length);
}

function query(fcb: Fcb, fileObject: FileObject, irp: Irp, infoClass: number, length: number): NTSTATUS {
  const node = fcb.node;
  switch (infoClass) {
    case FileBasicInformation:
      if (length < FILE_BASIC_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = basicInfo(fcb.vcb, node);
      return completeRequest(irp, STATUS_SUCCESS, FILE_BASIC_INFORMATION_SIZE);
    case FileStandardInformation:
      if (length < FILE_STANDARD_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = standardInfo(fcb);
      return completeRequest(irp, STATUS_SUCCESS, FILE_STANDARD_INFORMATION_SIZE);
    case FileInternalInformation:
      if (length < FILE_INTERNAL_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = { indexNumber: fileIndexOf(node) };
      return completeRequest(irp, STATUS_SUCCESS, FILE_INTERNAL_INFORMATION_SIZE);
    case FilePositionInformation:
      if (length < FILE_POSITION_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = { currentByteOffset: fileObject.currentByteOffset };
      return completeRequest(irp, STATUS_SUCCESS, FILE_POSITION_INFORMATION_SIZE);
    case FileAttributeTagInformation:
      if (length < FILE_ATTRIBUTE_TAG_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = { fileAttributes: node.fileAttributes, reparseTag: 0 };
      return completeRequest(irp, STATUS_SUCCESS, FILE_ATTRIBUTE_TAG_INFORMATION_SIZE);
    case FileNetworkOpenInformation: {
      if (length < FILE_NETWORK_OPEN_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const info: FileNetworkOpenInfo = {
        ...basicInfo(fcb.vcb, node),
        allocationSize: allocationSize(fcb.vcb, node),
        endOfFile: node.isDirectory ? 0 : node.fileSize,
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, FILE_NETWORK_OPEN_INFORMATION_SIZE);
    }
    case FileNameInformation:
      return nameRecord(irp, fullPath(node), length);
    case FileAlternateNameInformation:
      if (node.isRoot) return completeRequest(irp, STATUS_OBJECT_NAME_NOT_FOUND);
      return nameRecord(irp, node.shortDisplay, length);
    case FileAllInformation: {
      if (length < FILE_ALL_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const { name, overflow } = fitNameInBuffer(fullPath(node), length, FILE_ALL_INFORMATION_SIZE);
      const info: FileAllInfo = {
        basic: basicInfo(fcb.vcb, node),
        standard: standardInfo(fcb),
        internal: { indexNumber: fileIndexOf(node) },
        position: { currentByteOffset: fileObject.currentByteOffset },
        name: { fileName: name },
      };
      irp.systemBuffer = info;
      const status = overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(irp, status, FILE_ALL_INFORMATION_SIZE + 2 * name.length);
    }
    default:
      return completeRequest(irp, STATUS_INVALID_INFO_CLASS);
  }
}

export function FatQueryInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const vcb = vcbOfOpen(fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const fcb = fcbOf(fileObject);
  if (fcb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const { fileInformationClass, length } = location.parameters as QueryFileParameters;
  return query(fcb, fileObject, irp, fileInformationClass, length);
}
