/**
 * FileRenameInformation for MemFS: rename within a directory, or move to another one.
 *
 * The new name comes in the record's `fileName`: a simple name (same directory), or a path whose
 * parent the I/O manager opened with SL_OPEN_TARGET_DIRECTORY and passes as
 * Parameters.SetFile.FileObject (then the last component is the new name). A full path without
 * that file object is resolved from the root here.
 *
 * Refusals, each before anything changes: an invalid new name (STATUS_OBJECT_NAME_INVALID); a
 * missing target directory (STATUS_OBJECT_PATH_NOT_FOUND); a target on another volume
 * (STATUS_NOT_SAME_DEVICE); moving a directory into itself or below (STATUS_INVALID_PARAMETER);
 * an existing target without ReplaceIfExists (STATUS_OBJECT_NAME_COLLISION), or one that is a
 * directory, open, or read-only (STATUS_ACCESS_DENIED); a directory with open files below it
 * (STATUS_ACCESS_DENIED); a longer name on a full volume (STATUS_DISK_FULL). Renaming to a name
 * that differs only in case is allowed and keeps the file.
 */
import { FILE_ATTRIBUTE_READONLY } from '../../../base/file-codes.ts';
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_DELETE_PENDING,
  STATUS_DISK_FULL,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NOT_SAME_DEVICE,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import type { SetFileParameters } from '../../../io/index.ts';
import { isValidComponent, lastComponent, parsePath, upcaseName } from '../../../io/index.ts';
import { Fcb } from './structures.ts';
import { isSelfOrDescendant, type MemNode, nodeCost } from './tree.ts';

interface Target {
  status: NTSTATUS;
  parent: MemNode | null;
  name: string;
}

function resolveTarget(fcb: Fcb, fileName: string, parameters: SetFileParameters): Target {
  const failed = (status: NTSTATUS): Target => ({ status, parent: null, name: '' });
  const targetDirectory = parameters.fileObject;
  if (targetDirectory !== null) {
    const context = targetDirectory.fsContext;
    if (!(context instanceof Fcb)) return failed(STATUS_INVALID_PARAMETER);
    if (context.vcb !== fcb.vcb) return failed(STATUS_NOT_SAME_DEVICE);
    if (!context.node.isDirectory) return failed(STATUS_OBJECT_PATH_NOT_FOUND);
    return { status: STATUS_SUCCESS, parent: context.node, name: lastComponent(fileName) };
  }
  if (!fileName.includes('\\')) return { status: STATUS_SUCCESS, parent: fcb.node.parent, name: fileName };
  const path = parsePath(fileName, false);
  if (path.status !== STATUS_SUCCESS || path.trailingBackslash || path.components.length === 0)
    return failed(STATUS_OBJECT_NAME_INVALID);
  let parent = fcb.vcb.volume.root;
  const last = path.components.length - 1;
  for (let i = 0; i < last; i++) {
    const next = parent.children!.get(upcaseName(path.components[i]!));
    if (next === undefined || !next.isDirectory) return failed(STATUS_OBJECT_PATH_NOT_FOUND);
    parent = next;
  }
  return { status: STATUS_SUCCESS, parent, name: path.components[last]! };
}

/** True when a node below `directory` (not the directory itself) is open. */
function hasOpenDescendant(directory: MemNode): boolean {
  const pending: MemNode[] = [...directory.children!.values()];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.fcb !== null) return true;
    if (node.isDirectory) for (const child of node.children!.values()) pending.push(child);
  }
  return false;
}

export function renameFile(fcb: Fcb, info: Record<string, unknown>, parameters: SetFileParameters): NTSTATUS {
  const { vcb, node } = fcb;
  const fileName = info.fileName;
  if (typeof fileName !== 'string' || fileName.length === 0) return STATUS_INVALID_PARAMETER;
  if (node.parent === null) return STATUS_INVALID_PARAMETER; // the root has no name to change
  if (!node.linked || fcb.deletePending) return STATUS_DELETE_PENDING;
  if (vcb.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
  const target = resolveTarget(fcb, fileName, parameters);
  if (target.status !== STATUS_SUCCESS) return target.status;
  const parent = target.parent!;
  const name = target.name;
  if (!isValidComponent(name)) return STATUS_OBJECT_NAME_INVALID;
  if (!parent.linked || parent.fcb?.deletePending) return STATUS_DELETE_PENDING;
  if (node.isDirectory && isSelfOrDescendant(parent, node)) return STATUS_INVALID_PARAMETER;
  const key = upcaseName(name);
  const existing = parent.children!.get(key);
  const replaced = existing !== undefined && existing !== node ? existing : null;
  if (replaced !== null) {
    if (!parameters.replaceIfExists) return STATUS_OBJECT_NAME_COLLISION;
    if (replaced.isDirectory || replaced.fcb !== null) return STATUS_ACCESS_DENIED;
    if ((replaced.attributes & FILE_ATTRIBUTE_READONLY) !== 0) return STATUS_ACCESS_DENIED;
  }
  if (node.isDirectory && hasOpenDescendant(node)) return STATUS_ACCESS_DENIED;
  const growth = 2 * (name.length - node.name.length) - (replaced !== null ? nodeCost(replaced) : 0);
  if (growth > 0 && !vcb.volume.fits(growth)) return STATUS_DISK_FULL;
  const now = vcb.realDevice.system.now();
  if (replaced !== null) vcb.volume.unlink(replaced, now);
  vcb.volume.move(node, parent, name, key, now);
  vcb.dirty = true;
  return STATUS_SUCCESS;
}
