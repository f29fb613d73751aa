/**
 * IRP_MN_QUERY_DIRECTORY as every Strata file system answers it, around the file system's own
 * enumeration (FastFat's FatQueryDirectory, CDFS's CdQueryDirectory):
 *
 * - The checks, in order: the minor function (else STATUS_INVALID_DEVICE_REQUEST), an open of a
 *   directory (else STATUS_INVALID_PARAMETER), a directory information class
 *   (STATUS_INVALID_INFO_CLASS), a buffer length that is a positive whole number, and a search
 *   expression that is a string or absent (both STATUS_INVALID_PARAMETER, whether or not this
 *   query would use the expression: the I/O manager captures the parameter on every call).
 * - The search state lives on the handle's CCB: the expression of the first query sticks to it,
 *   later ones are ignored, and a restart (SL_RESTART_SCAN) may bring a new one or keep the old;
 *   a first query without one searches for `*`. The expression is upcased once, here, so the
 *   file system matches upcased names without folding case per entry. A new scan forgets whether
 *   anything was returned.
 * - The answer: the entries that fit the buffer (DirectoryBatch; SL_RETURN_SINGLE_ENTRY one) in
 *   Irp.systemBuffer; with none, STATUS_NO_SUCH_FILE while this scan never matched anything and
 *   STATUS_NO_MORE_FILES once it has.
 */
import {
  IRP_MN_QUERY_DIRECTORY,
  isDirectoryInformationClass,
  type NTSTATUS,
  SL_RESTART_SCAN,
  SL_RETURN_SINGLE_ENTRY,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_NO_MORE_FILES,
  STATUS_NO_SUCH_FILE,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import type { IoStackLocation, Irp } from '../irp.ts';
import type { QueryDirectoryParameters } from '../irp-parameters.ts';
import { DirectoryBatch } from './directory-batch.ts';
import { upcaseName } from './names.ts';

/** Whether the scan on a handle has returned anything yet: a CCB's part of the answer. */
export interface DirectoryScan {
  returnedAny: boolean;
}

/** The search state a CCB keeps for a file system that matches one upcased expression. */
export interface DirectorySearch extends DirectoryScan {
  /** The upcased expression, or null before the first query. */
  searchExpression: string | null;
}

/** STATUS_SUCCESS when the query may go ahead; `directoryOpen` says the handle is a directory's. */
export function checkQueryDirectory(location: IoStackLocation, directoryOpen: boolean): NTSTATUS {
  if (location.minorFunction !== IRP_MN_QUERY_DIRECTORY) return STATUS_INVALID_DEVICE_REQUEST;
  if (!directoryOpen) return STATUS_INVALID_PARAMETER;
  const parameters = location.parameters as QueryDirectoryParameters;
  if (!isDirectoryInformationClass(parameters.fileInformationClass)) return STATUS_INVALID_INFO_CLASS;
  const length = parameters.length;
  if (!Number.isInteger(length) || length <= 0) return STATUS_INVALID_PARAMETER;
  const pattern = parameters.fileName;
  if (pattern !== null && typeof pattern !== 'string') return STATUS_INVALID_PARAMETER;
  return STATUS_SUCCESS;
}

/**
 * Whether this query (checked) starts a scan: a restart, or the first query on the handle, which
 * the file system tells by its scan state still being null.
 */
export function startsDirectoryScan(location: IoStackLocation, scanState: unknown): boolean {
  return scanState === null || (location.flags & SL_RESTART_SCAN) !== 0;
}

/**
 * The upcased expression a scan starting now searches for: the query's own, else the one the
 * handle had, else `*`.
 */
export function scanExpression(location: IoStackLocation, current: string | null): string {
  const pattern = (location.parameters as QueryDirectoryParameters).fileName;
  if (pattern !== null && pattern !== '') return upcaseName(pattern);
  return current ?? '*';
}

/**
 * Starts a scan if this query (checked) starts one, recording its expression; true when it did,
 * and the caller then puts its cursor back at the start.
 */
export function startDirectorySearch(location: IoStackLocation, search: DirectorySearch): boolean {
  if (!startsDirectoryScan(location, search.searchExpression)) return false;
  search.searchExpression = scanExpression(location, search.searchExpression);
  search.returnedAny = false;
  return true;
}

/** The batch this query fills: the caller's buffer length, one entry with SL_RETURN_SINGLE_ENTRY. */
export function directoryBatchFor(location: IoStackLocation): DirectoryBatch {
  const parameters = location.parameters as QueryDirectoryParameters;
  return new DirectoryBatch(
    parameters.fileInformationClass,
    parameters.length,
    (location.flags & SL_RETURN_SINGLE_ENTRY) !== 0,
  );
}

/**
 * The status of a query that filled `batch`, its entries handed to the IRP; complete the IRP with
 * it and `batch.used` (0 when nothing was found).
 */
export function directoryQueryStatus(irp: Irp, batch: DirectoryBatch, scan: DirectoryScan): NTSTATUS {
  if (batch.entries.length === 0) return scan.returnedAny ? STATUS_NO_MORE_FILES : STATUS_NO_SUCH_FILE;
  scan.returnedAny = true;
  irp.systemBuffer = batch.entries;
  return STATUS_SUCCESS;
}
