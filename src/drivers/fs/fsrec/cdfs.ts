/**
 * Recognizing ISO 9660 for CDFS.
 *
 * ISO 9660 puts its volume descriptors from logical block 16 on (2048-byte blocks, so byte offset
 * 32768 whatever the device's sector size), each starting with a type byte and the standard
 * identifier "CD001". A volume is recognized when the descriptor at block 16 carries that
 * identifier and a known type (0 boot record, 1 primary, 2 supplementary, 3 partition, 255
 * terminator). ReactOS's CDFS recognizer answers STATUS_FS_DRIVER_REQUIRED without reading
 * anything; Strata reads, so a CD-ROM that holds something else goes on to the next file system.
 * High Sierra ("CDROM" at offset 9) and UDF are not recognized.
 */
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_FS_DRIVER_REQUIRED,
  STATUS_UNRECOGNIZED_VOLUME,
} from '../../../base/ntstatus.ts';
import type { DeviceObject } from '../../../io/index.ts';
import { FsRecGetDeviceSectorSize, FsRecReadBlock } from './read-block.ts';

export const ISO9660_BLOCK_SIZE = 2048;
export const ISO9660_FIRST_DESCRIPTOR_BLOCK = 16;
const STANDARD_IDENTIFIER = [0x43, 0x44, 0x30, 0x30, 0x31]; // "CD001"
const DESCRIPTOR_TYPES = new Set([0, 1, 2, 3, 255]);

/** True when `descriptor` (block 16) is an ISO 9660 volume descriptor. */
export function isIso9660VolumeDescriptor(descriptor: Uint8Array): boolean {
  if (descriptor.length < 7 || !DESCRIPTOR_TYPES.has(descriptor[0]!)) return false;
  return STANDARD_IDENTIFIER.every((byte, index) => descriptor[1 + index] === byte);
}

/** The mount answer for ISO 9660 on `storage`. */
export function recognizeIso9660(storage: DeviceObject, done: (status: NTSTATUS) => void): void {
  FsRecGetDeviceSectorSize(storage, (sectorSize) => {
    if (sectorSize === null) {
      done(STATUS_UNRECOGNIZED_VOLUME);
      return;
    }
    const offset = ISO9660_FIRST_DESCRIPTOR_BLOCK * ISO9660_BLOCK_SIZE;
    FsRecReadBlock(storage, offset, ISO9660_BLOCK_SIZE, sectorSize, (status, data) => {
      const recognized = NT_SUCCESS(status) && data !== null && isIso9660VolumeDescriptor(data);
      done(recognized ? STATUS_FS_DRIVER_REQUIRED : STATUS_UNRECOGNIZED_VOLUME);
    });
  });
}
