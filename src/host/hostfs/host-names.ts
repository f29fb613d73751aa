/**
 * Which names HostFS accepts: the rules a component must pass before it is looked up on the host,
 * and the rules for share names.
 *
 * A component is first a legal NT file name (FsRtl rules: 1 to 255 UTF-16 units, none of
 * `" * / : < > ? \ |` or a control character, not `.` or `..`). HostFS then refuses what would be
 * ambiguous or dangerous once the name becomes host bytes:
 * - a name ending with a dot or a space (Win32 strips those, so such a name could never be
 *   addressed the same way twice);
 * - a DOS device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9 with or without an extension, CONIN$,
 *   CONOUT$), which Windows programs cannot open as files;
 * - an unpaired surrogate, which UTF-8 cannot carry (Node would write U+FFFD, so two different
 *   names would meet on one host file);
 * - more than 255 bytes of UTF-8, the host's NAME_MAX.
 * Host entries whose names fail these rules are not listed and cannot be reached.
 */
import { isValidComponent } from '../../io/index.ts';

/** NAME_MAX of Linux, macOS and the BSDs, in bytes. */
export const HOST_NAME_MAX_BYTES = 255;
/** Windows caps share names at 80 characters (NetShareAdd). */
export const MAX_SHARE_NAME_LENGTH = 80;

const DEVICE_NAMES = new Set(['CON', 'PRN', 'AUX', 'NUL', 'CONIN$', 'CONOUT$']);
const NUMBERED_DEVICES = new Set(['COM', 'LPT']);
/** The digits Windows accepts after COM and LPT, superscripts included. */
const DEVICE_DIGITS = '0123456789\u00b9\u00b2\u00b3';

/** True for CON, nul.txt, Com1 .log and the like. */
export function isDosDeviceName(name: string): boolean {
  const dot = name.indexOf('.');
  const base = (dot < 0 ? name : name.slice(0, dot)).trimEnd().toUpperCase();
  if (DEVICE_NAMES.has(base)) return true;
  return base.length === 4 && NUMBERED_DEVICES.has(base.slice(0, 3)) && DEVICE_DIGITS.includes(base[3]!);
}

/** True when every surrogate in `name` belongs to a pair. */
export function isWellFormedUtf16(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return false;
    const next = name.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}

/** The number of bytes `name` takes in UTF-8 (well-formed input). */
export function utf8Length(name: string): number {
  let bytes = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** True for a file or directory name HostFS will look up, create or list. */
export function isValidHostFsComponent(name: string): boolean {
  if (!isValidComponent(name)) return false;
  const last = name.charCodeAt(name.length - 1);
  if (last === 0x2e || last === 0x20) return false;
  if (!isWellFormedUtf16(name)) return false;
  if (utf8Length(name) > HOST_NAME_MAX_BYTES) return false;
  return !isDosDeviceName(name);
}

/** Characters a Windows share name may not contain (NetShareAdd), besides control characters. */
const INVALID_SHARE_CHARACTERS = '"/\\[]:|<>+=;,?*';

/** True for a share name: 1 to 80 characters, none of the reserved ones, not `.` or `..`. */
export function isValidShareName(name: string): boolean {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_SHARE_NAME_LENGTH) return false;
  if (name === '.' || name === '..') return false;
  const last = name.charCodeAt(name.length - 1);
  if (last === 0x2e || last === 0x20) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || INVALID_SHARE_CHARACTERS.includes(name[i]!)) return false;
  }
  return isWellFormedUtf16(name);
}
