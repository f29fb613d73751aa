/**
 * The parameter rules of IRP_MJ_READ and IRP_MJ_WRITE on a file, as FastFat's FatCommonRead and
 * FatCommonWrite and CDFS's CdCommonRead apply them before any transfer:
 *
 * - a directory cannot be read or written (STATUS_INVALID_DEVICE_REQUEST); a write needs a handle
 *   opened for writing (STATUS_ACCESS_DENIED) and media that take writes
 *   (STATUS_MEDIA_WRITE_PROTECTED);
 * - the offset is a whole number of bytes, not negative, and the caller's buffer holds `length`
 *   bytes (else STATUS_INVALID_PARAMETER);
 * - a read of zero bytes succeeds with nothing transferred, wherever it starts; a read at or past
 *   the end of file is STATUS_END_OF_FILE with nothing transferred; a read across the end is cut
 *   short there;
 * - a write at offset -1 (FILE_WRITE_TO_END_OF_FILE), or through a handle granted FILE_APPEND_DATA
 *   but not FILE_WRITE_DATA, writes at the end of file;
 * - on a synchronous file object (FO_SYNCHRONOUS_IO) the file system moves CurrentByteOffset past
 *   what it transferred.
 *
 * These are the hot path of every read and write: plain numbers in and out, nothing allocated.
 */
import {
  FILE_WRITE_DATA,
  FO_SYNCHRONOUS_IO,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_END_OF_FILE,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import type { FileObject } from '../file-object.ts';

/** A transfer of `length` bytes at `offset` through `buffer` is well formed. */
export function isValidTransfer(offset: number, length: number, buffer: Uint8Array | null): boolean {
  return (
    Number.isSafeInteger(offset) && offset >= 0 && length >= 0 && buffer !== null && buffer.length >= length
  );
}

/**
 * STATUS_SUCCESS, or why a read of a file of `fileSize` bytes fails. A successful read transfers
 * `Math.min(length, fileSize - offset)` bytes, and a zero-length one nothing (it succeeds even past
 * the end).
 */
export function checkFileRead(
  isDirectory: boolean,
  offset: number,
  length: number,
  buffer: Uint8Array | null,
  fileSize: number,
): NTSTATUS {
  if (isDirectory) return STATUS_INVALID_DEVICE_REQUEST;
  if (!isValidTransfer(offset, length, buffer)) return STATUS_INVALID_PARAMETER;
  if (length !== 0 && offset >= fileSize) return STATUS_END_OF_FILE;
  return STATUS_SUCCESS;
}

/** STATUS_SUCCESS, or why a write through `fileObject` fails before its parameters are looked at. */
export function checkFileWrite(
  fileObject: FileObject,
  isDirectory: boolean,
  writeProtected: boolean,
): NTSTATUS {
  if (isDirectory) return STATUS_INVALID_DEVICE_REQUEST;
  if (!fileObject.writeAccess) return STATUS_ACCESS_DENIED;
  if (writeProtected) return STATUS_MEDIA_WRITE_PROTECTED;
  return STATUS_SUCCESS;
}

/** The write goes to the end of file: offset -1, or a handle that may append but not write. */
export function writesToEndOfFile(fileObject: FileObject, byteOffset: number): boolean {
  return byteOffset === -1 || (fileObject.grantedAccess & FILE_WRITE_DATA) === 0;
}

/** A synchronous file object's position moves to `position`, just past the bytes transferred. */
export function updateFilePosition(fileObject: FileObject, position: number): void {
  if ((fileObject.flags & FO_SYNCHRONOUS_IO) !== 0) fileObject.currentByteOffset = position;
}
