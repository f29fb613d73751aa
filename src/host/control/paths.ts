/**
 * Strata paths as people type them: `M:\dir\file`, `M:/dir/file`, `m:`, or an NT object name
 * (`\??\M:\dir`, `\Device\RamDisk0\dir`). Shared by the command line (to tell a Strata path from a
 * host path) and the daemon (to build the object name NtCreateFile receives).
 *
 * Like the Win32 layer (RtlDosPathNameToNtPathName), drive-letter paths are normalized before they
 * reach the kernel: `/` becomes `\`, repeated separators collapse, `.` components go and `..`
 * removes the component before it (never climbing above the root). A trailing separator is noted
 * (`trailingSeparator`): the path then names a directory. NT object names pass through untouched,
 * so the kernel sees exactly what was typed.
 */

export interface StrataPath {
  /** `M:` for drive-letter paths, null for NT object names. */
  letter: string | null;
  /** The object name for NtCreateFile: `\??\M:\dir\file`, `\??\M:\` for a root. */
  ntPath: string;
  /** How to show it: `M:\dir\file`. */
  display: string;
  /** The path inside the volume, `\` for the root (for drive-letter paths). */
  inVolume: string;
  /** Written with a trailing separator (`M:\dir\`): it must name a directory. */
  trailingSeparator?: boolean;
}

const DRIVE = /^([A-Za-z]):(?:$|[\\/])/;

/** True when `text` names something in Strata rather than on the host. */
export function isStrataPath(text: string): boolean {
  return DRIVE.test(text) || text.startsWith('\\');
}

/** Parses a Strata path; null when it is not one. */
export function parseStrataPath(text: string): StrataPath | null {
  const drive = DRIVE.exec(text);
  if (drive !== null) {
    const letter = `${drive[1]!.toUpperCase()}:`;
    const parts: string[] = [];
    for (const part of text.slice(2).split(/[\\/]+/)) {
      if (part === '' || part === '.') continue;
      if (part === '..') parts.pop();
      else parts.push(part);
    }
    const inVolume = `\\${parts.join('\\')}`;
    const path: StrataPath = {
      letter,
      ntPath: `\\??\\${letter}${inVolume}`,
      display: `${letter}${inVolume}`,
      inVolume,
    };
    if (parts.length > 0 && /[\\/]$/.test(text)) path.trailingSeparator = true;
    return path;
  }
  if (text.startsWith('\\') && text.length > 1) {
    return { letter: null, ntPath: text, display: text, inVolume: text };
  }
  return null;
}

/** Joins a child name to a Strata path. */
export function joinStrataPath(parent: StrataPath, name: string): StrataPath {
  const sep = parent.ntPath.endsWith('\\') ? '' : '\\';
  const inVolume = parent.inVolume.endsWith('\\')
    ? `${parent.inVolume}${name}`
    : `${parent.inVolume}\\${name}`;
  return {
    letter: parent.letter,
    ntPath: `${parent.ntPath}${sep}${name}`,
    display: parent.letter === null ? `${parent.display}${sep}${name}` : `${parent.letter}${inVolume}`,
    inVolume,
  };
}

/** The last component of a path (`file` for `M:\dir\file`), '' for a root. */
export function baseName(path: StrataPath): string {
  const index = path.inVolume.lastIndexOf('\\');
  return path.inVolume.slice(index + 1);
}

/** The parent directory of a path; a root is its own parent. */
export function parentPath(path: StrataPath): StrataPath {
  const index = path.inVolume.lastIndexOf('\\');
  const inVolume = index <= 0 ? '\\' : path.inVolume.slice(0, index);
  if (path.letter === null) {
    const ntIndex = path.ntPath.lastIndexOf('\\');
    const ntPath = ntIndex <= 0 ? path.ntPath : path.ntPath.slice(0, ntIndex);
    return { letter: null, ntPath, display: ntPath, inVolume: ntPath };
  }
  return {
    letter: path.letter,
    ntPath: `\\??\\${path.letter}${inVolume}`,
    display: `${path.letter}${inVolume}`,
    inVolume,
  };
}

/**
 * A volume as people name it: `M:` (or `M:\`, `m:/`) or a device name (`\Device\RamDisk0`).
 * Returns the object name to open (`\??\M:`) and how to show it, or null.
 */
export function parseVolumeName(text: string): { ntName: string; display: string } | null {
  const drive = /^([A-Za-z]):[\\/]?$/.exec(text);
  if (drive !== null) {
    const letter = `${drive[1]!.toUpperCase()}:`;
    return { ntName: `\\??\\${letter}`, display: letter };
  }
  if (text.startsWith('\\') && text.length > 1 && !text.endsWith('\\'))
    return { ntName: text, display: text };
  return null;
}

/** The longest name a message echoes whole; longer ones keep their start and end. */
const MAX_ECHOED_NAME = 200;

/**
 * A name as a message shows it: whole up to MAX_ECHOED_NAME characters, else its start and end
 * around the count of what was left out, so a hostile 32,000-character path makes a readable
 * line (the reply's `path` field still carries it whole).
 */
export function shortened(name: string): string {
  if (name.length <= MAX_ECHOED_NAME) return name;
  return `${name.slice(0, 120)}…[${name.length - 180} more characters]…${name.slice(-60)}`;
}
