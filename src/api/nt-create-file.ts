/**
 * NtCreateFile / NtOpenFile: open or create a file, directory, volume or device and return a handle.
 *
 * The name is parsed through the namespace and its symbolic links (`\??\C:` → the volume's
 * device), the volume is mounted on demand, and the IRP_MJ_CREATE goes to the top of the stack.
 * The result carries IoStatus.Information (FILE_CREATED, FILE_OPENED, …).
 */

import { FILE_OPEN, isPromise, type MaybePromise, NT_SUCCESS, type NTSTATUS } from '../base/index.ts';
import { type CreateFileRequest, type CreateFileResult, IoCreateFile, type System } from '../io/index.ts';
import { type Handle, ObDereferenceObject, type Process } from '../ob/index.ts';
import { referenceFileByHandle } from './file-handle.ts';

export interface NtCreateFileRequest extends Omit<CreateFileRequest, 'rootDirectory'> {
  /** A handle to an open directory that `objectName` is relative to. */
  rootDirectory?: Handle | null;
}

export interface NtCreateFileResult {
  status: NTSTATUS;
  handle: Handle | null;
  /** IoStatus.Information of the create. */
  information: number;
}

export function NtCreateFile(
  system: System,
  process: Process,
  request: NtCreateFileRequest,
): MaybePromise<NtCreateFileResult> {
  let rootDirectory = null;
  if (request.rootDirectory !== undefined && request.rootDirectory !== null) {
    const root = referenceFileByHandle(process, request.rootDirectory, 0);
    if (root.fileObject === null) return { status: root.status, handle: null, information: 0 };
    rootDirectory = root.fileObject;
  }
  // A request of one fixed shape, whatever optional fields the caller left out: the create path
  // reads these fields many times, and one shape keeps those reads monomorphic.
  const created = IoCreateFile(system, process, {
    objectName: request.objectName,
    rootDirectory,
    desiredAccess: request.desiredAccess,
    fileAttributes: request.fileAttributes ?? 0,
    shareAccess: request.shareAccess ?? 0,
    createDisposition: request.createDisposition,
    createOptions: request.createOptions ?? 0,
    openTargetDirectory: request.openTargetDirectory ?? false,
  });
  if (isPromise(created)) return created.then((result) => insertHandle(process, result));
  return insertHandle(process, created);
}

function insertHandle(process: Process, created: CreateFileResult): NtCreateFileResult {
  const { status, fileObject, information } = created;
  if (!NT_SUCCESS(status) || fileObject === null) return { status, handle: null, information };
  const handle = process.handleTable.insert(fileObject, fileObject.grantedAccess);
  ObDereferenceObject(fileObject); // the handle now holds the reference the lookup returned
  return { status, handle, information };
}

export interface NtOpenFileRequest {
  objectName: string;
  rootDirectory?: Handle | null;
  desiredAccess: number;
  shareAccess?: number;
  openOptions?: number;
}

/** NtOpenFile: NtCreateFile with FILE_OPEN. */
export function NtOpenFile(
  system: System,
  process: Process,
  request: NtOpenFileRequest,
): MaybePromise<NtCreateFileResult> {
  return NtCreateFile(system, process, {
    objectName: request.objectName,
    rootDirectory: request.rootDirectory ?? null,
    desiredAccess: request.desiredAccess,
    shareAccess: request.shareAccess ?? 0,
    createDisposition: FILE_OPEN,
    createOptions: request.openOptions ?? 0,
  });
}
