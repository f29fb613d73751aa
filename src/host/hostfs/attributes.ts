/**
 * Host metadata as NT sees it: attributes, the four times, sizes and the records built from them.
 *
 * - DIRECTORY for directories. Files get ARCHIVE (what NTFS reports for nearly every file; HostFS
 *   has nowhere to store the bit, so clearing it does not stick).
 * - READONLY for a file whose owner write bit (S_IWUSR) is clear, as Samba maps it; setting it
 *   clears every write bit, clearing it sets the owner's. Directories never report it.
 * - HIDDEN for names starting with a dot (Samba's "hide dot files"); it follows the name, so it
 *   cannot be set or cleared.
 * - REPARSE_POINT for a symbolic link opened or listed as itself; SYSTEM for FIFOs, sockets and
 *   devices, which HostFS lists but will not open.
 * - Times: creation is the host birth time when the host has one, else the earlier of the change
 *   and modification times; change time is ctime. Milliseconds since 1970, fractions kept.
 * - Allocation: the host's 512-byte blocks.
 */
import type { Stats } from 'node:fs';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  FILE_ATTRIBUTE_SYSTEM,
  type FileDirectoryEntry,
} from '../../base/index.ts';
import type { FcbKind } from './structures.ts';

/** The owner write permission bit. */
export const S_IWUSR = 0o200;
/** Every write permission bit. */
export const S_IWALL = 0o222;

export function kindOf(stat: Stats): FcbKind {
  if (stat.isDirectory()) return 'directory';
  if (stat.isFile()) return 'file';
  if (stat.isSymbolicLink()) return 'link';
  return 'other';
}

export function isHiddenName(name: string): boolean {
  return name.length > 0 && name.charCodeAt(0) === 0x2e && name !== '.' && name !== '..';
}

export function attributesOf(stat: Stats, name: string): number {
  let attributes: number;
  switch (kindOf(stat)) {
    case 'directory':
      attributes = FILE_ATTRIBUTE_DIRECTORY;
      break;
    case 'file':
      attributes = FILE_ATTRIBUTE_ARCHIVE | ((stat.mode & S_IWUSR) === 0 ? FILE_ATTRIBUTE_READONLY : 0);
      break;
    case 'link':
      attributes = FILE_ATTRIBUTE_REPARSE_POINT;
      break;
    default:
      attributes = FILE_ATTRIBUTE_SYSTEM;
  }
  if (isHiddenName(name)) attributes |= FILE_ATTRIBUTE_HIDDEN;
  return attributes === 0 ? FILE_ATTRIBUTE_NORMAL : attributes;
}

export function isReadOnlyFile(stat: Stats): boolean {
  return stat.isFile() && (stat.mode & S_IWUSR) === 0;
}

export function creationTimeOf(stat: Stats): number {
  return stat.birthtimeMs > 0 ? stat.birthtimeMs : Math.min(stat.mtimeMs, stat.ctimeMs);
}

export function endOfFileOf(stat: Stats): number {
  return stat.isFile() ? stat.size : 0;
}

export function allocationSizeOf(stat: Stats): number {
  if (!stat.isFile()) return 0;
  return typeof stat.blocks === 'number' ? stat.blocks * 512 : Math.ceil(stat.size / 4096) * 4096;
}

/** A directory entry for `name` whose metadata is `stat`. */
export function directoryEntryOf(name: string, stat: Stats, attributes: number): FileDirectoryEntry {
  return {
    fileIndex: 0,
    creationTime: creationTimeOf(stat),
    lastAccessTime: stat.atimeMs,
    lastWriteTime: stat.mtimeMs,
    changeTime: stat.ctimeMs,
    endOfFile: endOfFileOf(stat),
    allocationSize: allocationSizeOf(stat),
    fileAttributes: attributes,
    fileName: name,
    shortName: '',
    fileId: stat.ino,
  };
}
