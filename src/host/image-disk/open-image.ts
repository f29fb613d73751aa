/**
 * Opening the host file behind an image disk: the checks that turn a path into a descriptor and a
 * usable length, or into a clear status.
 *
 * - the path must name a regular file (stat first, so a FIFO is refused before an open could block
 *   on it): a directory is STATUS_FILE_IS_A_DIRECTORY, anything else that is not a regular file
 *   STATUS_INVALID_DEVICE_REQUEST, a missing file STATUS_OBJECT_NAME_NOT_FOUND;
 * - read-write unless asked otherwise; a file that refuses a read-write open (EACCES, EPERM, EROFS,
 *   ETXTBSY) is opened read-only instead, and the disk is write-protected;
 * - the usable length is the file length rounded down to whole sectors; a file shorter than one
 *   sector is STATUS_NO_MEDIA_IN_DEVICE (the disk would have nothing to address).
 * The file is never read here: mounting a 1 GiB image costs one descriptor.
 */
import fs from 'node:fs';
import {
  type NTSTATUS,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_NO_MEDIA_IN_DEVICE,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import { hostErrorStatus } from './host-status.ts';

export interface OpenedImage {
  fd: number;
  readOnly: boolean;
  /** Addressable bytes (whole sectors). */
  length: number;
  fileId: string;
}

export interface OpenImageResult {
  status: NTSTATUS;
  image: OpenedImage | null;
}

const FALL_BACK_TO_READ_ONLY = new Set(['EACCES', 'EPERM', 'EROFS', 'ETXTBSY']);

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

function fail(status: NTSTATUS): OpenImageResult {
  return { status, image: null };
}

/** Opens `path` as a disk of `sectorSize`-byte sectors. */
export function openImage(path: string, readOnly: boolean, sectorSize: number): OpenImageResult {
  if (typeof path !== 'string' || path.length === 0) return fail(STATUS_OBJECT_NAME_INVALID);
  let stats: fs.Stats;
  try {
    stats = fs.statSync(path);
  } catch (error) {
    return fail(hostErrorStatus(error));
  }
  if (stats.isDirectory()) return fail(STATUS_FILE_IS_A_DIRECTORY);
  if (!stats.isFile()) return fail(STATUS_INVALID_DEVICE_REQUEST);

  let fd: number | null = null;
  let writeProtected = readOnly;
  if (!writeProtected) {
    try {
      fd = fs.openSync(path, 'r+');
    } catch (error) {
      if (!FALL_BACK_TO_READ_ONLY.has(errorCode(error) ?? '')) return fail(hostErrorStatus(error));
      writeProtected = true;
    }
  }
  try {
    fd ??= fs.openSync(path, 'r');
  } catch (error) {
    return fail(hostErrorStatus(error));
  }
  try {
    // The path may have been replaced between stat and open: trust only what the descriptor says.
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) {
      closeQuietly(fd);
      return fail(opened.isDirectory() ? STATUS_FILE_IS_A_DIRECTORY : STATUS_INVALID_DEVICE_REQUEST);
    }
    const length = Math.floor(opened.size / sectorSize) * sectorSize;
    if (length === 0) {
      closeQuietly(fd);
      return fail(STATUS_NO_MEDIA_IN_DEVICE);
    }
    return {
      status: STATUS_SUCCESS,
      image: { fd, readOnly: writeProtected, length, fileId: `${opened.dev}:${opened.ino}` },
    };
  } catch (error) {
    closeQuietly(fd);
    return fail(hostErrorStatus(error));
  }
}

/** Closes a descriptor, ignoring errors: used on paths that already report a failure. */
export function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Nothing more to report than the failure already being returned.
  }
}
