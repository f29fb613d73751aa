/**
 * Where a FileRenameInformation request sends a file, and whether it may replace what is there:
 * the first half of FastFat's FatSetRenameInfo, which MemFS, FAT and HostFS share.
 *
 * The record's FileName names the target three ways: with a target directory the I/O manager
 * opened (SL_OPEN_TARGET_DIRECTORY, passed as Parameters.SetFile.FileObject) the last component is
 * the new name in that directory; a name without a backslash renames in the source's directory; a
 * full path is resolved from the volume root.
 *
 * Refusals, in this order and before anything changes: an empty or missing name, or the root
 * (STATUS_INVALID_PARAMETER); a source whose name is gone or delete-pending
 * (STATUS_DELETE_PENDING); a volume that takes no changes (the file system's status); a target
 * directory that is not one of this file system's opens (STATUS_INVALID_PARAMETER), on another
 * volume (STATUS_NOT_SAME_DEVICE) or not a directory (STATUS_OBJECT_PATH_NOT_FOUND); a malformed
 * path (STATUS_OBJECT_NAME_INVALID); a missing directory on the way (STATUS_OBJECT_PATH_NOT_FOUND);
 * a new name the file system cannot store (STATUS_OBJECT_NAME_INVALID). An existing target that is
 * not the source itself needs ReplaceIfExists (else STATUS_OBJECT_NAME_COLLISION) and cannot be a
 * directory, open, or read-only (STATUS_ACCESS_DENIED).
 */
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_DELETE_PENDING,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_SAME_DEVICE,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import type { FileObject } from '../file-object.ts';
import type { SetFileParameters } from '../irp-parameters.ts';
import { lastComponent, parsePath } from './names.ts';

/**
 * What the shared resolution asks of a file system: `F` is its FCB, `D` how it names a directory
 * (a node, or a path). A table of plain functions the driver declares once.
 */
export interface RenameNamespace<F, D> {
  isRoot(source: F): boolean;
  /** True when the source's name is gone (unlinked) or going (delete-pending). */
  isDeleted(source: F): boolean;
  /** STATUS_SUCCESS, or the status a volume that takes no changes answers. */
  writeProtection(source: F): NTSTATUS;
  /** The FCB behind a target-directory file object, or null when it is not one of this file system's. */
  fcbOf(fileObject: FileObject): F | null;
  sameVolume(source: F, target: F): boolean;
  isDirectory(fcb: F): boolean;
  /** The directory an opened directory FCB stands for. */
  directoryOf(fcb: F): D;
  /** The directory holding the source. */
  parentOf(source: F): D;
  /** The directory named by the first `count` components, from the volume root; null when missing. */
  walk(source: F, components: readonly string[], count: number): D | null;
  /** The component rule a full target path is parsed with. */
  isLegalComponent(name: string): boolean;
  /** Whether the file system can give a file this name. */
  isLegalName(name: string): boolean;
}

export interface RenameTarget<D> {
  status: NTSTATUS;
  /** The directory the file goes to (null when refused). */
  directory: D | null;
  name: string;
}

function refused<D>(status: NTSTATUS): RenameTarget<D> {
  return { status, directory: null, name: '' };
}

function named<D>(directory: D, name: string, namespace: RenameNamespace<unknown, D>): RenameTarget<D> {
  if (!namespace.isLegalName(name)) return refused(STATUS_OBJECT_NAME_INVALID);
  return { status: STATUS_SUCCESS, directory, name };
}

/** Checks the source and finds the target directory and new name of a rename record. */
export function resolveRenameTarget<F, D>(
  source: F,
  info: Record<string, unknown>,
  parameters: SetFileParameters,
  namespace: RenameNamespace<F, D>,
): RenameTarget<D> {
  const fileName = info.fileName;
  if (typeof fileName !== 'string' || fileName.length === 0) return refused(STATUS_INVALID_PARAMETER);
  if (namespace.isRoot(source)) return refused(STATUS_INVALID_PARAMETER);
  if (namespace.isDeleted(source)) return refused(STATUS_DELETE_PENDING);
  const writable = namespace.writeProtection(source);
  if (writable !== STATUS_SUCCESS) return refused(writable);
  const targetDirectory = parameters.fileObject;
  if (targetDirectory !== null) {
    const target = namespace.fcbOf(targetDirectory);
    if (target === null) return refused(STATUS_INVALID_PARAMETER);
    if (!namespace.sameVolume(source, target)) return refused(STATUS_NOT_SAME_DEVICE);
    if (!namespace.isDirectory(target)) return refused(STATUS_OBJECT_PATH_NOT_FOUND);
    return named(namespace.directoryOf(target), lastComponent(fileName), namespace);
  }
  if (!fileName.includes('\\')) return named(namespace.parentOf(source), fileName, namespace);
  const path = parsePath(fileName, false, namespace.isLegalComponent);
  if (path.status !== STATUS_SUCCESS || path.trailingBackslash || path.components.length === 0)
    return refused(STATUS_OBJECT_NAME_INVALID);
  const last = path.components.length - 1;
  const directory = namespace.walk(source, path.components, last);
  if (directory === null) return refused(STATUS_OBJECT_PATH_NOT_FOUND);
  return named(directory, path.components[last]!, namespace);
}

/** Whether a rename may replace an existing file (not the source itself) at its target. */
export function renameReplaceCheck(
  replaceIfExists: boolean,
  existingIsDirectory: boolean,
  existingIsOpen: boolean,
  existingIsReadOnly: boolean,
): NTSTATUS {
  if (!replaceIfExists) return STATUS_OBJECT_NAME_COLLISION;
  if (existingIsDirectory || existingIsOpen || existingIsReadOnly) return STATUS_ACCESS_DENIED;
  return STATUS_SUCCESS;
}
