/**
 * IRP_MJ_QUERY_INFORMATION for MemFS: the records of src/base/information-classes.ts, built from
 * the node and left in `irp.systemBuffer`.
 *
 * Buffer rules, as NT file systems apply them: a `length` below the fixed part of the structure is
 * STATUS_INFO_LENGTH_MISMATCH; a name that does not fit is cut and the status is
 * STATUS_BUFFER_OVERFLOW (a warning: the record is still returned). IoStatus.Information is the
 * number of bytes the C structure would occupy. Volume opens have no file information
 * (STATUS_INVALID_PARAMETER); unknown classes are STATUS_INVALID_INFO_CLASS.
 */
import { FILE_ATTRIBUTE_NORMAL } from '../../../base/file-codes.ts';
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
import type { Fcb } from './structures.ts';
import { fullPath, type MemNode } from './tree.ts';

/** Attributes as reported: FILE_ATTRIBUTE_NORMAL stands for "none". */
export function reportedAttributes(node: MemNode): number {
  return node.attributes === 0 ? FILE_ATTRIBUTE_NORMAL : node.attributes;
}

/** Bytes allocated for a file: its size in whole sectors (MemFS allocates per sector on the media). */
export function allocationSize(node: MemNode, sectorSize: number): number {
  return node.isDirectory ? 0 : Math.ceil(node.size / sectorSize) * sectorSize;
}

export function basicInfo(node: MemNode): FileBasicInfo {
  return {
    creationTime: node.creationTime,
    lastAccessTime: node.lastAccessTime,
    lastWriteTime: node.lastWriteTime,
    changeTime: node.changeTime,
    fileAttributes: reportedAttributes(node),
  };
}

function standardInfo(fcb: Fcb): FileStandardInfo {
  const node = fcb.node;
  return {
    allocationSize: allocationSize(node, fcb.vcb.sectorSize),
    endOfFile: node.isDirectory ? 0 : node.size,
    numberOfLinks: 1,
    deletePending: fcb.deletePending,
    directory: node.isDirectory,
  };
}

function query(fcb: Fcb, fileObject: FileObject, irp: Irp, infoClass: number, length: number): NTSTATUS {
  const node = fcb.node;
  switch (infoClass) {
    case FileBasicInformation:
      if (length < FILE_BASIC_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = basicInfo(node);
      return completeRequest(irp, STATUS_SUCCESS, FILE_BASIC_INFORMATION_SIZE);
    case FileStandardInformation:
      if (length < FILE_STANDARD_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = standardInfo(fcb);
      return completeRequest(irp, STATUS_SUCCESS, FILE_STANDARD_INFORMATION_SIZE);
    case FileInternalInformation:
      if (length < FILE_INTERNAL_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = { indexNumber: node.id };
      return completeRequest(irp, STATUS_SUCCESS, FILE_INTERNAL_INFORMATION_SIZE);
    case FilePositionInformation:
      if (length < FILE_POSITION_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = { currentByteOffset: fileObject.currentByteOffset };
      return completeRequest(irp, STATUS_SUCCESS, FILE_POSITION_INFORMATION_SIZE);
    case FileAttributeTagInformation:
      if (length < FILE_ATTRIBUTE_TAG_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = { fileAttributes: reportedAttributes(node), reparseTag: 0 };
      return completeRequest(irp, STATUS_SUCCESS, FILE_ATTRIBUTE_TAG_INFORMATION_SIZE);
    case FileNetworkOpenInformation: {
      if (length < FILE_NETWORK_OPEN_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const info: FileNetworkOpenInfo = {
        ...basicInfo(node),
        allocationSize: allocationSize(node, fcb.vcb.sectorSize),
        endOfFile: node.isDirectory ? 0 : node.size,
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, FILE_NETWORK_OPEN_INFORMATION_SIZE);
    }
    case FileNameInformation: {
      if (length < FILE_NAME_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const { name, overflow } = fitNameInBuffer(fullPath(node), length, FILE_NAME_INFORMATION_SIZE);
      irp.systemBuffer = { fileName: name };
      const status = overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(irp, status, FILE_NAME_INFORMATION_SIZE + 2 * name.length);
    }
    case FileAllInformation: {
      if (length < FILE_ALL_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const { name, overflow } = fitNameInBuffer(fullPath(node), length, FILE_ALL_INFORMATION_SIZE);
      const info: FileAllInfo = {
        basic: basicInfo(node),
        standard: standardInfo(fcb),
        internal: { indexNumber: node.id },
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

export function MemFsQueryInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
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
