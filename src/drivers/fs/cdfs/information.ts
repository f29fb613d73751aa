/**
 * IRP_MJ_QUERY_INFORMATION for CDFS (CdCommonQueryInfo): the records of
 * src/base/information-classes.ts, built from the node and left in `irp.systemBuffer`.
 *
 * As CDFS answers: one link, never delete-pending, directories of size 0, allocation in whole
 * sectors, the node's FileId as the index number, no EAs, no short names (FileAlternateName is
 * STATUS_OBJECT_NAME_NOT_FOUND). Rock Ridge volumes also answer FileStatLxInformation with the PX
 * mode, uid, gid and link count (the record WSL uses, so POSIX callers see the disc's metadata);
 * other volumes answer it without those fields. A Rock Ridge link reports
 * FILE_ATTRIBUTE_REPARSE_POINT and the tag IO_REPARSE_TAG_SYMLINK. Volume opens have no file
 * information (STATUS_INVALID_PARAMETER); unknown classes are STATUS_INVALID_PARAMETER, as in CDFS.
 *
 * Buffer rules: a `length` below the fixed part is STATUS_INFO_LENGTH_MISMATCH; a name that does
 * not fit is cut, with STATUS_BUFFER_OVERFLOW; IoStatus.Information is the C structure's size.
 */
import { IO_REPARSE_TAG_SYMLINK } from '../../../base/file-codes.ts';
import {
  FILE_ALL_INFORMATION_SIZE,
  FILE_ATTRIBUTE_TAG_INFORMATION_SIZE,
  FILE_BASIC_INFORMATION_SIZE,
  FILE_INTERNAL_INFORMATION_SIZE,
  FILE_NAME_INFORMATION_SIZE,
  FILE_NETWORK_OPEN_INFORMATION_SIZE,
  FILE_POSITION_INFORMATION_SIZE,
  FILE_STANDARD_INFORMATION_SIZE,
  FILE_STAT_LX_INFORMATION_SIZE,
  type FileAllInfo,
  FileAllInformation,
  FileAlternateNameInformation,
  FileAttributeTagInformation,
  type FileBasicInfo,
  FileBasicInformation,
  FileEaInformation,
  FileInternalInformation,
  FileNameInformation,
  type FileNetworkOpenInfo,
  FileNetworkOpenInformation,
  FilePositionInformation,
  type FileStandardInfo,
  FileStandardInformation,
  type FileStatLxInfo,
  FileStatLxInformation,
  LX_FILE_METADATA_HAS_DEVICE_ID,
  LX_FILE_METADATA_HAS_GID,
  LX_FILE_METADATA_HAS_MODE,
  LX_FILE_METADATA_HAS_UID,
} from '../../../base/information-classes.ts';
import {
  type NTSTATUS,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_DEVICE_REQUEST,
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
import { allocationSizeOf } from './directory.ts';
import { fullPath } from './lookup.ts';
import type { CdNode } from './structures.ts';

const FILE_EA_INFORMATION_SIZE = 4;
/** S_IFCHR and S_IFBLK: the file types PN device numbers belong to. */
const S_IFMT = 0o170000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;

function basicInfo(node: CdNode): FileBasicInfo {
  return {
    creationTime: node.creationTime,
    lastAccessTime: node.lastAccessTime,
    lastWriteTime: node.lastWriteTime,
    changeTime: node.changeTime,
    fileAttributes: node.attributes,
  };
}

function standardInfo(node: CdNode): FileStandardInfo {
  return {
    allocationSize: allocationSizeOf(node),
    endOfFile: node.isDirectory ? 0 : node.size,
    numberOfLinks: 1,
    deletePending: false,
    directory: node.isDirectory,
  };
}

function reparseTagOf(node: CdNode): number {
  return node.symlinkTarget !== null ? IO_REPARSE_TAG_SYMLINK : 0;
}

function statLxInfo(node: CdNode): FileStatLxInfo {
  const posix = node.posix;
  let flags = 0;
  if (posix !== null) {
    flags = LX_FILE_METADATA_HAS_UID | LX_FILE_METADATA_HAS_GID | LX_FILE_METADATA_HAS_MODE;
    const type = posix.mode & S_IFMT;
    if (type === S_IFCHR || type === S_IFBLK) flags |= LX_FILE_METADATA_HAS_DEVICE_ID;
  }
  return {
    fileId: node.id,
    creationTime: node.creationTime,
    lastAccessTime: node.lastAccessTime,
    lastWriteTime: node.lastWriteTime,
    changeTime: node.changeTime,
    allocationSize: allocationSizeOf(node),
    endOfFile: node.isDirectory ? 0 : node.size,
    fileAttributes: node.attributes,
    reparseTag: reparseTagOf(node),
    numberOfLinks: posix?.links ?? 1,
    effectiveAccess: 0,
    lxFlags: flags,
    lxUid: posix?.uid ?? 0,
    lxGid: posix?.gid ?? 0,
    lxMode: posix?.mode ?? 0,
    lxDeviceIdMajor: posix?.deviceMajor ?? 0,
    lxDeviceIdMinor: posix?.deviceMinor ?? 0,
  };
}

function query(node: CdNode, fileObject: FileObject, irp: Irp, infoClass: number, length: number): NTSTATUS {
  const fixed = (size: number, record: unknown): NTSTATUS => {
    if (length < size) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
    irp.systemBuffer = record;
    return completeRequest(irp, STATUS_SUCCESS, size);
  };
  switch (infoClass) {
    case FileBasicInformation:
      return fixed(FILE_BASIC_INFORMATION_SIZE, basicInfo(node));
    case FileStandardInformation:
      return fixed(FILE_STANDARD_INFORMATION_SIZE, standardInfo(node));
    case FileInternalInformation:
      return fixed(FILE_INTERNAL_INFORMATION_SIZE, { indexNumber: node.id });
    case FileEaInformation:
      return fixed(FILE_EA_INFORMATION_SIZE, { eaSize: 0 });
    case FilePositionInformation:
      return fixed(FILE_POSITION_INFORMATION_SIZE, { currentByteOffset: fileObject.currentByteOffset });
    case FileAttributeTagInformation:
      return fixed(FILE_ATTRIBUTE_TAG_INFORMATION_SIZE, {
        fileAttributes: node.attributes,
        reparseTag: reparseTagOf(node),
      });
    case FileNetworkOpenInformation: {
      const info: FileNetworkOpenInfo = {
        ...basicInfo(node),
        allocationSize: allocationSizeOf(node),
        endOfFile: node.isDirectory ? 0 : node.size,
      };
      return fixed(FILE_NETWORK_OPEN_INFORMATION_SIZE, info);
    }
    case FileStatLxInformation:
      return fixed(FILE_STAT_LX_INFORMATION_SIZE, statLxInfo(node));
    case FileAlternateNameInformation:
      return completeRequest(irp, STATUS_OBJECT_NAME_NOT_FOUND);
    case FileNameInformation: {
      if (length < FILE_NAME_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const { name, overflow } = fitNameInBuffer(fullPath(node), length, FILE_NAME_INFORMATION_SIZE);
      irp.systemBuffer = { fileName: name };
      return completeRequest(
        irp,
        overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS,
        FILE_NAME_INFORMATION_SIZE + 2 * name.length,
      );
    }
    case FileAllInformation: {
      if (length < FILE_ALL_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const { name, overflow } = fitNameInBuffer(fullPath(node), length, FILE_ALL_INFORMATION_SIZE);
      const info: FileAllInfo = {
        basic: basicInfo(node),
        standard: standardInfo(node),
        internal: { indexNumber: node.id },
        position: { currentByteOffset: fileObject.currentByteOffset },
        name: { fileName: name },
      };
      irp.systemBuffer = info;
      return completeRequest(
        irp,
        overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS,
        FILE_ALL_INFORMATION_SIZE + 2 * name.length,
      );
    }
    default:
      return completeRequest(irp, STATUS_INVALID_PARAMETER);
  }
}

export function CdfsQueryInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const vcb = vcbOfOpen(fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const fcb = fcbOf(fileObject);
  if (fcb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const { fileInformationClass, length } = location.parameters as QueryFileParameters;
  return query(fcb.node, fileObject, irp, fileInformationClass, length);
}
