/**
 * Reading the record of an IRP_MJ_SET_INFORMATION (NtSetInformationFile's buffer, which Strata
 * passes as a structured record in Irp.systemBuffer), and FilePositionInformation, the one class
 * every file system answers the same way (FastFat's FatSetPositionInfo, CDFS's CdCommonSetInfo).
 *
 * Invariants: a buffer that is not an object, and a size or offset that is not a whole number from
 * 0 to 2^53 - 1, are STATUS_INVALID_PARAMETER and change nothing.
 */
import { type NTSTATUS, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../base/index.ts';
import type { FileObject } from '../file-object.ts';
import type { Irp } from '../irp.ts';

/** The record a set-information request carries, or null when its buffer is not one. */
export function setInformationRecord(irp: Irp): Record<string, unknown> | null {
  const buffer = irp.systemBuffer;
  return typeof buffer === 'object' && buffer !== null ? (buffer as Record<string, unknown>) : null;
}

/** True for a byte count or offset a file may have: a safe, non-negative integer. */
export function isFileSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** FilePositionInformation: moves the file object's current byte offset. */
export function setFilePosition(fileObject: FileObject, info: Record<string, unknown>): NTSTATUS {
  const offset = info.currentByteOffset;
  if (!isFileSize(offset)) return STATUS_INVALID_PARAMETER;
  fileObject.currentByteOffset = offset;
  return STATUS_SUCCESS;
}
