/**
 * A MemFS volume for end-to-end tests: a booted system, MemFS loaded, a formatted RAM disk linked
 * as M:, a deterministic clock, and thin synchronous wrappers over the system services.
 */
import assert from 'node:assert/strict';
import {
  createSystem,
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
import { memFsDriver, memFsFormat } from '../../../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk, type RamDiskOptions } from '../../../../src/drivers/storage/ramdisk/index.ts';
import { type DeviceObject, IoLoadDriver, IoStatusBlock, type System } from '../../../../src/io/index.ts';
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

export interface VolumeOptions extends Omit<RamDiskOptions, 'format' | 'media'> {
  label?: string;
  serialNumber?: number;
  /** Use this media (already formatted, or not) instead of formatting a fresh one. */
  media?: Uint8Array;
}

export function memfsVolume(options: VolumeOptions = {}) {
  let time = 1_000_000;
  const system: System = createSystem({ clock: () => time });
  const process: Process = system.createProcess('test.exe');
  IoLoadDriver(system, memFsDriver);
  const { label, serialNumber, media, ...disk } = options;
  const created = IoCreateRamDisk(system, {
    sizeBytes: media?.length ?? 1 << 20,
    ...disk,
    ...(media !== undefined
      ? { media }
      : {
          format: memFsFormat({ label: label ?? 'TEST', serialNumber: serialNumber ?? 0x1234abcd, now: 500 }),
        }),
  });
  assert.equal(created.status, STATUS_SUCCESS);
  const device: DeviceObject = created.deviceObject!;
  system.ob.createSymbolicLink('\\??\\M:', device.deviceName!);

  const sync = <T>(value: T | Promise<T>): T => mustBeSync(value, 'test');

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

  /** Opens and asserts success; returns the handle. */
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

  /** Creates (or replaces) a file with the given text and closes it. */
  function writeFile(path: string, text: string): void {
    const h = handle(path, {
      disposition: FILE_OVERWRITE_IF,
      options: FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
    });
    assert.equal(write(h, text).status, STATUS_SUCCESS);
    close(h);
  }

  /** The whole content of a file as text, or the failing open status. */
  function readFile(path: string): string | NTSTATUS {
    const result = open(path, { access: FILE_GENERIC_READ });
    if (result.status !== STATUS_SUCCESS) return result.status;
    const chunks: string[] = [];
    let offset = 0;
    for (;;) {
      const r = read(result.handle!, 4096, offset);
      if (r.status !== STATUS_SUCCESS) break;
      chunks.push(new TextDecoder().decode(r.data));
      offset += r.data.length;
    }
    close(result.handle!);
    return chunks.join('');
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

  function fsctl(h: Handle, code: number): NTSTATUS {
    return sync(NtFsControlFile(process, h, code)).status;
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
  ): FileDirectoryEntry[] {
    const dir = handle(path, { access: FILE_LIST_DIRECTORY | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
    const entries: FileDirectoryEntry[] = [];
    let first = true;
    for (;;) {
      const result = queryDirectory(dir, { fileName: first ? pattern : null, length: batchLength });
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

  /** The names in a directory, without "." and "..". */
  function list(path: string, pattern: string | null = null): string[] {
    return listEntries(path, pattern)
      .map((e) => e.fileName)
      .filter((name) => name !== '.' && name !== '..');
  }

  /** Deletes through FileDispositionInformation and a close. */
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

  /** A volume open of M: (mounting the volume if needed). */
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
    media: (device.deviceExtension as { media: Uint8Array }).media,
    tick: (ms = 1000) => {
      time += ms;
      return time;
    },
    now: () => time,
    /** The mounted volume device, or null. */
    volumeDevice: () => device.vpb?.deviceObject ?? null,
    open,
    handle,
    close,
    mkdir,
    write,
    read,
    writeFile,
    readFile,
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

export type MemFsVolumeFixture = ReturnType<typeof memfsVolume>;
