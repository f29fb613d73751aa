/**
 * IRP_MJ_QUERY_INFORMATION for CDFS (CdCommonQueryInfo): the facts of a node that
 * src/io/fsrtl/file-information.ts builds the records from (it applies the buffer-length rules).
 *
 * As CDFS answers: one link, never delete-pending, directories of size 0, allocation in whole
 * sectors, the node's FileId as the index number, no EAs, no short names (FileAlternateName is
 * STATUS_OBJECT_NAME_NOT_FOUND). Rock Ridge volumes also answer FileStatLxInformation with the PX
 * mode, uid, gid and link count (the record WSL uses, so POSIX callers see the disc's metadata);
 * other volumes answer it without those fields. A Rock Ridge link reports
 * FILE_ATTRIBUTE_REPARSE_POINT and the tag IO_REPARSE_TAG_SYMLINK. Volume opens have no file
 * information (STATUS_INVALID_PARAMETER); a class the I/O manager lets through but CDFS does not
 * answer is STATUS_INVALID_PARAMETER, as in CDFS.
 */
import { IO_REPARSE_TAG_SYMLINK } from '../../../base/file-codes.ts';
import {
  type FileStatLxInfo,
  LX_FILE_METADATA_HAS_DEVICE_ID,
  LX_FILE_METADATA_HAS_GID,
  LX_FILE_METADATA_HAS_MODE,
  LX_FILE_METADATA_HAS_UID,
} from '../../../base/information-classes.ts';
import {
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
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
import { allocationSizeOf } from './directory.ts';
import type { CdNode } from './structures.ts';

/** S_IFCHR and S_IFBLK: the file types PN device numbers belong to. */
const S_IFMT = 0o170000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;

/** The PX and PN fields of a Rock Ridge node; a node without them keeps the record's zeros. */
function fillStatLx(node: CdNode, _extra: undefined, record: FileStatLxInfo): void {
  const posix = node.posix;
  if (posix === null) return;
  let flags = LX_FILE_METADATA_HAS_UID | LX_FILE_METADATA_HAS_GID | LX_FILE_METADATA_HAS_MODE;
  const type = posix.mode & S_IFMT;
  if (type === S_IFCHR || type === S_IFBLK) flags |= LX_FILE_METADATA_HAS_DEVICE_ID;
  record.numberOfLinks = posix.links;
  record.lxFlags = flags;
  record.lxUid = posix.uid;
  record.lxGid = posix.gid;
  record.lxMode = posix.mode;
  record.lxDeviceIdMajor = posix.deviceMajor;
  record.lxDeviceIdMinor = posix.deviceMinor;
}

const cdfsFileFacts: FileFacts<CdNode> = {
  unsupportedClass: STATUS_INVALID_PARAMETER,
  creationTime: (node) => node.creationTime,
  lastAccessTime: (node) => node.lastAccessTime,
  lastWriteTime: (node) => node.lastWriteTime,
  changeTime: (node) => node.changeTime,
  fileAttributes: (node) => node.attributes,
  allocationSize: allocationSizeOf,
  endOfFile: (node) => (node.isDirectory ? 0 : node.size),
  numberOfLinks: () => 1,
  deletePending: () => false,
  isDirectory: (node) => node.isDirectory,
  indexNumber: (node) => node.id,
  reparseTag: (node) => (node.symlinkTarget !== null ? IO_REPARSE_TAG_SYMLINK : 0),
  fileName: pathFromRoot,
  eaSize: () => 0,
  alternateName: () => null,
  statLx: fillStatLx,
};

export function CdfsQueryInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject!;
  const vcb = vcbOfOpen(fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const fcb = fcbOf(fileObject);
  if (fcb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  return queryFileInformation(irp, cdfsFileFacts, fcb.node, undefined);
}
