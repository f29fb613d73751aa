/**
 * IRP_MJ_QUERY_INFORMATION for HostFS: the facts of a fresh stat of the open's own descriptor
 * (attributes.ts maps the host's metadata), from which src/io/fsrtl/file-information.ts builds the
 * records (it applies the buffer-length rules).
 *
 * The name of a file is its path as a redirector reports it: `\<share>\dir\file` with the host's
 * case, `\<share>\` for the root. The internal index number is the host inode; the link count the
 * host's. FileStatLxInformation (the record WSL uses) carries the host's uid, gid and mode. No EAs
 * and no short names: those classes and unknown ones are STATUS_INVALID_INFO_CLASS. Control-device
 * opens have no file information (STATUS_INVALID_PARAMETER).
 */
import type { Stats } from 'node:fs';
import {
  type FileStatLxInfo,
  IO_REPARSE_TAG_SYMLINK,
  LX_FILE_METADATA_HAS_GID,
  LX_FILE_METADATA_HAS_MODE,
  LX_FILE_METADATA_HAS_UID,
  type NTSTATUS,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  completeRequest,
  type DeviceObject,
  type FileFacts,
  IoGetCurrentIrpStackLocation,
  type Irp,
  queryFileInformation,
} from '../../io/index.ts';
import { allocationSizeOf, attributesOf, creationTimeOf, endOfFileOf } from './attributes.ts';
import { ccbOf, checkShare, fcbOf } from './common.ts';
import { ntStatusFromHostError } from './host-errors.ts';
import type { Fcb } from './structures.ts';

/** The name a query reports: `\share\dir\file`. */
export function fullName(fcb: Fcb): string {
  return `\\${fcb.share.name}\\${fcb.path.join('\\')}`;
}

/** The host's own uid, gid and mode, so POSIX callers see them. */
function fillStatLx(_fcb: Fcb, stat: Stats, record: FileStatLxInfo): void {
  record.lxFlags = LX_FILE_METADATA_HAS_UID | LX_FILE_METADATA_HAS_GID | LX_FILE_METADATA_HAS_MODE;
  record.lxUid = stat.uid;
  record.lxGid = stat.gid;
  record.lxMode = stat.mode;
}

const hostFsFileFacts: FileFacts<Fcb, Stats> = {
  unsupportedClass: STATUS_INVALID_INFO_CLASS,
  creationTime: (_fcb, stat) => creationTimeOf(stat),
  lastAccessTime: (_fcb, stat) => stat.atimeMs,
  lastWriteTime: (_fcb, stat) => stat.mtimeMs,
  changeTime: (_fcb, stat) => stat.ctimeMs,
  fileAttributes: (fcb, stat) => attributesOf(stat, fcb.name),
  allocationSize: (_fcb, stat) => allocationSizeOf(stat),
  endOfFile: (_fcb, stat) => endOfFileOf(stat),
  numberOfLinks: (_fcb, stat) => stat.nlink,
  deletePending: (fcb) => fcb.deletePending,
  isDirectory: (fcb) => fcb.kind === 'directory',
  indexNumber: (_fcb, stat) => stat.ino,
  reparseTag: (fcb) => (fcb.kind === 'link' ? IO_REPARSE_TAG_SYMLINK : 0),
  fileName: fullName,
  eaSize: null,
  alternateName: null,
  statLx: fillStatLx,
};

export function HostFsQueryInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject!;
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
  return queryFileInformation(irp, hostFsFileFacts, fcb, stat);
}
