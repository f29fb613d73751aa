/**
 * The one file-system test harness: thin synchronous wrappers over the system services (NtCreateFile,
 * NtReadFile, NtQueryInformationFile, …) for a volume reachable through a drive link such as
 * `\??\M:`. Every driver's setup file (MemFS, FAT, CDFS, HostFS) builds its system, loads its
 * driver, makes the disk or share, links the drive and calls `fsHarness`; the driver tests and the
 * shared behaviour suite (test/drivers/fs/behaviour/) then speak the same helpers on every driver.
 *
 * Invariants: a request that pends fails the test (`mustBeSync`: these are all synchronous drivers);
 * helpers that hand back a handle assert the open succeeded, helpers that return a status assert
 * nothing, so a case can check refusals; no helper keeps state between calls.
 */
import assert from 'node:assert/strict';
import {
  NtClose,
  NtCreateFile,
  NtFlushBuffersFile,
  NtFsControlFile,
  NtQueryDirectoryFile,
  NtQueryInformationFile,
  NtQueryVolumeInformationFile,
  NtReadFile,
  NtSetInformationFile,
  NtSetVolumeInformationFile,
  NtWriteFile,
  type QueryDirectoryRequest,
} from '../../src/api/index.ts';
import {
  DELETE,
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_LIST_DIRECTORY,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OVERWRITE_IF,
  FILE_READ_ATTRIBUTES,
  FILE_SHARE_DELETE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  type FileDirectoryEntry,
  FileDirectoryInformation,
  FileDispositionInformation,
  FileRenameInformation,
  mustBeSync,
  type NTSTATUS,
  STATUS_END_OF_FILE,
  STATUS_NO_MORE_FILES,
  STATUS_NO_SUCH_FILE,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../src/base/index.ts';
import { type DeviceObject, IoStatusBlock, type System } from '../../src/io/index.ts';
import type { Handle, Process } from '../../src/ob/index.ts';

export const ALL_SHARE = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
export const READ_WRITE = FILE_GENERIC_READ | FILE_GENERIC_WRITE;
/** What a directory open for listing asks. */
export const LIST_DIRECTORY = { access: FILE_LIST_DIRECTORY | SYNCHRONIZE, options: FILE_DIRECTORY_FILE };

export interface OpenOptions {
  access?: number;
  disposition?: number;
  options?: number;
  share?: number;
  attributes?: number;
  root?: Handle | null;
  openTargetDirectory?: boolean;
}

export interface OpenResult {
  status: NTSTATUS;
  handle: Handle | null;
  information: number;
}

export interface HarnessOptions {
  /** The drive link relative names are opened under, without a trailing backslash (`\??\M:`). */
  drive: string;
  /** The storage device (or control device) behind the drive, when the setup has one. */
  device?: DeviceObject | null;
  /** Access of `open` when none is given: read-write, or read for a read-only file system. */
  defaultAccess?: number;
}

/** The value of a service that must complete at once (all these drivers are synchronous). */
export const sync = <T>(value: T | Promise<T>): T => mustBeSync(value, 'test');

const hex = (status: NTSTATUS): string => `0x${status.toString(16)}`;

/** The harness for the file system reachable as `options.drive` on `system`, for `process`. */
export function fsHarness(system: System, process: Process, options: HarnessOptions) {
  const { drive } = options;
  const device = options.device ?? null;
  const defaultAccess = options.defaultAccess ?? READ_WRITE;

  /** NtCreateFile; a name not starting with `\` (and without a root) is relative to the drive. */
  function open(path: string, o: OpenOptions = {}): OpenResult {
    return sync(
      NtCreateFile(system, process, {
        objectName: path.startsWith('\\') || o.root ? path : `${drive}\\${path}`,
        rootDirectory: o.root ?? null,
        desiredAccess: o.access ?? defaultAccess,
        createDisposition: o.disposition ?? FILE_OPEN,
        createOptions: o.options ?? FILE_SYNCHRONOUS_IO_NONALERT,
        shareAccess: o.share ?? ALL_SHARE,
        fileAttributes: o.attributes ?? 0,
        openTargetDirectory: o.openTargetDirectory ?? false,
      }),
    );
  }

  /** Opens and asserts success; returns the handle. */
  function handle(path: string, o: OpenOptions = {}): Handle {
    const result = open(path, o);
    assert.equal(result.status, STATUS_SUCCESS, `open ${path}: ${hex(result.status)}`);
    return result.handle!;
  }

  function close(h: Handle): void {
    assert.equal(NtClose(process, h), STATUS_SUCCESS);
  }

  /** Creates a directory; returns the create's status. */
  function mkdir(path: string): NTSTATUS {
    const result = open(path, {
      access: FILE_LIST_DIRECTORY | SYNCHRONIZE,
      disposition: FILE_CREATE,
      options: FILE_DIRECTORY_FILE,
    });
    if (result.handle !== null) close(result.handle);
    return result.status;
  }

  function write(
    h: Handle,
    data: Uint8Array | string,
    offset: number | null = 0,
  ): { status: NTSTATUS; bytes: number } {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const iosb = new IoStatusBlock();
    const status = sync(NtWriteFile(process, h, iosb, bytes, bytes.length, offset));
    return { status, bytes: iosb.information };
  }

  function read(
    h: Handle,
    length: number,
    offset: number | null = 0,
  ): { status: NTSTATUS; data: Uint8Array } {
    const buffer = new Uint8Array(length);
    const iosb = new IoStatusBlock();
    const status = sync(NtReadFile(process, h, iosb, buffer, length, offset));
    return { status, data: buffer.subarray(0, iosb.information) };
  }

  /** Creates or replaces a file with `data` and closes it; returns the first failing status. */
  function tryWriteFile(path: string, data: string | Uint8Array): NTSTATUS {
    const result = open(path, {
      disposition: FILE_OVERWRITE_IF,
      options: FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
    });
    if (result.status !== STATUS_SUCCESS) return result.status;
    const written = write(result.handle!, data);
    close(result.handle!);
    return written.status;
  }

  /** Creates or replaces a file with `data` and closes it, asserting every step. */
  function writeFile(path: string, data: string | Uint8Array): void {
    const status = tryWriteFile(path, data);
    assert.equal(status, STATUS_SUCCESS, `write ${path}: ${hex(status)}`);
  }

  /** The whole content of a file in reads of `chunk` bytes, or the first failing status. */
  function readBytes(path: string, chunk = 1 << 20): Uint8Array | NTSTATUS {
    const result = open(path, { access: FILE_GENERIC_READ });
    if (result.status !== STATUS_SUCCESS) return result.status;
    const chunks: Uint8Array[] = [];
    let length = 0;
    let failure: NTSTATUS = STATUS_SUCCESS;
    for (;;) {
      const r = read(result.handle!, chunk, length);
      if (r.status === STATUS_END_OF_FILE) break;
      if (r.status !== STATUS_SUCCESS) {
        failure = r.status;
        break;
      }
      chunks.push(r.data);
      length += r.data.length;
    }
    close(result.handle!);
    if (failure !== STATUS_SUCCESS) return failure;
    const all = new Uint8Array(length);
    let at = 0;
    for (const piece of chunks) {
      all.set(piece, at);
      at += piece.length;
    }
    return all;
  }

  /** The whole content of a file, asserting the open and every read. */
  function readAll(path: string, chunk = 1 << 20): Uint8Array {
    const bytes = readBytes(path, chunk);
    if (typeof bytes === 'number') assert.fail(`read ${path}: ${hex(bytes)}`);
    return bytes;
  }

  /** The whole content of a file as UTF-8 text, or the first failing status. */
  function readFile(path: string): string | NTSTATUS {
    const bytes = readBytes(path);
    return typeof bytes === 'number' ? bytes : new TextDecoder().decode(bytes);
  }

  function query<T>(h: Handle, infoClass: number, length?: number): { status: NTSTATUS; info: T | null } {
    return sync(NtQueryInformationFile<T>(process, h, infoClass, length));
  }

  function set(h: Handle, infoClass: number, info: unknown): NTSTATUS {
    return sync(NtSetInformationFile(system, process, h, infoClass, info));
  }

  function queryVolume<T>(
    h: Handle,
    infoClass: number,
    length?: number,
  ): { status: NTSTATUS; info: T | null } {
    return sync(NtQueryVolumeInformationFile<T>(process, h, infoClass, length));
  }

  function setVolume(h: Handle, infoClass: number, info: unknown): NTSTATUS {
    return sync(NtSetVolumeInformationFile(process, h, infoClass, info));
  }

  /** NtFsControlFile with its whole result (status, output, information). */
  function fsctlResult(h: Handle, code: number, input: unknown = null, outputLength = 0) {
    return sync(NtFsControlFile(process, h, code, input, outputLength));
  }

  /** NtFsControlFile's status. */
  function fsctl(h: Handle, code: number, input: unknown = null): NTSTATUS {
    return fsctlResult(h, code, input).status;
  }

  function flush(h: Handle): NTSTATUS {
    return sync(NtFlushBuffersFile(process, h));
  }

  function queryDirectory(h: Handle, request: Partial<QueryDirectoryRequest> = {}) {
    return sync(
      NtQueryDirectoryFile(process, h, { fileInformationClass: FileDirectoryInformation, ...request }),
    );
  }

  /** Every entry of a directory matching the pattern, by repeated queries; the final status is checked. */
  function listEntries(
    path: string,
    pattern: string | null = null,
    batchLength?: number,
    infoClass = FileDirectoryInformation,
  ): FileDirectoryEntry[] {
    const dir = handle(path, LIST_DIRECTORY);
    const entries: FileDirectoryEntry[] = [];
    let first = true;
    for (;;) {
      const result = queryDirectory(dir, {
        fileName: first ? pattern : null,
        length: batchLength,
        fileInformationClass: infoClass,
      });
      if (result.status !== STATUS_SUCCESS) {
        assert.ok(
          result.status === (first ? STATUS_NO_SUCH_FILE : STATUS_NO_MORE_FILES),
          `enumeration of ${path} ended with ${hex(result.status)}`,
        );
        break;
      }
      first = false;
      entries.push(...result.entries);
    }
    close(dir);
    return entries;
  }

  /** The names in a directory, without "." and "..", in the order the file system returns them. */
  function list(path: string, pattern: string | null = null): string[] {
    return listEntries(path, pattern)
      .map((e) => e.fileName)
      .filter((name) => name !== '.' && name !== '..');
  }

  /** Deletes through FileDispositionInformation and a close; returns the first failing status. */
  function remove(path: string): NTSTATUS {
    const result = open(path, { access: DELETE | SYNCHRONIZE });
    if (result.status !== STATUS_SUCCESS) return result.status;
    const status = set(result.handle!, FileDispositionInformation, { deleteFile: true });
    close(result.handle!);
    return status;
  }

  /** Renames through FileRenameInformation on a DELETE open; returns the first failing status. */
  function rename(path: string, fileName: string, replaceIfExists = false): NTSTATUS {
    const result = open(path, { access: DELETE | SYNCHRONIZE });
    if (result.status !== STATUS_SUCCESS) return result.status;
    const status = set(result.handle!, FileRenameInformation, {
      replaceIfExists,
      rootDirectory: null,
      fileName,
    });
    close(result.handle!);
    return status;
  }

  function exists(path: string): boolean {
    const result = open(path, { access: SYNCHRONIZE | FILE_READ_ATTRIBUTES, options: 0 });
    if (result.handle !== null) close(result.handle);
    return result.status === STATUS_SUCCESS;
  }

  /** A volume open of the drive (mounting the volume if needed). */
  function openVolume(access = defaultAccess, share = FILE_SHARE_READ | FILE_SHARE_WRITE): OpenResult {
    return sync(
      NtCreateFile(system, process, {
        objectName: drive,
        desiredAccess: access,
        createDisposition: FILE_OPEN,
        createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
        shareAccess: share,
      }),
    );
  }

  return {
    system,
    process,
    device,
    /** The root directory's full name (`\??\M:\`). */
    root: `${drive}\\`,
    /** The mounted volume device, or null. */
    volumeDevice: (): DeviceObject | null => device?.vpb?.deviceObject ?? null,
    open,
    handle,
    close,
    mkdir,
    write,
    read,
    writeFile,
    tryWriteFile,
    readBytes,
    readAll,
    readFile,
    query,
    set,
    queryVolume,
    setVolume,
    fsctl,
    fsctlResult,
    flush,
    queryDirectory,
    listEntries,
    list,
    remove,
    rename,
    exists,
    openVolume,
  };
}

export type FsHarness = ReturnType<typeof fsHarness>;
