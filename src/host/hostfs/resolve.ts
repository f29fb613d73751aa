/**
 * Path resolution inside a share: from a directory HostFS holds (the share root, or the directory
 * of a relative open) down a list of components, one host call per component, the way the NT
 * redirector's server would do it, and never outside the share.
 *
 * For each component: the exact host name is tried first; when it does not exist, the names that
 * differ only in case (name-cache.ts) — one is taken, several are ambiguous
 * (STATUS_OBJECT_NAME_COLLISION). The child is opened without following it (host-namespace.ts).
 * - A directory: the walk descends into the descriptor just opened.
 * - A symbolic link: its target is read and resolved here, never by the host kernel. A relative
 *   target is applied to the real path of the directory holding the link, an absolute one must lie
 *   inside the share's real root; `.` and `..` are folded lexically, which is exact because every
 *   component before them is a real directory HostFS walked. A target leaving the share is
 *   STATUS_ACCESS_DENIED (as Samba answers for "wide links"), a target that cannot be decoded too;
 *   more than 40 links in one resolution (a loop) is STATUS_REPARSE_POINT_NOT_RESOLVED. The walk
 *   then starts again from the share root with the target's components followed by the rest.
 * - Anything else before the last component: STATUS_OBJECT_PATH_NOT_FOUND.
 * The last component may be missing (the caller may create it), or a link the caller asked not to
 * follow (FILE_OPEN_REPARSE_POINT, rename targets).
 *
 * Ownership: the resolution owns `leaf` and, when `parentOwned`, `parent`; `releaseResolution`
 * closes what the caller did not take (set the field to null to take it).
 */
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_REPARSE_POINT_NOT_RESOLVED,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import { upcaseName } from '../../io/index.ts';
import { hostErrorCode, ntStatusFromHostError } from './host-errors.ts';
import { isValidHostFsComponent } from './host-names.ts';
import type { HostEntry } from './host-namespace.ts';
import { decodeHostName } from './name-cache.ts';
import type { Share } from './structures.ts';

/** Links one resolution may follow (Linux's MAXSYMLINKS). */
export const MAX_LINK_HOPS = 40;

export interface Resolution {
  status: NTSTATUS;
  /** The directory holding the leaf; null when the leaf is the starting directory itself. */
  parent: HostEntry | null;
  /** Whether `parent` belongs to this resolution (false for the share root or a borrowed start). */
  parentOwned: boolean;
  /** Real components of `parent` from the share root. */
  parentPath: string[];
  /** The leaf's host name: the existing entry's, or the name asked for when it does not exist. */
  leafName: string;
  /** The leaf, opened without following; null when it does not exist. */
  leaf: HostEntry | null;
  /** The last component came from a link target (so HostFS must not create it). */
  leafFromLink: boolean;
}

function failed(status: NTSTATUS): Resolution {
  return {
    status,
    parent: null,
    parentOwned: false,
    parentPath: [],
    leafName: '',
    leaf: null,
    leafFromLink: false,
  };
}

/** The real path of the leaf (empty for the share root). */
export function leafPathOf(resolution: Resolution): string[] {
  return resolution.parent === null && resolution.leafName === ''
    ? resolution.parentPath
    : [...resolution.parentPath, resolution.leafName];
}

/** Closes what the caller left in the resolution. */
export function releaseResolution(share: Share, resolution: Resolution): void {
  if (resolution.leaf !== null) share.namespace.closeEntry(resolution.leaf);
  if (resolution.parent !== null && resolution.parentOwned) share.namespace.closeEntry(resolution.parent);
  resolution.leaf = null;
  resolution.parent = null;
}

/**
 * The components a link target names, from the share root. STATUS_ACCESS_DENIED when it leaves
 * the share; STATUS_OBJECT_NAME_INVALID when it names something HostFS never shows by name (a
 * device name, a trailing dot: isValidHostFsComponent), so a link is no way around those rules.
 * `linkDirectory` is the real path of the directory holding the link.
 */
export function linkTargetPath(
  share: Share,
  linkDirectory: readonly string[],
  target: string,
): { status: NTSTATUS; path: string[] | null } {
  const outside = { status: STATUS_ACCESS_DENIED, path: null };
  let rest: string;
  let path: string[];
  if (target.startsWith('/')) {
    const root = share.hostPath;
    if (root === '/') rest = target.slice(1);
    else if (target === root) rest = '';
    else if (target.startsWith(`${root}/`)) rest = target.slice(root.length + 1);
    else return outside;
    path = [];
  } else {
    rest = target;
    path = [...linkDirectory];
  }
  for (const part of rest.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (path.length === 0) return outside;
      path.pop();
      continue;
    }
    if (!isValidHostFsComponent(part)) return { status: STATUS_OBJECT_NAME_INVALID, path: null };
    path.push(part);
  }
  return { status: STATUS_SUCCESS, path };
}

interface Lookup {
  status: NTSTATUS;
  entry: HostEntry | null;
  name: string;
}

/** Finds `name` in `dir`: the exact host name, else the one name equal but for case. */
export function lookupChild(share: Share, dir: HostEntry, name: string): Lookup {
  const namespace = share.namespace;
  try {
    return { status: STATUS_SUCCESS, entry: namespace.openChild(dir, name), name };
  } catch (error) {
    if (hostErrorCode(error) !== 'ENOENT') return { status: ntStatusFromHostError(error), entry: null, name };
  }
  let variants: readonly string[];
  try {
    variants = share.names.variants(dir, upcaseName(name));
  } catch (error) {
    return { status: ntStatusFromHostError(error), entry: null, name };
  }
  const others = variants.filter((variant) => variant !== name);
  if (others.length === 0) return { status: STATUS_OBJECT_NAME_NOT_FOUND, entry: null, name };
  if (others.length > 1) return { status: STATUS_OBJECT_NAME_COLLISION, entry: null, name };
  const real = others[0]!;
  try {
    return { status: STATUS_SUCCESS, entry: namespace.openChild(dir, real), name: real };
  } catch (error) {
    const status = ntStatusFromHostError(error);
    return { status, entry: null, name };
  }
}

/**
 * Resolves `names` (already valid components) from `start`, whose real path is `startPath`.
 * With `followLeaf` false a link in the last position is returned as the leaf itself.
 */
export function resolvePath(
  share: Share,
  start: HostEntry,
  startPath: readonly string[],
  names: readonly string[],
  followLeaf: boolean,
): Resolution {
  const namespace = share.namespace;
  let pending: readonly string[] = names;
  let dir = start;
  let dirOwned = false;
  let path = [...startPath];
  let hops = 0;
  let leafFromLink = false;
  let i = 0;
  const fail = (status: NTSTATUS): Resolution => {
    if (dirOwned) namespace.closeEntry(dir);
    return failed(status);
  };
  for (;;) {
    if (pending.length === 0) {
      // Nothing to walk (a relative open of '' reopens its directory), or a link led to the root.
      let leaf: HostEntry;
      try {
        leaf = namespace.reopen(dir);
      } catch (error) {
        return fail(ntStatusFromHostError(error));
      }
      if (dirOwned) namespace.closeEntry(dir);
      return { ...failed(STATUS_SUCCESS), leaf, parentPath: path, leafFromLink };
    }
    const last = i === pending.length - 1;
    const found = lookupChild(share, dir, pending[i]!);
    if (found.status === STATUS_OBJECT_NAME_NOT_FOUND) {
      if (!last) return fail(STATUS_OBJECT_PATH_NOT_FOUND);
      return {
        status: STATUS_SUCCESS,
        parent: dir,
        parentOwned: dirOwned,
        parentPath: path,
        leafName: found.name,
        leaf: null,
        leafFromLink,
      };
    }
    if (found.status !== STATUS_SUCCESS) return fail(found.status);
    const entry = found.entry!;
    if (entry.stat.isSymbolicLink() && (followLeaf || !last)) {
      namespace.closeEntry(entry);
      if (++hops > MAX_LINK_HOPS) return fail(STATUS_REPARSE_POINT_NOT_RESOLVED);
      let target: string | null;
      try {
        target = decodeHostName(namespace.readLink(dir, found.name));
      } catch (error) {
        return fail(ntStatusFromHostError(error));
      }
      const resolved = target === null ? null : linkTargetPath(share, path, target);
      if (resolved === null) return fail(STATUS_ACCESS_DENIED);
      if (resolved.path === null) return fail(resolved.status);
      const targetPath = resolved.path;
      if (last) leafFromLink = true;
      pending = targetPath.concat(pending.slice(i + 1));
      if (dirOwned) namespace.closeEntry(dir);
      dir = share.root;
      dirOwned = false;
      path = [];
      i = 0;
      continue;
    }
    if (last) {
      return {
        status: STATUS_SUCCESS,
        parent: dir,
        parentOwned: dirOwned,
        parentPath: path,
        leafName: found.name,
        leaf: entry,
        leafFromLink,
      };
    }
    if (!entry.stat.isDirectory()) {
      namespace.closeEntry(entry);
      return fail(STATUS_OBJECT_PATH_NOT_FOUND);
    }
    if (dirOwned) namespace.closeEntry(dir);
    dir = entry;
    dirOwned = true;
    path.push(found.name);
    i++;
  }
}

/** Opens the directory at `path` from the share root (for renames and deferred deletes). */
export function openDirectoryAt(
  share: Share,
  path: readonly string[],
): { status: NTSTATUS; dir: HostEntry | null; path: string[] } {
  const resolution = resolvePath(share, share.root, [], path, true);
  if (resolution.status !== STATUS_SUCCESS) return { status: resolution.status, dir: null, path: [] };
  const leaf = resolution.leaf;
  if (leaf === null || !leaf.stat.isDirectory()) {
    releaseResolution(share, resolution);
    return { status: STATUS_OBJECT_PATH_NOT_FOUND, dir: null, path: [] };
  }
  resolution.leaf = null;
  const real = leafPathOf(resolution);
  releaseResolution(share, resolution);
  return { status: STATUS_SUCCESS, dir: leaf, path: real };
}
