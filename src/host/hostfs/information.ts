/**
 * IRP_MJ_QUERY_INFORMATION for HostFS: records built from a fresh stat of the open's own
 * descriptor (attributes.ts maps the host's metadata), left in `irp.systemBuffer`.
 *
 * Buffer rules as MemFS and NT file systems apply them: a `length` below the fixed part is
 * STATUS_INFO_LENGTH_MISMATCH; a name that does not fit is cut and the status is
 * STATUS_BUFFER_OVERFLOW (the record is still returned). The name of a file is its path as a
 * redirector reports it: `\<share>\dir\file` with the host's case, `\<share>\` for the root. The
 * internal index number is the host inode; the link count the host's. Control-device opens have
 * no file information (STATUS_INVALID_PARAMETER).
 */
import type { Stats } from 'node:fs';
import {
  FILE_BASIC_INFORMATION_SIZE,
  FILE_STANDARD_INFORMATION_SIZE,
  type FileAllInfo,
  FileAllInformation,
  FileAttributeTagInformation,
  FileBasicInformation,
  FileInternalInformation,
  FileNameInformation,
  type FileNetworkOpenInfo,
  FileNetworkOpenInformation,
  FilePositionInformation,
  type FileStandardInfo,
  FileStandardInformation,
  type NTSTATUS,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  type DeviceObject,
  type FileObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type QueryFileParameters,
} from '../../io/index.ts';
import { allocationSizeOf, attributesOf, basicInfoOf, endOfFileOf } from './attributes.ts';
import { ccbOf, checkShare, complete, fcbOf } from './common.ts';
import { ntStatusFromHostError } from './host-errors.ts';
import type { Fcb } from './structures.ts';

const FILE_INTERNAL_INFORMATION_SIZE = 8;
const FILE_POSITION_INFORMATION_SIZE = 8;
const FILE_NETWORK_OPEN_INFORMATION_SIZE = 56;
const FILE_ATTRIBUTE_TAG_INFORMATION_SIZE = 8;
const FILE_NAME_INFORMATION_SIZE = 4;
/** FILE_ALL_INFORMATION up to its FileName. */
const FILE_ALL_INFORMATION_SIZE = 100;
/** The reparse tag of a symbolic link (IO_REPARSE_TAG_SYMLINK). */
export const IO_REPARSE_TAG_SYMLINK = 0xa000000c;

/** The name a query reports: `\share\dir\file`. */
export function fullName(fcb: Fcb): string {
  return `\\${fcb.share.name}\\${fcb.path.join('\\')}`;
}

function standardInfo(fcb: Fcb, stat: Stats): FileStandardInfo {
  return {
    allocationSize: allocationSizeOf(stat),
    endOfFile: endOfFileOf(stat),
    numberOfLinks: stat.nlink,
    deletePending: fcb.deletePending,
    directory: fcb.kind === 'directory',
  };
}

function fitName(name: string, length: number, fixed: number): { name: string; overflow: boolean } {
  const room = Math.floor((length - fixed) / 2);
  return room >= name.length ? { name, overflow: false } : { name: name.slice(0, room), overflow: true };
}

function query(
  fcb: Fcb,
  fileObject: FileObject,
  irp: Irp,
  stat: Stats,
  infoClass: number,
  length: number,
): NTSTATUS {
  switch (infoClass) {
    case FileBasicInformation:
      if (length < FILE_BASIC_INFORMATION_SIZE) return complete(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = basicInfoOf(stat, fcb.name);
      return complete(irp, STATUS_SUCCESS, FILE_BASIC_INFORMATION_SIZE);
    case FileStandardInformation:
      if (length < FILE_STANDARD_INFORMATION_SIZE) return complete(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = standardInfo(fcb, stat);
      return complete(irp, STATUS_SUCCESS, FILE_STANDARD_INFORMATION_SIZE);
    case FileInternalInformation:
      if (length < FILE_INTERNAL_INFORMATION_SIZE) return complete(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = { indexNumber: stat.ino };
      return complete(irp, STATUS_SUCCESS, FILE_INTERNAL_INFORMATION_SIZE);
    case FilePositionInformation:
      if (length < FILE_POSITION_INFORMATION_SIZE) return complete(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = { currentByteOffset: fileObject.currentByteOffset };
      return complete(irp, STATUS_SUCCESS, FILE_POSITION_INFORMATION_SIZE);
    case FileAttributeTagInformation:
      if (length < FILE_ATTRIBUTE_TAG_INFORMATION_SIZE) return complete(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = {
        fileAttributes: attributesOf(stat, fcb.name),
        reparseTag: fcb.kind === 'link' ? IO_REPARSE_TAG_SYMLINK : 0,
      };
      return complete(irp, STATUS_SUCCESS, FILE_ATTRIBUTE_TAG_INFORMATION_SIZE);
    case FileNetworkOpenInformation: {
      if (length < FILE_NETWORK_OPEN_INFORMATION_SIZE) return complete(irp, STATUS_INFO_LENGTH_MISMATCH);
      const info: FileNetworkOpenInfo = {
        ...basicInfoOf(stat, fcb.name),
        allocationSize: allocationSizeOf(stat),
        endOfFile: endOfFileOf(stat),
      };
      irp.systemBuffer = info;
      return complete(irp, STATUS_SUCCESS, FILE_NETWORK_OPEN_INFORMATION_SIZE);
    }
    case FileNameInformation: {
      if (length < FILE_NAME_INFORMATION_SIZE) return complete(irp, STATUS_INFO_LENGTH_MISMATCH);
      const { name, overflow } = fitName(fullName(fcb), length, FILE_NAME_INFORMATION_SIZE);
      irp.systemBuffer = { fileName: name };
      const status = overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return complete(irp, status, FILE_NAME_INFORMATION_SIZE + 2 * name.length);
    }
    case FileAllInformation: {
      if (length < FILE_ALL_INFORMATION_SIZE) return complete(irp, STATUS_INFO_LENGTH_MISMATCH);
      const { name, overflow } = fitName(fullName(fcb), length, FILE_ALL_INFORMATION_SIZE);
      const info: FileAllInfo = {
        basic: basicInfoOf(stat, fcb.name),
        standard: standardInfo(fcb, stat),
        internal: { indexNumber: stat.ino },
        position: { currentByteOffset: fileObject.currentByteOffset },
        name: { fileName: name },
      };
      irp.systemBuffer = info;
      const status = overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return complete(irp, status, FILE_ALL_INFORMATION_SIZE + 2 * name.length);
    }
    default:
      return complete(irp, STATUS_INVALID_INFO_CLASS);
  }
}

export function HostFsQueryInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const fcb = fcbOf(fileObject);
  const ccb = ccbOf(fileObject);
  if (fcb === null || ccb === null) return complete(irp, STATUS_INVALID_PARAMETER);
  const shared = checkShare(fcb);
  if (shared !== STATUS_SUCCESS) return complete(irp, shared);
  let stat: Stats;
  try {
    stat = fcb.share.namespace.stat(ccb.entry);
  } catch (error) {
    return complete(irp, ntStatusFromHostError(error));
  }
  const { fileInformationClass, length } = location.parameters as QueryFileParameters;
  return query(fcb, fileObject, irp, stat, fileInformationClass, length);
}
