/**
 * What an IRP_MJ_CREATE asks for, decoded once from its stack location: the locals FastFat's
 * FatCommonCreate and CDFS's CdCommonCreate set up before their first check (DesiredAccess,
 * ShareAccess, FileAttributes, the disposition in the high byte of Options and the options in the
 * rest, SL_OPEN_TARGET_DIRECTORY).
 *
 * Every file system decodes into this one class, so the checks of create-checks.ts read one shape
 * on the create path. `information` is what a successful create reports in IoStatus.Information
 * (FILE_OPENED, FILE_CREATED…); a failed create reports 0.
 */
import {
  FILE_CREATE,
  FILE_DELETE_ON_CLOSE,
  FILE_DIRECTORY_FILE,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OPEN_IF,
  FILE_OPENED,
  FILE_OVERWRITTEN,
  FILE_SUPERSEDE,
  FILE_SUPERSEDED,
  SL_OPEN_TARGET_DIRECTORY,
} from '../../base/index.ts';
import type { FileObject } from '../file-object.ts';
import type { IoStackLocation } from '../irp.ts';
import { type CreateParameters, createDisposition, createOptions } from '../irp-parameters.ts';

export class CreateRequest {
  /** IoStatus.Information of a successful create. */
  information = 0;

  constructor(
    readonly fileObject: FileObject,
    readonly desiredAccess: number,
    readonly shareAccess: number,
    readonly fileAttributes: number,
    readonly disposition: number,
    readonly options: number,
    /** SL_OPEN_TARGET_DIRECTORY: open the parent of the name (a rename's target). */
    readonly openTargetDirectory: boolean,
  ) {}

  get directoryFile(): boolean {
    return (this.options & FILE_DIRECTORY_FILE) !== 0;
  }

  get nonDirectoryFile(): boolean {
    return (this.options & FILE_NON_DIRECTORY_FILE) !== 0;
  }

  get deleteOnClose(): boolean {
    return (this.options & FILE_DELETE_ON_CLOSE) !== 0;
  }

  /**
   * The open replaces an existing file's data: any disposition but FILE_OPEN, FILE_OPEN_IF and
   * FILE_CREATE (which fails on an existing file before this matters).
   */
  get overwrite(): boolean {
    const disposition = this.disposition;
    return disposition !== FILE_OPEN && disposition !== FILE_OPEN_IF && disposition !== FILE_CREATE;
  }

  /** IoStatus.Information of a successful open of an existing file. */
  get existingInformation(): number {
    if (!this.overwrite) return FILE_OPENED;
    return this.disposition === FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN;
  }

  /**
   * The open of the parent that SL_OPEN_TARGET_DIRECTORY asks for: the caller's access and share
   * access on a plain open of a directory (FatOpenTargetDirectory).
   */
  forTargetDirectory(): CreateRequest {
    return new CreateRequest(
      this.fileObject,
      this.desiredAccess,
      this.shareAccess,
      this.fileAttributes,
      FILE_OPEN,
      FILE_DIRECTORY_FILE,
      false,
    );
  }
}

/** Decodes the create request at `location` (its file object must be set, as the I/O manager does). */
export function createRequestOf(location: IoStackLocation): CreateRequest {
  const parameters = location.parameters as CreateParameters;
  return new CreateRequest(
    location.fileObject!,
    parameters.desiredAccess,
    parameters.shareAccess,
    parameters.fileAttributes,
    createDisposition(parameters.options),
    createOptions(parameters.options),
    (location.flags & SL_OPEN_TARGET_DIRECTORY) !== 0,
  );
}
