/**
 * The checks a disk makes before it moves a sector: classpnp's ClassReadWrite (the transfer is a
 * whole number of sectors) and disk.sys's DiskReadWriteVerification (it lies inside the disk or
 * partition), which every Strata storage driver applies the same way.
 *
 * Rules: the offset and the length are whole, non-negative numbers; the transfer ends at or before
 * the end of the media; for a disk, both are multiples of the sector size and the caller's buffer
 * (`irp.userBuffer`, direct I/O) holds `length` bytes. Anything else is STATUS_INVALID_PARAMETER and
 * nothing is transferred. A zero-length transfer is valid at any aligned offset up to the end.
 * Write protection is the driver's own check, made after these (a bad request is refused as bad
 * before it is refused as a write).
 */
import { type NTSTATUS, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../base/index.ts';
import type { Irp } from '../irp.ts';
import type { ReadWriteParameters } from '../irp-parameters.ts';

/** True when [byteOffset, byteOffset + length) is a whole-number range inside [0, limit]. */
export function isTransferInRange(byteOffset: number, length: number, limit: number): boolean {
  return (
    Number.isSafeInteger(byteOffset) &&
    Number.isSafeInteger(length) &&
    byteOffset >= 0 &&
    length >= 0 &&
    byteOffset + length <= limit
  );
}

/** STATUS_SUCCESS when a read or write of the media may proceed (see the header). */
export function verifyDiskTransfer(
  irp: Irp,
  parameters: ReadWriteParameters,
  sectorSize: number,
  mediaLength: number,
): NTSTATUS {
  const { byteOffset, length } = parameters;
  if (!isTransferInRange(byteOffset, length, mediaLength)) return STATUS_INVALID_PARAMETER;
  if (byteOffset % sectorSize !== 0 || length % sectorSize !== 0) return STATUS_INVALID_PARAMETER;
  const buffer = irp.userBuffer;
  if (length > 0 && (buffer === null || buffer.length < length)) return STATUS_INVALID_PARAMETER;
  return STATUS_SUCCESS;
}
