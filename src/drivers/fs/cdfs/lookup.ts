/**
 * Finding a node by path (CdFindFile, CdFindDirectory and the component walk of CdCommonCreate),
 * with Rock Ridge symbolic links followed inside the volume.
 *
 * Matching is case-insensitive; among names that differ only in case (Rock Ridge allows both
 * `README` and `readme`) the exact spelling wins, else the first on the disc. A component may name
 * a version (`HELLO.TXT;1`); without one the first entry of that name on the disc is taken, which
 * is the highest version as writers order them.
 *
 * Links: a link met in the middle of a path is always followed; the last component is followed
 * unless the caller asked for the link itself (FILE_OPEN_REPARSE_POINT). Relative targets resolve
 * from the link's directory; absolute ones from the volume root, as they would inside a chroot of
 * the disc; `..` stops at the root. More than MAX_LINK_HOPS links in one walk is
 * STATUS_REPARSE_POINT_NOT_RESOLVED. Missing components are STATUS_OBJECT_PATH_NOT_FOUND, or
 * STATUS_OBJECT_NAME_NOT_FOUND for the last; a file in the middle is STATUS_OBJECT_PATH_NOT_FOUND.
 *
 * The walk loads directories as it goes; when the disc answers at once it runs as a loop, so deep
 * paths cost no stack, and it continues from the load's completion when the disc pends.
 */
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_REPARSE_POINT_NOT_RESOLVED,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import { upcaseName } from '../../../io/index.ts';
import { loadDirectory } from './directory-cache.ts';
import type { CdNode, Vcb } from './structures.ts';

/** As Linux's MAXSYMLINKS. */
export const MAX_LINK_HOPS = 40;

/** The child of a loaded directory that a component names, or null. */
export function findChild(directory: CdNode, component: string): CdNode | null {
  const index = directory.childIndex;
  if (index === null) return null;
  const same = index.get(upcaseName(component));
  if (same !== undefined) {
    for (const node of same) if (node.name === component) return node;
    return same[0]!;
  }
  const separator = component.indexOf(';');
  if (separator <= 0) return null;
  const versions = index.get(upcaseName(component.slice(0, separator)));
  if (versions === undefined) return null;
  const version = upcaseName(component.slice(separator + 1));
  if (version === '') return versions[0]!;
  for (const node of versions) if (upcaseName(node.version) === version) return node;
  return null;
}

export type LookupDone = (status: NTSTATUS, node: CdNode | null) => void;

/** Walks `components` from `start`; `done` may run before this returns. */
export function lookupPath(
  vcb: Vcb,
  start: CdNode,
  components: readonly string[],
  followFinalLink: boolean,
  done: LookupDone,
): void {
  const pending = components.slice().reverse();
  let current = start;
  let hops = 0;
  const run = (): void => {
    for (;;) {
      if (pending.length === 0) {
        done(STATUS_SUCCESS, current);
        return;
      }
      if (!current.isDirectory) {
        done(STATUS_OBJECT_PATH_NOT_FOUND, null);
        return;
      }
      if (current.children === null) {
        let inline = true;
        let loadedInline = false;
        let failure: NTSTATUS = STATUS_SUCCESS;
        loadDirectory(vcb, current, (status) => {
          if (!NT_SUCCESS(status)) {
            if (inline) failure = status;
            else done(status, null);
            return;
          }
          if (inline) loadedInline = true;
          else run();
        });
        inline = false;
        if (failure !== STATUS_SUCCESS) {
          done(failure, null);
          return;
        }
        if (!loadedInline) return; // the load pended; its completion resumes the walk
      }
      const component = pending.pop()!;
      const final = pending.length === 0;
      if (component === '.') continue;
      if (component === '..') {
        current = current.parent ?? current;
        continue;
      }
      const child = findChild(current, component);
      if (child === null) {
        done(final ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_OBJECT_PATH_NOT_FOUND, null);
        return;
      }
      const target = child.symlinkTarget;
      if (target !== null && (!final || followFinalLink)) {
        if (++hops > MAX_LINK_HOPS) {
          done(STATUS_REPARSE_POINT_NOT_RESOLVED, null);
          return;
        }
        const parts = target.split('/').filter((part) => part !== '');
        if (parts.length === 0 && !target.startsWith('/')) {
          done(final ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_OBJECT_PATH_NOT_FOUND, null);
          return;
        }
        for (let i = parts.length - 1; i >= 0; i--) pending.push(parts[i]!);
        if (target.startsWith('/')) current = vcb.root;
        continue;
      }
      current = child;
    }
  };
  run();
}
