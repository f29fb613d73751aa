/**
 * The sectors a FAT format writes besides zeros: the boot sector (BPB and extended boot record
 * as mkfs.fat fills them, with boot code that only halts) and the root directory's volume-label
 * entry. format.ts decides the numbers; this file lays them out (on-disk.ts).
 */
import { CP850 } from './code-page.ts';
import { ATTR_VOLUME_ID, type BootSector, put16, writeBootSector, writeDirent } from './on-disk.ts';
import { msToFatTimestamp } from './timestamps.ts';
import type { FatType } from './volume-layout.ts';

export interface BootFields {
  fatType: FatType;
  sectorSize: number;
  clusterSize: number;
  reserved: number;
  fats: number;
  rootEntries: number;
  numSectors: number;
  media: number;
  fatLength: number;
  sectorsPerTrack: number;
  heads: number;
  serial: number;
  label: Uint8Array;
  infoSector: number;
  backupBoot: number;
}

export function buildBootSector(f: BootFields): Uint8Array {
  const fat32 = f.fatType === 32;
  const bytes = new Uint8Array(512);
  const boot: BootSector = {
    jump0: 0xeb,
    oemName: CP850.encode('mkfs.fat')!,
    bytesPerSector: f.sectorSize,
    sectorsPerCluster: f.clusterSize,
    reservedSectors: f.reserved,
    numberOfFats: f.fats,
    rootEntryCount: f.rootEntries,
    totalSectors16: f.numSectors >= 65536 ? 0 : f.numSectors,
    media: f.media,
    sectorsPerFat16: fat32 ? 0 : f.fatLength,
    sectorsPerTrack: f.sectorsPerTrack,
    heads: f.heads,
    hiddenSectors: 0,
    totalSectors32: f.numSectors >= 65536 ? f.numSectors : 0,
    sectorsPerFat32: fat32 ? f.fatLength : 0,
    extendedFlags: 0,
    fsVersion: 0,
    rootCluster: fat32 ? 2 : 0,
    fsInfoSector: f.infoSector,
    backupBootSector: f.backupBoot,
    driveNumber: f.media === 0xf8 ? 0x80 : 0,
    ntFlags: 0,
    extendedSignature: 0x29,
    serialNumber: f.serial,
    label: f.label,
    fileSystemType: CP850.encode(fat32 ? 'FAT32   ' : f.fatType === 16 ? 'FAT16   ' : 'FAT12   ')!,
    hasBootSignature: true,
  };
  writeBootSector(bytes, boot);
  // Jump over the BPB to boot code that only halts: these volumes are not bootable.
  const code = fat32 ? 90 : 62;
  bytes[1] = code - 2;
  bytes[2] = 0x90;
  bytes.set([0xfa, 0xf4, 0xeb, 0xfd], code);
  return bytes;
}

export function writeLabelEntry(root: Uint8Array, label: Uint8Array, now: number): void {
  const name = label.slice();
  if (name[0] === 0xe5) name[0] = 0x05;
  const stamp = msToFatTimestamp(now, false);
  const date = stamp?.date ?? (1 << 5) | 1;
  const time = stamp === null ? 0 : stamp.time;
  writeDirent(
    root,
    0,
    {
      name,
      attributes: ATTR_VOLUME_ID,
      ntByte: 0,
      creationTenths: 0,
      creationTime: time,
      creationDate: date,
      accessDate: date,
      writeTime: time,
      writeDate: date,
      firstCluster: 0,
      fileSize: 0,
    },
    false,
  );
  put16(root, 20, 0);
}
