/**
 * File operations over the system services, for one calling process: what kernel32 is to ntdll.
 * Every request goes through NtCreateFile and friends, so it travels the whole stack (filters
 * included) exactly as an application's would.
 *
 * Each method either returns its result or throws NtStatusError naming the status, what was being
 * done and the path as the client wrote it. Handles opened here are closed before returning, even
 * on failure. Services that pend are awaited; on the usual synchronous path nothing waits.
 */
import {
  NtClose,
  NtCreateFile,
  NtFsControlFile,
  NtQueryDirectoryFile,
  NtQueryInformationFile,
  NtReadFile,
  NtSetInformationFile,
  NtWriteFile,
} from '../../api/index.ts';
import {
  DELETE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  FILE_DIRECTORY_FILE,
  FILE_LIST_DIRECTORY,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OPEN_REPARSE_POINT,
  FILE_READ_ATTRIBUTES,
  FILE_READ_DATA,
  FILE_SHARE_DELETE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  type FileAllInfo,
  FileAllInformation,
  type FileDirectoryEntry,
  FileDirectoryInformation,
  FileDispositionInformation,
  FileRenameInformation,
  type FileStandardInfo,
  FileStandardInformation,
  FSCTL_GET_REPARSE_POINT,
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_NO_MORE_FILES,
  STATUS_NO_SUCH_FILE,
  STATUS_NOT_A_DIRECTORY,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_OBJECT_PATH_SYNTAX_BAD,
  STATUS_UNEXPECTED_IO_ERROR,
  SYNCHRONIZE,
} from '../../base/index.ts';
import { IoStatusBlock, type System } from '../../io/index.ts';
import type { Handle, Process } from '../../ob/index.ts';
import type { StrataPath } from '../control/index.ts';
import { NtStatusError } from './errors.ts';

/** MAXIMUM_REPARSE_DATA_BUFFER_SIZE: the most a reparse point's data can take. */
const MAX_REPARSE_DATA_BUFFER = 16 * 1024;

export const SHARE_ALL = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

export interface OpenRequest {
  access: number;
  disposition?: number;
  options?: number;
  share?: number;
  attributes?: number;
}

export interface OpenedFile {
  handle: Handle;
  /** IoStatus.Information of the create (FILE_CREATED, FILE_OPENED, …). */
  information: number;
}

export class NtFiles {
  constructor(
    readonly system: System,
    readonly process: Process,
  ) {}

  /** Opens or creates; throws NtStatusError with `action` on failure. */
  async open(path: StrataPath, request: OpenRequest, action = 'opening'): Promise<OpenedFile> {
    const result = await NtCreateFile(this.system, this.process, {
      objectName: path.ntPath,
      desiredAccess: request.access,
      createDisposition: request.disposition ?? FILE_OPEN,
      createOptions: request.options ?? FILE_SYNCHRONOUS_IO_NONALERT,
      shareAccess: request.share ?? SHARE_ALL,
      fileAttributes: request.attributes ?? 0,
    });
    if (!NT_SUCCESS(result.status) || result.handle === null)
      throw new NtStatusError(result.status, action, path.display);
    return { handle: result.handle, information: result.information };
  }

  /** Opens, then runs `body` with the handle, closing it however body ends. */
  async withFile<T>(
    path: StrataPath,
    request: OpenRequest,
    action: string,
    body: (handle: Handle) => Promise<T> | T,
  ): Promise<T> {
    const { handle } = await this.open(path, request, action);
    try {
      return await body(handle);
    } finally {
      NtClose(this.process, handle);
    }
  }

  close(handle: Handle): void {
    NtClose(this.process, handle);
  }

  check(status: NTSTATUS, action: string, path: StrataPath): void {
    if (!NT_SUCCESS(status)) throw new NtStatusError(status, action, path.display);
  }

  /**
   * FILE_ALL_INFORMATION of a file or directory; with `followLinks` false, of a symbolic link
   * itself (FILE_OPEN_REPARSE_POINT), as FindFirstFile's callers see it.
   */
  async stat(path: StrataPath, followLinks = true): Promise<FileAllInfo> {
    return this.withFile(
      path,
      {
        access: FILE_READ_ATTRIBUTES | SYNCHRONIZE,
        options: FILE_SYNCHRONOUS_IO_NONALERT | (followLinks ? 0 : FILE_OPEN_REPARSE_POINT),
      },
      'reading the attributes of',
      (handle) => this.queryAll(handle, path),
    );
  }

  async queryAll(handle: Handle, path: StrataPath): Promise<FileAllInfo> {
    const result = await NtQueryInformationFile<FileAllInfo>(this.process, handle, FileAllInformation);
    this.check(result.status, 'reading the attributes of', path);
    return result.info!;
  }

  async queryStandard(handle: Handle, path: StrataPath): Promise<FileStandardInfo> {
    const result = await NtQueryInformationFile<FileStandardInfo>(
      this.process,
      handle,
      FileStandardInformation,
    );
    this.check(result.status, 'reading the size of', path);
    return result.info!;
  }

  /**
   * What the path names: a directory, a file, or null when it does not exist. With `followLinks`
   * false a symbolic link (any reparse point) is `'link'`, whatever it leads to.
   */
  async kind(path: StrataPath, followLinks = true): Promise<'file' | 'directory' | 'link' | null> {
    try {
      const attributes = (await this.stat(path, followLinks)).basic.fileAttributes;
      if (!followLinks && (attributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0) return 'link';
      return (attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0 ? 'directory' : 'file';
    } catch (error) {
      if (error instanceof NtStatusError) return null;
      throw error;
    }
  }

  /**
   * The target a symbolic link names, as FSCTL_GET_REPARSE_POINT's print name gives it (`../lib`,
   * `/etc/x`); null when the path is no link or its file system does not say.
   */
  async linkTarget(path: StrataPath): Promise<string | null> {
    try {
      return await this.withFile(
        path,
        {
          access: FILE_READ_ATTRIBUTES | SYNCHRONIZE,
          options: FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_REPARSE_POINT,
        },
        'reading the link',
        async (handle) => {
          const reply = await NtFsControlFile(
            this.process,
            handle,
            FSCTL_GET_REPARSE_POINT,
            null,
            MAX_REPARSE_DATA_BUFFER,
          );
          if (!NT_SUCCESS(reply.status)) return null;
          const printName = (reply.output as { printName?: unknown } | null)?.printName;
          return typeof printName === 'string' ? printName : null;
        },
      );
    } catch (error) {
      if (error instanceof NtStatusError) return null;
      throw error;
    }
  }

  /**
   * What a copy's or upload's target names. One written with a trailing separator must be an
   * existing directory: STATUS_OBJECT_PATH_NOT_FOUND when it is missing, STATUS_NOT_A_DIRECTORY
   * when it is a file (never a file created under the directory's name). A name the file system
   * refuses as a name (a FAT name with `*`, a HostFS name ending in a dot) fails here, as creating
   * it would, before any data travels: the open's name check comes before its existence check
   * (FastFat's order, which every Strata file system follows), so nothing is created to learn it.
   */
  async targetKind(path: StrataPath): Promise<'file' | 'directory' | null> {
    let kind: 'file' | 'directory' | null;
    try {
      const attributes = (await this.stat(path)).basic.fileAttributes;
      kind = (attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0 ? 'directory' : 'file';
    } catch (error) {
      if (!(error instanceof NtStatusError)) throw error;
      if (error.status === STATUS_OBJECT_NAME_INVALID || error.status === STATUS_OBJECT_PATH_SYNTAX_BAD)
        throw new NtStatusError(error.status, 'creating', path.display);
      kind = null;
    }
    if (path.trailingSeparator === true && kind !== 'directory')
      throw new NtStatusError(
        kind === null ? STATUS_OBJECT_PATH_NOT_FOUND : STATUS_NOT_A_DIRECTORY,
        'writing into',
        `${path.display}\\`,
      );
    return kind;
  }

  /**
   * The entries of a directory in the file system's order, without `.` and `..`, calling
   * `onEntry` for each until it returns false.
   */
  async listDirectory(path: StrataPath, onEntry: (entry: FileDirectoryEntry) => boolean): Promise<void> {
    await this.withFile(
      path,
      {
        access: FILE_LIST_DIRECTORY | SYNCHRONIZE,
        options: FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
      },
      'listing',
      async (handle) => {
        for (;;) {
          const batch = await NtQueryDirectoryFile(this.process, handle, {
            fileInformationClass: FileDirectoryInformation,
          });
          if (batch.status === STATUS_NO_MORE_FILES || batch.status === STATUS_NO_SUCH_FILE) return;
          this.check(batch.status, 'listing', path);
          for (const entry of batch.entries) {
            if (entry.fileName === '.' || entry.fileName === '..') continue;
            if (!onEntry(entry)) return;
          }
        }
      },
    );
  }

  /** Reads up to `length` bytes at `offset`; returns the bytes and the file size. */
  async readAt(
    path: StrataPath,
    offset: number,
    length: number,
  ): Promise<{ data: Uint8Array; size: number }> {
    return this.withFile(
      path,
      {
        access: FILE_READ_ATTRIBUTES | FILE_READ_DATA | SYNCHRONIZE,
        options: FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
        share: FILE_SHARE_READ | FILE_SHARE_WRITE,
      },
      'reading',
      async (handle) => {
        const { endOfFile } = await this.queryStandard(handle, path);
        const wanted = Math.max(0, Math.min(length, endOfFile - offset));
        const buffer = new Uint8Array(wanted);
        if (wanted === 0) return { data: buffer, size: endOfFile };
        const iosb = new IoStatusBlock();
        const status = await NtReadFile(this.process, handle, iosb, buffer, wanted, offset);
        this.check(status, 'reading', path);
        return { data: buffer.subarray(0, iosb.information), size: endOfFile };
      },
    );
  }

  /** Writes all of `data` at `offset` through an open handle. */
  async writeAt(handle: Handle, data: Uint8Array, offset: number, path: StrataPath): Promise<void> {
    const iosb = new IoStatusBlock();
    const status = await NtWriteFile(this.process, handle, iosb, data, data.length, offset);
    this.check(status, 'writing', path);
    if (iosb.information !== data.length)
      throw new NtStatusError(
        STATUS_UNEXPECTED_IO_ERROR,
        `writing (a short write of ${iosb.information} of ${data.length} bytes) to`,
        path.display,
      );
  }

  /** Marks an open file for deletion (FileDispositionInformation); it goes when the handle closes. */
  async setDeleteOnClose(handle: Handle, path: StrataPath): Promise<void> {
    const status = await NtSetInformationFile(this.system, this.process, handle, FileDispositionInformation, {
      deleteFile: true,
    });
    this.check(status, 'deleting', path);
  }

  /**
   * Deletes one file or empty directory. A symbolic link goes itself, never what it leads to:
   * the open carries FILE_OPEN_REPARSE_POINT, as DeleteFileW's and RemoveDirectoryW's do.
   */
  async deleteOne(path: StrataPath): Promise<void> {
    await this.withFile(
      path,
      { access: DELETE | SYNCHRONIZE, options: FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_REPARSE_POINT },
      'deleting',
      (handle) => this.setDeleteOnClose(handle, path),
    );
  }

  /** Renames through an open handle to a full target path on the same volume. */
  async renameHandle(handle: Handle, from: StrataPath, to: StrataPath, replace: boolean): Promise<void> {
    const status = await NtSetInformationFile(this.system, this.process, handle, FileRenameInformation, {
      replaceIfExists: replace,
      rootDirectory: null,
      fileName: to.ntPath,
    });
    if (!NT_SUCCESS(status)) throw new NtStatusError(status, `renaming ${from.display} to`, to.display);
  }

  /** Renames a file or directory; a symbolic link is renamed itself (FILE_OPEN_REPARSE_POINT, as MoveFileExW). */
  async rename(from: StrataPath, to: StrataPath, replace: boolean): Promise<void> {
    await this.withFile(
      from,
      { access: DELETE | SYNCHRONIZE, options: FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_REPARSE_POINT },
      'opening',
      (handle) => this.renameHandle(handle, from, to, replace),
    );
  }
}
