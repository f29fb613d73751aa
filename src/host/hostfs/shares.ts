/**
 * The share table: adding, removing and listing shares of one HostFS instance (its driver
 * extension). Reached through HostFsAddShare / HostFsRemoveShare / HostFsQueryShares (index.ts)
 * or the control device's IOCTLs (device-control.ts).
 *
 * Adding resolves the host path to its real path (symbolic links in it are followed once, now),
 * opens it and keeps it open: the share stays that directory even if the host renames it. Names are
 * unique case-insensitively (STATUS_OBJECT_NAME_COLLISION). A path that does not exist is
 * STATUS_OBJECT_PATH_NOT_FOUND, one that is not a directory STATUS_NOT_A_DIRECTORY. Removing closes
 * every host descriptor of the share at once; handles still open answer
 * STATUS_NETWORK_NAME_DELETED until they are closed.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import {
  type NTSTATUS,
  STATUS_BAD_NETWORK_NAME,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_A_DIRECTORY,
  STATUS_NOT_SUPPORTED,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import { upcaseName } from '../../io/index.ts';
import type { HostFsShareInfo, HostFsShareOptions } from './control-codes.ts';
import { hostErrorCode, ntStatusFromHostError } from './host-errors.ts';
import { isValidShareName } from './host-names.ts';
import { type HostEntry, HostNamespace } from './host-namespace.ts';
import { DirectoryNameCache } from './name-cache.ts';
import { type HostFsData, Share } from './structures.ts';

export function addShare(data: HostFsData, options: HostFsShareOptions): NTSTATUS {
  if (typeof options !== 'object' || options === null) return STATUS_INVALID_PARAMETER;
  const { name, path, readOnly = false, containment = data.namespace.mode } = options;
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0') || typeof readOnly !== 'boolean')
    return STATUS_INVALID_PARAMETER;
  if (containment !== 'procfs' && containment !== 'path') return STATUS_INVALID_PARAMETER;
  if (process.platform === 'win32') return STATUS_NOT_SUPPORTED; // O_NOFOLLOW and POSIX links are needed
  if (containment === 'procfs' && data.namespace.mode !== 'procfs') return STATUS_NOT_SUPPORTED;
  if (!isValidShareName(name)) return STATUS_OBJECT_NAME_INVALID;
  if (data.shares.has(upcaseName(name))) return STATUS_OBJECT_NAME_COLLISION;
  const namespace = containment === data.namespace.mode ? data.namespace : new HostNamespace(containment);
  let root: HostEntry;
  let realPath: string;
  try {
    realPath = fs.realpathSync(nodePath.resolve(path));
    root = namespace.openRoot(realPath);
  } catch (error) {
    const code = hostErrorCode(error);
    if (code === 'ENOENT') return STATUS_OBJECT_PATH_NOT_FOUND;
    if (code === 'ENOTDIR') return STATUS_NOT_A_DIRECTORY;
    return ntStatusFromHostError(error);
  }
  if (!root.stat.isDirectory()) {
    namespace.closeEntry(root);
    return STATUS_NOT_A_DIRECTORY;
  }
  const share = new Share(name, realPath, readOnly, root, namespace, new DirectoryNameCache(namespace));
  data.shares.set(upcaseName(name), share);
  return STATUS_SUCCESS;
}

export function removeShare(data: HostFsData, name: unknown): NTSTATUS {
  if (typeof name !== 'string') return STATUS_INVALID_PARAMETER;
  const key = upcaseName(name);
  const share = data.shares.get(key);
  if (share === undefined) return STATUS_BAD_NETWORK_NAME;
  data.shares.delete(key);
  share.removed = true;
  for (const ccb of share.opens) share.namespace.closeEntry(ccb.entry);
  share.namespace.closeEntry(share.root);
  share.names.clear();
  return STATUS_SUCCESS;
}

export function listShares(data: HostFsData): HostFsShareInfo[] {
  return [...data.shares.values()].map((share) => ({
    name: share.name,
    path: share.hostPath,
    readOnly: share.readOnly,
    containment: share.namespace.mode,
    openCount: share.opens.size,
  }));
}
