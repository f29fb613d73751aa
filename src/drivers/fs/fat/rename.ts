/**
 * FileRenameInformation for FAT (FastFat's FatSetRenameInfo): rename in place or move to another
 * directory, with ReplaceIfExists.
 *
 * The target is a simple name (same directory), or a path whose parent the I/O manager opened
 * with SL_OPEN_TARGET_DIRECTORY (Parameters.SetFile.FileObject), or a full path resolved here:
 * src/io/fsrtl/rename-target.ts, with the refusals it makes first. The entry is written anew under
 * the new name: new long-name slots, a new short name chosen in the target directory as for a
 * create (the file keeps its clusters, attributes and times), and the old slots are marked
 * deleted. A directory that moves gets its `..` entry pointed at its new parent.
 *
 * Refusals, all before anything changes, as MemFS gives them: an invalid or unstorable new name
 * (STATUS_OBJECT_NAME_INVALID, a trailing space or dot included), a missing target directory
 * (STATUS_OBJECT_PATH_NOT_FOUND), another volume (STATUS_NOT_SAME_DEVICE), a delete-pending target
 * directory (STATUS_DELETE_PENDING), a directory into itself (STATUS_INVALID_PARAMETER), an
 * existing target without ReplaceIfExists (STATUS_OBJECT_NAME_COLLISION) or one that is a
 * directory, open or read-only (STATUS_ACCESS_DENIED), a directory with open files below it
 * (STATUS_ACCESS_DENIED), a full FAT12/16 root (STATUS_CANNOT_MAKE), no cluster to grow the target
 * (STATUS_DISK_FULL).
 */
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_DELETE_PENDING,
  STATUS_DISK_FULL,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_OBJECT_NAME_COLLISION,
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
import { checkWritable, loadChain, truncateChain } from './allocation.ts';
import { fcbOf, isCreatableName } from './common.ts';
import { loadDirectory, nameNode } from './directory-contents.ts';
import { deleteEntry, insertEntry, planSlots, rewriteEntry, slotsFor } from './directory-entries.ts';
import { DOT_DOT, type FatNode } from './fat-node.ts';
import { raise } from './irp-context.ts';
import { ATTR_READ_ONLY } from './on-disk.ts';
import { chooseShortName } from './short-name.ts';
import type { Fcb, Vcb } from './structures.ts';
import { noteVolumeChange } from './volume-state.ts';

const fatRenameNamespace: RenameNamespace<Fcb, FatNode> = {
  isRoot: (fcb) => fcb.node.isRoot,
  isDeleted: (fcb) => !fcb.node.linked || fcb.deletePending,
  writeProtection: (fcb) => (fcb.vcb.readOnly ? STATUS_MEDIA_WRITE_PROTECTED : STATUS_SUCCESS),
  fcbOf,
  sameVolume: (source, target) => source.vcb === target.vcb,
  isDirectory: (fcb) => fcb.node.isDirectory,
  directoryOf: (fcb) => fcb.node,
  parentOf: (fcb) => fcb.node.parent!,
  walk(fcb, components, count) {
    let directory = fcb.vcb.root;
    for (let i = 0; i < count; i++) {
      const next = loadDirectory(fcb.vcb, directory).lookup(upcaseName(components[i]!));
      if (next === undefined || !next.isDirectory) return null;
      directory = next;
    }
    return directory;
  },
  isLegalComponent: isValidComponent,
  isLegalName: isCreatableName,
};

/** True when a node below `directory` is open (only loaded directories can have open nodes). */
function hasOpenDescendant(directory: FatNode): boolean {
  const pending: FatNode[] = [directory];
  while (pending.length > 0) {
    const contents = pending.pop()!.contents;
    if (contents === null) continue;
    for (const child of contents.entries) {
      if (child.dot !== 0) continue;
      if (child.fcb !== null) return true;
      if (child.isDirectory) pending.push(child);
    }
  }
  return false;
}

/** Points a moved directory's `..` entry at its new parent. */
function repointDotDot(vcb: Vcb, node: FatNode): void {
  const contents = node.contents;
  if (contents === null) return;
  const dotDot = contents.entries.find((entry) => entry.dot === DOT_DOT);
  const parent = node.parent!;
  if (dotDot === undefined) return;
  dotDot.firstCluster = parent.isRoot ? 0 : parent.firstCluster;
  rewriteEntry(vcb, dotDot);
}

export function renameFile(fcb: Fcb, info: Record<string, unknown>, parameters: SetFileParameters): NTSTATUS {
  const target = resolveRenameTarget(fcb, info, parameters, fatRenameNamespace);
  if (target.status !== STATUS_SUCCESS) return target.status;
  const { vcb, node } = fcb;
  const parent = target.directory!;
  const name = target.name;
  if (!parent.linked || parent.fcb?.deletePending) return STATUS_DELETE_PENDING;
  if (node.isDirectory && isSelfOrDescendant(parent, node)) return STATUS_INVALID_PARAMETER;
  // Everything that must be read is read now: both directories, the moved directory, the replaced file's chain.
  const targetContents = loadDirectory(vcb, parent);
  const sourceContents = loadDirectory(vcb, node.parent!);
  if (node.isDirectory) loadDirectory(vcb, node);
  checkWritable(vcb, node);
  checkWritable(vcb, parent);
  const existing = targetContents.lookup(upcaseName(name));
  const replaced = existing !== undefined && existing !== node ? existing : null;
  if (replaced !== null) {
    const replaceable = renameReplaceCheck(
      parameters.replaceIfExists,
      replaced.isDirectory,
      replaced.fcb !== null,
      (replaced.attributes & ATTR_READ_ONLY) !== 0,
    );
    if (replaceable !== STATUS_SUCCESS) return replaceable;
    loadChain(vcb, replaced);
    checkWritable(vcb, replaced);
  }
  if (node.isDirectory && hasOpenDescendant(node)) return STATUS_ACCESS_DENIED;
  if (parent === node.parent && node.name === name) return STATUS_SUCCESS;

  const choice = chooseShortName(name, vcb.codePage, (display) => {
    const holder = targetContents.lookup(display);
    return holder !== undefined && holder !== node && holder !== replaced;
  });
  if (choice === null) return STATUS_OBJECT_NAME_COLLISION;
  const longName = choice.needsLongName ? name : null;
  const plan = planSlots(vcb, targetContents, slotsFor(longName));
  if (vcb.fat.freeCount < plan.grow) raise(STATUS_DISK_FULL);

  noteVolumeChange(vcb);
  if (replaced !== null) {
    deleteEntry(vcb, targetContents, replaced);
    truncateChain(vcb, replaced, 0);
  }
  const moved = parent !== node.parent;
  deleteEntry(vcb, sourceContents, node);
  node.shortRaw = choice.short.raw;
  node.ntByte = choice.ntByte;
  nameNode(vcb, node, longName);
  insertEntry(vcb, targetContents, node, plan);
  if (moved && node.isDirectory) repointDotDot(vcb, node);
  return STATUS_SUCCESS;
}
