/**
 * IRP_MJ_CREATE for FAT (FastFat's create.c): open or create a file or directory, open the volume
 * (FO_VOLUME_OPEN), open the control device, or open the parent of a name for a rename
 * (SL_OPEN_TARGET_DIRECTORY).
 *
 * The file object's `fileName` is the path from the volume root (`\` the root, '' the volume), or
 * relative to an open directory. Components are looked up in each directory's name index (long
 * and short names, case-insensitive); a directory is read the first time it is walked.
 *
 * The order of checks is FastFat's (src/io/fsrtl/create-checks.ts): name syntax, path, existence
 * versus disposition, file versus directory, delete-pending, read-only and hidden/system rules,
 * delete-on-close, media write protection, share access; every read a check needs (the directory,
 * the file's cluster chain, checked for corruption) happens before the first change. A new entry
 * is planned completely, and the clusters it needs checked free, before anything is written, so a
 * failed create changes nothing. New names follow FAT's rules (common.ts): a name FAT cannot hold
 * is STATUS_OBJECT_NAME_INVALID; a full FAT12/16 root STATUS_CANNOT_MAKE; no free cluster
 * STATUS_DISK_FULL.
 */
import { VPB_LOCKED } from '../../../base/device-codes.ts';
import { FILE_CREATED, FILE_OPEN_BY_FILE_ID, FILE_OPENED } from '../../../base/file-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_CANNOT_DELETE,
  STATUS_DELETE_PENDING,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_DISK_FULL,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  attachFileObject,
  type CreateRequest,
  checkCreateNew,
  checkNewFileAttributes,
  checkOpenExisting,
  checkOverwriteAttributes,
  checkReadOnlyFileOpen,
  checkVolumeOpen,
  completeRequest,
  createRequestOf,
  type DeviceObject,
  IoCheckShareAccess,
  IoGetCurrentIrpStackLocation,
  type Irp,
  newFileAttributes,
  opensForChange,
  openVolumeFileObject,
  overwrittenAttributes,
  parsePath,
  targetDirectoryOpened,
  upcaseName,
} from '../../../io/index.ts';
import { checkWritable, growChain, loadChain, truncateChain } from './allocation.ts';
import { checkMounted, isCreatableName } from './common.ts';
import { loadDirectory } from './directory-contents.ts';
import { insertEntry, planSlots, rewriteEntry, slotsFor } from './directory-entries.ts';
import { buildNode, initializeDirectory } from './entry-builder.ts';
import type { FatNode } from './fat-node.ts';
import { fatFsdCall, raise } from './irp-context.ts';
import { ATTR_FILE_BITS, ATTR_READ_ONLY } from './on-disk.ts';
import { Ccb, FatControl, Fcb, type Vcb, vcbOf } from './structures.ts';
import { checkChangeAllowed, noteVolumeChange } from './volume-state.ts';

export function FatCreate(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  if (device.deviceExtension instanceof FatControl) {
    // The control device can be opened (filters, tools, the format FSCTL); it has no names below it.
    if (fileObject.fileName !== '' || fileObject.relatedFileObject !== null)
      return completeRequest(irp, STATUS_INVALID_PARAMETER);
    fileObject.fsContext = device.deviceExtension;
    return completeRequest(irp, STATUS_SUCCESS, FILE_OPENED);
  }
  const vcb = vcbOf(device);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  if ((vcb.vpb.flags & VPB_LOCKED) !== 0) return completeRequest(irp, STATUS_ACCESS_DENIED);
  return fatFsdCall(irp, () => {
    // Decoded afresh on each run: a retried create must not see what a failed run recorded.
    const request = createRequestOf(location);
    const status = create(vcb, request);
    return completeRequest(irp, status, NT_SUCCESS(status) ? request.information : 0);
  });
}

function create(vcb: Vcb, request: CreateRequest): NTSTATUS {
  const fileObject = request.fileObject;
  const related = fileObject.relatedFileObject;
  if (related === null && fileObject.fileName === '') return openVolume(vcb, request);
  if ((request.options & FILE_OPEN_BY_FILE_ID) !== 0) return STATUS_INVALID_PARAMETER;

  let start: FatNode = vcb.root;
  if (related !== null) {
    const relatedContext = related.fsContext;
    if (relatedContext === vcb && fileObject.fileName === '') return openVolume(vcb, request);
    if (!(relatedContext instanceof Fcb) || relatedContext.vcb !== vcb) return STATUS_INVALID_PARAMETER;
    start = relatedContext.node;
    if (!start.linked) return STATUS_DELETE_PENDING;
    if (!start.isDirectory && fileObject.fileName !== '') return STATUS_OBJECT_PATH_NOT_FOUND;
  }
  const path = parsePath(fileObject.fileName, related !== null);
  if (path.status !== STATUS_SUCCESS) return path.status;
  const components = path.components;
  if (components.length === 0) {
    if (request.openTargetDirectory) return STATUS_OBJECT_NAME_INVALID;
    return openExisting(vcb, request, start, path.trailingBackslash);
  }
  let parent = start;
  const last = components.length - 1;
  for (let i = 0; i < last; i++) {
    const next = loadDirectory(vcb, parent).lookup(upcaseName(components[i]!));
    if (next === undefined || !next.isDirectory) return STATUS_OBJECT_PATH_NOT_FOUND;
    parent = next;
  }
  const leafName = components[last]!;
  const contents = loadDirectory(vcb, parent);
  const existing = contents.lookup(upcaseName(leafName));
  if (request.openTargetDirectory) {
    const status = openExisting(vcb, request.forTargetDirectory(), parent, false);
    if (status !== STATUS_SUCCESS) return status;
    return targetDirectoryOpened(request, leafName, existing !== undefined);
  }
  if (existing !== undefined) return openExisting(vcb, request, existing, path.trailingBackslash);
  return createNew(vcb, request, parent, leafName, path.trailingBackslash);
}

function openVolume(vcb: Vcb, request: CreateRequest): NTSTATUS {
  const status = checkVolumeOpen(request);
  if (status !== STATUS_SUCCESS) return status;
  return openVolumeFileObject(request, vcb, new Ccb());
}

/** True when a directory holds nothing but `.` and `..`. */
export function isEmptyDirectory(vcb: Vcb, node: FatNode): boolean {
  return loadDirectory(vcb, node).entries.every((entry) => entry.dot !== 0);
}

function openExisting(vcb: Vcb, request: CreateRequest, node: FatNode, trailingBackslash: boolean): NTSTATUS {
  let status = checkOpenExisting(request, node.isDirectory, trailingBackslash);
  if (status !== STATUS_SUCCESS) return status;
  if (node.fcb?.deletePending) return STATUS_DELETE_PENDING;
  const attributes = node.attributes;
  status = checkReadOnlyFileOpen(request, (attributes & ATTR_READ_ONLY) !== 0, node.isDirectory);
  if (status !== STATUS_SUCCESS) return status;
  // Reading the directory or the chain here is what finds corruption, before anything changes.
  if (node.isDirectory) loadDirectory(vcb, node);
  else loadChain(vcb, node);
  if (request.deleteOnClose) {
    if (node.isRoot) return STATUS_CANNOT_DELETE;
    if (node.isDirectory && !isEmptyDirectory(vcb, node)) return STATUS_DIRECTORY_NOT_EMPTY;
  }
  status = checkOverwriteAttributes(request, attributes);
  if (status !== STATUS_SUCCESS) return status;
  if (vcb.readOnly && opensForChange(request)) return STATUS_MEDIA_WRITE_PROTECTED;
  if (request.overwrite) checkWritable(vcb, node);

  const fcb = node.fcb ?? new Fcb(node, vcb);
  status = IoCheckShareAccess(
    request.desiredAccess,
    request.shareAccess,
    request.fileObject,
    fcb.shareAccess,
    true,
  );
  if (status !== STATUS_SUCCESS) return status;
  if (request.overwrite) {
    const now = vcb.realDevice.system.now();
    noteVolumeChange(vcb);
    truncateChain(vcb, node, 0);
    node.fileSize = 0;
    const given = newFileAttributes(request.fileAttributes, false, ATTR_FILE_BITS);
    node.attributes = overwrittenAttributes(request, node.attributes, given);
    node.stampWrite(now);
    rewriteEntry(vcb, node);
  }
  request.information = request.existingInformation;
  attachFileObject(request, vcb, fcb, new Ccb());
  return STATUS_SUCCESS;
}

function createNew(
  vcb: Vcb,
  request: CreateRequest,
  parent: FatNode,
  name: string,
  trailingBackslash: boolean,
): NTSTATUS {
  let status = checkCreateNew(request, trailingBackslash);
  if (status !== STATUS_SUCCESS) return status;
  if (!isCreatableName(name)) return STATUS_OBJECT_NAME_INVALID;
  if (parent.fcb?.deletePending || !parent.linked) return STATUS_DELETE_PENDING;
  status = checkNewFileAttributes(request);
  if (status !== STATUS_SUCCESS) return status;
  if (vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  checkWritable(vcb, parent);

  const isDirectory = request.directoryFile;
  const attributes = newFileAttributes(request.fileAttributes, isDirectory, ATTR_FILE_BITS);
  const contents = loadDirectory(vcb, parent);
  const now = vcb.realDevice.system.now();
  const node = buildNode(vcb, contents, name, attributes, now);
  const plan = planSlots(vcb, contents, slotsFor(node.longName));
  const clustersNeeded = plan.grow + (isDirectory ? 1 : 0);
  if (vcb.fat.freeCount < clustersNeeded) raise(STATUS_DISK_FULL);

  checkChangeAllowed(vcb);
  noteVolumeChange(vcb);
  if (isDirectory) {
    growChain(vcb, node, 1);
    initializeDirectory(vcb, node, parent.isRoot ? 0 : parent.firstCluster);
  }
  insertEntry(vcb, contents, node, plan);
  const fcb = new Fcb(node, vcb);
  IoCheckShareAccess(request.desiredAccess, request.shareAccess, request.fileObject, fcb.shareAccess, true);
  request.information = FILE_CREATED;
  attachFileObject(request, vcb, fcb, new Ccb());
  return STATUS_SUCCESS;
}
