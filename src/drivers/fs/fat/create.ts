/**
 * IRP_MJ_CREATE for FAT (FastFat's create.c): open or create a file or directory, open the volume
 * (FO_VOLUME_OPEN), open the control device, or open the parent of a name for a rename
 * (SL_OPEN_TARGET_DIRECTORY).
 *
 * The file object's `fileName` is the path from the volume root (`\` the root, '' the volume), or
 * relative to an open directory. Components are looked up in each directory's name index (long
 * and short names, case-insensitive); a directory is read the first time it is walked.
 *
 * The order of checks is MemFS's, which is FastFat's: name syntax, path, existence versus
 * disposition, file versus directory, delete-pending, read-only and hidden/system rules,
 * delete-on-close, media write protection, share access; every read a check needs (the directory,
 * the file's cluster chain, checked for corruption) happens before the first change. A new entry
 * is planned completely, and the clusters it needs checked free, before anything is written, so a
 * failed create changes nothing. New names follow FAT's rules (common.ts): a name FAT cannot hold
 * is STATUS_OBJECT_NAME_INVALID; a full FAT12/16 root STATUS_CANNOT_MAKE; no free cluster
 * STATUS_DISK_FULL.
 */
import { VPB_LOCKED } from '../../../base/device-codes.ts';
import {
  FILE_APPEND_DATA,
  FILE_ATTRIBUTE_TEMPORARY,
  FILE_CREATE,
  FILE_CREATED,
  FILE_DELETE_CHILD,
  FILE_DELETE_ON_CLOSE,
  FILE_DIRECTORY_FILE,
  FILE_DOES_NOT_EXIST,
  FILE_EXISTS,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OPEN_BY_FILE_ID,
  FILE_OPEN_IF,
  FILE_OPENED,
  FILE_OVERWRITE,
  FILE_OVERWRITTEN,
  FILE_SUPERSEDE,
  FILE_SUPERSEDED,
  FILE_WRITE_DATA,
} from '../../../base/file-codes.ts';
import { SL_OPEN_TARGET_DIRECTORY } from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_CANNOT_DELETE,
  STATUS_DELETE_PENDING,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_DISK_FULL,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NOT_A_DIRECTORY,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  type CreateParameters,
  completeRequest,
  createDisposition,
  createOptions,
  type DeviceObject,
  type FileObject,
  IoCheckShareAccess,
  IoGetCurrentIrpStackLocation,
  type Irp,
  parsePath,
  upcaseName,
} from '../../../io/index.ts';
import { checkWritable, growChain, loadChain, truncateChain } from './allocation.ts';
import { checkMounted, isCreatableName } from './common.ts';
import { loadDirectory } from './directory-contents.ts';
import { insertEntry, planSlots, rewriteEntry, slotsFor } from './directory-entries.ts';
import { buildNode, initializeDirectory } from './entry-builder.ts';
import type { FatNode } from './fat-node.ts';
import { fatFsdCall, raise } from './irp-context.ts';
import {
  ATTR_ARCHIVE,
  ATTR_DIRECTORY,
  ATTR_FILE_BITS,
  ATTR_HIDDEN,
  ATTR_READ_ONLY,
  ATTR_SYSTEM,
} from './on-disk.ts';
import { Ccb, FatControl, Fcb, type Vcb, vcbOf } from './structures.ts';
import { checkChangeAllowed, noteVolumeChange } from './volume-state.ts';

/** Access a read-only file refuses (FatCheckFileAccess). */
const WRITE_LIKE_ACCESS = FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_DELETE_CHILD;

interface CreateContext {
  readonly vcb: Vcb;
  readonly fileObject: FileObject;
  readonly desiredAccess: number;
  readonly shareAccess: number;
  readonly fileAttributes: number;
  readonly disposition: number;
  readonly options: number;
  information: number;
}

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
  const parameters = location.parameters as CreateParameters;
  const openTarget = (location.flags & SL_OPEN_TARGET_DIRECTORY) !== 0;
  return fatFsdCall(irp, () => {
    const context: CreateContext = {
      vcb,
      fileObject,
      desiredAccess: parameters.desiredAccess,
      shareAccess: parameters.shareAccess,
      fileAttributes: parameters.fileAttributes,
      disposition: createDisposition(parameters.options),
      options: createOptions(parameters.options),
      information: 0,
    };
    const status = create(context, openTarget);
    return completeRequest(irp, status, NT_SUCCESS(status) ? context.information : 0);
  });
}

function create(context: CreateContext, openTargetDirectory: boolean): NTSTATUS {
  const { vcb, fileObject } = context;
  const related = fileObject.relatedFileObject;
  if (related === null && fileObject.fileName === '') return openVolume(context);
  if ((context.options & FILE_OPEN_BY_FILE_ID) !== 0) return STATUS_INVALID_PARAMETER;

  let start: FatNode = vcb.root;
  if (related !== null) {
    const relatedContext = related.fsContext;
    if (relatedContext === vcb && fileObject.fileName === '') return openVolume(context);
    if (!(relatedContext instanceof Fcb) || relatedContext.vcb !== vcb) return STATUS_INVALID_PARAMETER;
    start = relatedContext.node;
    if (!start.linked) return STATUS_DELETE_PENDING;
    if (!start.isDirectory && fileObject.fileName !== '') return STATUS_OBJECT_PATH_NOT_FOUND;
  }
  const path = parsePath(fileObject.fileName, related !== null);
  if (path.status !== STATUS_SUCCESS) return path.status;
  const components = path.components;
  if (components.length === 0) {
    if (openTargetDirectory) return STATUS_OBJECT_NAME_INVALID;
    return openExisting(context, start, path.trailingBackslash);
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
  if (openTargetDirectory) {
    const status = openExisting(
      { ...context, disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE },
      parent,
      false,
    );
    if (status !== STATUS_SUCCESS) return status;
    fileObject.fileName = leafName;
    context.information = existing !== undefined ? FILE_EXISTS : FILE_DOES_NOT_EXIST;
    return STATUS_SUCCESS;
  }
  if (existing !== undefined) return openExisting(context, existing, path.trailingBackslash);
  return createNew(context, parent, leafName, path.trailingBackslash);
}

function openVolume(context: CreateContext): NTSTATUS {
  const { vcb, fileObject } = context;
  if ((context.options & FILE_DIRECTORY_FILE) !== 0) return STATUS_NOT_A_DIRECTORY;
  if ((context.options & FILE_DELETE_ON_CLOSE) !== 0) return STATUS_CANNOT_DELETE;
  if (context.disposition !== FILE_OPEN && context.disposition !== FILE_OPEN_IF) return STATUS_ACCESS_DENIED;
  const shared = IoCheckShareAccess(
    context.desiredAccess,
    context.shareAccess,
    fileObject,
    vcb.shareAccess,
    true,
  );
  if (shared !== STATUS_SUCCESS) return shared;
  fileObject.fsContext = vcb;
  fileObject.fsContext2 = new Ccb();
  vcb.openCount++;
  context.information = FILE_OPENED;
  return STATUS_SUCCESS;
}

/** True when a directory holds nothing but `.` and `..`. */
export function isEmptyDirectory(vcb: Vcb, node: FatNode): boolean {
  return loadDirectory(vcb, node).entries.every((entry) => entry.dot !== 0);
}

function openExisting(context: CreateContext, node: FatNode, trailingBackslash: boolean): NTSTATUS {
  const { vcb, disposition, options, desiredAccess } = context;
  if (disposition === FILE_CREATE) return STATUS_OBJECT_NAME_COLLISION;
  const overwrite = disposition !== FILE_OPEN && disposition !== FILE_OPEN_IF;
  if (node.isDirectory) {
    if ((options & FILE_NON_DIRECTORY_FILE) !== 0 || overwrite) return STATUS_FILE_IS_A_DIRECTORY;
  } else {
    if ((options & FILE_DIRECTORY_FILE) !== 0) return STATUS_NOT_A_DIRECTORY;
    if (trailingBackslash) return STATUS_OBJECT_NAME_INVALID;
  }
  if (node.fcb?.deletePending) return STATUS_DELETE_PENDING;
  const deleteOnClose = (options & FILE_DELETE_ON_CLOSE) !== 0;
  const attributes = node.attributes;
  if ((attributes & ATTR_READ_ONLY) !== 0) {
    if (deleteOnClose) return STATUS_CANNOT_DELETE;
    if (!node.isDirectory && ((desiredAccess & WRITE_LIKE_ACCESS) !== 0 || overwrite))
      return STATUS_ACCESS_DENIED;
  }
  // Reading the directory or the chain here is what finds corruption, before anything changes.
  if (node.isDirectory) loadDirectory(vcb, node);
  else loadChain(vcb, node);
  if (deleteOnClose) {
    if (node.isRoot) return STATUS_CANNOT_DELETE;
    if (node.isDirectory && !isEmptyDirectory(vcb, node)) return STATUS_DIRECTORY_NOT_EMPTY;
  }
  if (overwrite) {
    const required = attributes & (ATTR_HIDDEN | ATTR_SYSTEM);
    if ((context.fileAttributes & required) !== required) return STATUS_ACCESS_DENIED;
  }
  if (vcb.readOnly && (overwrite || deleteOnClose || (desiredAccess & WRITE_LIKE_ACCESS) !== 0))
    return STATUS_MEDIA_WRITE_PROTECTED;
  if (overwrite) checkWritable(vcb, node);

  const fcb = node.fcb ?? new Fcb(node, vcb);
  const shared = IoCheckShareAccess(
    desiredAccess,
    context.shareAccess,
    context.fileObject,
    fcb.shareAccess,
    true,
  );
  if (shared !== STATUS_SUCCESS) return shared;
  if (overwrite) {
    const now = vcb.realDevice.system.now();
    noteVolumeChange(vcb);
    truncateChain(vcb, node, 0);
    node.fileSize = 0;
    const given = newAttributes(context.fileAttributes, false);
    node.attributes = disposition === FILE_SUPERSEDE ? given : node.attributes | given;
    node.stampWrite(now);
    rewriteEntry(vcb, node);
    context.information = disposition === FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN;
  } else {
    context.information = FILE_OPENED;
  }
  attach(context, fcb, deleteOnClose);
  return STATUS_SUCCESS;
}

function createNew(
  context: CreateContext,
  parent: FatNode,
  name: string,
  trailingBackslash: boolean,
): NTSTATUS {
  const { vcb, disposition, options } = context;
  if (disposition === FILE_OPEN || disposition === FILE_OVERWRITE) return STATUS_OBJECT_NAME_NOT_FOUND;
  const isDirectory = (options & FILE_DIRECTORY_FILE) !== 0;
  if (trailingBackslash && !isDirectory) return STATUS_OBJECT_NAME_INVALID;
  if (!isCreatableName(name)) return STATUS_OBJECT_NAME_INVALID;
  if (parent.fcb?.deletePending || !parent.linked) return STATUS_DELETE_PENDING;
  const attributes = newAttributes(context.fileAttributes, isDirectory);
  if (isDirectory && (context.fileAttributes & FILE_ATTRIBUTE_TEMPORARY) !== 0)
    return STATUS_INVALID_PARAMETER;
  const deleteOnClose = (options & FILE_DELETE_ON_CLOSE) !== 0;
  if (deleteOnClose && (attributes & ATTR_READ_ONLY) !== 0) return STATUS_CANNOT_DELETE;
  if (vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  checkWritable(vcb, parent);

  const contents = loadDirectory(vcb, parent);
  const now = vcb.realDevice.system.now();
  const node = buildNode(vcb, contents, name, attributes, now);
  const plan = planSlots(vcb, contents, slotsFor(node.longName));
  const clustersNeeded = (plan.grow ? 1 : 0) + (isDirectory ? 1 : 0);
  if (vcb.fat.freeCount < clustersNeeded) raise(STATUS_DISK_FULL);

  checkChangeAllowed(vcb);
  noteVolumeChange(vcb);
  if (isDirectory) {
    growChain(vcb, node, 1);
    initializeDirectory(vcb, node, parent.isRoot ? 0 : parent.firstCluster);
  }
  insertEntry(vcb, contents, node, plan);
  const fcb = new Fcb(node, vcb);
  IoCheckShareAccess(context.desiredAccess, context.shareAccess, context.fileObject, fcb.shareAccess, true);
  context.information = FILE_CREATED;
  attach(context, fcb, deleteOnClose);
  return STATUS_SUCCESS;
}

/** FAT attribute bits for a new or overwritten entry: what the caller asked for, ARCHIVE on files. */
function newAttributes(requested: number, isDirectory: boolean): number {
  const settable = requested & ATTR_FILE_BITS;
  return isDirectory ? settable | ATTR_DIRECTORY : settable | ATTR_ARCHIVE;
}

function attach(context: CreateContext, fcb: Fcb, deleteOnClose: boolean): void {
  const { fileObject, vcb } = context;
  fcb.node.fcb = fcb;
  fcb.openCount++;
  fcb.cleanupCount++;
  vcb.openCount++;
  const ccb = new Ccb();
  ccb.deleteOnClose = deleteOnClose;
  fileObject.fsContext = fcb;
  fileObject.fsContext2 = ccb;
}
