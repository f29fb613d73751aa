/**
 * The file-system-independent half of a volume fixture: thin synchronous wrappers over the system
 * services for a volume reachable as `\??\M:`. Each file system's setup file (memfs.ts, fat.ts)
 * builds a system, loads its driver, makes the disk, links M: and hands the pieces to
 * `volumeApi`; the behaviour cases then run unchanged on every file system.
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
} from '../../../../src/api/index.ts';
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
  STATUS_NO_MORE_FILES,
  STATUS_NO_SUCH_FILE,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { type DeviceObject, IoStatusBlock, type System } from '../../../../src/io/index.ts';
import type { Handle, Process } from '../../../../src/ob/index.ts';

export const ALL_SHARE = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
export const READ_WRITE = FILE_GENERIC_READ | FILE_GENERIC_WRITE;

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

const sync = <T>(value: T | Promise<T>): T => mustBeSync(value, 'test');

/** Wrappers over the services for the volume linked as M: on `device`. */
export function volumeApi(system: System, process: Process, device: DeviceObject) {
  function open(path: string, o: OpenOptions = {}): OpenResult {
    return sync(
      NtCreateFile(system, process, {
        objectName: path.startsWith('\\') || o.root ? path : `\\??\\M:\\${path}`,
        rootDirectory: o.root ?? null,
        desiredAccess: o.access ?? READ_WRITE,
        createDisposition: o.disposition ?? FILE_OPEN,
        createOptions: o.options ?? FILE_SYNCHRONOUS_IO_NONALERT,
        shareAccess: o.share ?? ALL_SHARE,
        fileAttributes: o.attributes ?? 0,
        openTargetDirectory: o.openTargetDirectory ?? false,
      }),
    );
  }

  function handle(path: string, o: OpenOptions = {}): Handle {
    const result = open(path, o);
    assert.equal(result.status, STATUS_SUCCESS, `open ${path}`);
    return result.handle!;
  }

  function close(h: Handle): void {
    assert.equal(NtClose(process, h), STATUS_SUCCESS);
  }

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

  function writeFile(path: string, data: string | Uint8Array): void {
    const h = handle(path, {
      disposition: FILE_OVERWRITE_IF,
      options: FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
    });
    assert.equal(write(h, data).status, STATUS_SUCCESS);
    close(h);
  }

  /** The whole content of a file, or the failing open status. */
  function readBytes(path: string): Uint8Array | NTSTATUS {
    const result = open(path, { access: FILE_GENERIC_READ });
    if (result.status !== STATUS_SUCCESS) return result.status;
    const chunks: Uint8Array[] = [];
    let offset = 0;
    for (;;) {
      const r = read(result.handle!, 1 << 20, offset);
      if (r.status !== STATUS_SUCCESS) break;
      chunks.push(r.data.slice());
      offset += r.data.length;
    }
    close(result.handle!);
    const all = new Uint8Array(offset);
    let at = 0;
    for (const chunk of chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return all;
  }

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

  function fsctl(h: Handle, code: number, input: unknown = null): NTSTATUS {
    return sync(NtFsControlFile(process, h, code, input)).status;
  }

  function flush(h: Handle): NTSTATUS {
    return sync(NtFlushBuffersFile(process, h));
  }

  function queryDirectory(h: Handle, request: Partial<QueryDirectoryRequest> = {}) {
    return sync(
      NtQueryDirectoryFile(process, h, { fileInformationClass: FileDirectoryInformation, ...request }),
    );
  }

  function listEntries(
    path: string,
    pattern: string | null = null,
    batchLength?: number,
    infoClass = FileDirectoryInformation,
  ): FileDirectoryEntry[] {
    const dir = handle(path, { access: FILE_LIST_DIRECTORY | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
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
          `enumeration ended with 0x${result.status.toString(16)}`,
        );
        break;
      }
      first = false;
      entries.push(...result.entries);
    }
    close(dir);
    return entries;
  }

  function list(path: string, pattern: string | null = null): string[] {
    return listEntries(path, pattern)
      .map((e) => e.fileName)
      .filter((name) => name !== '.' && name !== '..');
  }

  function remove(path: string): NTSTATUS {
    const result = open(path, { access: DELETE | SYNCHRONIZE });
    if (result.status !== STATUS_SUCCESS) return result.status;
    const status = set(result.handle!, FileDispositionInformation, { deleteFile: true });
    close(result.handle!);
    return status;
  }

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
    const result = open(path, {
      access: SYNCHRONIZE | FILE_READ_ATTRIBUTES,
      disposition: FILE_OPEN,
      options: 0,
    });
    if (result.handle !== null) close(result.handle);
    return result.status === STATUS_SUCCESS;
  }

  function openVolume(access = READ_WRITE, share = FILE_SHARE_READ | FILE_SHARE_WRITE): OpenResult {
    return sync(
      NtCreateFile(system, process, {
        objectName: '\\??\\M:',
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
    volumeDevice: () => device.vpb?.deviceObject ?? null,
    open,
    handle,
    close,
    mkdir,
    write,
    read,
    writeFile,
    readFile,
    readBytes,
    query,
    set,
    queryVolume,
    setVolume,
    fsctl,
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

export type VolumeApi = ReturnType<typeof volumeApi>;
