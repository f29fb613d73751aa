/**
 * FILE_INFORMATION_CLASS and FS_INFORMATION_CLASS values, and the records that carry them.
 *
 * Strata passes information as structured records rather than packed C structures (see
 * docs/deviations.md): the field names follow the WDK structures in camelCase, times are
 * milliseconds since 1970-01-01 UTC (fractions allowed), sizes are numbers. `*_SIZE` constants give
 * the fixed part of each structure in bytes so a driver can honour the caller's buffer length.
 */

// FILE_INFORMATION_CLASS
export const FileDirectoryInformation = 1;
export const FileFullDirectoryInformation = 2;
export const FileBothDirectoryInformation = 3;
export const FileBasicInformation = 4;
export const FileStandardInformation = 5;
export const FileInternalInformation = 6;
export const FileEaInformation = 7;
export const FileAccessInformation = 8;
export const FileNameInformation = 9;
export const FileRenameInformation = 10;
export const FileLinkInformation = 11;
export const FileNamesInformation = 12;
export const FileDispositionInformation = 13;
export const FilePositionInformation = 14;
export const FileModeInformation = 16;
export const FileAlignmentInformation = 17;
export const FileAllInformation = 18;
export const FileAllocationInformation = 19;
export const FileEndOfFileInformation = 20;
export const FileAlternateNameInformation = 21;
export const FileNetworkOpenInformation = 34;
export const FileAttributeTagInformation = 35;
export const FileIdBothDirectoryInformation = 37;
export const FileIdFullDirectoryInformation = 38;
export const FileDispositionInformationEx = 64;
export const FileStatLxInformation = 70;

// FS_INFORMATION_CLASS
export const FileFsVolumeInformation = 1;
export const FileFsLabelInformation = 2;
export const FileFsSizeInformation = 3;
export const FileFsDeviceInformation = 4;
export const FileFsAttributeInformation = 5;
export const FileFsControlInformation = 6;
export const FileFsFullSizeInformation = 7;
/** One past the last class of current Windows (FileFsGuidInformation = 15): the I/O manager refuses it and any class after it. */
export const FileFsMaximumInformation = 16;

// FILE_FS_ATTRIBUTE_INFORMATION.FileSystemAttributes
export const FILE_CASE_SENSITIVE_SEARCH = 0x00000001;
export const FILE_CASE_PRESERVED_NAMES = 0x00000002;
export const FILE_UNICODE_ON_DISK = 0x00000004;
export const FILE_PERSISTENT_ACLS = 0x00000008;
export const FILE_SUPPORTS_REPARSE_POINTS = 0x00000080;
export const FILE_READ_ONLY_VOLUME = 0x00080000;

// FILE_DISPOSITION_INFORMATION_EX flags
export const FILE_DISPOSITION_DO_NOT_DELETE = 0x0;
export const FILE_DISPOSITION_DELETE = 0x1;
export const FILE_DISPOSITION_POSIX_SEMANTICS = 0x2;
/** No image sections exist here, so the check is accepted and has nothing to do. */
export const FILE_DISPOSITION_FORCE_IMAGE_SECTION_CHECK = 0x4;
/** Windows 10 1809: delete a file even though it has FILE_ATTRIBUTE_READONLY. */
export const FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE = 0x10;

export interface FileBasicInfo {
  creationTime: number;
  lastAccessTime: number;
  lastWriteTime: number;
  changeTime: number;
  fileAttributes: number;
}
export const FILE_BASIC_INFORMATION_SIZE = 40;

export interface FileStandardInfo {
  allocationSize: number;
  endOfFile: number;
  numberOfLinks: number;
  deletePending: boolean;
  directory: boolean;
}
export const FILE_STANDARD_INFORMATION_SIZE = 24;

/**
 * Fixed parts of the other structures file systems fill, in bytes (up to, not including, a
 * trailing name): what a caller's buffer must hold at least, and what IoStatus.Information counts.
 */
export const FILE_INTERNAL_INFORMATION_SIZE = 8;
export const FILE_POSITION_INFORMATION_SIZE = 8;
export const FILE_NAME_INFORMATION_SIZE = 4;
export const FILE_NETWORK_OPEN_INFORMATION_SIZE = 56;
export const FILE_ATTRIBUTE_TAG_INFORMATION_SIZE = 8;
/** FILE_ALL_INFORMATION up to its FileName: basic, standard, internal, EA, access, position, mode, alignment, name length. */
export const FILE_ALL_INFORMATION_SIZE = 100;
export const FILE_FS_VOLUME_INFORMATION_SIZE = 18;
export const FILE_FS_SIZE_INFORMATION_SIZE = 24;
export const FILE_FS_DEVICE_INFORMATION_SIZE = 8;
export const FILE_FS_ATTRIBUTE_INFORMATION_SIZE = 12;
export const FILE_FS_FULL_SIZE_INFORMATION_SIZE = 32;

export interface FileInternalInfo {
  indexNumber: number;
}

export interface FileNameInfo {
  /** The path from the volume root, starting with a backslash. */
  fileName: string;
}

export interface FilePositionInfo {
  currentByteOffset: number;
}

export interface FileEndOfFileInfo {
  endOfFile: number;
}

export interface FileAllocationInfo {
  allocationSize: number;
}

export interface FileDispositionInfo {
  deleteFile: boolean;
}

export interface FileDispositionInfoEx {
  flags: number;
}

/** FILE_RENAME_INFORMATION: `fileName` is either a full path on the same volume or, with a root directory, relative to it. */
export interface FileRenameInfo {
  replaceIfExists: boolean;
  /** Filled by the I/O manager from RootDirectory (a handle) or from the target's parent. */
  rootDirectory: unknown;
  fileName: string;
}

/** FILE_EA_INFORMATION: the bytes the file's extended attributes would take. */
export interface FileEaInfo {
  eaSize: number;
}
export const FILE_EA_INFORMATION_SIZE = 4;

/** FILE_ATTRIBUTE_TAG_INFORMATION: the attributes, and the reparse tag where FILE_ATTRIBUTE_REPARSE_POINT is set. */
export interface FileAttributeTagInfo {
  fileAttributes: number;
  reparseTag: number;
}

export interface FileNetworkOpenInfo extends FileBasicInfo {
  allocationSize: number;
  endOfFile: number;
}

/** FILE_ACCESS_INFORMATION: the access the handle was granted. */
export interface FileAccessInfo {
  accessFlags: number;
}

/** FILE_MODE_INFORMATION: the FILE_SYNCHRONOUS_IO_*, FILE_WRITE_THROUGH, … options the file object was opened with. */
export interface FileModeInfo {
  mode: number;
}

/** FILE_ALIGNMENT_INFORMATION: the alignment the device needs for unbuffered transfers (FILE_*_ALIGNMENT). */
export interface FileAlignmentInfo {
  alignmentRequirement: number;
}

export interface FileAllInfo {
  basic: FileBasicInfo;
  standard: FileStandardInfo;
  internal: FileInternalInfo;
  position: FilePositionInfo;
  name: FileNameInfo;
}

/**
 * One directory entry. File systems fill every field; the information class decides what a
 * caller is promised (FileNamesInformation: the name only), and sizes the entry for buffer accounting.
 */
export interface FileDirectoryEntry {
  fileIndex: number;
  creationTime: number;
  lastAccessTime: number;
  lastWriteTime: number;
  changeTime: number;
  endOfFile: number;
  allocationSize: number;
  fileAttributes: number;
  fileName: string;
  /** The 8.3 name where the file system has one distinct from `fileName`, else ''. */
  shortName: string;
  fileId: number;
}

/** Bytes one entry of a directory information class takes (fixed part, name, 8-byte alignment). */
export function directoryEntrySize(infoClass: number, nameLength: number): number {
  let fixed: number;
  switch (infoClass) {
    case FileNamesInformation:
      fixed = 12;
      break;
    case FileDirectoryInformation:
      fixed = 64;
      break;
    case FileFullDirectoryInformation:
      fixed = 68;
      break;
    case FileIdFullDirectoryInformation:
      fixed = 80;
      break;
    case FileBothDirectoryInformation:
      fixed = 94;
      break;
    default:
      fixed = 104; // FileIdBothDirectoryInformation
  }
  return (fixed + nameLength * 2 + 7) & ~7;
}

/** True for the classes NtQueryDirectoryFile accepts. */
export function isDirectoryInformationClass(infoClass: number): boolean {
  return (
    infoClass === FileDirectoryInformation ||
    infoClass === FileFullDirectoryInformation ||
    infoClass === FileBothDirectoryInformation ||
    infoClass === FileNamesInformation ||
    infoClass === FileIdBothDirectoryInformation ||
    infoClass === FileIdFullDirectoryInformation
  );
}

export interface FileFsVolumeInfo {
  volumeCreationTime: number;
  volumeSerialNumber: number;
  volumeLabel: string;
  supportsObjects: boolean;
}

export interface FileFsLabelInfo {
  volumeLabel: string;
}

export interface FileFsSizeInfo {
  totalAllocationUnits: number;
  availableAllocationUnits: number;
  sectorsPerAllocationUnit: number;
  bytesPerSector: number;
}

export interface FileFsFullSizeInfo {
  totalAllocationUnits: number;
  callerAvailableAllocationUnits: number;
  actualAvailableAllocationUnits: number;
  sectorsPerAllocationUnit: number;
  bytesPerSector: number;
}

export interface FileFsDeviceInfo {
  deviceType: number;
  characteristics: number;
}

export interface FileFsAttributeInfo {
  fileSystemAttributes: number;
  maximumComponentNameLength: number;
  fileSystemName: string;
}

/**
 * FILE_STAT_LX_INFORMATION (FileStatLxInformation): the stat record with POSIX metadata, as WSL
 * reads it. `lxFlags` says which of uid, gid, mode and device id the file system knows.
 */
export interface FileStatLxInfo {
  fileId: number;
  creationTime: number;
  lastAccessTime: number;
  lastWriteTime: number;
  changeTime: number;
  allocationSize: number;
  endOfFile: number;
  fileAttributes: number;
  reparseTag: number;
  numberOfLinks: number;
  effectiveAccess: number;
  lxFlags: number;
  lxUid: number;
  lxGid: number;
  /** st_mode, file type bits included. */
  lxMode: number;
  lxDeviceIdMajor: number;
  lxDeviceIdMinor: number;
}
export const FILE_STAT_LX_INFORMATION_SIZE = 96;
export const LX_FILE_METADATA_HAS_UID = 0x1;
export const LX_FILE_METADATA_HAS_GID = 0x2;
export const LX_FILE_METADATA_HAS_MODE = 0x4;
export const LX_FILE_METADATA_HAS_DEVICE_ID = 0x8;
