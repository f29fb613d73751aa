/**
 * Host errors as NTSTATUS: what a Windows client of a POSIX-backed share would be told.
 *
 * The table follows Samba's unix-to-NT map (source3/lib/errmap_unix.c), the answer SMB clients see
 * from a Unix server, with three choices of our own (docs/deviations.md): ENOTDIR is a path
 * component that is not a directory (STATUS_OBJECT_PATH_NOT_FOUND, which is what NTFS answers in
 * that position; HostFS checks leaf types itself before the host can say ENOTDIR about a leaf);
 * EROFS is write-protected media (STATUS_MEDIA_WRITE_PROTECTED, as NTFS on a read-only volume);
 * ELOOP is a symbolic-link loop (STATUS_REPARSE_POINT_NOT_RESOLVED, as Windows answers for a
 * reparse loop). Unknown host errors are STATUS_UNEXPECTED_IO_ERROR rather than Samba's catch-all
 * access denied, so they stand out. Node reports errors by their POSIX name (`code`), which is the
 * key here: errno numbers differ between platforms.
 */
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_DISK_FULL,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_IO_DEVICE_ERROR,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NO_MEMORY,
  STATUS_NOT_SAME_DEVICE,
  STATUS_NOT_SUPPORTED,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_REPARSE_POINT_NOT_RESOLVED,
  STATUS_SHARING_VIOLATION,
  STATUS_TOO_MANY_LINKS,
  STATUS_TOO_MANY_OPENED_FILES,
  STATUS_UNEXPECTED_IO_ERROR,
} from '../../base/index.ts';

/** POSIX error name → NTSTATUS. */
export const HOST_ERROR_STATUS: ReadonlyMap<string, NTSTATUS> = new Map([
  ['EPERM', STATUS_ACCESS_DENIED],
  ['EACCES', STATUS_ACCESS_DENIED],
  ['ENOENT', STATUS_OBJECT_NAME_NOT_FOUND],
  ['ENOTDIR', STATUS_OBJECT_PATH_NOT_FOUND],
  ['EISDIR', STATUS_FILE_IS_A_DIRECTORY],
  ['EEXIST', STATUS_OBJECT_NAME_COLLISION],
  ['ENOTEMPTY', STATUS_DIRECTORY_NOT_EMPTY],
  ['ENOSPC', STATUS_DISK_FULL],
  ['EDQUOT', STATUS_DISK_FULL],
  ['EFBIG', STATUS_DISK_FULL],
  ['EROFS', STATUS_MEDIA_WRITE_PROTECTED],
  ['ELOOP', STATUS_REPARSE_POINT_NOT_RESOLVED],
  ['ENAMETOOLONG', STATUS_OBJECT_NAME_INVALID],
  ['EXDEV', STATUS_NOT_SAME_DEVICE],
  ['EBUSY', STATUS_SHARING_VIOLATION],
  ['ETXTBSY', STATUS_SHARING_VIOLATION],
  ['EMLINK', STATUS_TOO_MANY_LINKS],
  ['EMFILE', STATUS_TOO_MANY_OPENED_FILES],
  ['ENFILE', STATUS_TOO_MANY_OPENED_FILES],
  ['ENOMEM', STATUS_NO_MEMORY],
  ['ENOBUFS', STATUS_INSUFFICIENT_RESOURCES],
  ['EIO', STATUS_IO_DEVICE_ERROR],
  ['EBADF', STATUS_INVALID_HANDLE],
  ['EINVAL', STATUS_INVALID_PARAMETER],
  ['ENOSYS', STATUS_NOT_SUPPORTED],
  ['ENOTSUP', STATUS_NOT_SUPPORTED],
  ['EOPNOTSUPP', STATUS_NOT_SUPPORTED],
]);

/** The POSIX error name of a failed host call, or null when `error` is not a host error. */
export function hostErrorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as { code?: unknown }).code;
  // POSIX names (ENOENT, EACCES…); Node's own codes (ERR_INVALID_ARG_TYPE…) are bugs, not host errors.
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : null;
}

/**
 * The NTSTATUS for a failed host call. Anything that is not a host error (a bug in HostFS itself)
 * is thrown again: turning it into a status would hide it.
 */
export function ntStatusFromHostError(error: unknown): NTSTATUS {
  const code = hostErrorCode(error);
  if (code === null) throw error;
  return HOST_ERROR_STATUS.get(code) ?? STATUS_UNEXPECTED_IO_ERROR;
}
