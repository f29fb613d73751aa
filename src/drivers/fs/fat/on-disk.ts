/**
 * The FAT on-disk structures (Microsoft's FAT specification, fatgen103, and FastFat's fat.h):
 * the boot sector with its BIOS parameter block, the FAT32 FSInfo sector, and the 32-byte
 * directory entry. Pure byte layouts: readers take a byte array and an offset and trust nothing;
 * writers change only the bytes of the structure they write.
 *
 *   boot sector   0 jump(3) 3 OEM name(8) 11 bytes/sector(2) 13 sectors/cluster 14 reserved(2)
 *                 16 FATs 17 root entries(2) 19 sectors16(2) 21 media 22 FAT size16(2)
 *                 24 sectors/track(2) 26 heads(2) 28 hidden(4) 32 sectors32(4)
 *     FAT12/16:   36 drive 37 reserved (NT's dirty flags) 38 signature 0x29 39 serial(4)
 *                 43 label(11) 54 type "FAT12   "
 *     FAT32:      36 FAT size32(4) 40 ext flags(2) 42 version(2) 44 root cluster(4)
 *                 48 FSInfo sector(2) 50 backup boot(2) 52 reserved(12) 64 drive 65 reserved
 *                 66 signature 67 serial(4) 71 label(11) 82 type "FAT32   "
 *                 510 0x55 0xAA
 *   FSInfo        0 "RRaA" 484 "rrAa" 488 free count 492 next free 508 00 00 55 AA
 *   dirent        0 name(8+3) 11 attributes 12 NT byte (case flags) 13 creation 10 ms
 *                 14 creation time 16 creation date 18 access date 20 cluster high
 *                 22 write time 24 write date 26 cluster low 28 size(4)
 */

export const DIRENT_SIZE = 32;

export const ATTR_READ_ONLY = 0x01;
export const ATTR_HIDDEN = 0x02;
export const ATTR_SYSTEM = 0x04;
export const ATTR_VOLUME_ID = 0x08;
export const ATTR_DIRECTORY = 0x10;
export const ATTR_ARCHIVE = 0x20;
export const ATTR_LONG_NAME = 0x0f;
/** The attribute bits a file may carry (READONLY, HIDDEN, SYSTEM, ARCHIVE) plus DIRECTORY. */
export const ATTR_FILE_BITS = ATTR_READ_ONLY | ATTR_HIDDEN | ATTR_SYSTEM | ATTR_ARCHIVE;

/** First name byte of a never-used entry: it and everything after it is free. */
export const DIRENT_END = 0x00;
/** First name byte of a deleted entry. */
export const DIRENT_DELETED = 0xe5;
/** Stored instead of 0xE5 when a name really starts with 0xE5. */
export const DIRENT_REALLY_E5 = 0x05;

/** NT byte: the base name is all lower case (FAT_DIRENT_NT_BYTE_8_LOWER_CASE). */
export const NT_LOWER_BASE = 0x08;
/** NT byte: the extension is all lower case (FAT_DIRENT_NT_BYTE_3_LOWER_CASE). */
export const NT_LOWER_EXTENSION = 0x10;

export const FSINFO_LEAD_SIGNATURE = 0x41615252;
export const FSINFO_STRUCT_SIGNATURE = 0x61417272;
export const FSINFO_TRAIL_SIGNATURE = 0xaa550000;
/** FSInfo: "not known" for the free count and the next-free hint. */
export const FSINFO_UNKNOWN = 0xffffffff;

/** Bytes 37 (FAT12/16) and 65 (FAT32): NT keeps "run chkdsk" flags there; Linux its dirty flag. */
export const BOOT_DIRTY_FLAG = 0x01;

export function u16(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8);
}

export function u32(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>>
    0
  );
}

export function put16(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
}

export function put32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = (value >>> 24) & 0xff;
}

/** The BIOS parameter block and the extended boot record, as stored (no interpretation). */
export interface BootSector {
  jump0: number;
  oemName: Uint8Array;
  bytesPerSector: number;
  sectorsPerCluster: number;
  reservedSectors: number;
  numberOfFats: number;
  rootEntryCount: number;
  totalSectors16: number;
  media: number;
  sectorsPerFat16: number;
  sectorsPerTrack: number;
  heads: number;
  hiddenSectors: number;
  totalSectors32: number;
  /** FAT32 fields; zero when the layout is FAT12/16. */
  sectorsPerFat32: number;
  extendedFlags: number;
  fsVersion: number;
  rootCluster: number;
  fsInfoSector: number;
  backupBootSector: number;
  /** Extended boot record (at 36 or 64). */
  driveNumber: number;
  ntFlags: number;
  extendedSignature: number;
  serialNumber: number;
  label: Uint8Array;
  fileSystemType: Uint8Array;
  /** Bytes 510..511 are 0x55 0xAA. */
  hasBootSignature: boolean;
}

/** True when the layout is FAT32's: no FAT size in the 16-bit field (IsBpbFat32). */
export function isFat32Layout(boot: Pick<BootSector, 'sectorsPerFat16'>): boolean {
  return boot.sectorsPerFat16 === 0;
}

/** Reads the boot sector fields from the first 512 bytes of a volume. */
export function readBootSector(bytes: Uint8Array): BootSector {
  const fat32 = u16(bytes, 22) === 0;
  const ebr = fat32 ? 64 : 36;
  return {
    jump0: bytes[0]!,
    oemName: bytes.slice(3, 11),
    bytesPerSector: u16(bytes, 11),
    sectorsPerCluster: bytes[13]!,
    reservedSectors: u16(bytes, 14),
    numberOfFats: bytes[16]!,
    rootEntryCount: u16(bytes, 17),
    totalSectors16: u16(bytes, 19),
    media: bytes[21]!,
    sectorsPerFat16: u16(bytes, 22),
    sectorsPerTrack: u16(bytes, 24),
    heads: u16(bytes, 26),
    hiddenSectors: u32(bytes, 28),
    totalSectors32: u32(bytes, 32),
    sectorsPerFat32: fat32 ? u32(bytes, 36) : 0,
    extendedFlags: fat32 ? u16(bytes, 40) : 0,
    fsVersion: fat32 ? u16(bytes, 42) : 0,
    rootCluster: fat32 ? u32(bytes, 44) : 0,
    fsInfoSector: fat32 ? u16(bytes, 48) : 0,
    backupBootSector: fat32 ? u16(bytes, 50) : 0,
    driveNumber: bytes[ebr]!,
    ntFlags: bytes[ebr + 1]!,
    extendedSignature: bytes[ebr + 2]!,
    serialNumber: u32(bytes, ebr + 3),
    label: bytes.slice(ebr + 7, ebr + 18),
    fileSystemType: bytes.slice(ebr + 18, ebr + 26),
    hasBootSignature: bytes[510] === 0x55 && bytes[511] === 0xaa,
  };
}

/** Writes every field of `boot` into the first 512 bytes of `bytes` (the rest of the sector is left alone). */
export function writeBootSector(bytes: Uint8Array, boot: BootSector): void {
  const fat32 = isFat32Layout(boot);
  bytes[0] = boot.jump0;
  bytes.set(boot.oemName.subarray(0, 8), 3);
  put16(bytes, 11, boot.bytesPerSector);
  bytes[13] = boot.sectorsPerCluster;
  put16(bytes, 14, boot.reservedSectors);
  bytes[16] = boot.numberOfFats;
  put16(bytes, 17, boot.rootEntryCount);
  put16(bytes, 19, boot.totalSectors16);
  bytes[21] = boot.media;
  put16(bytes, 22, boot.sectorsPerFat16);
  put16(bytes, 24, boot.sectorsPerTrack);
  put16(bytes, 26, boot.heads);
  put32(bytes, 28, boot.hiddenSectors);
  put32(bytes, 32, boot.totalSectors32);
  if (fat32) {
    put32(bytes, 36, boot.sectorsPerFat32);
    put16(bytes, 40, boot.extendedFlags);
    put16(bytes, 42, boot.fsVersion);
    put32(bytes, 44, boot.rootCluster);
    put16(bytes, 48, boot.fsInfoSector);
    put16(bytes, 50, boot.backupBootSector);
    bytes.fill(0, 52, 64);
  }
  const ebr = fat32 ? 64 : 36;
  bytes[ebr] = boot.driveNumber;
  bytes[ebr + 1] = boot.ntFlags;
  bytes[ebr + 2] = boot.extendedSignature;
  put32(bytes, ebr + 3, boot.serialNumber);
  bytes.set(boot.label.subarray(0, 11), ebr + 7);
  bytes.set(boot.fileSystemType.subarray(0, 8), ebr + 18);
  if (boot.hasBootSignature) {
    bytes[510] = 0x55;
    bytes[511] = 0xaa;
  }
}

/** Offset of the 11-byte BPB label in the boot sector. */
export function bootLabelOffset(fat32: boolean): number {
  return fat32 ? 71 : 43;
}

export interface FsInfo {
  /** All three signatures are right. */
  valid: boolean;
  freeCount: number;
  nextFree: number;
}

export function readFsInfo(sector: Uint8Array): FsInfo {
  const valid =
    u32(sector, 0) === FSINFO_LEAD_SIGNATURE &&
    u32(sector, 484) === FSINFO_STRUCT_SIGNATURE &&
    u32(sector, 508) === FSINFO_TRAIL_SIGNATURE;
  return { valid, freeCount: u32(sector, 488), nextFree: u32(sector, 492) };
}

/** Writes an FSInfo structure into a 512-byte (or larger) sector, keeping the bytes in between. */
export function writeFsInfo(sector: Uint8Array, freeCount: number, nextFree: number): void {
  put32(sector, 0, FSINFO_LEAD_SIGNATURE);
  put32(sector, 484, FSINFO_STRUCT_SIGNATURE);
  put32(sector, 488, freeCount >>> 0);
  put32(sector, 492, nextFree >>> 0);
  put32(sector, 508, FSINFO_TRAIL_SIGNATURE);
}

/** A 32-byte short directory entry, decoded (times stay in FAT encoding). */
export interface Dirent {
  /** The 11 name bytes as stored (0x05 not yet turned back into 0xE5). */
  name: Uint8Array;
  attributes: number;
  ntByte: number;
  creationTenths: number;
  creationTime: number;
  creationDate: number;
  accessDate: number;
  writeTime: number;
  writeDate: number;
  firstCluster: number;
  fileSize: number;
}

/** Reads the short entry at `offset`; `fat32` decides whether the high cluster word counts. */
export function readDirent(bytes: Uint8Array, offset: number, fat32: boolean): Dirent {
  return {
    name: bytes.slice(offset, offset + 11),
    attributes: bytes[offset + 11]!,
    ntByte: bytes[offset + 12]!,
    creationTenths: bytes[offset + 13]!,
    creationTime: u16(bytes, offset + 14),
    creationDate: u16(bytes, offset + 16),
    accessDate: u16(bytes, offset + 18),
    writeTime: u16(bytes, offset + 22),
    writeDate: u16(bytes, offset + 24),
    firstCluster: (fat32 ? u16(bytes, offset + 20) * 0x10000 : 0) + u16(bytes, offset + 26),
    fileSize: u32(bytes, offset + 28),
  };
}

/** Writes a short entry at `offset`. On FAT12/16 the high cluster word (OS/2's EA handle) is left as it was. */
export function writeDirent(bytes: Uint8Array, offset: number, dirent: Dirent, fat32: boolean): void {
  bytes.set(dirent.name.subarray(0, 11), offset);
  bytes[offset + 11] = dirent.attributes;
  bytes[offset + 12] = dirent.ntByte;
  bytes[offset + 13] = dirent.creationTenths;
  put16(bytes, offset + 14, dirent.creationTime);
  put16(bytes, offset + 16, dirent.creationDate);
  put16(bytes, offset + 18, dirent.accessDate);
  if (fat32) put16(bytes, offset + 20, Math.floor(dirent.firstCluster / 0x10000) & 0xffff);
  put16(bytes, offset + 22, dirent.writeTime);
  put16(bytes, offset + 24, dirent.writeDate);
  put16(bytes, offset + 26, dirent.firstCluster & 0xffff);
  put32(bytes, offset + 28, dirent.fileSize);
}

/** True for the 32 bytes of a long-name slot: attribute 0x0F (never the first byte 0x00 or 0xE5). */
export function isLongNameSlot(bytes: Uint8Array, offset: number): boolean {
  return (bytes[offset + 11]! & 0x3f) === ATTR_LONG_NAME;
}
