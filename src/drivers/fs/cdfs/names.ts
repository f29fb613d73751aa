/**
 * ISO 9660 file identifiers as CDFS presents them (CdUpdateDirentName, CdConvertNameToCdName,
 * CdIsLegalName), for names of every interchange level: level 1 `HELLO.TXT;1`, level 2 and 3
 * names up to 207 bytes, with or without the `;version` suffix some writers omit.
 *
 * - The identifier splits at its first `;`: what follows is the version string (`1`); a `;` with
 *   nothing after it gives no version. Directory identifiers normally have neither.
 * - A name ending in `.` before the version loses that dot (`EMPTY.;1` shows as `EMPTY`), which is
 *   how files without an extension come out of ISO writers.
 * - What is left must not be empty, and must not contain characters CDFS calls illegal (control
 *   characters, `*`, `/`, `:`, `?`, `\`); either makes the directory STATUS_FILE_CORRUPT_ERROR.
 * - Primary-descriptor names are bytes; Strata reads them as ISO 8859-1 (CDFS uses the OEM code
 *   page, identical for the d-characters the standard allows). Joliet names are decoded in
 *   joliet.ts and go through the same split.
 * - Lookups and matching use the upcased name (case-insensitive, as CDFS opens by default).
 */

export interface CdName {
  /** The name without version and without a trailing dot. */
  readonly name: string;
  /** The version string after `;`, or '' when there is none. */
  readonly version: string;
}

/** Decodes identifier bytes as ISO 8859-1 (one character per byte). */
export function decodeIsoBytes(bytes: Uint8Array, offset: number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(bytes[offset + i]!);
  return text;
}

/** CdConvertNameToCdName: splits `NAME.EXT;1` into name and version. */
export function splitVersion(identifier: string): CdName {
  const separator = identifier.indexOf(';');
  if (separator < 0) return { name: identifier, version: '' };
  return { name: identifier.slice(0, separator), version: identifier.slice(separator + 1) };
}

/** True for characters CDFS refuses in a name on the disc (FsRtlIsAnsiCharacterLegalHpfs minus `"<>|`). */
function isIllegalCharacter(c: number): boolean {
  return c < 0x20 || c === 0x2a || c === 0x2f || c === 0x3a || c === 0x3f || c === 0x5c;
}

/** CdIsLegalName. */
export function isLegalCdName(name: string): boolean {
  for (let i = 0; i < name.length; i++) if (isIllegalCharacter(name.charCodeAt(i))) return false;
  return true;
}

/**
 * The name CDFS shows for an identifier (already decoded to text), or null when the disc is
 * corrupt: an empty name, or one with illegal characters.
 */
export function cdNameOf(identifier: string): CdName | null {
  let { name, version } = splitVersion(identifier);
  if (name.length === 0) return null;
  if (name.charCodeAt(name.length - 1) === 0x2e) name = name.slice(0, -1);
  if (name.length === 0 || !isLegalCdName(name)) return null;
  return { name, version };
}

/** The name with its version, as enumerations return it when asked for versions (`NAME.EXT;1`). */
export function nameWithVersion(name: CdName): string {
  return name.version === '' ? name.name : `${name.name};${name.version}`;
}
