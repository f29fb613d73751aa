/**
 * File names as file systems see them: component validation, case folding and path splitting
 * (the FsRtl name helpers: FsRtlDissectName, FsRtlIsNameLegal, RtlUpcaseUnicodeString).
 *
 * Shared by every file system driver. Names are case-insensitive and case-preserving. A component is 1 to 255 UTF-16 code units, none
 * of them a control character (< 0x20) or one of `" * / : < > ? \ |`, and it is not `.` or `..`:
 * the Win32 layer folds those away, an NT caller that sends them gets STATUS_OBJECT_NAME_INVALID.
 * Case folding maps each code unit to its upper case (one unit to one unit, like NT's upcase
 * table), so the folded key has the length of the name.
 */
import {
  MAXIMUM_VOLUME_LABEL_LENGTH,
  type NTSTATUS,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_SUCCESS,
} from '../../base/index.ts';

export const MAX_COMPONENT_LENGTH = 255;

const BACKSLASH = 0x5c;

/** 1 for the printable ASCII characters a name may not contain. */
const INVALID_ASCII = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) INVALID_ASCII[c] = 1;
for (const c of '"*/:<>?\\|') INVALID_ASCII[c.charCodeAt(0)] = 1;

/** True for a name a file or directory may have. */
export function isValidComponent(name: string): boolean {
  const length = name.length;
  if (length === 0 || length > MAX_COMPONENT_LENGTH) return false;
  if (name.charCodeAt(0) === 0x2e && (length === 1 || (length === 2 && name.charCodeAt(1) === 0x2e)))
    return false;
  for (let i = 0; i < length; i++) {
    const c = name.charCodeAt(i);
    if (c < 128 && INVALID_ASCII[c] === 1) return false;
  }
  return true;
}

/** The case-folded key of a name: its upper case, one code unit for one code unit. */
export function upcaseName(name: string): string {
  const upper = name.toUpperCase();
  if (upper.length === name.length) return upper;
  // Some characters expand in full Unicode upper-casing (ß → SS); NT's upcase table never does.
  let folded = '';
  for (let i = 0; i < name.length; i++) {
    const unit = name[i]!;
    const up = unit.toUpperCase();
    folded += up.length === 1 ? up : unit;
  }
  return folded;
}

export interface ParsedPath {
  status: NTSTATUS;
  /** The components, in order; empty for the starting directory itself. */
  components: string[];
  /** The name ended with a backslash: it may only name a directory. */
  trailingBackslash: boolean;
}

/**
 * Splits a name the I/O manager handed to the file system. Absolute names start with a backslash
 * (`\` alone is the root); relative names (with a related file object) must not. An empty
 * component anywhere (`\a\\b`, `\\a`) or an invalid one is STATUS_OBJECT_NAME_INVALID. One
 * trailing backslash is allowed and reported.
 */
export function parsePath(
  fileName: string,
  relative: boolean,
  isLegal: (component: string) => boolean = isValidComponent,
): ParsedPath {
  const invalid: ParsedPath = {
    status: STATUS_OBJECT_NAME_INVALID,
    components: [],
    trailingBackslash: false,
  };
  let start = 0;
  let end = fileName.length;
  if (relative) {
    if (end > 0 && fileName.charCodeAt(0) === BACKSLASH) return invalid;
  } else {
    if (end === 0 || fileName.charCodeAt(0) !== BACKSLASH) return invalid;
    start = 1;
  }
  let trailingBackslash = false;
  if (end > start && fileName.charCodeAt(end - 1) === BACKSLASH) {
    trailingBackslash = true;
    end--;
    if (end === start) return invalid; // "\\": an empty component after the root
  }
  const components: string[] = [];
  if (end > start) {
    let from = start;
    for (;;) {
      let to = fileName.indexOf('\\', from);
      if (to < 0 || to > end) to = end;
      const component = fileName.slice(from, to);
      if (!isLegal(component)) return invalid;
      components.push(component);
      if (to >= end) break;
      from = to + 1;
    }
  }
  return { status: STATUS_SUCCESS, components, trailingBackslash };
}

/** The last component of a path given in a rename record (`\dir\new`, `dir\new` or `new`). */
export function lastComponent(path: string): string {
  const slash = path.lastIndexOf('\\');
  return slash < 0 ? path : path.slice(slash + 1);
}

/** A volume label: at most 32 code units, no control characters. */
export function isValidVolumeLabel(label: string): boolean {
  if (label.length > MAXIMUM_VOLUME_LABEL_LENGTH) return false;
  for (let i = 0; i < label.length; i++) if (label.charCodeAt(i) < 0x20) return false;
  return true;
}
