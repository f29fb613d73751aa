/**
 * IoCreateFile: the kernel half of NtCreateFile, without the handle.
 *
 * Validates the request the way the I/O manager does before any driver sees it, maps generic
 * access rights to file rights, then looks the name up (absolute, or relative to an open directory)
 * so that IopParseDevice sends the IRP_MJ_CREATE. Returns a referenced file object on success.
 */
import {
  DELETE,
  FILE_ALL_ACCESS,
  FILE_APPEND_DATA,
  FILE_ATTRIBUTE_VALID_FLAGS,
  FILE_COMPLETE_IF_OPLOCKED,
  FILE_CREATE,
  FILE_DELETE_ON_CLOSE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_EXECUTE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_MAXIMUM_DISPOSITION,
  FILE_NO_COMPRESSION,
  FILE_NO_INTERMEDIATE_BUFFERING,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OPEN_BY_FILE_ID,
  FILE_OPEN_FOR_BACKUP_INTENT,
  FILE_OPEN_FOR_FREE_SPACE_QUERY,
  FILE_OPEN_IF,
  FILE_OPEN_REPARSE_POINT,
  FILE_OPEN_REQUIRING_OPLOCK,
  FILE_RESERVE_OPFILTER,
  FILE_SHARE_VALID_FLAGS,
  FILE_SYNCHRONOUS_IO_ALERT,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FILE_VALID_OPTION_FLAGS,
  FILE_WRITE_THROUGH,
  GENERIC_ALL,
  GENERIC_EXECUTE,
  GENERIC_READ,
  GENERIC_WRITE,
  isPromise,
  MAXIMUM_ALLOWED,
  type MaybePromise,
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_PATH_SYNTAX_BAD,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_REPARSE,
  STATUS_SUCCESS,
  SYNCHRONIZE,
  whenReady,
} from '../base/index.ts';
import type { LookupResult, ParseResult, Process } from '../ob/index.ts';
import { FileObject } from './file-object.ts';
import { OpenPacket } from './open-packet.ts';
import { IopParseDevice } from './parse-device.ts';
import type { System } from './system.ts';

export interface CreateFileRequest {
  /** Absolute object name (`\??\C:\dir\file`), or a name relative to `rootDirectory`. */
  objectName: string;
  rootDirectory?: FileObject | null;
  desiredAccess: number;
  fileAttributes?: number;
  shareAccess?: number;
  createDisposition: number;
  createOptions?: number;
  /** Open the parent directory of the name instead (SL_OPEN_TARGET_DIRECTORY). */
  openTargetDirectory?: boolean;
}

export interface CreateFileResult {
  status: NTSTATUS;
  fileObject: FileObject | null;
  /** IoStatus.Information: FILE_OPENED, FILE_CREATED, … */
  information: number;
}

/** Maps GENERIC_* bits to the file-specific rights (IoGetFileObjectGenericMapping). */
export function mapGenericFileAccess(access: number): number {
  let mapped = access & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL | MAXIMUM_ALLOWED);
  if (access & GENERIC_READ) mapped |= FILE_GENERIC_READ;
  if (access & GENERIC_WRITE) mapped |= FILE_GENERIC_WRITE;
  if (access & GENERIC_EXECUTE) mapped |= FILE_GENERIC_EXECUTE;
  if (access & (GENERIC_ALL | MAXIMUM_ALLOWED)) mapped |= FILE_ALL_ACCESS;
  return mapped >>> 0;
}

/**
 * The options a directory open may carry (IoCreateFile's list: WRK and ReactOS, plus
 * FILE_OPEN_REQUIRING_OPLOCK, which later Windows allows on directories); caching hints such as
 * FILE_SEQUENTIAL_ONLY or FILE_NO_INTERMEDIATE_BUFFERING mean nothing there and are refused.
 */
const DIRECTORY_OPTIONS =
  FILE_DIRECTORY_FILE |
  FILE_SYNCHRONOUS_IO_ALERT |
  FILE_SYNCHRONOUS_IO_NONALERT |
  FILE_WRITE_THROUGH |
  FILE_COMPLETE_IF_OPLOCKED |
  FILE_OPEN_FOR_BACKUP_INTENT |
  FILE_DELETE_ON_CLOSE |
  FILE_OPEN_FOR_FREE_SPACE_QUERY |
  FILE_OPEN_BY_FILE_ID |
  FILE_NO_COMPRESSION |
  FILE_OPEN_REPARSE_POINT |
  FILE_OPEN_REQUIRING_OPLOCK;

/**
 * The parameter checks IoCreateFile makes before any driver is involved. `desiredAccess` is the
 * mapped access; FILE_NO_INTERMEDIATE_BUFFERING is judged against the access as asked, as NT does,
 * so GENERIC_WRITE (whose mapping includes FILE_APPEND_DATA) may still be unbuffered.
 */
export function validateCreateRequest(request: CreateFileRequest, desiredAccess: number): NTSTATUS {
  const options = request.createOptions ?? 0;
  const disposition = request.createDisposition;
  if (!Number.isInteger(disposition) || disposition < 0 || disposition > FILE_MAXIMUM_DISPOSITION)
    return STATUS_INVALID_PARAMETER;
  if ((options & ~FILE_VALID_OPTION_FLAGS) !== 0) return STATUS_INVALID_PARAMETER;
  if (((request.shareAccess ?? 0) & ~FILE_SHARE_VALID_FLAGS) !== 0) return STATUS_INVALID_PARAMETER;
  if (((request.fileAttributes ?? 0) & ~FILE_ATTRIBUTE_VALID_FLAGS) !== 0) return STATUS_INVALID_PARAMETER;
  if (options & FILE_DIRECTORY_FILE && options & FILE_NON_DIRECTORY_FILE) return STATUS_INVALID_PARAMETER;
  if (
    options & FILE_DIRECTORY_FILE &&
    ((options & ~DIRECTORY_OPTIONS) !== 0 ||
      (disposition !== FILE_CREATE && disposition !== FILE_OPEN && disposition !== FILE_OPEN_IF))
  ) {
    return STATUS_INVALID_PARAMETER;
  }
  if (options & FILE_COMPLETE_IF_OPLOCKED && options & FILE_RESERVE_OPFILTER) return STATUS_INVALID_PARAMETER;
  if (options & FILE_NO_INTERMEDIATE_BUFFERING && request.desiredAccess & FILE_APPEND_DATA)
    return STATUS_INVALID_PARAMETER;
  const synchronous = options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT);
  if (synchronous === (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT))
    return STATUS_INVALID_PARAMETER;
  if (synchronous !== 0 && (desiredAccess & SYNCHRONIZE) === 0) return STATUS_INVALID_PARAMETER;
  if (options & FILE_DELETE_ON_CLOSE && (desiredAccess & DELETE) === 0) return STATUS_INVALID_PARAMETER;
  if (typeof request.objectName !== 'string') return STATUS_OBJECT_NAME_INVALID;
  return STATUS_SUCCESS;
}

/** IoCreateFile. `process` is the requester (null for kernel opens). */
export function IoCreateFile(
  system: System,
  process: Process | null,
  request: CreateFileRequest,
  kernelMode = false,
): MaybePromise<CreateFileResult> {
  const desiredAccess = mapGenericFileAccess(request.desiredAccess);
  const invalid = validateCreateRequest(request, desiredAccess);
  if (invalid !== STATUS_SUCCESS) return { status: invalid, fileObject: null, information: 0 };
  const root = request.rootDirectory ?? null;
  const packet = new OpenPacket(
    process,
    desiredAccess,
    request.fileAttributes ?? 0,
    request.shareAccess ?? 0,
    request.createDisposition,
    request.createOptions ?? 0,
    root,
    kernelMode,
  );
  packet.openTargetDirectory = request.openTargetDirectory ?? false;
  let lookup: MaybePromise<LookupResult>;
  if (root !== null) {
    if (!(root instanceof FileObject))
      return { status: STATUS_OBJECT_TYPE_MISMATCH, fileObject: null, information: 0 };
    if (request.objectName.startsWith('\\'))
      return { status: STATUS_OBJECT_PATH_SYNTAX_BAD, fileObject: null, information: 0 };
    lookup = whenReady(IopParseDevice(root.deviceObject, request.objectName, packet), (parsed) =>
      reparseFromRoot(system, parsed, packet),
    );
  } else {
    packet.originalName = request.objectName;
    lookup = system.ob.lookup(request.objectName, packet);
  }
  if (isPromise(lookup)) return lookup.then((result) => finishCreate(result, packet, desiredAccess));
  return finishCreate(lookup, packet, desiredAccess);
}

/**
 * A relative open that a file system answered with STATUS_REPARSE (a link, a reparse point it
 * resolved to a new object name): the new name is absolute, so the lookup starts over at the root
 * without the related directory, as the object manager does for any reparse.
 */
function reparseFromRoot(
  system: System,
  parsed: ParseResult,
  packet: OpenPacket,
): MaybePromise<LookupResult> {
  if (parsed.status !== STATUS_REPARSE || parsed.reparseName === undefined) return parsed;
  if (!parsed.reparseName.startsWith('\\')) return { status: STATUS_OBJECT_NAME_INVALID, object: null };
  packet.relatedFileObject = null;
  packet.originalName = parsed.reparseName;
  return system.ob.lookup(parsed.reparseName, packet);
}

function finishCreate(result: LookupResult, packet: OpenPacket, desiredAccess: number): CreateFileResult {
  if (!NT_SUCCESS(result.status) || !(result.object instanceof FileObject)) {
    // A name that ended at a non-device object (a directory, a link target) is not a file.
    const status = NT_SUCCESS(result.status) ? STATUS_OBJECT_TYPE_MISMATCH : result.status;
    return { status, fileObject: null, information: packet.information };
  }
  result.object.grantedAccess = desiredAccess;
  return { status: result.status, fileObject: result.object, information: packet.information };
}
