/**
 * Which FILE_INFORMATION_CLASS values NtQueryInformationFile accepts, and the smallest buffer each
 * needs: the I/O manager's IopQueryOperationLength table. A class outside the table (the
 * directory classes, the set-only classes, numbers past FileMaximumInformation) is
 * STATUS_INVALID_INFO_CLASS before any file system sees the request; a buffer shorter than the
 * fixed part is STATUS_INFO_LENGTH_MISMATCH.
 *
 * Sizes are the x64 C structures (the fixed part, without the variable-length name).
 */
import {
  FILE_ALL_INFORMATION_SIZE,
  FILE_ATTRIBUTE_TAG_INFORMATION_SIZE,
  FILE_BASIC_INFORMATION_SIZE,
  FILE_EA_INFORMATION_SIZE,
  FILE_INTERNAL_INFORMATION_SIZE,
  FILE_NAME_INFORMATION_SIZE,
  FILE_NETWORK_OPEN_INFORMATION_SIZE,
  FILE_POSITION_INFORMATION_SIZE,
  FILE_STANDARD_INFORMATION_SIZE,
  FILE_STAT_LX_INFORMATION_SIZE,
  FileAccessInformation,
  FileAlignmentInformation,
  FileAllInformation,
  FileAlternateNameInformation,
  FileAttributeTagInformation,
  FileBasicInformation,
  FileEaInformation,
  FileInternalInformation,
  FileModeInformation,
  FileNameInformation,
  FileNetworkOpenInformation,
  FilePositionInformation,
  FileStandardInformation,
  FileStatLxInformation,
} from './information-classes.ts';

/** FILE_ACCESS_INFORMATION, FILE_MODE_INFORMATION and FILE_ALIGNMENT_INFORMATION: one ULONG each. */
export const FILE_ACCESS_INFORMATION_SIZE = 4;
export const FILE_MODE_INFORMATION_SIZE = 4;
export const FILE_ALIGNMENT_INFORMATION_SIZE = 4;

const QUERY_OPERATION_LENGTH = new Map<number, number>([
  [FileBasicInformation, FILE_BASIC_INFORMATION_SIZE],
  [FileStandardInformation, FILE_STANDARD_INFORMATION_SIZE],
  [FileInternalInformation, FILE_INTERNAL_INFORMATION_SIZE],
  [FileEaInformation, FILE_EA_INFORMATION_SIZE],
  [FileAccessInformation, FILE_ACCESS_INFORMATION_SIZE],
  [FileNameInformation, FILE_NAME_INFORMATION_SIZE],
  [FilePositionInformation, FILE_POSITION_INFORMATION_SIZE],
  [FileModeInformation, FILE_MODE_INFORMATION_SIZE],
  [FileAlignmentInformation, FILE_ALIGNMENT_INFORMATION_SIZE],
  [FileAllInformation, FILE_ALL_INFORMATION_SIZE],
  [FileAlternateNameInformation, FILE_NAME_INFORMATION_SIZE],
  [FileNetworkOpenInformation, FILE_NETWORK_OPEN_INFORMATION_SIZE],
  [FileAttributeTagInformation, FILE_ATTRIBUTE_TAG_INFORMATION_SIZE],
  [FileStatLxInformation, FILE_STAT_LX_INFORMATION_SIZE],
]);

/** The smallest buffer a query of `infoClass` needs, or 0 when the class cannot be queried. */
export function queryOperationLength(infoClass: number): number {
  return QUERY_OPERATION_LENGTH.get(infoClass) ?? 0;
}
