/**
 * The file methods of the control protocol (`stat`, `ls`, `tree`, `read`, `mkdir`, `rm`): each is
 * a short sequence of system services on the session's process, so every request runs through the
 * volume's whole stack, filters included. Transfers that write (`put`, `cp`, `mv`) are in
 * transfer-methods.ts.
 */
import {
  FILE_CREATE,
  FILE_CREATED,
  FILE_DIRECTORY_FILE,
  FILE_LIST_DIRECTORY,
  FILE_OPEN_IF,
  FILE_SYNCHRONOUS_IO_NONALERT,
  type FileDirectoryEntry,
  SYNCHRONIZE,
} from '../../base/index.ts';
import {
  baseName,
  DATA_CHUNK_BYTES,
  type DirectoryEntryInfo,
  type EntryType,
  type FileInfo,
  joinStrataPath,
  type LsResult,
  type MkdirResult,
  parseStrataPath,
  type ReadResult,
  type RmResult,
  type StrataPath,
  type TreeNode,
  type TreeResult,
} from '../control/index.ts';
import { InvalidParamsError, NtStatusError } from './errors.ts';
import * as p from './params.ts';
import type { Session } from './session.ts';
import {
  attributeNames,
  describeEntry,
  isLink,
  iso,
  LoopGuard,
  linkFields,
  Skipped,
  typeOf,
} from './walk.ts';

/** The most entries one `ls` or `tree` reply carries (keeps replies under the message limit). */
export const MAX_LISTING = 20_000;

/**
 * A name as `stat` shows it: what it leads to, with `link` and `target` when the file system
 * reports it as a symbolic link (walk.ts); the link itself when it leads nowhere.
 */
async function fileInfo(session: Session, path: StrataPath): Promise<FileInfo> {
  const own = await session.files.stat(path, false);
  const link = isLink(own.basic.fileAttributes);
  let info = own;
  let type: EntryType | null = null;
  let target: string | null = null;
  if (link) {
    target = await session.files.linkTarget(path);
    try {
      info = await session.files.stat(path);
    } catch (error) {
      if (!(error instanceof NtStatusError)) throw error;
      type = 'link';
    }
  }
  const { basic, standard } = info;
  return {
    path: path.display,
    name: baseName(path) || path.display,
    type: type ?? (standard.directory ? 'directory' : typeOf(basic.fileAttributes)),
    size: standard.endOfFile,
    allocationSize: standard.allocationSize,
    attributes: attributeNames(basic.fileAttributes),
    created: iso(basic.creationTime),
    accessed: iso(basic.lastAccessTime),
    written: iso(basic.lastWriteTime),
    changed: iso(basic.changeTime),
    ...linkFields(link, target),
  };
}

export function stat(session: Session, params: p.Params): Promise<FileInfo> {
  return fileInfo(session, p.path(params));
}

export async function ls(session: Session, params: p.Params): Promise<LsResult> {
  const path = p.path(params);
  const limit = p.integer(params, 'limit', 1, MAX_LISTING, MAX_LISTING);
  const info = await fileInfo(session, path);
  if (info.type !== 'directory') {
    const { name, type, size, attributes, written, link, target } = info;
    return {
      path: path.display,
      entries: [{ name, type, size, attributes, written, ...linkFields(link === true, target ?? null) }],
      truncated: false,
    };
  }
  const listed: FileDirectoryEntry[] = [];
  let truncated = false;
  await session.files.listDirectory(path, (entry) => {
    if (listed.length === limit) {
      truncated = true;
      return false;
    }
    listed.push(entry);
    return true;
  });
  const entries: DirectoryEntryInfo[] = [];
  for (const entry of listed)
    entries.push(await describeEntry(session, joinStrataPath(path, entry.fileName), entry));
  return { path: path.display, entries, truncated };
}

/**
 * A directory tree. A directory that cannot be listed, or one the walk is already inside (a link
 * back up), is kept as a node without children and named in `skipped`; the rest goes on. Links
 * to directories are walked into only with `follow` (what a recursive copy does).
 */
export async function tree(session: Session, params: p.Params): Promise<TreeResult> {
  const path = p.path(params);
  const maxDepth = p.integer(params, 'depth', 0, 1000, 1000);
  const limit = p.integer(params, 'limit', 1, MAX_LISTING, MAX_LISTING);
  const follow = p.boolean(params, 'follow');
  const counts = { files: 0, directories: 0, entries: 0, truncated: false };
  const skipped = new Skipped();
  const guard = new LoopGuard();
  const info = await fileInfo(session, path);
  const root: TreeNode = {
    name: path.display,
    type: info.type,
    size: info.size,
    ...linkFields(info.link === true, info.target ?? null),
  };
  const walk = async (node: TreeNode, at: StrataPath, depth: number): Promise<void> => {
    const entered = await guard.enter(session, at).catch((error: unknown) => {
      skipped.add(at.display, error);
      return null;
    });
    if (entered === null) return;
    if (typeof entered !== 'function') return skipped.note(entered);
    const children: TreeNode[] = [];
    node.children = children;
    try {
      if (depth >= maxDepth) return;
      const listed: FileDirectoryEntry[] = [];
      try {
        await session.files.listDirectory(at, (entry) => {
          if (counts.entries === limit) {
            counts.truncated = true;
            return false;
          }
          counts.entries++;
          listed.push(entry);
          return true;
        });
      } catch (error) {
        skipped.add(at.display, error);
      }
      for (const entry of listed) {
        const child = await describeEntry(session, joinStrataPath(at, entry.fileName), entry);
        if (child.type === 'directory') counts.directories++;
        else counts.files++;
        children.push({
          name: child.name,
          type: child.type,
          size: child.size,
          ...linkFields(child.link === true, child.target ?? null),
        });
      }
      for (const child of children)
        if (child.type === 'directory' && (follow || !child.link))
          await walk(child, joinStrataPath(at, child.name), depth + 1);
    } finally {
      entered();
    }
  };
  if (info.type === 'directory') await walk(root, path, 0);
  return {
    path: path.display,
    root,
    files: counts.files,
    directories: counts.directories,
    truncated: counts.truncated,
    skipped: skipped.entries,
  };
}

export async function read(session: Session, params: p.Params): Promise<ReadResult> {
  const path = p.path(params);
  const offset = p.integer(params, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
  const length = p.integer(params, 'length', 0, DATA_CHUNK_BYTES, DATA_CHUNK_BYTES);
  const { data, size } = await session.files.readAt(path, offset, length);
  return {
    data: Buffer.from(data.buffer, data.byteOffset, data.length).toString('base64'),
    bytes: data.length,
    size,
  };
}

export async function mkdir(session: Session, params: p.Params): Promise<MkdirResult> {
  const path = p.path(params);
  const parents = p.boolean(params, 'parents');
  const open = async (at: StrataPath, disposition: number): Promise<boolean> => {
    const { handle, information } = await session.files.open(
      at,
      {
        access: FILE_LIST_DIRECTORY | SYNCHRONIZE,
        disposition,
        options: FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
      },
      'creating the directory',
    );
    session.files.close(handle);
    return information === FILE_CREATED;
  };
  if (!parents) return { path: path.display, created: await open(path, FILE_CREATE) };
  if (path.letter === null) throw new InvalidParamsError('mkdir with parents needs a drive-letter path.');
  let at = parseStrataPath(`${path.letter}\\`)!;
  let created = false;
  for (const part of path.inVolume.split('\\').filter((x) => x !== '')) {
    at = joinStrataPath(at, part);
    created = await open(at, FILE_OPEN_IF);
  }
  return { path: path.display, created };
}

/**
 * Deletes a file, or a directory with everything in it when `recursive`; returns how many objects
 * went. A symbolic link is removed as itself and never walked into (as `rd /s`).
 */
export async function removeTree(session: Session, path: StrataPath, recursive: boolean): Promise<number> {
  let removed = 0;
  if (recursive && (await session.files.kind(path, false)) === 'directory') {
    const children: Array<{ name: string }> = [];
    await session.files.listDirectory(path, (entry) => {
      children.push({ name: entry.fileName });
      return true;
    });
    for (const child of children)
      removed += await removeTree(session, joinStrataPath(path, child.name), true);
  }
  await session.files.deleteOne(path);
  return removed + 1;
}

export async function rm(session: Session, params: p.Params): Promise<RmResult> {
  const path = p.path(params);
  if (path.letter !== null && path.inVolume === '\\')
    throw new InvalidParamsError(`Refusing to remove the root of ${path.letter}.`);
  const removed = await removeTree(session, path, p.boolean(params, 'recursive'));
  return { path: path.display, removed };
}
