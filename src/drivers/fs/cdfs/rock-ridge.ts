/**
 * The System Use Sharing Protocol (SUSP, IEEE P1281) and the Rock Ridge Interchange Protocol
 * (RRIP, IEEE P1282) entries of a directory record: what Linux's isofs reads and Windows CDFS
 * ignores.
 *
 * One RockRidgeRecord accumulates everything found in a record's System Use area and in the
 * continuation areas (CE) it chains to; the caller reads each CE area and feeds it to the same
 * record. Entries: SP (marks SUSP on the root's "." record, gives the skip count), CE, ER, ST, PX
 * (mode, links, uid, gid, serial), PN, NM (the POSIX name, CONTINUE flag joins pieces), SL (a
 * symbolic link as components, CONTINUE flags join them), TF (creation, modify, access and
 * attribute-change times, short or long form), CL / PL / RE (relocated deep directories).
 *
 * Invariants: parsing never reads outside [start, end); an entry whose length is below 4 or runs
 * past the area ends the walk (the rest of the area is ignored, as Linux does), so a damaged area
 * costs only the Rock Ridge data it held. Names and link targets are byte strings on the disc and
 * are decoded as UTF-8 (invalid sequences become U+FFFD), which is what Linux shows with utf8.
 */
import { decodeRecordingTime, decodeVolumeTime } from './time.ts';

export interface SuspContinuation {
  /** Logical block of the continuation area. */
  readonly lba: number;
  /** Byte offset of the area within that block. */
  readonly offset: number;
  readonly length: number;
}

const NM_CONTINUE = 0x01;
const NM_CURRENT = 0x02;
const NM_PARENT = 0x04;
const SL_CONTINUE = 0x01;
const SL_COMPONENT_CONTINUE = 0x01;
const SL_COMPONENT_CURRENT = 0x02;
const SL_COMPONENT_PARENT = 0x04;
const SL_COMPONENT_ROOT = 0x08;
const TF_LONG_FORM = 0x80;

const SLASH = 0x2f;
const DOT = 0x2e;

/** The extension identifiers (ER) that mean Rock Ridge. */
export const RRIP_IDENTIFIERS: readonly string[] = ['RRIP_1991A', 'IEEE_P1282', 'IEEE_1282'];

const utf8 = new TextDecoder('utf-8');

export class RockRidgeRecord {
  /** SP was found: the number of bytes to skip at the start of every System Use area. */
  sharingSkip: number | null = null;
  /** Identifiers of ER entries. */
  readonly extensions: string[] = [];
  /** The CE entry of the area parsed last, for the caller to read next. */
  continuation: SuspContinuation | null = null;
  /** Any RRIP entry was seen (PX, NM, SL, TF, CL, PL, RE, PN). */
  hasRockRidge = false;

  mode: number | null = null;
  links: number | null = null;
  uid: number | null = null;
  gid: number | null = null;
  serial: number | null = null;
  deviceHigh: number | null = null;
  deviceLow: number | null = null;

  creationTime: number | null = null;
  modifyTime: number | null = null;
  accessTime: number | null = null;
  attributesTime: number | null = null;

  childLink: number | null = null;
  parentLink: number | null = null;
  relocated = false;

  private nameBytes: number[] | null = null;
  private nameOpen = true;
  private linkBytes: number[] | null = null;
  private linkOpen = true;
  /** The last link component ended without CONTINUE: the next one starts after a separator. */
  private linkNeedsSeparator = false;

  /** The NM name, or null when the record has none (or only "." / ".." markers). */
  get name(): string | null {
    return this.nameBytes === null || this.nameBytes.length === 0
      ? null
      : utf8.decode(Uint8Array.from(this.nameBytes));
  }

  /** The SL target (`../lib/x`, `/etc/y`), or null for a record that is not a symbolic link. */
  get symlinkTarget(): string | null {
    return this.linkBytes === null ? null : utf8.decode(Uint8Array.from(this.linkBytes));
  }

  /** Parses the SUSP entries of bytes[start, end); afterwards `continuation` tells what to read next. */
  parse(bytes: Uint8Array, start: number, end: number): void {
    this.continuation = null;
    let at = start;
    const limit = Math.min(end, bytes.length);
    while (at + 4 <= limit) {
      const s1 = bytes[at]!;
      const s2 = bytes[at + 1]!;
      const length = bytes[at + 2]!;
      if (length < 4 || at + length > limit) return;
      const signature = String.fromCharCode(s1, s2);
      if (signature === 'ST') return;
      this.entry(signature, bytes, at, length);
      at += length;
    }
  }

  private entry(signature: string, bytes: Uint8Array, at: number, length: number): void {
    switch (signature) {
      case 'SP':
        if (length >= 7 && bytes[at + 4] === 0xbe && bytes[at + 5] === 0xef)
          this.sharingSkip = bytes[at + 6]!;
        return;
      case 'CE':
        if (length >= 28)
          this.continuation = {
            lba: readUint32(bytes, at + 4),
            offset: readUint32(bytes, at + 12),
            length: readUint32(bytes, at + 20),
          };
        return;
      case 'ER': {
        if (length < 8) return;
        const idLength = bytes[at + 4]!;
        if (8 + idLength > length) return;
        let id = '';
        for (let i = 0; i < idLength; i++) id += String.fromCharCode(bytes[at + 8 + i]!);
        this.extensions.push(id);
        return;
      }
      case 'PX':
        if (length < 36) return;
        this.hasRockRidge = true;
        this.mode = readUint32(bytes, at + 4);
        this.links = readUint32(bytes, at + 12);
        this.uid = readUint32(bytes, at + 20);
        this.gid = readUint32(bytes, at + 28);
        if (length >= 44) this.serial = readUint32(bytes, at + 36);
        return;
      case 'PN':
        if (length < 20) return;
        this.hasRockRidge = true;
        this.deviceHigh = readUint32(bytes, at + 4);
        this.deviceLow = readUint32(bytes, at + 12);
        return;
      case 'NM':
        if (length >= 5) this.nameEntry(bytes, at, length);
        return;
      case 'SL':
        if (length >= 5) this.linkEntry(bytes, at, length);
        return;
      case 'TF':
        if (length >= 5) this.timeEntry(bytes, at, length);
        return;
      case 'CL':
        if (length < 12) return;
        this.hasRockRidge = true;
        this.childLink = readUint32(bytes, at + 4);
        return;
      case 'PL':
        if (length < 12) return;
        this.hasRockRidge = true;
        this.parentLink = readUint32(bytes, at + 4);
        return;
      case 'RE':
        this.hasRockRidge = true;
        this.relocated = true;
        return;
      default:
        return;
    }
  }

  private nameEntry(bytes: Uint8Array, at: number, length: number): void {
    this.hasRockRidge = true;
    const flags = bytes[at + 4]!;
    if ((flags & (NM_CURRENT | NM_PARENT)) !== 0 || !this.nameOpen) return;
    if (this.nameBytes === null) this.nameBytes = [];
    for (let i = at + 5; i < at + length; i++) this.nameBytes.push(bytes[i]!);
    this.nameOpen = (flags & NM_CONTINUE) !== 0;
  }

  private linkEntry(bytes: Uint8Array, at: number, length: number): void {
    this.hasRockRidge = true;
    if (!this.linkOpen) return;
    const target = this.linkBytes ?? [];
    this.linkBytes = target;
    let p = at + 5;
    const end = at + length;
    while (p + 2 <= end) {
      const flags = bytes[p]!;
      const count = bytes[p + 1]!;
      if (p + 2 + count > end) break;
      if (this.linkNeedsSeparator) target.push(SLASH);
      this.linkNeedsSeparator = true;
      if ((flags & SL_COMPONENT_ROOT) !== 0) {
        target.push(SLASH);
        this.linkNeedsSeparator = false;
      } else if ((flags & SL_COMPONENT_CURRENT) !== 0) {
        target.push(DOT);
      } else if ((flags & SL_COMPONENT_PARENT) !== 0) {
        target.push(DOT, DOT);
      } else {
        for (let i = 0; i < count; i++) target.push(bytes[p + 2 + i]!);
        // A continued component goes on in the next one, with no separator in between.
        if ((flags & SL_COMPONENT_CONTINUE) !== 0) this.linkNeedsSeparator = false;
      }
      p += 2 + count;
    }
    this.linkOpen = (bytes[at + 4]! & SL_CONTINUE) !== 0;
  }

  private timeEntry(bytes: Uint8Array, at: number, length: number): void {
    this.hasRockRidge = true;
    const flags = bytes[at + 4]!;
    const size = (flags & TF_LONG_FORM) !== 0 ? 17 : 7;
    let p = at + 5;
    const end = at + length;
    const take = (bit: number): number | null => {
      if ((flags & bit) === 0 || p + size > end) return null;
      const time = size === 17 ? decodeVolumeTime(bytes, p) : decodeRecordingTime(bytes, p);
      p += size;
      return time;
    };
    this.creationTime = take(0x01) ?? this.creationTime;
    this.modifyTime = take(0x02) ?? this.modifyTime;
    this.accessTime = take(0x04) ?? this.accessTime;
    this.attributesTime = take(0x08) ?? this.attributesTime;
  }
}

/** The little-endian half of a both-endian 32-bit field. */
function readUint32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** True when ER identifiers (or the bare presence of RRIP entries) say the volume uses Rock Ridge. */
export function announcesRockRidge(record: RockRidgeRecord): boolean {
  return record.extensions.some((id) => RRIP_IDENTIFIERS.includes(id)) || record.hasRockRidge;
}
