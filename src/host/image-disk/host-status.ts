/**
 * Host I/O errors as NTSTATUS values: what a disk driver reports when the file behind its disk
 * fails. Pure; the image disk never lets a host exception escape a dispatch routine.
 *
 * The mapping follows what the Windows storage stack reports for the equivalent condition: a
 * medium error (EIO) is STATUS_DEVICE_DATA_ERROR, which the mount walk treats as a data error and
 * not as a dead device; a full host disk is STATUS_DISK_FULL; a read-only host file system is
 * STATUS_MEDIA_WRITE_PROTECTED. Anything not listed is STATUS_IO_DEVICE_ERROR.
 */
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_DEVICE_DATA_ERROR,
  STATUS_DEVICE_NOT_READY,
  STATUS_DISK_FULL,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_PARAMETER,
  STATUS_IO_DEVICE_ERROR,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NAME_TOO_LONG,
  STATUS_NO_SUCH_DEVICE,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SHARING_VIOLATION,
  STATUS_TOO_MANY_OPENED_FILES,
} from '../../base/index.ts';

const BY_CODE: Readonly<Record<string, NTSTATUS>> = {
  ENOENT: STATUS_OBJECT_NAME_NOT_FOUND,
  ENOTDIR: STATUS_OBJECT_PATH_NOT_FOUND,
  ELOOP: STATUS_OBJECT_PATH_NOT_FOUND,
  EISDIR: STATUS_FILE_IS_A_DIRECTORY,
  ENAMETOOLONG: STATUS_NAME_TOO_LONG,
  EACCES: STATUS_ACCESS_DENIED,
  EPERM: STATUS_ACCESS_DENIED,
  EROFS: STATUS_MEDIA_WRITE_PROTECTED,
  ENOSPC: STATUS_DISK_FULL,
  EDQUOT: STATUS_DISK_FULL,
  EFBIG: STATUS_DISK_FULL,
  EIO: STATUS_DEVICE_DATA_ERROR,
  EMFILE: STATUS_TOO_MANY_OPENED_FILES,
  ENFILE: STATUS_TOO_MANY_OPENED_FILES,
  ENOMEM: STATUS_INSUFFICIENT_RESOURCES,
  EBUSY: STATUS_SHARING_VIOLATION,
  ETXTBSY: STATUS_SHARING_VIOLATION,
  EAGAIN: STATUS_DEVICE_NOT_READY,
  ENXIO: STATUS_NO_SUCH_DEVICE,
  ENODEV: STATUS_NO_SUCH_DEVICE,
  EINVAL: STATUS_INVALID_PARAMETER,
  // Node's own argument checks (a path with a NUL byte, say).
  ERR_INVALID_ARG_VALUE: STATUS_OBJECT_NAME_INVALID,
  ERR_INVALID_ARG_TYPE: STATUS_OBJECT_NAME_INVALID,
};

/** The status for an error thrown by a `node:fs` call (an errno code in `error.code`). */
export function hostErrorStatus(error: unknown): NTSTATUS {
  const code =
    typeof error === 'object' && error !== null && 'code' in error
      ? (error as { code: unknown }).code
      : undefined;
  return (typeof code === 'string' ? BY_CODE[code] : undefined) ?? STATUS_IO_DEVICE_ERROR;
}
