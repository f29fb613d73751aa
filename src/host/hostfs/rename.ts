/**
 * FileRenameInformation for HostFS: rename within a directory or move to another directory of the
 * same share, as one host rename().
 *
 * The new name comes in the record's `fileName`: a simple name (same directory), or a path whose
 * parent the I/O manager opened with SL_OPEN_TARGET_DIRECTORY and passes as
 * Parameters.SetFile.FileObject (the last component is the new name); a path without that file
 * object is taken from the share root (src/io/fsrtl/rename-target.ts, with the refusals it makes
 * first; the directories named are opened on the host afterwards). A target directory in another
 * share is STATUS_NOT_SAME_DEVICE; a read-only share is STATUS_ACCESS_DENIED.
 *
 * Refusals, each before the host is touched, as MemFS answers them: an invalid new name
 * (STATUS_OBJECT_NAME_INVALID); a directory moved into itself or below (STATUS_INVALID_PARAMETER);
 * an existing target without ReplaceIfExists (STATUS_OBJECT_NAME_COLLISION), or one that is a
 * directory, open, or read-only — or a directory replacing a file (STATUS_ACCESS_DENIED); a
 * directory with open files below it (STATUS_ACCESS_DENIED). The existing target is found
 * case-insensitively, so replacing `b` by `B` removes `b`; renaming to a name that differs only in
 * case keeps the file. The source must still be the file HostFS opened (same inode), else
 * STATUS_OBJECT_NAME_NOT_FOUND: the host moved it. ReplaceIfExists = false is checked, then the
 * host renames: a file the host creates at the target in between would be replaced (Node has no
 * renameat2(RENAME_NOREPLACE)).
 */
import * as fs from 'node:fs';
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_DELETE_PENDING,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  type RenameNamespace,
  renameReplaceCheck,
  resolveRenameTarget,
  type SetFileParameters,
} from '../../io/index.ts';
import { isReadOnlyFile } from './attributes.ts';
import { fcbOf } from './common.ts';
import { isValidHostFsComponent } from './host-names.ts';
import type { HostEntry } from './host-namespace.ts';
import { lookupChild, openDirectoryAt } from './resolve.ts';
import type { Fcb } from './structures.ts';

/** Directories are named by their path in the share; the host resolves them afterwards. */
const hostFsRenameNamespace: RenameNamespace<Fcb, readonly string[]> = {
  isRoot: (fcb) => fcb.isRoot,
  isDeleted: (fcb) => fcb.unlinked || fcb.deletePending,
  writeProtection: (fcb) => (fcb.share.readOnly ? STATUS_ACCESS_DENIED : STATUS_SUCCESS),
  fcbOf,
  sameVolume: (source, target) => source.share === target.share,
  isDirectory: (fcb) => fcb.kind === 'directory',
  directoryOf: (fcb) => fcb.path,
  parentOf: (fcb) => fcb.path.slice(0, -1),
  walk: (_fcb, components, count) => components.slice(0, count),
  isLegalComponent: isValidHostFsComponent,
  isLegalName: isValidHostFsComponent,
};

function isSameOrBelow(path: readonly string[], directory: readonly string[]): boolean {
  return directory.length <= path.length && directory.every((part, i) => path[i] === part);
}

function hasOpenDescendant(fcb: Fcb): boolean {
  const prefix = `${fcb.key}/`;
  for (const [key, other] of fcb.share.fcbs) if (other.openCount > 0 && key.startsWith(prefix)) return true;
  return false;
}

export function renameFile(fcb: Fcb, info: Record<string, unknown>, parameters: SetFileParameters): NTSTATUS {
  const share = fcb.share;
  const target = resolveRenameTarget(fcb, info, parameters, hostFsRenameNamespace);
  if (target.status !== STATUS_SUCCESS) return target.status;

  const source = openDirectoryAt(share, fcb.path.slice(0, -1));
  if (source.status !== STATUS_SUCCESS) return source.status;
  const destination = openDirectoryAt(share, target.directory!);
  if (destination.status !== STATUS_SUCCESS) {
    share.namespace.closeEntry(source.dir!);
    return destination.status;
  }
  try {
    return move(
      fcb,
      source.dir!,
      destination.dir!,
      destination.path,
      target.name,
      parameters.replaceIfExists,
    );
  } finally {
    share.namespace.closeEntry(source.dir!);
    share.namespace.closeEntry(destination.dir!);
  }
}

function move(
  fcb: Fcb,
  sourceDir: HostEntry,
  targetDir: HostEntry,
  targetPath: string[],
  name: string,
  replaceIfExists: boolean,
): NTSTATUS {
  const share = fcb.share;
  const namespace = share.namespace;
  if (fcb.kind === 'directory' && isSameOrBelow(targetPath, fcb.path)) return STATUS_INVALID_PARAMETER;
  if (share.fcbs.get(targetPath.join('/'))?.deletePending) return STATUS_DELETE_PENDING;
  const sourcePath = namespace.child(sourceDir, fcb.name);
  const current = fs.lstatSync(sourcePath, { throwIfNoEntry: false });
  if (current === undefined || current.dev !== fcb.dev || current.ino !== fcb.ino)
    return STATUS_OBJECT_NAME_NOT_FOUND;
  const sameDirectory = targetPath.join('/') === fcb.path.slice(0, -1).join('/');

  const existing = lookupChild(share, targetDir, name);
  if (existing.status !== STATUS_SUCCESS && existing.status !== STATUS_OBJECT_NAME_NOT_FOUND)
    return existing.status;
  let replaced: string | null = null;
  if (existing.entry !== null) {
    const stat = existing.entry.stat;
    namespace.closeEntry(existing.entry);
    const itself = sameDirectory && stat.dev === fcb.dev && stat.ino === fcb.ino;
    if (itself && existing.name === name) return STATUS_SUCCESS; // nothing changes
    if (!itself) {
      const replaceable = renameReplaceCheck(
        replaceIfExists,
        stat.isDirectory(),
        (share.fcbs.get([...targetPath, existing.name].join('/'))?.openCount ?? 0) > 0,
        isReadOnlyFile(stat),
      );
      if (replaceable !== STATUS_SUCCESS) return replaceable;
      // The host's rename() cannot put a directory in a file's place.
      if (fcb.kind === 'directory') return STATUS_ACCESS_DENIED;
      replaced = existing.name;
    }
  }
  if (fcb.kind === 'directory' && hasOpenDescendant(fcb)) return STATUS_ACCESS_DENIED;

  const rename = (): void => {
    if (replaced !== null && replaced !== name) {
      // Replace the case variant first, then give the file the case asked for.
      fs.renameSync(sourcePath, namespace.child(targetDir, replaced));
      fs.renameSync(namespace.child(targetDir, replaced), namespace.child(targetDir, name));
    } else {
      fs.renameSync(sourcePath, namespace.child(targetDir, name));
    }
  };
  const removedHere = replaced !== null && replaced !== name ? [replaced] : [];
  if (sameDirectory) share.names.change(targetDir, rename, [name], [fcb.name, ...removedHere]);
  else
    share.names.change(
      targetDir,
      () => share.names.change(sourceDir, rename, [], [fcb.name]),
      [name],
      removedHere,
    );

  if (share.fcbs.get(fcb.key) === fcb) share.fcbs.delete(fcb.key);
  fcb.path = [...targetPath, name];
  share.fcbs.set(fcb.key, fcb);
  return STATUS_SUCCESS;
}
