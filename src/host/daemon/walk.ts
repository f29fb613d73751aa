/**
 * Names as the file methods show them, symbolic links included, and the guard that keeps a walk
 * through links from going round for ever.
 *
 * NT lists a link as itself (NtQueryDirectoryFile reports the name's own attributes, with
 * FILE_ATTRIBUTE_REPARSE_POINT) and a plain open follows it; FindFirstFile and a following
 * GetFileAttributes differ the same way. The file methods describe a name by what it leads to
 * (type, size, times), with `link` and `target` saying it is a link, so `ls`, `stat` and `tree`
 * agree; a link that leads nowhere it can be opened is of type `link`.
 *
 * A walk (tree, a recursive copy) enters a directory only if it is not already inside it: a
 * directory is known by its file id (FileInternalInformation), which every file system here keeps
 * stable while the volume is mounted. Links never leave their volume, so the id alone names it.
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
  type FileDirectoryEntry,
  statusName,
} from '../../base/index.ts';
import type {
  DirectoryEntryInfo,
  EntryType,
  LinkFields,
  SkippedEntry,
  StrataPath,
} from '../control/index.ts';
import { MAX_SKIPPED } from '../control/index.ts';
import { NtStatusError } from './errors.ts';
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

/** FILE_ATTRIBUTE_* names without the prefix. */
export function attributeNames(attributes: number): string[] {
  return ATTRIBUTE_NAMES.filter(([bit]) => (attributes & bit) !== 0).map(([, name]) => name);
}

/** A file time as ISO 8601 (the epoch for one the file system cannot give). */
export function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

export function typeOf(attributes: number): EntryType {
  return (attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0 ? 'directory' : 'file';
}

/** The fields that mark a link, for spreading into a record. */
export function linkFields(link: boolean, target: string | null): LinkFields {
  return link ? { link: true, target } : {};
}

export function isLink(attributes: number): boolean {
  return (attributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0;
}

/** A listing entry as the file methods show it; a link is described by what it leads to. */
export async function describeEntry(
  session: Session,
  path: StrataPath,
  entry: FileDirectoryEntry,
): Promise<DirectoryEntryInfo> {
  const own: DirectoryEntryInfo = {
    name: entry.fileName,
    type: typeOf(entry.fileAttributes),
    size: entry.endOfFile,
    attributes: attributeNames(entry.fileAttributes),
    written: iso(entry.lastWriteTime),
  };
  if (!isLink(entry.fileAttributes)) return own;
  const target = await session.files.linkTarget(path);
  try {
    const led = await session.files.stat(path);
    return {
      ...own,
      type: typeOf(led.basic.fileAttributes),
      size: led.standard.endOfFile,
      attributes: attributeNames(led.basic.fileAttributes),
      written: iso(led.basic.lastWriteTime),
      link: true,
      target,
    };
  } catch (error) {
    if (!(error instanceof NtStatusError)) throw error;
    return { ...own, type: 'link', link: true, target };
  }
}

/** What a walk went past, listed up to MAX_SKIPPED. */
export class Skipped {
  readonly entries: SkippedEntry[] = [];

  add(path: string, error: unknown): void {
    if (!(error instanceof NtStatusError)) throw error;
    this.note({ path, message: error.message, status: statusName(error.status) });
  }

  note(entry: SkippedEntry): void {
    if (this.entries.length < MAX_SKIPPED) this.entries.push(entry);
  }
}

/** The sentence for a link that leads nowhere, as a skipped entry. */
export function danglingLink(path: StrataPath, target: string | null): SkippedEntry {
  return {
    path: path.display,
    message: `${path.display} is a symbolic link${target === null ? '' : ` to ${target}`} that leads to nothing that can be opened.`,
  };
}

/** The directories a walk is inside, and those a copy made (never walked into), by file id. */
export class LoopGuard {
  private readonly inside = new Map<number, string>();
  private readonly made = new Map<number, string>();

  /** A directory the copy made: a link leading into it would copy the copy into itself. */
  madeByCopy(id: number, display: string): void {
    this.made.set(id, display);
  }

  /**
   * Enters the directory at `path`: returns a function to call on leaving it, or, when the walk is
   * already inside it (a link back up), the skipped entry that says so.
   */
  async enter(session: Session, path: StrataPath): Promise<(() => void) | SkippedEntry> {
    const id = (await session.files.stat(path)).internal.indexNumber;
    const copy = this.made.get(id);
    if (copy !== undefined)
      return {
        path: path.display,
        message: `${path.display} leads into ${copy}, which this copy made; not copied into itself.`,
      };
    const outer = this.inside.get(id);
    if (outer !== undefined)
      return {
        path: path.display,
        message: `${path.display} leads back to ${outer}, which the walk is already inside; not walked into again (a loop).`,
      };
    this.inside.set(id, path.display);
    return () => this.inside.delete(id);
  }
}
