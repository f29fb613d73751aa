/**
 * The file methods of the control protocol (`stat`, `ls`, `tree`, `read`, `mkdir`, `rm`): each is
 * a short sequence of system services on the session's process, so every request runs through the
 * volume's whole stack, filters included. Transfers that write (`put`, `cp`, `mv`) are in
 * transfer-methods.ts.
 */
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DEVICE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  FILE_ATTRIBUTE_SYSTEM,
  FILE_ATTRIBUTE_TEMPORARY,
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
import { InvalidParamsError } from './errors.ts';
import * as p from './params.ts';
import type { Session } from './session.ts';

const ATTRIBUTE_NAMES: ReadonlyArray<readonly [number, string]> = [
  [FILE_ATTRIBUTE_READONLY, 'READONLY'],
  [FILE_ATTRIBUTE_HIDDEN, 'HIDDEN'],
  [FILE_ATTRIBUTE_SYSTEM, 'SYSTEM'],
  [FILE_ATTRIBUTE_DIRECTORY, 'DIRECTORY'],
  [FILE_ATTRIBUTE_ARCHIVE, 'ARCHIVE'],
  [FILE_ATTRIBUTE_DEVICE, 'DEVICE'],
  [FILE_ATTRIBUTE_NORMAL, 'NORMAL'],
  [FILE_ATTRIBUTE_TEMPORARY, 'TEMPORARY'],
  [FILE_ATTRIBUTE_REPARSE_POINT, 'REPARSE_POINT'],
];

/** The most entries one `ls` or `tree` reply carries (keeps replies under the message limit). */
export const MAX_LISTING = 20_000;

export function attributeNames(attributes: number): string[] {
  return ATTRIBUTE_NAMES.filter(([bit]) => (attributes & bit) !== 0).map(([, name]) => name);
}

function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

function isDirectory(attributes: number): boolean {
  return (attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
}

function entryInfo(entry: FileDirectoryEntry): DirectoryEntryInfo {
  return {
    name: entry.fileName,
    type: isDirectory(entry.fileAttributes) ? 'directory' : 'file',
    size: entry.endOfFile,
    attributes: attributeNames(entry.fileAttributes),
    written: iso(entry.lastWriteTime),
  };
}

export async function stat(session: Session, params: p.Params): Promise<FileInfo> {
  const path = p.path(params);
  const info = await session.files.stat(path);
  const { basic, standard } = info;
  return {
    path: path.display,
    name: baseName(path) || path.display,
    type: standard.directory || isDirectory(basic.fileAttributes) ? 'directory' : 'file',
    size: standard.endOfFile,
    allocationSize: standard.allocationSize,
    attributes: attributeNames(basic.fileAttributes),
    created: iso(basic.creationTime),
    accessed: iso(basic.lastAccessTime),
    written: iso(basic.lastWriteTime),
    changed: iso(basic.changeTime),
  };
}

export async function ls(session: Session, params: p.Params): Promise<LsResult> {
  const path = p.path(params);
  const limit = p.integer(params, 'limit', 1, MAX_LISTING, MAX_LISTING);
  const kind = await session.files.kind(path);
  if (kind === 'file') {
    const info = await stat(session, params);
    const entry = {
      name: info.name,
      type: info.type,
      size: info.size,
      attributes: info.attributes,
      written: info.written,
    };
    return { path: path.display, entries: [entry], truncated: false };
  }
  const entries: DirectoryEntryInfo[] = [];
  let truncated = false;
  await session.files.listDirectory(path, (entry) => {
    if (entries.length === limit) {
      truncated = true;
      return false;
    }
    entries.push(entryInfo(entry));
    return true;
  });
  return { path: path.display, entries, truncated };
}

export async function tree(session: Session, params: p.Params): Promise<TreeResult> {
  const path = p.path(params);
  const maxDepth = p.integer(params, 'depth', 0, 1000, 1000);
  const limit = p.integer(params, 'limit', 1, MAX_LISTING, MAX_LISTING);
  const counts = { files: 0, directories: 0, entries: 0, truncated: false };
  const info = await stat(session, params);
  const root: TreeNode = { name: path.display, type: info.type, size: info.size };
  const walk = async (node: TreeNode, at: StrataPath, depth: number): Promise<void> => {
    const children: TreeNode[] = [];
    node.children = children;
    if (depth >= maxDepth) return;
    await session.files.listDirectory(at, (entry) => {
      if (counts.entries === limit) {
        counts.truncated = true;
        return false;
      }
      counts.entries++;
      const directory = isDirectory(entry.fileAttributes);
      if (directory) counts.directories++;
      else counts.files++;
      children.push({ name: entry.fileName, type: directory ? 'directory' : 'file', size: entry.endOfFile });
      return true;
    });
    for (const child of children) {
      if (child.type === 'directory') await walk(child, joinStrataPath(at, child.name), depth + 1);
    }
  };
  if (info.type === 'directory') await walk(root, path, 0);
  return {
    path: path.display,
    root,
    files: counts.files,
    directories: counts.directories,
    truncated: counts.truncated,
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
