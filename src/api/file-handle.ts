/**
 * Resolving a user handle to its file object and checking the access the operation needs
 * (ObReferenceObjectByHandle with a desired access). Every service starts here.
 */
import { type NTSTATUS, STATUS_ACCESS_DENIED, STATUS_SUCCESS } from '../base/index.ts';
import { FileObject, FileObjectType } from '../io/index.ts';
import type { Handle, Process } from '../ob/index.ts';

export interface ResolvedFile {
  status: NTSTATUS;
  fileObject: FileObject | null;
  /** The access the handle was granted (0 when it did not resolve). */
  grantedAccess: number;
}

const INVALID: ResolvedFile = { status: 0, fileObject: null, grantedAccess: 0 };

/**
 * The file object behind `handle`, provided the handle was opened with at least one of the rights
 * in `anyOfAccess` (0 = no right needed).
 */
export function referenceFileByHandle(process: Process, handle: Handle, anyOfAccess: number): ResolvedFile {
  const { status, entry } = process.handleTable.resolve(handle, FileObjectType);
  if (entry === undefined) return { ...INVALID, status };
  if (anyOfAccess !== 0 && (entry.grantedAccess & anyOfAccess) === 0)
    return { status: STATUS_ACCESS_DENIED, fileObject: null, grantedAccess: 0 };
  return {
    status: STATUS_SUCCESS,
    fileObject: entry.object as FileObject,
    grantedAccess: entry.grantedAccess,
  };
}

export { FileObject };
