/**
 * Errors a control request can end with, and how they become protocol errors.
 *
 * Inside the daemon a failed kernel call throws NtStatusError (status, what was being done, the
 * path as the client wrote it); a bad parameter throws InvalidParamsError; a host resource that
 * fails throws HostError. The dispatcher turns each into a ControlError; anything else is a bug and
 * becomes INTERNAL, after which the daemon keeps serving.
 */
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_CANNOT_DELETE,
  STATUS_DELETE_PENDING,
  STATUS_DEVICE_ALREADY_ATTACHED,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_DISK_CORRUPT_ERROR,
  STATUS_DISK_FULL,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_IMAGE_ALREADY_LOADED,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NOT_A_DIRECTORY,
  STATUS_NOT_FOUND,
  STATUS_NOT_SAME_DEVICE,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SHARING_VIOLATION,
  STATUS_UNRECOGNIZED_VOLUME,
  STATUS_VOLUME_DISMOUNTED,
  statusName,
} from '../../base/index.ts';
import { type ControlError, shortened } from '../control/index.ts';

/** Why a status usually happens, in words, for the most common file statuses. */
const EXPLANATIONS: ReadonlyMap<NTSTATUS, string> = new Map([
  [STATUS_OBJECT_NAME_NOT_FOUND, 'no such file or directory'],
  [STATUS_OBJECT_PATH_NOT_FOUND, 'a directory on the path does not exist'],
  [STATUS_OBJECT_NAME_COLLISION, 'it already exists'],
  [STATUS_OBJECT_NAME_INVALID, 'the file system refuses this name'],
  [STATUS_ACCESS_DENIED, 'access denied'],
  [STATUS_SHARING_VIOLATION, 'another open of the file does not share it'],
  [STATUS_DIRECTORY_NOT_EMPTY, 'the directory is not empty'],
  [STATUS_NOT_A_DIRECTORY, 'it is not a directory'],
  [STATUS_FILE_IS_A_DIRECTORY, 'it is a directory'],
  [STATUS_MEDIA_WRITE_PROTECTED, 'the volume is read-only'],
  [STATUS_DISK_FULL, 'the volume is full'],
  [STATUS_CANNOT_DELETE, 'the file is read-only or in use'],
  [STATUS_DELETE_PENDING, 'the file is being deleted'],
  [STATUS_NOT_SAME_DEVICE, 'the target is on another volume'],
  [STATUS_UNRECOGNIZED_VOLUME, 'no file system recognized the volume'],
  [STATUS_VOLUME_DISMOUNTED, 'the volume was dismounted'],
  [STATUS_DISK_CORRUPT_ERROR, 'the volume is corrupt'],
  [STATUS_DEVICE_ALREADY_ATTACHED, 'the filter is already attached there'],
  [STATUS_NOT_FOUND, 'not found'],
  [STATUS_IMAGE_ALREADY_LOADED, 'the driver is already loaded'],
]);

/** A kernel call failed. `action` reads as a gerund phrase: "opening", "creating the directory". */
export class NtStatusError extends Error {
  constructor(
    readonly status: NTSTATUS,
    readonly action: string,
    readonly path: string | null,
    /** Overrides the usual explanation of the status, when the caller knows better. */
    explanation?: string,
  ) {
    explanation ??= EXPLANATIONS.get(status);
    const subject = path === null ? action : `${action} ${shortened(path)}`;
    super(
      `${capitalize(subject)} failed with ${statusName(status)}${explanation ? ` (${explanation})` : ''}.`,
    );
    this.name = 'NtStatusError';
  }
}

/** A request parameter is missing or has the wrong type. */
export class InvalidParamsError extends Error {
  override name = 'InvalidParamsError';
}

/** A host resource (a file, a directory) failed. */
export class HostError extends Error {
  override name = 'HostError';
}

export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** The protocol error for anything a handler threw. */
export function toControlError(error: unknown): ControlError {
  if (error instanceof NtStatusError) {
    return {
      code: 'NTSTATUS',
      message: error.message,
      status: statusName(error.status),
      statusCode: error.status >>> 0,
      ...(error.path !== null ? { path: error.path } : {}),
    };
  }
  if (error instanceof InvalidParamsError) return { code: 'INVALID_PARAMS', message: error.message };
  if (error instanceof HostError) return { code: 'HOST_ERROR', message: error.message };
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `The daemon failed internally: ${detail}` };
}
