/**
 * Recognizing FAT12/16/32 (ReactOS fs_rec/fat.c).
 *
 * FsRecIsFatVolume applies ReactOS's BPB sanity rules to the first 512 bytes, and nothing more (the
 * real driver decides the FAT type and everything else): a jump (0xE9, 0xEB, or 0x49) at byte 0;
 * bytes per sector 128, 256, 512, 1024, 2048 or 4096; sectors per cluster a power of two up to 128;
 * reserved sectors not zero; a total sector count (16- or 32-bit) not zero; media 0x00, 0x01, 0xF0
 * or 0xF8–0xFF; and a 16-bit FAT size only together with root directory entries (FAT12/16), since
 * FAT32 has neither. The mount reads max(512, sector size) bytes at offset 0; when the device fails
 * (no geometry, a read error) the volume is not FAT, except on a floppy, where the real driver is
 * asked anyway, as ReactOS does.
 */
import { FILE_FLOPPY_DISKETTE } from '../../../base/device-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_FS_DRIVER_REQUIRED,
  STATUS_UNRECOGNIZED_VOLUME,
} from '../../../base/ntstatus.ts';
import type { DeviceObject } from '../../../io/index.ts';
import { FsRecGetDeviceSectorSize, FsRecReadBlock } from './read-block.ts';

const BYTES_PER_SECTOR = new Set([128, 256, 512, 1024, 2048, 4096]);
const SECTORS_PER_CLUSTER = new Set([1, 2, 4, 8, 16, 32, 64, 128]);
const MEDIA = new Set([0x00, 0x01, 0xf0, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff]);

function u16(data: Uint8Array, offset: number): number {
  return data[offset]! | (data[offset + 1]! << 8);
}

function u32(data: Uint8Array, offset: number): number {
  return (u16(data, offset) | (u16(data, offset + 2) << 16)) >>> 0;
}

/** True when the boot sector's BPB passes ReactOS's FAT sanity rules (see the header). */
export function FsRecIsFatVolume(bootSector: Uint8Array): boolean {
  if (bootSector.length < 36) return false;
  const jump = bootSector[0];
  if (jump !== 0x49 && jump !== 0xe9 && jump !== 0xeb) return false;
  if (!BYTES_PER_SECTOR.has(u16(bootSector, 11))) return false;
  if (!SECTORS_PER_CLUSTER.has(bootSector[13]!)) return false;
  if (u16(bootSector, 14) === 0) return false; // reserved sectors
  const sectors = u16(bootSector, 19);
  const largeSectors = sectors !== 0 ? 0 : u32(bootSector, 32);
  if (sectors === 0 && largeSectors === 0) return false;
  if (!MEDIA.has(bootSector[21]!)) return false;
  const sectorsPerFat = u16(bootSector, 22);
  const rootEntries = u16(bootSector, 17);
  return !(sectorsPerFat !== 0 && rootEntries === 0);
}

/** The mount answer for FAT on `storage`: STATUS_FS_DRIVER_REQUIRED or STATUS_UNRECOGNIZED_VOLUME. */
export function recognizeFat(storage: DeviceObject, done: (status: NTSTATUS) => void): void {
  const deviceError = (): void =>
    done(
      (storage.characteristics & FILE_FLOPPY_DISKETTE) !== 0
        ? STATUS_FS_DRIVER_REQUIRED
        : STATUS_UNRECOGNIZED_VOLUME,
    );
  FsRecGetDeviceSectorSize(storage, (sectorSize) => {
    if (sectorSize === null) {
      deviceError();
      return;
    }
    FsRecReadBlock(storage, 0, 512, sectorSize, (status, data) => {
      if (!NT_SUCCESS(status) || data === null) deviceError();
      else done(FsRecIsFatVolume(data) ? STATUS_FS_DRIVER_REQUIRED : STATUS_UNRECOGNIZED_VOLUME);
    });
  });
}
