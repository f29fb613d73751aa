/**
 * Uploads: how a file arrives through the control socket without ever leaving a half-written file
 * under its real name.
 *
 * The data goes to a temporary file next to the target (`~strata-upload-<pid>-<n>.tmp`, opened
 * without delete sharing), and only `commit` renames it over the target (FileRenameInformation with
 * ReplaceIfExists when overwriting), so a reader sees the old file or the whole new one. An upload
 * that is abandoned (the client disconnects, or `abort`) deletes its temporary file. Chunks must
 * arrive in order; the upload belongs to the session that began it.
 */
import {
  DELETE,
  FILE_CREATE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_NON_DIRECTORY_FILE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_OBJECT_NAME_COLLISION,
} from '../../base/index.ts';
import type { Handle } from '../../ob/index.ts';
import {
  baseName,
  joinStrataPath,
  type PutResult,
  parentPath,
  type StrataPath,
  type UploadBeginResult,
} from '../control/index.ts';
import { InvalidParamsError, NtStatusError } from './errors.ts';
import type { Session } from './session.ts';

export class Upload {
  written = 0;
  private finished = false;

  constructor(
    readonly session: Session,
    readonly id: string,
    readonly target: StrataPath,
    readonly temporary: StrataPath,
    private readonly handle: Handle,
    readonly overwrite: boolean,
    /** Whether the target existed when the upload began. */
    readonly replacing: boolean,
  ) {}

  async write(offset: number, data: Uint8Array): Promise<number> {
    if (offset !== this.written)
      throw new InvalidParamsError(
        `Upload ${this.id} expects its next chunk at offset ${this.written}, not ${offset}.`,
      );
    if (data.length > 0) await this.session.files.writeAt(this.handle, data, offset, this.target);
    this.written += data.length;
    return this.written;
  }

  async commit(): Promise<PutResult> {
    this.finish();
    try {
      await this.session.files.renameHandle(this.handle, this.temporary, this.target, this.overwrite);
    } catch (error) {
      await this.discard();
      // Report the failure against the path the client asked for, not the temporary name.
      if (error instanceof NtStatusError)
        throw new NtStatusError(error.status, 'creating', this.target.display);
      throw error;
    }
    this.session.files.close(this.handle);
    return { path: this.target.display, size: this.written, created: !this.replacing };
  }

  /** Deletes the temporary file; nothing of the upload remains. */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finish();
    await this.discard();
  }

  private finish(): void {
    this.finished = true;
    this.session.uploads.delete(this.id);
  }

  private async discard(): Promise<void> {
    try {
      await this.session.files.setDeleteOnClose(this.handle, this.temporary);
    } catch (error) {
      this.session.host.log(
        `The temporary file ${this.temporary.display} could not be deleted: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.session.files.close(this.handle);
    }
  }
}

/**
 * Starts an upload to `target`; when `target` is an existing directory and `name` is given, the
 * file goes inside it under that name (as `cp file dir/` does).
 */
export async function beginUpload(
  session: Session,
  target: StrataPath,
  name: string | null,
  overwrite: boolean,
): Promise<Upload> {
  const files = session.files;
  let kind = await files.targetKind(target);
  if (kind === 'directory' && name !== null && name !== '') {
    target = joinStrataPath(target, name);
    kind = await files.targetKind(target);
  }
  if (kind === 'directory') throw new NtStatusError(STATUS_FILE_IS_A_DIRECTORY, 'writing', target.display);
  if (kind === 'file' && !overwrite)
    throw new NtStatusError(STATUS_OBJECT_NAME_COLLISION, 'creating', target.display);
  if (baseName(target) === '')
    throw new InvalidParamsError('An upload needs a file name, not a volume root.');
  const id = `${session.process.processId}-${session.nextUpload++}`;
  const temporary = joinStrataPath(parentPath(target), `~strata-upload-${id}.tmp`);
  let handle: Handle;
  try {
    ({ handle } = await files.open(temporary, {
      access: FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE,
      disposition: FILE_CREATE,
      options: FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
      // Readers and writers may share it (Crypt reopens a file it must re-encrypt on rename);
      // nobody may delete or rename it while the upload owns it.
      share: FILE_SHARE_READ | FILE_SHARE_WRITE,
    }));
  } catch (error) {
    // Report the failure against the path the client asked for, not the temporary name.
    if (error instanceof NtStatusError) throw new NtStatusError(error.status, 'creating', target.display);
    throw error;
  }
  const upload = new Upload(session, id, target, temporary, handle, overwrite, kind === 'file');
  session.uploads.set(id, upload);
  return upload;
}

export function describeUpload(upload: Upload): UploadBeginResult {
  return { upload: upload.id, path: upload.target.display };
}
