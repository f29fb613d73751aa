/**
 * IRP_MJ_CREATE for MemFS: open or create a file or directory, open the volume, or open the parent
 * of a name for a rename (SL_OPEN_TARGET_DIRECTORY).
 *
 * What arrives (the I/O manager's contract): a fresh file object whose `fileName` is the path from
 * the volume root (`\a\b`, `\` for the root, '' for the volume itself), or, with a related file
 * object, a path relative to that open directory ('' reopens it). Parameters carry the access
 * (generic bits already mapped), the disposition and options, attributes and share access.
 *
 * The order of checks follows FastFat's: name syntax, path, existence versus disposition, file
 * versus directory, delete-pending, attributes (read-only, hidden/system on overwrite), media
 * write protection, share access — and only then any change. A failed create changes nothing.
 */
import { VPB_LOCKED } from '../../../base/device-codes.ts';
import {
  FILE_APPEND_DATA,
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_SYSTEM,
  FILE_ATTRIBUTE_TEMPORARY,
  FILE_ATTRIBUTE_VALID_SET_FLAGS,
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
import { checkMounted } from './common.ts';
import { Ccb, Fcb, MemFsControl, type Vcb, vcbOf } from './structures.ts';
import type { MemNode } from './tree.ts';

/** Access a read-only file refuses (FastFat's FatCheckFileAccess). */
const WRITE_LIKE_ACCESS = FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_DELETE_CHILD;

interface CreateContext {
  readonly vcb: Vcb;
  readonly fileObject: FileObject;
  readonly desiredAccess: number;
  readonly shareAccess: number;
  readonly fileAttributes: number;
  readonly disposition: number;
  readonly options: number;
  /** IoStatus.Information of a successful create. */
  information: number;
}

export function MemFsCreate(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  if (device.deviceExtension instanceof MemFsControl) {
    // The control device itself can be opened (filters and tools do); it has no names below it.
    if (fileObject.fileName !== '' || fileObject.relatedFileObject !== null)
      return completeRequest(irp, STATUS_INVALID_PARAMETER);
    fileObject.fsContext = device.deviceExtension;
    return completeRequest(irp, STATUS_SUCCESS, FILE_OPENED);
  }
  const vcb = vcbOf(device);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  let status = checkMounted(vcb);
  if (status !== STATUS_SUCCESS) return completeRequest(irp, status);
  // The I/O manager refuses opens of a locked volume; relative opens skip its check, so repeat it.
  if ((vcb.vpb.flags & VPB_LOCKED) !== 0) return completeRequest(irp, STATUS_ACCESS_DENIED);
  const parameters = location.parameters as CreateParameters;
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
  status = create(context, (location.flags & SL_OPEN_TARGET_DIRECTORY) !== 0);
  return completeRequest(irp, status, NT_SUCCESS(status) ? context.information : 0);
}

function create(context: CreateContext, openTargetDirectory: boolean): NTSTATUS {
  const { vcb, fileObject } = context;
  const related = fileObject.relatedFileObject;
  if (related === null && fileObject.fileName === '') return openVolume(context);
  if ((context.options & FILE_OPEN_BY_FILE_ID) !== 0) return STATUS_INVALID_PARAMETER;

  let start: MemNode = vcb.volume.root;
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
    if (openTargetDirectory) return STATUS_OBJECT_NAME_INVALID; // the root has no parent
    return openExisting(context, start, path.trailingBackslash);
  }

  let parent = start;
  const last = components.length - 1;
  for (let i = 0; i < last; i++) {
    const next = parent.children!.get(upcaseName(components[i]!));
    if (next === undefined || !next.isDirectory) return STATUS_OBJECT_PATH_NOT_FOUND;
    parent = next;
  }
  const leafName = components[last]!;
  const leafKey = upcaseName(leafName);
  const existing = parent.children!.get(leafKey);
  if (openTargetDirectory) {
    const status = openExisting(
      { ...context, disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE },
      parent,
      false,
    );
    if (status !== STATUS_SUCCESS) return status;
    // The caller of a rename gets the final component back in the file object (as FastFat does).
    fileObject.fileName = leafName;
    context.information = existing !== undefined ? FILE_EXISTS : FILE_DOES_NOT_EXIST;
    return STATUS_SUCCESS;
  }
  if (existing !== undefined) return openExisting(context, existing, path.trailingBackslash);
  return createNew(context, parent, leafName, leafKey, path.trailingBackslash);
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

function openExisting(context: CreateContext, node: MemNode, trailingBackslash: boolean): NTSTATUS {
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
  if ((attributes & FILE_ATTRIBUTE_READONLY) !== 0) {
    if (deleteOnClose) return STATUS_CANNOT_DELETE;
    // A read-only directory still takes new entries; a read-only file takes no writes.
    if (!node.isDirectory && ((desiredAccess & WRITE_LIKE_ACCESS) !== 0 || overwrite))
      return STATUS_ACCESS_DENIED;
  }
  if (deleteOnClose) {
    if (node.parent === null) return STATUS_CANNOT_DELETE;
    if (node.isDirectory && node.children!.size > 0) return STATUS_DIRECTORY_NOT_EMPTY;
  }
  if (overwrite) {
    // Overwriting a hidden or system file must keep those attributes (FastFat, NTFS).
    const required = attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM);
    if ((context.fileAttributes & required) !== required) return STATUS_ACCESS_DENIED;
  }
  if (vcb.readOnly && (overwrite || deleteOnClose || (desiredAccess & WRITE_LIKE_ACCESS) !== 0))
    return STATUS_MEDIA_WRITE_PROTECTED;

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
    vcb.volume.resize(node, 0); // shrinking always fits
    const given = newFileAttributes(context.fileAttributes, false);
    node.attributes = disposition === FILE_SUPERSEDE ? given : node.attributes | given;
    node.lastWriteTime = node.changeTime = now;
    vcb.dirty = true;
    context.information = disposition === FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN;
  } else {
    context.information = FILE_OPENED;
  }
  attach(context, fcb, deleteOnClose);
  return STATUS_SUCCESS;
}

function createNew(
  context: CreateContext,
  parent: MemNode,
  name: string,
  key: string,
  trailingBackslash: boolean,
): NTSTATUS {
  const { vcb, disposition, options } = context;
  if (disposition === FILE_OPEN || disposition === FILE_OVERWRITE) return STATUS_OBJECT_NAME_NOT_FOUND;
  const isDirectory = (options & FILE_DIRECTORY_FILE) !== 0;
  if (trailingBackslash && !isDirectory) return STATUS_OBJECT_NAME_INVALID;
  if (parent.fcb?.deletePending) return STATUS_DELETE_PENDING;
  const attributes = newFileAttributes(context.fileAttributes, isDirectory);
  if (isDirectory && (context.fileAttributes & FILE_ATTRIBUTE_TEMPORARY) !== 0)
    return STATUS_INVALID_PARAMETER;
  const deleteOnClose = (options & FILE_DELETE_ON_CLOSE) !== 0;
  if (deleteOnClose && (attributes & FILE_ATTRIBUTE_READONLY) !== 0) return STATUS_CANNOT_DELETE;
  if (vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  const now = vcb.realDevice.system.now();
  const node = vcb.volume.createChild(parent, name, key, isDirectory, attributes, now);
  if (node === null) return STATUS_DISK_FULL;
  vcb.dirty = true;
  const fcb = new Fcb(node, vcb);
  // A fresh FCB has no opens, so this only records the caller's access (IoSetShareAccess).
  IoCheckShareAccess(context.desiredAccess, context.shareAccess, context.fileObject, fcb.shareAccess, true);
  context.information = FILE_CREATED;
  attach(context, fcb, deleteOnClose);
  return STATUS_SUCCESS;
}

/** The attributes a new or overwritten file gets: what the caller asked for, plus ARCHIVE on files. */
function newFileAttributes(requested: number, isDirectory: boolean): number {
  const settable = requested & FILE_ATTRIBUTE_VALID_SET_FLAGS & ~FILE_ATTRIBUTE_NORMAL;
  return isDirectory ? settable | FILE_ATTRIBUTE_DIRECTORY : settable | FILE_ATTRIBUTE_ARCHIVE;
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
