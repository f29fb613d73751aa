/**
 * Joliet: the supplementary volume descriptor whose escape sequences announce UCS-2 names
 * (`%/@` level 1, `%/C` level 2, `%/E` level 3), and the big-endian UTF-16 identifiers of its
 * directory tree. CDFS's CdFindActiveVolDescriptor and CdConvertBigToLittleEndian counterparts.
 *
 * Invariants: only a type-2 descriptor whose escape-sequence field starts with one of the three
 * sequences is Joliet (CDFS compares the first three bytes only); an identifier with an odd byte
 * count is corrupt (CDFS raises STATUS_DISK_CORRUPT_ERROR); UTF-16 surrogate pairs pass through, so
 * names written as UTF-16 by newer tools keep characters outside the BMP.
 */

/** Offset of the escape sequences field in a volume descriptor. */
export const ESCAPE_SEQUENCES_OFFSET = 88;

export const JOLIET_ESCAPES: readonly string[] = ['%/@', '%/C', '%/E'];

/** The Joliet level (1 to 3) announced by a supplementary descriptor's escape sequences, or 0. */
export function jolietLevel(descriptor: Uint8Array): number {
  const at = ESCAPE_SEQUENCES_OFFSET;
  if (descriptor[at] !== 0x25 || descriptor[at + 1] !== 0x2f) return 0;
  const third = descriptor[at + 2];
  if (third === 0x40) return 1;
  if (third === 0x43) return 2;
  if (third === 0x45) return 3;
  return 0;
}

/** Decodes big-endian UCS-2/UTF-16 bytes; null for an odd byte count. */
export function decodeUcs2Be(bytes: Uint8Array, offset: number, length: number): string | null {
  if ((length & 1) !== 0) return null;
  let text = '';
  for (let i = 0; i < length; i += 2)
    text += String.fromCharCode((bytes[offset + i]! << 8) | bytes[offset + i + 1]!);
  return text;
}

/** A Joliet volume label (the 32-byte volume identifier as 16 UCS-2 characters), trailing spaces and NULs stripped. */
export function jolietLabel(descriptor: Uint8Array, offset: number): string {
  const text = decodeUcs2Be(descriptor, offset, 32) ?? '';
  return text.replace(/[\0 ]+$/u, '');
}
