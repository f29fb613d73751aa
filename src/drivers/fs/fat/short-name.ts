/**
 * 8.3 short names: reading them, deciding whether a name needs a long entry, and generating the
 * short alias of a long name (FastFat's FatSelectNames, FatEvaluateNameCase, FatSpaceInName,
 * FsRtlIsFatDbcsLegal; RtlGenerate8dot3Name as ReactOS implements it).
 *
 * Rules:
 * - A short name is the name upcased to the OEM code page, base 1..8 bytes and extension 0..3,
 *   one period at most, no space, no control character, none of `"*+,/:;<=>?[\]|`. 0xE5 as a
 *   first byte is stored as 0x05.
 * - A name that is a valid short name needs no long entry when its base and its extension are
 *   each all upper or all lower case ASCII: NT then records lower case in the NT byte (0x08 base,
 *   0x10 extension), so `readme.txt` and `README.txt` get one entry each. Any other character
 *   above 0x7F, or mixed case, needs a long entry.
 * - Otherwise the alias is generated: up to six legal characters of the base (spaces and periods
 *   dropped, illegal ones as `_`, lower case ASCII upcased, characters the code page lacks
 *   skipped), `~N` for N = 1..4, then from the fifth try two characters, four hex digits of a
 *   checksum of the long name, and `~N` again; the extension is the first three legal characters
 *   after the last period. Names of two characters or fewer get the checksum at once. The base
 *   shrinks when N needs more digits, so the alias is always 8.3.
 */
import type { CodePage } from './code-page.ts';
import { DIRENT_DELETED, DIRENT_REALLY_E5, NT_LOWER_BASE, NT_LOWER_EXTENSION } from './on-disk.ts';

/** 1 for the ASCII characters a short name may not contain (besides the period, handled apart). */
const SHORT_ILLEGAL = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) SHORT_ILLEGAL[c] = 1;
for (const c of '"*+,/:;<=>?[\\]|') SHORT_ILLEGAL[c.charCodeAt(0)] = 1;

const SPACE = 0x20;
const PERIOD = 0x2e;

export interface ShortName {
  /** The 11 bytes as stored in the entry (space padded, 0xE5 stored as 0x05). */
  raw: Uint8Array;
  /** The name as Windows shows it: `BASE.EXT`, upper case as stored. */
  display: string;
}

/** Splits 11 stored bytes into base and extension (trailing spaces cut, 0x05 read as 0xE5). */
export function decodeShortName(raw: Uint8Array, codePage: CodePage): { base: string; extension: string } {
  let baseEnd = 8;
  while (baseEnd > 0 && raw[baseEnd - 1] === SPACE) baseEnd--;
  let extensionEnd = 11;
  while (extensionEnd > 8 && raw[extensionEnd - 1] === SPACE) extensionEnd--;
  let base = '';
  if (baseEnd > 0)
    base =
      codePage.toChar(raw[0] === DIRENT_REALLY_E5 ? DIRENT_DELETED : raw[0]!) +
      codePage.decode(raw, 1, baseEnd);
  return { base, extension: codePage.decode(raw, 8, extensionEnd) };
}

export function joinShortName(base: string, extension: string): string {
  return extension.length > 0 ? `${base}.${extension}` : base;
}

/** The display name of a stored short name, with NT's lower-case flags applied. */
export function shortNameWithCase(raw: Uint8Array, ntByte: number, codePage: CodePage): string {
  let { base, extension } = decodeShortName(raw, codePage);
  if ((ntByte & NT_LOWER_BASE) !== 0) base = base.toLowerCase();
  if ((ntByte & NT_LOWER_EXTENSION) !== 0) extension = extension.toLowerCase();
  return joinShortName(base, extension);
}

/** The upper-case display form of stored short-name bytes (the alias FileBothDirectoryInformation shows). */
export function shortDisplayName(raw: Uint8Array, codePage: CodePage): string {
  const { base, extension } = decodeShortName(raw, codePage);
  return joinShortName(base, extension);
}

/** Packs OEM bytes `BASE.EXT` into 11 stored bytes, or null when they are not a legal 8.3 name. */
export function packShortName(oem: Uint8Array): Uint8Array | null {
  const length = oem.length;
  if (length === 0 || length > 12 || oem[0] === PERIOD || oem[length - 1] === PERIOD) return null;
  let dot = -1;
  for (let i = 0; i < length; i++) {
    const byte = oem[i]!;
    if (byte === PERIOD) {
      if (dot >= 0) return null;
      dot = i;
    } else if (byte === SPACE || (byte < 128 && SHORT_ILLEGAL[byte] === 1)) {
      return null;
    }
  }
  const baseLength = dot < 0 ? length : dot;
  const extensionLength = dot < 0 ? 0 : length - dot - 1;
  if (baseLength > 8 || extensionLength > 3) return null;
  const raw = new Uint8Array(11).fill(SPACE);
  raw.set(oem.subarray(0, baseLength), 0);
  if (dot >= 0) raw.set(oem.subarray(dot + 1), 8);
  if (raw[0] === DIRENT_DELETED) raw[0] = DIRENT_REALLY_E5;
  return raw;
}

/** Upper case, one code unit for one (NT's upcase table never expands `ß`). */
function upcaseUnit(code: number): number {
  const upper = String.fromCharCode(code).toUpperCase();
  return upper.length === 1 ? upper.charCodeAt(0) : code;
}

/** The OEM bytes of a name upcased, or null when a character has no byte in the code page. */
function upcaseToOem(name: string, codePage: CodePage): Uint8Array | null {
  const bytes = new Uint8Array(name.length);
  for (let i = 0; i < name.length; i++) {
    const byte = codePage.toByte(upcaseUnit(name.charCodeAt(i)));
    if (byte < 0) return null;
    bytes[i] = byte;
  }
  return bytes;
}

export interface NameChoice {
  short: ShortName;
  /** The NT byte's lower-case flags for a name stored without a long entry. */
  ntByte: number;
  /** The name needs long-name slots. */
  needsLongName: boolean;
}

/** FatEvaluateNameCase: the case flags of a valid 8.3 name, or null when it needs a long entry. */
function evaluateCase(name: string): number | null {
  let uppers = 0;
  let lowers = 0;
  let flags = 0;
  let sawPeriod = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) uppers++;
    else if (c >= 0x61 && c <= 0x7a) lowers++;
    else if (c >= 0x80) return null;
    if (c === PERIOD) {
      if (uppers > 0 && lowers > 0) return null;
      if (lowers > 0) flags |= NT_LOWER_BASE;
      sawPeriod = true;
      uppers = lowers = 0;
    }
  }
  if (uppers > 0 && lowers > 0) return null;
  if (lowers > 0) flags |= sawPeriod ? NT_LOWER_EXTENSION : NT_LOWER_BASE;
  return flags;
}

/**
 * Chooses the short name of a new entry named `name` (already checked as a valid long name).
 * `taken(display)` says whether an upper-case 8.3 name is already used in the directory.
 * Null when no alias is free (a million tries, as RtlGenerate8dot3Name gives up).
 */
export function chooseShortName(
  name: string,
  codePage: CodePage,
  taken: (display: string) => boolean,
): NameChoice | null {
  const oem = name.includes(' ') ? null : upcaseToOem(name, codePage);
  const raw = oem === null ? null : packShortName(oem);
  if (raw !== null) {
    const flags = evaluateCase(name);
    const display = shortDisplayName(raw, codePage);
    if (flags !== null) return { short: { raw, display }, ntByte: flags, needsLongName: false };
    // Mixed case: the upcased name itself is the alias (FatSelectNames keeps a legal OEM name),
    // unless damaged media already uses it for something else.
    if (!taken(display)) return { short: { raw, display }, ntByte: 0, needsLongName: true };
  }
  const generator = new ShortNameGenerator(name, codePage);
  for (let attempt = 0; attempt < 1_000_000; attempt++) {
    const candidate = generator.next();
    if (candidate === null) return null;
    if (!taken(candidate.display)) return { short: candidate, ntByte: 0, needsLongName: true };
  }
  return null;
}

/** RtlpGetCheckSum (16-bit) over the UTF-16 code units of a name. */
export function shortNameHash(name: string): number {
  const length = name.length;
  if (length === 0) return 0;
  if (length === 1) return name.charCodeAt(0);
  let hash = ((name.charCodeAt(0) << 8) + name.charCodeAt(1)) & 0xffff;
  if (length === 2) return hash;
  let saved = hash;
  let index = 2;
  do {
    hash = ((hash << 7) + name.charCodeAt(index)) & 0xffff;
    hash = ((saved >>> 1) + (hash << 8)) & 0xffff;
    if (index + 1 < length) hash = (hash + name.charCodeAt(index + 1)) & 0xffff;
    saved = hash;
    index += 2;
  } while (index < length);
  return hash;
}

function hexDigits(hash: number): string {
  let text = '';
  for (let i = 0; i < 4; i++) {
    const nibble = hash & 0xf;
    text += nibble > 9 ? String.fromCharCode(0x41 + nibble - 10) : String.fromCharCode(0x30 + nibble);
    hash >>>= 4;
  }
  return text;
}

/** Successive aliases for one long name (RtlGenerate8dot3Name with its context). */
export class ShortNameGenerator {
  private base: string;
  private readonly extension: string;
  private index = 0;
  private checksumInserted = false;

  constructor(
    private readonly name: string,
    private readonly codePage: CodePage,
  ) {
    let dot = name.length;
    for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === PERIOD) dot = i;
    let base = '';
    for (let i = 0; i < dot && base.length < 6; i++) {
      const c = this.legal(name.charCodeAt(i));
      if (c !== null) base += c;
    }
    let extension = '';
    for (let i = dot + 1; i < name.length && extension.length < 3; i++) {
      const c = this.legal(name.charCodeAt(i));
      if (c !== null) extension += c;
    }
    if (base.length <= 2) {
      base += hexDigits(shortNameHash(name));
      this.checksumInserted = true;
    }
    this.base = base;
    this.extension = extension;
  }

  /** A character as it goes into an alias, or null when it is dropped. */
  private legal(code: number): string | null {
    if (code <= SPACE || code === PERIOD) return null;
    if (code < 127) {
      if (SHORT_ILLEGAL[code] === 1) return '_';
      return String.fromCharCode(code >= 0x61 && code <= 0x7a ? code - 32 : code);
    }
    const upper = upcaseUnit(code);
    return this.codePage.toByte(upper) >= 0 ? String.fromCharCode(upper) : null;
  }

  next(): ShortName | null {
    this.index++;
    if (this.index > 4 && !this.checksumInserted) {
      this.base = this.base.slice(0, 2) + hexDigits(shortNameHash(this.name));
      this.checksumInserted = true;
      this.index = 1;
    }
    if (this.index > 999_999) return null;
    const tail = `~${this.index}`;
    const display = joinShortName(this.base.slice(0, 8 - tail.length) + tail, this.extension);
    const oem = this.codePage.encode(display);
    const raw = oem === null ? null : packShortName(oem);
    if (raw === null) return null;
    return { raw, display };
  }
}
