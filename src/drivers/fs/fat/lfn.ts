/**
 * VFAT long names (Microsoft's FAT specification, "FAT Long Directory Entries"; FastFat's lfn.h).
 *
 * A long name is stored in slots of 13 UTF-16 code units placed just before its short entry, the
 * last part first: the first slot on disk has ordinal N | 0x40, the one right before the short
 * entry ordinal 1. Every slot carries the checksum of the 11 short-name bytes. A name that does
 * not fill its last slot ends with 0x0000 and is padded with 0xFFFF.
 *
 * LongNameAssembler reads slots in on-disk order and yields a name only for a complete, ordered
 * set whose checksum matches the short entry that follows; anything else (orphans, gaps, wrong
 * checksums, names that could not have been written) is dropped, and the short name stands
 * alone, as Windows does.
 */
import { ATTR_LONG_NAME, put16, u16 } from './on-disk.ts';

export const LFN_CHARS_PER_SLOT = 13;
export const LFN_LAST_FLAG = 0x40;
export const LFN_MAX_LENGTH = 255;
/** Where the 13 code units of a slot live. */
const CHAR_OFFSETS = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30] as const;

/** The checksum of 11 short-name bytes that every long-name slot repeats. */
export function lfnChecksum(shortName: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >>> 1) + shortName[i]!) & 0xff;
  return sum;
}

export function lfnSlotsNeeded(name: string): number {
  return Math.ceil(name.length / LFN_CHARS_PER_SLOT);
}

/** Writes the slots of `name` at `offset`, first slot on disk first (N | 0x40 down to 1). */
export function writeLfnSlots(bytes: Uint8Array, offset: number, name: string, checksum: number): void {
  const count = lfnSlotsNeeded(name);
  for (let k = 0; k < count; k++) {
    const ordinal = count - k;
    const at = offset + k * 32;
    bytes.fill(0, at, at + 32);
    bytes[at] = ordinal | (k === 0 ? LFN_LAST_FLAG : 0);
    bytes[at + 11] = ATTR_LONG_NAME;
    bytes[at + 13] = checksum;
    const base = (ordinal - 1) * LFN_CHARS_PER_SLOT;
    for (let i = 0; i < LFN_CHARS_PER_SLOT; i++) {
      const index = base + i;
      const unit = index < name.length ? name.charCodeAt(index) : index === name.length ? 0 : 0xffff;
      put16(bytes, at + CHAR_OFFSETS[i]!, unit);
    }
  }
}

/** The 13 code units of a slot, with 0x0000 and the 0xFFFF padding cut off. */
function slotChars(bytes: Uint8Array, at: number): { text: string; terminated: boolean } {
  let text = '';
  for (let i = 0; i < LFN_CHARS_PER_SLOT; i++) {
    const unit = u16(bytes, at + CHAR_OFFSETS[i]!);
    if (unit === 0) return { text, terminated: true };
    text += String.fromCharCode(unit);
  }
  return { text, terminated: false };
}

/**
 * Collects long-name slots in on-disk order. Feed every slot with `slot`; at the short entry call
 * `finish`, which returns the long name when the collected slots form one for that entry.
 */
export class LongNameAssembler {
  private parts: string[] = [];
  private expected = 0;
  private checksum = -1;
  /** Index of the first slot of the sequence being collected, or -1. */
  firstSlot = -1;
  private broken = false;

  reset(): void {
    this.parts = [];
    this.expected = 0;
    this.checksum = -1;
    this.firstSlot = -1;
    this.broken = false;
  }

  /** True while slots are collected and none has gone wrong. */
  get pending(): boolean {
    return this.firstSlot >= 0 && !this.broken;
  }

  slot(bytes: Uint8Array, at: number, slotIndex: number): void {
    const ordinalByte = bytes[at]!;
    const ordinal = ordinalByte & 0x3f;
    const checksum = bytes[at + 13]!;
    if ((ordinalByte & LFN_LAST_FLAG) !== 0) {
      // A new sequence starts; whatever was collected before is an orphan.
      this.reset();
      if (ordinal === 0 || ordinal > 20) {
        this.broken = true;
        this.firstSlot = slotIndex;
        return;
      }
      this.firstSlot = slotIndex;
      this.expected = ordinal;
      this.checksum = checksum;
      this.parts = new Array<string>(ordinal).fill('');
    } else if (this.firstSlot < 0 || this.broken || ordinal !== this.expected || checksum !== this.checksum) {
      this.reset();
      this.broken = true;
      this.firstSlot = slotIndex;
      return;
    }
    if (bytes[at + 12] !== 0 || u16(bytes, at + 26) !== 0) {
      this.broken = true;
      return;
    }
    const { text, terminated } = slotChars(bytes, at);
    const isLastPart = ordinal === this.parts.length;
    // Only the last part may be short; a short middle part means the name was not written this way.
    if ((terminated || text.length < LFN_CHARS_PER_SLOT) && !isLastPart) this.broken = true;
    if (text.length === 0 && isLastPart && ordinal > 1) this.broken = true;
    this.parts[ordinal - 1] = text;
    this.expected = ordinal - 1;
  }

  /** The long name for the short entry with these 11 bytes, or null; the assembler is reset. */
  finish(shortName: Uint8Array): string | null {
    const complete = this.firstSlot >= 0 && !this.broken && this.expected === 0;
    const matches = complete && this.checksum === lfnChecksum(shortName);
    const name = matches ? this.parts.join('') : null;
    this.reset();
    if (name === null || name.length === 0 || name.length > LFN_MAX_LENGTH) return null;
    return name;
  }
}
