/**
 * ISO 9660 on-disk structures (ECMA-119): volume descriptors from logical sector 16 and directory
 * records, plus the CDFS serial number. CDFS's cd.h (RAW_ISO_VD, RAW_DIRENT) and CdSerial32.
 *
 * Layout reminders: a logical sector is 2048 bytes; multi-byte numbers are stored both-endian and
 * read from their little-endian half; a directory record never crosses a 2048-byte sector and a
 * zero length byte means "nothing more in this sector". The path tables are not used.
 *
 * Invariants: parsers never read outside the buffer they are given; a record that does not fit its
 * sector, is shorter than its fixed part plus its name, or has an empty name is reported as null
 * so the caller can fail with STATUS_FILE_CORRUPT_ERROR instead of guessing.
 */
import { decodeVolumeTime } from './time.ts';

export const LOGICAL_SECTOR_SIZE = 2048;
export const FIRST_VOLUME_DESCRIPTOR_SECTOR = 16;
/** How far the descriptor set may run before Strata gives up looking for its end. */
export const MAX_VOLUME_DESCRIPTORS = 64;

export const VD_BOOT_RECORD = 0;
export const VD_PRIMARY = 1;
export const VD_SUPPLEMENTARY = 2;
export const VD_PARTITION = 3;
export const VD_TERMINATOR = 255;

// Directory record flags (file flags, ECMA-119 9.1.6).
export const ISO_FLAG_HIDDEN = 0x01;
export const ISO_FLAG_DIRECTORY = 0x02;
export const ISO_FLAG_ASSOCIATED = 0x04;
export const ISO_FLAG_RECORD = 0x08;
export const ISO_FLAG_PROTECTION = 0x10;
export const ISO_FLAG_MULTI_EXTENT = 0x80;

/** Fixed part of a directory record, before the file identifier. */
export const DIRECTORY_RECORD_FIXED = 33;
/** Offset of the root directory record inside a volume descriptor. */
export const ROOT_RECORD_OFFSET = 156;
export const VOLUME_ID_OFFSET = 40;
export const VOLUME_ID_LENGTH = 32;

export function readUint16(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

export function readUint32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** A directory record as found on the disc, with offsets into the buffer it was read from. */
export interface DirectoryRecord {
  /** Offset of the record in its buffer. */
  readonly offset: number;
  readonly length: number;
  /** Logical block of the data: the recorded extent plus the extended attribute record. */
  readonly extent: number;
  readonly dataLength: number;
  readonly flags: number;
  /** Interleaving: file unit size and gap, in logical blocks (0 when not interleaved). */
  readonly fileUnitSize: number;
  readonly interleaveGap: number;
  readonly nameOffset: number;
  readonly nameLength: number;
  /** Where the System Use area starts and ends in the buffer. */
  readonly systemUseStart: number;
  readonly systemUseEnd: number;
  /** Offset of the 7-byte recording date in the buffer. */
  readonly timeOffset: number;
}

/**
 * Reads the record at `offset`, which must lie inside [offset, sectorEnd). Returns null when the
 * record is malformed. The caller has checked that the length byte is not zero.
 */
export function readDirectoryRecord(
  bytes: Uint8Array,
  offset: number,
  sectorEnd: number,
): DirectoryRecord | null {
  const end = Math.min(sectorEnd, bytes.length);
  if (offset + DIRECTORY_RECORD_FIXED + 1 > end) return null;
  const length = bytes[offset]!;
  const nameLength = bytes[offset + 32]!;
  if (length < DIRECTORY_RECORD_FIXED + 1 || offset + length > end) return null;
  if (nameLength === 0 || DIRECTORY_RECORD_FIXED + nameLength > length) return null;
  const nameOffset = offset + DIRECTORY_RECORD_FIXED;
  // The identifier is padded to an even length; the System Use area follows the pad byte.
  const systemUseStart = nameOffset + nameLength + ((nameLength & 1) === 0 ? 1 : 0);
  return {
    offset,
    length,
    extent: readUint32(bytes, offset + 2) + bytes[offset + 1]!,
    dataLength: readUint32(bytes, offset + 10),
    flags: bytes[offset + 25]!,
    fileUnitSize: bytes[offset + 26]!,
    interleaveGap: bytes[offset + 27]!,
    nameOffset,
    nameLength,
    systemUseStart: Math.min(systemUseStart, offset + length),
    systemUseEnd: offset + length,
    timeOffset: offset + 18,
  };
}

/** The self (".") or parent ("..") record: a one-byte identifier 0 or 1. Returns 0, 1, or -1. */
export function specialRecordKind(bytes: Uint8Array, record: DirectoryRecord): number {
  if (record.nameLength !== 1) return -1;
  const value = bytes[record.nameOffset]!;
  return value === 0 || value === 1 ? value : -1;
}

export interface VolumeDescriptor {
  readonly type: number;
  readonly version: number;
  /** The whole 2048-byte sector (the serial number is computed over it). */
  readonly sector: Uint8Array;
  /** Its logical sector number. */
  readonly location: number;
  readonly volumeSpaceSize: number;
  readonly logicalBlockSize: number;
  readonly root: DirectoryRecord | null;
  readonly creationTime: number;
}

/** True for a sector carrying the ISO 9660 standard identifier "CD001". */
export function isIsoDescriptor(sector: Uint8Array): boolean {
  return (
    sector.length >= LOGICAL_SECTOR_SIZE &&
    sector[1] === 0x43 &&
    sector[2] === 0x44 &&
    sector[3] === 0x30 &&
    sector[4] === 0x30 &&
    sector[5] === 0x31
  );
}

/** Parses a volume descriptor sector; null when it is not an ISO 9660 descriptor. */
export function parseVolumeDescriptor(sector: Uint8Array, location: number): VolumeDescriptor | null {
  if (!isIsoDescriptor(sector)) return null;
  const type = sector[0]!;
  const primaryLike = type === VD_PRIMARY || type === VD_SUPPLEMENTARY;
  return {
    type,
    version: sector[6]!,
    sector,
    location,
    volumeSpaceSize: primaryLike ? readUint32(sector, 80) : 0,
    logicalBlockSize: primaryLike ? readUint16(sector, 128) : 0,
    root: primaryLike ? readDirectoryRecord(sector, ROOT_RECORD_OFFSET, ROOT_RECORD_OFFSET + 34) : null,
    creationTime: primaryLike ? decodeVolumeTime(sector, 813) : 0,
  };
}

/**
 * CdSerial32: four byte-wise checksums of the descriptor, byte i added into checksum
 * (count - 1 - i) mod 4, read as a little-endian ULONG. This is the serial number Windows shows
 * for a CD (over the Joliet descriptor when there is one, else the primary).
 */
export function cdSerial32(sector: Uint8Array, byteCount = LOGICAL_SECTOR_SIZE): number {
  const sums = [0, 0, 0, 0];
  for (let i = 0; i < byteCount; i++) {
    const slot = (byteCount - 1 - i) & 3;
    sums[slot] = (sums[slot]! + sector[i]!) & 0xff;
  }
  return (sums[0]! | (sums[1]! << 8) | (sums[2]! << 16) | (sums[3]! << 24)) >>> 0;
}

/** A primary descriptor's volume identifier: ISO 8859-1 bytes, trailing spaces and NULs stripped. */
export function isoLabel(sector: Uint8Array): string {
  let end = VOLUME_ID_OFFSET + VOLUME_ID_LENGTH;
  while (end > VOLUME_ID_OFFSET && (sector[end - 1] === 0x20 || sector[end - 1] === 0)) end--;
  let text = '';
  for (let i = VOLUME_ID_OFFSET; i < end; i++) text += String.fromCharCode(sector[i]!);
  return text;
}
