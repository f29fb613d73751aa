/**
 * IRP_MJ_CREATE for MemFS: open or create a file or directory, open the volume, or open the parent
 * of a name for a rename (SL_OPEN_TARGET_DIRECTORY).
 *
 * What arrives (the I/O manager's contract): a fresh file object whose `fileName` is the path from
 * the volume root (`\a\b`, `\` for the root, '' for the volume itself), or, with a related file
 * object, a path relative to that open directory ('' reopens it). Parameters carry the access
 * (generic bits already mapped), the disposition and options, attributes and share access.
 *
 * The order of checks is FastFat's (src/io/fsrtl/create-checks.ts): name syntax, path, existence
 * versus disposition, file versus directory, delete-pending, attributes (read-only, hidden/system
 * on overwrite), media write protection, share access — and only then any change. A failed create
 * changes nothing.
 */
import { VPB_LOCKED } from '../../../base/device-codes.ts';
import {
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_VALID_SET_FLAGS,
  FILE_CREATED,
  FILE_OPEN_BY_FILE_ID,
  FILE_OPENED,
} from '../../../base/file-codes.ts';
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
import { checkMounted } from './common.ts';
import { Ccb, Fcb, MemFsControl, type Vcb, vcbOf } from './structures.ts';
import type { MemNode } from './tree.ts';

/** The attributes a MemFS node keeps. */
const STORABLE_ATTRIBUTES = FILE_ATTRIBUTE_VALID_SET_FLAGS & ~FILE_ATTRIBUTE_NORMAL;

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
  const status = checkMounted(vcb);
  if (status !== STATUS_SUCCESS) return completeRequest(irp, status);
  // The I/O manager refuses opens of a locked volume; relative opens skip its check, so repeat it.
  if ((vcb.vpb.flags & VPB_LOCKED) !== 0) return completeRequest(irp, STATUS_ACCESS_DENIED);
  const request = createRequestOf(location);
  const created = create(vcb, request);
  return completeRequest(irp, created, NT_SUCCESS(created) ? request.information : 0);
}

function create(vcb: Vcb, request: CreateRequest): NTSTATUS {
  const fileObject = request.fileObject;
  const related = fileObject.relatedFileObject;
  if (related === null && fileObject.fileName === '') return openVolume(vcb, request);
  if ((request.options & FILE_OPEN_BY_FILE_ID) !== 0) return STATUS_INVALID_PARAMETER;

  let start: MemNode = vcb.volume.root;
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
    if (request.openTargetDirectory) return STATUS_OBJECT_NAME_INVALID; // the root has no parent
    return openExisting(vcb, request, start, path.trailingBackslash);
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
  if (request.openTargetDirectory) {
    const status = openExisting(vcb, request.forTargetDirectory(), parent, false);
    if (status !== STATUS_SUCCESS) return status;
    return targetDirectoryOpened(request, leafName, existing !== undefined);
  }
  if (existing !== undefined) return openExisting(vcb, request, existing, path.trailingBackslash);
  return createNew(vcb, request, parent, leafName, leafKey, path.trailingBackslash);
}

function openVolume(vcb: Vcb, request: CreateRequest): NTSTATUS {
  const status = checkVolumeOpen(request);
  if (status !== STATUS_SUCCESS) return status;
  return openVolumeFileObject(request, vcb, new Ccb());
}

function openExisting(vcb: Vcb, request: CreateRequest, node: MemNode, trailingBackslash: boolean): NTSTATUS {
  let status = checkOpenExisting(request, node.isDirectory, trailingBackslash);
  if (status !== STATUS_SUCCESS) return status;
  if (node.fcb?.deletePending) return STATUS_DELETE_PENDING;
  const attributes = node.attributes;
  status = checkReadOnlyFileOpen(request, (attributes & FILE_ATTRIBUTE_READONLY) !== 0, node.isDirectory);
  if (status !== STATUS_SUCCESS) return status;
  if (request.deleteOnClose) {
    if (node.parent === null) return STATUS_CANNOT_DELETE;
    if (node.isDirectory && node.children!.size > 0) return STATUS_DIRECTORY_NOT_EMPTY;
  }
  status = checkOverwriteAttributes(request, attributes);
  if (status !== STATUS_SUCCESS) return status;
  if (vcb.readOnly && opensForChange(request)) return STATUS_MEDIA_WRITE_PROTECTED;

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
    vcb.volume.resize(node, 0); // shrinking always fits
    const given = newFileAttributes(request.fileAttributes, false, STORABLE_ATTRIBUTES);
    node.attributes = overwrittenAttributes(request, node.attributes, given);
    node.lastWriteTime = node.changeTime = now;
    vcb.dirty = true;
  }
  request.information = request.existingInformation;
  attachFileObject(request, vcb, fcb, new Ccb());
  return STATUS_SUCCESS;
}

function createNew(
  vcb: Vcb,
  request: CreateRequest,
  parent: MemNode,
  name: string,
  key: string,
  trailingBackslash: boolean,
): NTSTATUS {
  let status = checkCreateNew(request, trailingBackslash);
  if (status !== STATUS_SUCCESS) return status;
  if (parent.fcb?.deletePending) return STATUS_DELETE_PENDING;
  status = checkNewFileAttributes(request);
  if (status !== STATUS_SUCCESS) return status;
  if (vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  const isDirectory = request.directoryFile;
  const attributes = newFileAttributes(request.fileAttributes, isDirectory, STORABLE_ATTRIBUTES);
  const now = vcb.realDevice.system.now();
  const node = vcb.volume.createChild(parent, name, key, isDirectory, attributes, now);
  if (node === null) return STATUS_DISK_FULL;
  vcb.dirty = true;
  const fcb = new Fcb(node, vcb);
  // A fresh FCB has no opens, so this only records the caller's access (IoSetShareAccess).
  IoCheckShareAccess(request.desiredAccess, request.shareAccess, request.fileObject, fcb.shareAccess, true);
  request.information = FILE_CREATED;
  attachFileObject(request, vcb, fcb, new Ccb());
  return STATUS_SUCCESS;
}
