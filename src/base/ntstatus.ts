/**
 * NTSTATUS values and the predicates over them.
 *
 * Values are the unsigned 32-bit codes of ntstatus.h, kept as plain numbers so they travel in IRPs
 * without allocation. Severity lives in the top two bits: 0 success, 1 informational, 2 warning,
 * 3 error. `NT_SUCCESS` is true for success and informational codes only, as in the WDK.
 */

export type NTSTATUS = number;

export const STATUS_SUCCESS = 0x00000000;
export const STATUS_PENDING = 0x00000103;
export const STATUS_REPARSE = 0x00000104;
export const STATUS_MORE_ENTRIES = 0x00000105;
export const STATUS_IMAGE_ALREADY_LOADED = 0x4000000e;

export const STATUS_BUFFER_OVERFLOW = 0x80000005;
export const STATUS_NO_MORE_FILES = 0x80000006;
export const STATUS_NO_MORE_ENTRIES = 0x8000001a;

export const STATUS_UNSUCCESSFUL = 0xc0000001;
export const STATUS_NOT_IMPLEMENTED = 0xc0000002;
export const STATUS_INVALID_INFO_CLASS = 0xc0000003;
export const STATUS_INFO_LENGTH_MISMATCH = 0xc0000004;
export const STATUS_INVALID_HANDLE = 0xc0000008;
export const STATUS_INVALID_PARAMETER = 0xc000000d;
export const STATUS_NO_SUCH_DEVICE = 0xc000000e;
export const STATUS_NO_SUCH_FILE = 0xc000000f;
export const STATUS_INVALID_DEVICE_REQUEST = 0xc0000010;
export const STATUS_END_OF_FILE = 0xc0000011;
export const STATUS_WRONG_VOLUME = 0xc0000012;
export const STATUS_NO_MEDIA_IN_DEVICE = 0xc0000013;
export const STATUS_MORE_PROCESSING_REQUIRED = 0xc0000016;
export const STATUS_ACCESS_DENIED = 0xc0000022;
export const STATUS_BUFFER_TOO_SMALL = 0xc0000023;
export const STATUS_OBJECT_TYPE_MISMATCH = 0xc0000024;
export const STATUS_NOT_LOCKED = 0xc000002a;
export const STATUS_OBJECT_NAME_INVALID = 0xc0000033;
export const STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034;
export const STATUS_OBJECT_NAME_COLLISION = 0xc0000035;
export const STATUS_OBJECT_PATH_INVALID = 0xc0000039;
export const STATUS_OBJECT_PATH_NOT_FOUND = 0xc000003a;
export const STATUS_OBJECT_PATH_SYNTAX_BAD = 0xc000003b;
export const STATUS_DEVICE_ALREADY_ATTACHED = 0xc0000038;
export const STATUS_CRC_ERROR = 0xc000003f;
export const STATUS_DEVICE_DATA_ERROR = 0xc000009c;
export const STATUS_INVALID_VOLUME_LABEL = 0xc0000086;
export const STATUS_FILE_LOCK_CONFLICT = 0xc0000054;
export const STATUS_DEVICE_BUSY = 0x80000011;
export const STATUS_DISK_CORRUPT_ERROR = 0xc0000032;
export const STATUS_SHARING_VIOLATION = 0xc0000043;
export const STATUS_DELETE_PENDING = 0xc0000056;
export const STATUS_DISK_FULL = 0xc000007f;
export const STATUS_INSUFFICIENT_RESOURCES = 0xc000009a;
export const STATUS_MEDIA_WRITE_PROTECTED = 0xc00000a2;
export const STATUS_DEVICE_NOT_READY = 0xc00000a3;
export const STATUS_FILE_IS_A_DIRECTORY = 0xc00000ba;
export const STATUS_NOT_SUPPORTED = 0xc00000bb;
export const STATUS_NOT_SAME_DEVICE = 0xc00000d4;
export const STATUS_INTERNAL_ERROR = 0xc00000e5;
export const STATUS_DIRECTORY_NOT_EMPTY = 0xc0000101;
export const STATUS_FILE_CORRUPT_ERROR = 0xc0000102;
export const STATUS_NOT_A_DIRECTORY = 0xc0000103;
export const STATUS_NAME_TOO_LONG = 0xc0000106;
export const STATUS_CANCELLED = 0xc0000120;
export const STATUS_CANNOT_DELETE = 0xc0000121;
export const STATUS_FILE_DELETED = 0xc0000123;
export const STATUS_FILE_CLOSED = 0xc0000128;
export const STATUS_UNRECOGNIZED_VOLUME = 0xc000014f;
export const STATUS_DRIVER_INTERNAL_ERROR = 0xc0000183;
export const STATUS_FS_DRIVER_REQUIRED = 0xc000019c;
export const STATUS_VOLUME_DISMOUNTED = 0xc000026e;
export const STATUS_NOT_FOUND = 0xc0000225;
export const STATUS_DEVICE_DOES_NOT_EXIST = 0xc00000c0;
export const STATUS_INVALID_DEVICE_STATE = 0xc0000184;
export const STATUS_DRIVER_UNABLE_TO_LOAD = 0xc000026c;
export const STATUS_VERIFY_REQUIRED = 0x80000016;
export const STATUS_NO_MEMORY = 0xc0000017;
export const STATUS_NETWORK_NAME_DELETED = 0xc00000c9;
export const STATUS_BAD_NETWORK_NAME = 0xc00000cc;
export const STATUS_UNEXPECTED_IO_ERROR = 0xc00000e9;
export const STATUS_TOO_MANY_LINKS = 0xc0000265;
export const STATUS_REPARSE_POINT_NOT_RESOLVED = 0xc0000280;
export const STATUS_NOT_A_REPARSE_POINT = 0xc0000275;
export const STATUS_IO_DEVICE_ERROR = 0xc0000185;
export const STATUS_TOO_MANY_OPENED_FILES = 0xc000011f;
export const STATUS_UNRECOGNIZED_MEDIA = 0xc0000014;
export const STATUS_IO_TIMEOUT = 0xc00000b5;
export const STATUS_CANNOT_MAKE = 0xc00002ea;

/** True for success and informational codes (severity 0 or 1). */
export function NT_SUCCESS(status: NTSTATUS): boolean {
  return status >>> 0 < 0x80000000;
}

/** True for informational codes (severity 1). */
export function NT_INFORMATION(status: NTSTATUS): boolean {
  return status >>> 30 === 1;
}

/** True for warning codes (severity 2). */
export function NT_WARNING(status: NTSTATUS): boolean {
  return status >>> 30 === 2;
}

/** True for error codes (severity 3). */
export function NT_ERROR(status: NTSTATUS): boolean {
  return status >>> 30 === 3;
}
