/**
 * OEM code pages for FAT short names (the role of NLS's OEM tables behind RtlOemToUnicodeN and
 * RtlUpcaseUnicodeToOemN in NT).
 *
 * A short name is 11 OEM bytes. Bytes below 0x80 are ASCII; the upper half is the code page. The
 * tables below are the upper halves of IBM code pages 437 (US) and 850 (Western Europe), as the
 * Unicode Consortium's mapping files CP437.TXT and CP850.TXT give them (the same data as Python's
 * `cp437`/`cp850` codecs and glibc's charmaps). 850 is the default, as mtools uses on Debian.
 *
 * Invariants: every byte maps to exactly one UTF-16 code unit and back; a character with no byte
 * in the page is unmappable (-1), never approximated.
 */

/** Characters for bytes 0x80..0xFF, in byte order. */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒ' +
  'áíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

const CP850_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒ' +
  'áíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐' +
  '└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀' +
  'ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0';

export class CodePage {
  /** UTF-16 code unit → OEM byte, for the upper half only. */
  private readonly reverse = new Map<number, number>();

  constructor(
    readonly id: number,
    private readonly high: string,
  ) {
    for (let i = 0; i < 128; i++) this.reverse.set(high.charCodeAt(i), 0x80 + i);
  }

  /** The character an OEM byte stands for. */
  toChar(byte: number): string {
    return byte < 0x80 ? String.fromCharCode(byte) : this.high[byte - 0x80]!;
  }

  /** The OEM byte for a UTF-16 code unit, or -1 when this page has none. */
  toByte(code: number): number {
    if (code < 0x80) return code;
    return this.reverse.get(code) ?? -1;
  }

  /** Decodes OEM bytes to a string. */
  decode(bytes: Uint8Array, start = 0, end = bytes.length): string {
    let text = '';
    for (let i = start; i < end; i++) text += this.toChar(bytes[i]!);
    return text;
  }

  /** Encodes a string to OEM bytes, or null when some character has no byte. */
  encode(text: string): Uint8Array | null {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const byte = this.toByte(text.charCodeAt(i));
      if (byte < 0) return null;
      bytes[i] = byte;
    }
    return bytes;
  }
}

export const CP437 = new CodePage(437, CP437_HIGH);
export const CP850 = new CodePage(850, CP850_HIGH);
