/**
 * Which FILE_INFORMATION_CLASS values NtQueryInformationFile accepts, and the smallest buffer each
 * needs: the I/O manager's IopQueryOperationLength table. A class outside the table (the
 * directory classes, the set-only classes, numbers past FileMaximumInformation) is
 * STATUS_INVALID_INFO_CLASS before any file system sees the request; a buffer shorter than the
 * fixed part is STATUS_INFO_LENGTH_MISMATCH.
 *
 * Sizes are sizeof of the x64 C structures, as the table holds them: for a structure that ends in a
 * name (FILE_NAME_INFORMATION, FILE_ALL_INFORMATION) that is the fixed part plus the first WCHAR of
 * the name and the padding, so a buffer must hold a little more than the part before the name.
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
/** sizeof(FILE_NAME_INFORMATION): the ULONG length and FileName[1], padded to 4. */
const SIZEOF_FILE_NAME_INFORMATION = FILE_NAME_INFORMATION_SIZE + 4;
/** sizeof(FILE_ALL_INFORMATION): everything before the name, FileName[1], padded to 8. */
const SIZEOF_FILE_ALL_INFORMATION = FILE_ALL_INFORMATION_SIZE + 4;

const QUERY_OPERATION_LENGTH = new Map<number, number>([
  [FileBasicInformation, FILE_BASIC_INFORMATION_SIZE],
  [FileStandardInformation, FILE_STANDARD_INFORMATION_SIZE],
  [FileInternalInformation, FILE_INTERNAL_INFORMATION_SIZE],
  [FileEaInformation, FILE_EA_INFORMATION_SIZE],
  [FileAccessInformation, FILE_ACCESS_INFORMATION_SIZE],
  [FileNameInformation, SIZEOF_FILE_NAME_INFORMATION],
  [FilePositionInformation, FILE_POSITION_INFORMATION_SIZE],
  [FileModeInformation, FILE_MODE_INFORMATION_SIZE],
  [FileAlignmentInformation, FILE_ALIGNMENT_INFORMATION_SIZE],
  [FileAllInformation, SIZEOF_FILE_ALL_INFORMATION],
  [FileAlternateNameInformation, SIZEOF_FILE_NAME_INFORMATION],
  [FileNetworkOpenInformation, FILE_NETWORK_OPEN_INFORMATION_SIZE],
  [FileAttributeTagInformation, FILE_ATTRIBUTE_TAG_INFORMATION_SIZE],
  [FileStatLxInformation, FILE_STAT_LX_INFORMATION_SIZE],
]);

/** The smallest buffer a query of `infoClass` needs, or 0 when the class cannot be queried. */
export function queryOperationLength(infoClass: number): number {
  return QUERY_OPERATION_LENGTH.get(infoClass) ?? 0;
}
