/**
 * IRP_MJ_CREATE for HostFS: open the control device, or open or create a file or directory in a
 * share, or open the parent of a name for a rename (SL_OPEN_TARGET_DIRECTORY).
 *
 * What arrives: HostFS's control device is a network file system's, so the I/O manager sends every
 * open of `\Device\HostFs\...` straight to the top of its stack with the rest of the name, as it
 * does for a redirector: `\share\dir\file`, `\share` for the share's root, '' for the control
 * device itself; or, with a related file object, a name relative to that open directory. A share
 * name that is not a valid share name is STATUS_OBJECT_NAME_INVALID, one that is not shared
 * STATUS_BAD_NETWORK_NAME.
 *
 * The order of checks is FastFat's (src/io/fsrtl/create-checks.ts): name syntax (host-names.ts),
 * path, existence versus disposition, file versus directory, delete-pending, read-only attribute,
 * read-only share, share access — then the host calls, and share access is recorded only once they
 * succeeded. A failed create changes nothing on the host. A read-only share refuses any write-like
 * access up front (STATUS_ACCESS_DENIED, what a server answers when share permissions deny it).
 * HostFS never creates anything through a symbolic link: a name whose last component is a link to
 * nothing cannot be created (STATUS_ACCESS_DENIED).
 */
import * as fs from 'node:fs';
import {
  FILE_APPEND_DATA,
  FILE_ATTRIBUTE_READONLY,
  FILE_CREATED,
  FILE_EXECUTE,
  FILE_OPEN_BY_FILE_ID,
  FILE_OPEN_REPARSE_POINT,
  FILE_OPENED,
  FILE_READ_DATA,
  FILE_WRITE_DATA,
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_BAD_NETWORK_NAME,
  STATUS_CANNOT_DELETE,
  STATUS_DELETE_PENDING,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_NETWORK_NAME_DELETED,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  type CreateRequest,
  checkCreateNew,
  checkNewFileAttributes,
  checkOpenExisting,
  checkReadOnlyFileOpen,
  completeRequest,
  createRequestOf,
  type DeviceObject,
  type FileObject,
  IoCheckShareAccess,
  IoGetCurrentIrpStackLocation,
  IoUpdateShareAccess,
  type Irp,
  MODIFYING_ACCESS,
  parsePath,
  targetDirectoryOpened,
  upcaseName,
} from '../../io/index.ts';
import { isReadOnlyFile, kindOf, S_IWALL } from './attributes.ts';
import { ccbOf, fcbOf, updateUnload } from './common.ts';
import { ntStatusFromHostError } from './host-errors.ts';
import { isValidHostFsComponent, isValidShareName } from './host-names.ts';
import type { HostEntry } from './host-namespace.ts';
import { checkHostRemovable } from './removable.ts';
import { leafPathOf, type Resolution, releaseResolution, resolvePath } from './resolve.ts';
import { Ccb, Fcb, type FcbKind, HostFsControl, type HostFsData, type Share } from './structures.ts';

const READ_DATA_ACCESS = FILE_READ_DATA | FILE_EXECUTE;
const WRITE_DATA_ACCESS = FILE_WRITE_DATA | FILE_APPEND_DATA;

export function HostFsCreate(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const data = device.driverObject.driverExtension as HostFsData;
  if (!(device.deviceExtension instanceof HostFsControl))
    return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  if (fileObject.relatedFileObject === null && fileObject.fileName === '') {
    // The control device itself (share management, filters and tools).
    fileObject.fsContext = device.deviceExtension;
    data.openCount++;
    updateUnload(data, fileObject);
    return completeRequest(irp, STATUS_SUCCESS, FILE_OPENED);
  }
  const request = createRequestOf(location);
  const status = create(data, request);
  return completeRequest(irp, status, NT_SUCCESS(status) ? request.information : 0);
}

interface Start {
  status: NTSTATUS;
  share: Share | null;
  entry: HostEntry | null;
  path: readonly string[];
  rest: string;
}

/** Where the name starts: a share's root (absolute names) or the related open. */
function findStart(data: HostFsData, fileObject: FileObject): Start {
  const failed = (status: NTSTATUS): Start => ({ status, share: null, entry: null, path: [], rest: '' });
  const related = fileObject.relatedFileObject;
  if (related !== null) {
    const fcb = fcbOf(related);
    const ccb = ccbOf(related);
    if (fcb === null || ccb === null) return failed(STATUS_INVALID_PARAMETER);
    if (fcb.share.removed) return failed(STATUS_NETWORK_NAME_DELETED);
    if (fcb.unlinked) return failed(STATUS_DELETE_PENDING);
    if (fcb.kind !== 'directory' && fileObject.fileName !== '') return failed(STATUS_OBJECT_PATH_NOT_FOUND);
    if (fcb.kind === 'directory' && !fcb.share.namespace.isInside(ccb.entry, fcb.share.root))
      return failed(STATUS_ACCESS_DENIED); // the host moved the directory out of the share
    return {
      status: STATUS_SUCCESS,
      share: fcb.share,
      entry: ccb.entry,
      path: fcb.path,
      rest: fileObject.fileName,
    };
  }
  const name = fileObject.fileName;
  if (name.charCodeAt(0) !== 0x5c) return failed(STATUS_OBJECT_NAME_INVALID);
  let end = name.indexOf('\\', 1);
  if (end < 0) end = name.length;
  const shareName = name.slice(1, end);
  if (!isValidShareName(shareName)) return failed(STATUS_OBJECT_NAME_INVALID);
  const share = data.shares.get(upcaseName(shareName));
  if (share === undefined) return failed(STATUS_BAD_NETWORK_NAME);
  return {
    status: STATUS_SUCCESS,
    share,
    entry: share.root,
    path: [],
    rest: end < name.length ? name.slice(end) : '\\',
  };
}

function create(data: HostFsData, request: CreateRequest): NTSTATUS {
  const start = findStart(data, request.fileObject);
  if (start.status !== STATUS_SUCCESS) return start.status;
  const share = start.share!;
  const { options, openTargetDirectory } = request;
  if ((options & FILE_OPEN_BY_FILE_ID) !== 0) return STATUS_INVALID_PARAMETER;
  if (share.readOnly && ((request.desiredAccess & MODIFYING_ACCESS) !== 0 || request.deleteOnClose))
    return STATUS_ACCESS_DENIED;
  const relative = request.fileObject.relatedFileObject !== null;
  const path = parsePath(start.rest, relative, isValidHostFsComponent);
  if (path.status !== STATUS_SUCCESS) return path.status;
  if (path.components.length === 0 && openTargetDirectory) return STATUS_OBJECT_NAME_INVALID;
  const follow = !openTargetDirectory && (options & FILE_OPEN_REPARSE_POINT) === 0;
  const resolution = resolvePath(share, start.entry!, start.path, path.components, follow);
  if (resolution.status !== STATUS_SUCCESS) return resolution.status;
  try {
    if (openTargetDirectory) return openTarget(data, request, share, resolution);
    if (resolution.leaf !== null) {
      const leaf = resolution.leaf;
      resolution.leaf = null;
      return openExisting(data, request, share, leaf, leafPathOf(resolution), path.trailingBackslash);
    }
    return createNew(data, request, share, resolution, path.trailingBackslash);
  } finally {
    releaseResolution(share, resolution);
  }
}

/** SL_OPEN_TARGET_DIRECTORY: open the parent; tell whether the last component exists. */
function openTarget(
  data: HostFsData,
  request: CreateRequest,
  share: Share,
  resolution: Resolution,
): NTSTATUS {
  if (resolution.parent === null) return STATUS_OBJECT_NAME_INVALID; // the share root has no parent
  let parent: HostEntry;
  if (resolution.parentOwned) {
    parent = resolution.parent!;
    resolution.parent = null;
  } else {
    try {
      parent = share.namespace.reopen(resolution.parent!);
    } catch (error) {
      return ntStatusFromHostError(error);
    }
  }
  const status = openExisting(
    data,
    request.forTargetDirectory(),
    share,
    parent,
    resolution.parentPath,
    false,
  );
  if (status !== STATUS_SUCCESS) return status;
  return targetDirectoryOpened(request, resolution.leafName, resolution.leaf !== null);
}

function isEmptyDirectory(share: Share, entry: HostEntry): boolean {
  return share.namespace.readNames(entry).length === 0;
}

/** Opens the data descriptor an open needs, in place (attributes-only opens keep what they have). */
function openForAccess(
  share: Share,
  entry: HostEntry,
  kind: FcbKind,
  access: number,
  overwrite: boolean,
): void {
  if (kind !== 'file') return;
  const read = (access & READ_DATA_ACCESS) !== 0;
  const write = (access & WRITE_DATA_ACCESS) !== 0 || overwrite;
  if (!read && !write && share.namespace.mode === 'procfs') return; // the O_PATH descriptor serves
  const flags = write ? (read ? fs.constants.O_RDWR : fs.constants.O_WRONLY) : fs.constants.O_RDONLY;
  try {
    share.namespace.openData(entry, flags);
  } catch (error) {
    if (read || write) throw error; // attributes-only opens of unreadable files go on by path
  }
}

/** Opens an existing entry (owned: closed here on failure). */
function openExisting(
  data: HostFsData,
  request: CreateRequest,
  share: Share,
  entry: HostEntry,
  path: string[],
  trailingBackslash: boolean,
): NTSTATUS {
  let taken = false;
  try {
    const status = openEntry(data, request, share, entry, path, trailingBackslash);
    taken = status === STATUS_SUCCESS;
    return status;
  } finally {
    if (!taken) share.namespace.closeEntry(entry);
  }
}

function openEntry(
  data: HostFsData,
  request: CreateRequest,
  share: Share,
  entry: HostEntry,
  path: string[],
  trailingBackslash: boolean,
): NTSTATUS {
  const { desiredAccess, overwrite } = request;
  const stat = entry.stat;
  const kind = kindOf(stat);
  const checked = checkOpenExisting(request, kind === 'directory', trailingBackslash);
  if (checked !== STATUS_SUCCESS) return checked;
  if (kind === 'other') return STATUS_ACCESS_DENIED; // FIFOs, sockets and devices are not served
  if (kind === 'link' && (overwrite || (desiredAccess & WRITE_DATA_ACCESS) !== 0))
    return STATUS_ACCESS_DENIED;
  let fcb = share.fcbs.get(path.join('/'));
  // An FCB for another inode under this name: the host replaced the file; it is not this one's.
  if (fcb !== undefined && (fcb.dev !== stat.dev || fcb.ino !== stat.ino || fcb.kind !== kind))
    fcb = undefined;
  if (fcb?.deletePending) return STATUS_DELETE_PENDING;
  const readOnly = checkReadOnlyFileOpen(request, isReadOnlyFile(stat), kind === 'directory');
  if (readOnly !== STATUS_SUCCESS) return readOnly;
  try {
    if (request.deleteOnClose) {
      if (path.length === 0) return STATUS_CANNOT_DELETE;
      if (kind === 'directory' && !isEmptyDirectory(share, entry)) return STATUS_DIRECTORY_NOT_EMPTY;
      const removable = checkHostRemovable(share, path, stat);
      if (removable !== STATUS_SUCCESS) return removable;
    }
    if (share.readOnly && overwrite) return STATUS_ACCESS_DENIED;
    fcb ??= new Fcb(share, path, kind, stat.dev, stat.ino);
    const fileObject = request.fileObject;
    const shared = IoCheckShareAccess(desiredAccess, request.shareAccess, fileObject, fcb.shareAccess, false);
    if (shared !== STATUS_SUCCESS) return shared;
    openForAccess(share, entry, kind, desiredAccess, overwrite);
    if (overwrite) {
      fs.ftruncateSync(entry.fd, 0);
      if ((request.fileAttributes & FILE_ATTRIBUTE_READONLY) !== 0)
        share.namespace.chmod(entry, share.namespace.stat(entry).mode & 0o7777 & ~S_IWALL);
      share.namespace.stat(entry);
    }
    IoUpdateShareAccess(fileObject, fcb.shareAccess);
    request.information = request.existingInformation;
    attach(data, request, share, fcb, entry);
    return STATUS_SUCCESS;
  } catch (error) {
    return ntStatusFromHostError(error);
  }
}

function createNew(
  data: HostFsData,
  request: CreateRequest,
  share: Share,
  resolution: Resolution,
  trailing: boolean,
): NTSTATUS {
  let status = checkCreateNew(request, trailing);
  if (status !== STATUS_SUCCESS) return status;
  if (resolution.leafFromLink) return STATUS_ACCESS_DENIED;
  if (share.fcbs.get(resolution.parentPath.join('/'))?.deletePending) return STATUS_DELETE_PENDING;
  status = checkNewFileAttributes(request);
  if (status !== STATUS_SUCCESS) return status;
  if (share.readOnly) return STATUS_ACCESS_DENIED;
  const isDirectory = request.directoryFile;
  const readOnly = (request.fileAttributes & FILE_ATTRIBUTE_READONLY) !== 0;
  const namespace = share.namespace;
  const parent = resolution.parent!;
  const name = resolution.leafName;
  let entry: HostEntry;
  try {
    if (isDirectory) {
      share.names.change(parent, () => fs.mkdirSync(namespace.child(parent, name), 0o777), [name], []);
      entry = namespace.openChild(parent, name);
      if (!entry.stat.isDirectory()) {
        namespace.closeEntry(entry);
        return STATUS_ACCESS_DENIED; // swapped by the host between mkdir and open
      }
    } else {
      const mode = readOnly && !isDirectory ? 0o444 : 0o666;
      entry = share.names.change(parent, () => namespace.createFile(parent, name, mode), [name], []);
    }
  } catch (error) {
    return ntStatusFromHostError(error);
  }
  const stat = entry.stat;
  const fcb = new Fcb(share, [...resolution.parentPath, name], kindOf(stat), stat.dev, stat.ino);
  // A fresh FCB has no opens, so this only records the caller's access (IoSetShareAccess).
  IoCheckShareAccess(request.desiredAccess, request.shareAccess, request.fileObject, fcb.shareAccess, true);
  request.information = FILE_CREATED;
  attach(data, request, share, fcb, entry);
  return STATUS_SUCCESS;
}

function attach(data: HostFsData, request: CreateRequest, share: Share, fcb: Fcb, entry: HostEntry): void {
  const fileObject = request.fileObject;
  // Replaces an FCB left for an inode the host has since replaced; that one lives on for its opens.
  share.fcbs.set(fcb.key, fcb);
  fcb.openCount++;
  fcb.cleanupCount++;
  const ccb = new Ccb(entry);
  ccb.deleteOnClose = request.deleteOnClose;
  share.opens.add(ccb);
  data.openCount++;
  updateUnload(data, fileObject);
  fileObject.fsContext = fcb;
  fileObject.fsContext2 = ccb;
}
