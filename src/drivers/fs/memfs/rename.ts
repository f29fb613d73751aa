/**
 * FileRenameInformation for MemFS: rename within a directory, or move to another one.
 *
 * Where the file goes, and the refusals before anything is looked at, are the shared rule of
 * src/io/fsrtl/rename-target.ts (a simple name, a target directory the I/O manager opened with
 * SL_OPEN_TARGET_DIRECTORY, or a full path resolved from the root here). MemFS adds, each before
 * anything changes: a delete-pending target directory (STATUS_DELETE_PENDING); moving a directory
 * into itself or below (STATUS_INVALID_PARAMETER); the replace rules for an existing target
 * (STATUS_OBJECT_NAME_COLLISION, STATUS_ACCESS_DENIED); a directory with open files below it
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
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  isSelfOrDescendant,
  isValidComponent,
  type RenameNamespace,
  renameReplaceCheck,
  resolveRenameTarget,
  type SetFileParameters,
  upcaseName,
} from '../../../io/index.ts';
import { fcbOf } from './common.ts';
import type { Fcb } from './structures.ts';
import { type MemNode, nodeCost } from './tree.ts';

const memFsRenameNamespace: RenameNamespace<Fcb, MemNode> = {
  isRoot: (fcb) => fcb.node.parent === null,
  isDeleted: (fcb) => !fcb.node.linked || fcb.deletePending,
  writeProtection: (fcb) => (fcb.vcb.readOnly ? STATUS_MEDIA_WRITE_PROTECTED : STATUS_SUCCESS),
  fcbOf,
  sameVolume: (source, target) => source.vcb === target.vcb,
  isDirectory: (fcb) => fcb.node.isDirectory,
  directoryOf: (fcb) => fcb.node,
  parentOf: (fcb) => fcb.node.parent!,
  walk(fcb, components, count) {
    let directory = fcb.vcb.volume.root;
    for (let i = 0; i < count; i++) {
      const next = directory.children!.get(upcaseName(components[i]!));
      if (next === undefined || !next.isDirectory) return null;
      directory = next;
    }
    return directory;
  },
  isLegalComponent: isValidComponent,
  isLegalName: isValidComponent,
};

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
  const target = resolveRenameTarget(fcb, info, parameters, memFsRenameNamespace);
  if (target.status !== STATUS_SUCCESS) return target.status;
  const { vcb, node } = fcb;
  const parent = target.directory!;
  const name = target.name;
  if (!parent.linked || parent.fcb?.deletePending) return STATUS_DELETE_PENDING;
  if (node.isDirectory && isSelfOrDescendant(parent, node)) return STATUS_INVALID_PARAMETER;
  const key = upcaseName(name);
  const existing = parent.children!.get(key);
  const replaced = existing !== undefined && existing !== node ? existing : null;
  if (replaced !== null) {
    const replaceable = renameReplaceCheck(
      parameters.replaceIfExists,
      replaced.isDirectory,
      replaced.fcb !== null,
      (replaced.attributes & FILE_ATTRIBUTE_READONLY) !== 0,
    );
    if (replaceable !== STATUS_SUCCESS) return replaceable;
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
