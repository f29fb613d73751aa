/**
 * IRP_MJ_QUERY_INFORMATION for HostFS: records built from a fresh stat of the open's own
 * descriptor (attributes.ts maps the host's metadata), left in `irp.systemBuffer`.
 *
 * Buffer rules as MemFS and NT file systems apply them: a `length` below the fixed part is
 * STATUS_INFO_LENGTH_MISMATCH; a name that does not fit is cut and the status is
 * STATUS_BUFFER_OVERFLOW (the record is still returned). The name of a file is its path as a
 * redirector reports it: `\<share>\dir\file` with the host's case, `\<share>\` for the root. The
 * internal index number is the host inode; the link count the host's. FileStatLxInformation (the
 * record WSL uses) carries the host's uid, gid and mode. Control-device opens have no file
 * information (STATUS_INVALID_PARAMETER).
 */
import type { Stats } from 'node:fs';
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
  FileAttributeTagInformation,
  FileBasicInformation,
  FileInternalInformation,
  FileNameInformation,
  type FileNetworkOpenInfo,
  FileNetworkOpenInformation,
  FilePositionInformation,
  type FileStandardInfo,
  FileStandardInformation,
  type FileStatLxInfo,
  FileStatLxInformation,
  IO_REPARSE_TAG_SYMLINK,
  LX_FILE_METADATA_HAS_GID,
  LX_FILE_METADATA_HAS_MODE,
  LX_FILE_METADATA_HAS_UID,
  type NTSTATUS,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  completeRequest,
  type DeviceObject,
  type FileObject,
  fitNameInBuffer,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type QueryFileParameters,
} from '../../io/index.ts';
import { allocationSizeOf, attributesOf, basicInfoOf, creationTimeOf, endOfFileOf } from './attributes.ts';
import { ccbOf, checkShare, fcbOf } from './common.ts';
import { ntStatusFromHostError } from './host-errors.ts';
import type { Fcb } from './structures.ts';

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

/** The WSL stat record: the host's own uid, gid and mode, so POSIX callers see them. */
function statLxInfo(fcb: Fcb, stat: Stats): FileStatLxInfo {
  return {
    fileId: stat.ino,
    creationTime: creationTimeOf(stat),
    lastAccessTime: stat.atimeMs,
    lastWriteTime: stat.mtimeMs,
    changeTime: stat.ctimeMs,
    allocationSize: allocationSizeOf(stat),
    endOfFile: endOfFileOf(stat),
    fileAttributes: attributesOf(stat, fcb.name),
    reparseTag: fcb.kind === 'link' ? IO_REPARSE_TAG_SYMLINK : 0,
    numberOfLinks: stat.nlink,
    effectiveAccess: 0,
    lxFlags: LX_FILE_METADATA_HAS_UID | LX_FILE_METADATA_HAS_GID | LX_FILE_METADATA_HAS_MODE,
    lxUid: stat.uid,
    lxGid: stat.gid,
    lxMode: stat.mode,
    lxDeviceIdMajor: 0,
    lxDeviceIdMinor: 0,
  };
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
      if (length < FILE_BASIC_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = basicInfoOf(stat, fcb.name);
      return completeRequest(irp, STATUS_SUCCESS, FILE_BASIC_INFORMATION_SIZE);
    case FileStandardInformation:
      if (length < FILE_STANDARD_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = standardInfo(fcb, stat);
      return completeRequest(irp, STATUS_SUCCESS, FILE_STANDARD_INFORMATION_SIZE);
    case FileInternalInformation:
      if (length < FILE_INTERNAL_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = { indexNumber: stat.ino };
      return completeRequest(irp, STATUS_SUCCESS, FILE_INTERNAL_INFORMATION_SIZE);
    case FilePositionInformation:
      if (length < FILE_POSITION_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = { currentByteOffset: fileObject.currentByteOffset };
      return completeRequest(irp, STATUS_SUCCESS, FILE_POSITION_INFORMATION_SIZE);
    case FileAttributeTagInformation:
      if (length < FILE_ATTRIBUTE_TAG_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = {
        fileAttributes: attributesOf(stat, fcb.name),
        reparseTag: fcb.kind === 'link' ? IO_REPARSE_TAG_SYMLINK : 0,
      };
      return completeRequest(irp, STATUS_SUCCESS, FILE_ATTRIBUTE_TAG_INFORMATION_SIZE);
    case FileNetworkOpenInformation: {
      if (length < FILE_NETWORK_OPEN_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const info: FileNetworkOpenInfo = {
        ...basicInfoOf(stat, fcb.name),
        allocationSize: allocationSizeOf(stat),
        endOfFile: endOfFileOf(stat),
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, FILE_NETWORK_OPEN_INFORMATION_SIZE);
    }
    case FileNameInformation: {
      if (length < FILE_NAME_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const { name, overflow } = fitNameInBuffer(fullName(fcb), length, FILE_NAME_INFORMATION_SIZE);
      irp.systemBuffer = { fileName: name };
      const status = overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(irp, status, FILE_NAME_INFORMATION_SIZE + 2 * name.length);
    }
    case FileAllInformation: {
      if (length < FILE_ALL_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const { name, overflow } = fitNameInBuffer(fullName(fcb), length, FILE_ALL_INFORMATION_SIZE);
      const info: FileAllInfo = {
        basic: basicInfoOf(stat, fcb.name),
        standard: standardInfo(fcb, stat),
        internal: { indexNumber: stat.ino },
        position: { currentByteOffset: fileObject.currentByteOffset },
        name: { fileName: name },
      };
      irp.systemBuffer = info;
      const status = overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(irp, status, FILE_ALL_INFORMATION_SIZE + 2 * name.length);
    }
    case FileStatLxInformation:
      if (length < FILE_STAT_LX_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      irp.systemBuffer = statLxInfo(fcb, stat);
      return completeRequest(irp, STATUS_SUCCESS, FILE_STAT_LX_INFORMATION_SIZE);
    default:
      return completeRequest(irp, STATUS_INVALID_INFO_CLASS);
  }
}

export function HostFsQueryInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const fcb = fcbOf(fileObject);
  const ccb = ccbOf(fileObject);
  if (fcb === null || ccb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const shared = checkShare(fcb);
  if (shared !== STATUS_SUCCESS) return completeRequest(irp, shared);
  let stat: Stats;
  try {
    stat = fcb.share.namespace.stat(ccb.entry);
  } catch (error) {
    return completeRequest(irp, ntStatusFromHostError(error));
  }
  const { fileInformationClass, length } = location.parameters as QueryFileParameters;
  return query(fcb, fileObject, irp, stat, fileInformationClass, length);
}
