/**
 * Answering IRP_MJ_QUERY_INFORMATION from the facts a file system knows about one open file: the
 * common half of FastFat's FatCommonQueryInformation and CDFS's CdCommonQueryInfo (which record a
 * class is made of, and how the caller's buffer bounds it). NT's I/O manager makes the length check
 * before a file system sees a query (IopQueryOperationLength; NtQueryInformationFile does here too),
 * but a file system also meets queries that filters and drivers build themselves, so it checks
 * again, here once for all of them.
 *
 * Rules: a `length` below the fixed part of the class's structure is STATUS_INFO_LENGTH_MISMATCH
 * and nothing is returned; a name that does not fit is cut to whole UTF-16 units and the status is
 * STATUS_BUFFER_OVERFLOW (a warning: the record is still returned); IoStatus.Information is the
 * byte count of the C structure (fixed part plus the name as returned). The position comes from
 * the file object. A class the file system does not answer gets `facts.unsupportedClass`.
 *
 * Invariant: nothing is allocated but the record returned (and, for the name classes, the name and
 * its fitting). `FileFacts` is a table of plain functions the driver declares once (no closures,
 * no snapshot object per query); `extra` carries what the driver looked up for this query alone
 * (HostFS: the fresh host stat).
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
  type FileAllInfo,
  FileAllInformation,
  FileAlternateNameInformation,
  type FileAttributeTagInfo,
  FileAttributeTagInformation,
  type FileBasicInfo,
  FileBasicInformation,
  type FileEaInfo,
  FileEaInformation,
  FileInternalInformation,
  FileNameInformation,
  type FileNetworkOpenInfo,
  FileNetworkOpenInformation,
  FilePositionInformation,
  type FileStandardInfo,
  FileStandardInformation,
  type FileStatLxInfo,
  FileStatLxInformation,
  type NTSTATUS,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import { completeRequest } from '../complete-request.ts';
import { IoGetCurrentIrpStackLocation, type Irp } from '../irp.ts';
import type { QueryFileParameters } from '../irp-parameters.ts';
import { fitNameInBuffer } from './information-buffer.ts';

/**
 * What a file system knows about an open file `F`, one fact a function. `X` is per-query context
 * the driver fetched before answering (undefined when it needs none).
 */
export interface FileFacts<F, X = undefined> {
  /** The status for a class this file system does not answer. */
  readonly unsupportedClass: NTSTATUS;
  creationTime(file: F, extra: X): number;
  lastAccessTime(file: F, extra: X): number;
  lastWriteTime(file: F, extra: X): number;
  changeTime(file: F, extra: X): number;
  /** As reported: FILE_ATTRIBUTE_NORMAL where the file has none. */
  fileAttributes(file: F, extra: X): number;
  allocationSize(file: F, extra: X): number;
  endOfFile(file: F, extra: X): number;
  numberOfLinks(file: F, extra: X): number;
  deletePending(file: F, extra: X): boolean;
  isDirectory(file: F, extra: X): boolean;
  /** FileInternalInformation's IndexNumber (also FileStatLxInformation's FileId). */
  indexNumber(file: F, extra: X): number;
  reparseTag(file: F, extra: X): number;
  /** The name FileNameInformation reports, starting with a backslash. */
  fileName(file: F, extra: X): string;
  /** FileEaInformation's EaSize; null: the class is not answered. */
  readonly eaSize: ((file: F, extra: X) => number) | null;
  /**
   * FileAlternateNameInformation: the short name, or null for a file without one
   * (STATUS_OBJECT_NAME_NOT_FOUND); the whole entry null: the class is not answered.
   */
  readonly alternateName: ((file: F, extra: X) => string | null) | null;
  /**
   * FileStatLxInformation: fills the `lx*` fields of a record whose common fields are set (and may
   * correct `numberOfLinks` where POSIX metadata counts links itself); null: not answered.
   */
  readonly statLx: ((file: F, extra: X, record: FileStatLxInfo) => void) | null;
}

function basicInfo<F, X>(facts: FileFacts<F, X>, file: F, extra: X): FileBasicInfo {
  return {
    creationTime: facts.creationTime(file, extra),
    lastAccessTime: facts.lastAccessTime(file, extra),
    lastWriteTime: facts.lastWriteTime(file, extra),
    changeTime: facts.changeTime(file, extra),
    fileAttributes: facts.fileAttributes(file, extra),
  };
}

function standardInfo<F, X>(facts: FileFacts<F, X>, file: F, extra: X): FileStandardInfo {
  return {
    allocationSize: facts.allocationSize(file, extra),
    endOfFile: facts.endOfFile(file, extra),
    numberOfLinks: facts.numberOfLinks(file, extra),
    deletePending: facts.deletePending(file, extra),
    directory: facts.isDirectory(file, extra),
  };
}

function networkOpenInfo<F, X>(facts: FileFacts<F, X>, file: F, extra: X): FileNetworkOpenInfo {
  return {
    creationTime: facts.creationTime(file, extra),
    lastAccessTime: facts.lastAccessTime(file, extra),
    lastWriteTime: facts.lastWriteTime(file, extra),
    changeTime: facts.changeTime(file, extra),
    fileAttributes: facts.fileAttributes(file, extra),
    allocationSize: facts.allocationSize(file, extra),
    endOfFile: facts.endOfFile(file, extra),
  };
}

function statLxInfo<F, X>(facts: FileFacts<F, X>, file: F, extra: X): FileStatLxInfo {
  return {
    fileId: facts.indexNumber(file, extra),
    creationTime: facts.creationTime(file, extra),
    lastAccessTime: facts.lastAccessTime(file, extra),
    lastWriteTime: facts.lastWriteTime(file, extra),
    changeTime: facts.changeTime(file, extra),
    allocationSize: facts.allocationSize(file, extra),
    endOfFile: facts.endOfFile(file, extra),
    fileAttributes: facts.fileAttributes(file, extra),
    reparseTag: facts.reparseTag(file, extra),
    numberOfLinks: facts.numberOfLinks(file, extra),
    effectiveAccess: 0,
    lxFlags: 0,
    lxUid: 0,
    lxGid: 0,
    lxMode: 0,
    lxDeviceIdMajor: 0,
    lxDeviceIdMinor: 0,
  };
}

/** Returns a fixed-size record the caller's buffer was checked to hold. */
function answer(irp: Irp, size: number, record: unknown): NTSTATUS {
  irp.systemBuffer = record;
  return completeRequest(irp, STATUS_SUCCESS, size);
}

function nameRecord(irp: Irp, length: number, fullName: string): NTSTATUS {
  const { name, overflow } = fitNameInBuffer(fullName, length, FILE_NAME_INFORMATION_SIZE);
  irp.systemBuffer = { fileName: name };
  const status = overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
  return completeRequest(irp, status, FILE_NAME_INFORMATION_SIZE + 2 * name.length);
}

/**
 * Completes a query-information IRP (its current stack location gives the class, the length and
 * the file object) with the record `facts` describe for `file`.
 */
export function queryFileInformation<F, X>(irp: Irp, facts: FileFacts<F, X>, file: F, extra: X): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const { fileInformationClass, length } = location.parameters as QueryFileParameters;
  // Each record is built only once its length check passed: a refused query allocates nothing.
  switch (fileInformationClass) {
    case FileBasicInformation:
      if (length < FILE_BASIC_INFORMATION_SIZE) break;
      return answer(irp, FILE_BASIC_INFORMATION_SIZE, basicInfo(facts, file, extra));
    case FileStandardInformation:
      if (length < FILE_STANDARD_INFORMATION_SIZE) break;
      return answer(irp, FILE_STANDARD_INFORMATION_SIZE, standardInfo(facts, file, extra));
    case FileInternalInformation:
      if (length < FILE_INTERNAL_INFORMATION_SIZE) break;
      return answer(irp, FILE_INTERNAL_INFORMATION_SIZE, { indexNumber: facts.indexNumber(file, extra) });
    case FileEaInformation: {
      const eaSize = facts.eaSize;
      if (eaSize === null) return completeRequest(irp, facts.unsupportedClass);
      if (length < FILE_EA_INFORMATION_SIZE) break;
      const info: FileEaInfo = { eaSize: eaSize(file, extra) };
      return answer(irp, FILE_EA_INFORMATION_SIZE, info);
    }
    case FilePositionInformation:
      if (length < FILE_POSITION_INFORMATION_SIZE) break;
      return answer(irp, FILE_POSITION_INFORMATION_SIZE, {
        currentByteOffset: location.fileObject!.currentByteOffset,
      });
    case FileAttributeTagInformation: {
      if (length < FILE_ATTRIBUTE_TAG_INFORMATION_SIZE) break;
      const info: FileAttributeTagInfo = {
        fileAttributes: facts.fileAttributes(file, extra),
        reparseTag: facts.reparseTag(file, extra),
      };
      return answer(irp, FILE_ATTRIBUTE_TAG_INFORMATION_SIZE, info);
    }
    case FileNetworkOpenInformation:
      if (length < FILE_NETWORK_OPEN_INFORMATION_SIZE) break;
      return answer(irp, FILE_NETWORK_OPEN_INFORMATION_SIZE, networkOpenInfo(facts, file, extra));
    case FileStatLxInformation: {
      const fill = facts.statLx;
      if (fill === null) return completeRequest(irp, facts.unsupportedClass);
      if (length < FILE_STAT_LX_INFORMATION_SIZE) break;
      const info = statLxInfo(facts, file, extra);
      fill(file, extra, info);
      return answer(irp, FILE_STAT_LX_INFORMATION_SIZE, info);
    }
    case FileNameInformation:
      if (length < FILE_NAME_INFORMATION_SIZE) break;
      return nameRecord(irp, length, facts.fileName(file, extra));
    case FileAlternateNameInformation: {
      const alternateName = facts.alternateName;
      if (alternateName === null) return completeRequest(irp, facts.unsupportedClass);
      const shortName = alternateName(file, extra);
      if (shortName === null) return completeRequest(irp, STATUS_OBJECT_NAME_NOT_FOUND);
      if (length < FILE_NAME_INFORMATION_SIZE) break;
      return nameRecord(irp, length, shortName);
    }
    case FileAllInformation: {
      if (length < FILE_ALL_INFORMATION_SIZE) break;
      const { name, overflow } = fitNameInBuffer(
        facts.fileName(file, extra),
        length,
        FILE_ALL_INFORMATION_SIZE,
      );
      const info: FileAllInfo = {
        basic: basicInfo(facts, file, extra),
        standard: standardInfo(facts, file, extra),
        internal: { indexNumber: facts.indexNumber(file, extra) },
        position: { currentByteOffset: location.fileObject!.currentByteOffset },
        name: { fileName: name },
      };
      irp.systemBuffer = info;
      const status = overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(irp, status, FILE_ALL_INFORMATION_SIZE + 2 * name.length);
    }
    default:
      return completeRequest(irp, facts.unsupportedClass);
  }
  return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
}
