/**
 * FileBasicInformation as a set request reads it (FastFat's FatSetBasicInfo, NTFS alike): the
 * checks every file system makes before it decides what to store.
 *
 * Rules: each time is a number; 0 (or absent) leaves that time alone, and so does -1 (which in NT
 * also stops the file system updating it for the rest of the handle's life; Strata's file systems
 * keep no such state, so it only leaves the time alone). Attributes 0 leave them alone; otherwise
 * they must be a subset of FILE_ATTRIBUTE_VALID_FLAGS, a file cannot be given DIRECTORY and a
 * directory cannot be given TEMPORARY. Anything else is STATUS_INVALID_PARAMETER and the file
 * system changes nothing. What a file system keeps of valid attributes is its own choice
 * (`storedAttributes`); FILE_ATTRIBUTE_NORMAL alone clears them.
 */
import {
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_TEMPORARY,
  FILE_ATTRIBUTE_VALID_FLAGS,
  type NTSTATUS,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../base/index.ts';

/** A FileBasicInformation record, checked: null times and 0 attributes mean "leave alone". */
export interface BasicInformationChange {
  /** STATUS_INVALID_PARAMETER when the record breaks a rule; then nothing else is meaningful. */
  status: NTSTATUS;
  creationTime: number | null;
  lastAccessTime: number | null;
  lastWriteTime: number | null;
  changeTime: number | null;
  fileAttributes: number;
}

const INVALID: Readonly<BasicInformationChange> = Object.freeze({
  status: STATUS_INVALID_PARAMETER,
  creationTime: null,
  lastAccessTime: null,
  lastWriteTime: null,
  changeTime: null,
  fileAttributes: 0,
});

/** A time field: null to leave alone, the time to set, or undefined when it is not a time. */
function givenTime(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return value === 0 || value === -1 ? null : value;
}

/** Checks a FileBasicInformation record for a file (`isDirectory` false) or a directory. */
export function readBasicInformation(
  info: Record<string, unknown>,
  isDirectory: boolean,
): BasicInformationChange {
  const creationTime = givenTime(info.creationTime);
  const lastAccessTime = givenTime(info.lastAccessTime);
  const lastWriteTime = givenTime(info.lastWriteTime);
  const changeTime = givenTime(info.changeTime);
  if (
    creationTime === undefined ||
    lastAccessTime === undefined ||
    lastWriteTime === undefined ||
    changeTime === undefined
  )
    return INVALID;
  const fileAttributes = info.fileAttributes ?? 0;
  if (typeof fileAttributes !== 'number' || !Number.isInteger(fileAttributes) || fileAttributes < 0)
    return INVALID;
  if (fileAttributes !== 0) {
    if ((fileAttributes & ~FILE_ATTRIBUTE_VALID_FLAGS) !== 0) return INVALID;
    if (!isDirectory && (fileAttributes & FILE_ATTRIBUTE_DIRECTORY) !== 0) return INVALID;
    if (isDirectory && (fileAttributes & FILE_ATTRIBUTE_TEMPORARY) !== 0) return INVALID;
  }
  return { status: STATUS_SUCCESS, creationTime, lastAccessTime, lastWriteTime, changeTime, fileAttributes };
}

/**
 * The attributes a file system stores for requested (non-zero) attributes: those of `kept` it can
 * keep, without NORMAL, with DIRECTORY exactly when the file is one.
 */
export function storedAttributes(requested: number, isDirectory: boolean, kept: number): number {
  return (requested & kept & ~FILE_ATTRIBUTE_NORMAL) | (isDirectory ? FILE_ATTRIBUTE_DIRECTORY : 0);
}
