/**
 * A HostFS share for end-to-end tests: a temporary host directory holding `share/` (exposed as
 * `\Device\HostFs\<name>`, drive letter H:) and a `sentinel/` directory next to it that no request
 * may ever touch; a booted system with HostFS loaded; thin synchronous wrappers over the system
 * services; and `host()` to check the same files with node:fs.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createSystem,
  NtClose,
  NtCreateFile,
  NtFlushBuffersFile,
  NtQueryDirectoryFile,
  NtQueryInformationFile,
  NtQueryVolumeInformationFile,
  NtReadFile,
  NtSetInformationFile,
  NtWriteFile,
  type QueryDirectoryRequest,
} from '../../../src/api/index.ts';
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
} from '../../../src/base/index.ts';
import { type ContainmentMode, HostFsAddShare } from '../../../src/host/hostfs/index.ts';
import { IoStatusBlock, type System } from '../../../src/io/index.ts';
import type { Handle, Process } from '../../../src/ob/index.ts';

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

export interface ShareFixtureOptions {
  shareName?: string;
  readOnly?: boolean;
  containment?: ContainmentMode;
  /** Runs on the fresh system before HostFS is loaded (to load filters first, say). */
  boot?: (system: System) => void;
  /** Fills the share's host directory before the share is added. */
  populate?: (shareDir: string, sentinelDir: string) => void;
}

/** Every file under `dir` with its content (directories as '<dir>', links as '-> target'). */
export function snapshotTree(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (current: string, prefix: string): void => {
    for (const name of fs.readdirSync(current).sort()) {
      const full = path.join(current, name);
      const key = prefix === '' ? name : `${prefix}/${name}`;
      const stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) result[key] = `-> ${fs.readlinkSync(full)}`;
      else if (stat.isDirectory()) {
        result[key] = `<dir ${(stat.mode & 0o777).toString(8)}>`;
        walk(full, key);
      } else result[key] = `${fs.readFileSync(full, 'latin1')} <${(stat.mode & 0o777).toString(8)}>`;
    }
  };
  walk(dir, '');
  return result;
}

export function hostShare(options: ShareFixtureOptions = {}) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-hostfs-'));
  const shareDir = path.join(base, 'share');
  const sentinelDir = path.join(base, 'sentinel');
  fs.mkdirSync(shareDir);
  fs.mkdirSync(sentinelDir);
  fs.writeFileSync(path.join(sentinelDir, 'secret.txt'), 'do not touch');
  fs.writeFileSync(path.join(base, 'passwd'), 'root:x:0:0');
  options.populate?.(shareDir, sentinelDir);
  const sentinelBefore = snapshotTree(sentinelDir);

  let time = 1_000_000;
  const system: System = createSystem({ clock: () => time });
  const process: Process = system.createProcess('test.exe');
  options.boot?.(system);
  const shareName = options.shareName ?? 'share';
  const added = HostFsAddShare(system, {
    name: shareName,
    path: shareDir,
    readOnly: options.readOnly ?? false,
    ...(options.containment !== undefined ? { containment: options.containment } : {}),
  });
  assert.equal(added, STATUS_SUCCESS, 'HostFsAddShare');
  assert.equal(system.ob.createSymbolicLink('\\??\\H:', `\\Device\\HostFs\\${shareName}`), STATUS_SUCCESS);

  const sync = <T>(value: T | Promise<T>): T => mustBeSync(value, 'test');

  function open(name: string, o: OpenOptions = {}): OpenResult {
    return sync(
      NtCreateFile(system, process, {
        objectName: name.startsWith('\\') || o.root ? name : `\\??\\H:\\${name}`,
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

  function handle(name: string, o: OpenOptions = {}): Handle {
    const result = open(name, o);
    assert.equal(result.status, STATUS_SUCCESS, `open ${name}: 0x${result.status.toString(16)}`);
    return result.handle!;
  }

  function close(h: Handle): void {
    assert.equal(NtClose(process, h), STATUS_SUCCESS);
  }

  function mkdir(name: string): NTSTATUS {
    const result = open(name, {
      access: FILE_LIST_DIRECTORY | SYNCHRONIZE,
      disposition: FILE_CREATE,
      options: FILE_DIRECTORY_FILE,
    });
    if (result.handle !== null) close(result.handle);
    return result.status;
  }

  function write(h: Handle, data: Uint8Array | string, offset: number | null = 0) {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const iosb = new IoStatusBlock();
    const status = sync(NtWriteFile(process, h, iosb, bytes, bytes.length, offset));
    return { status, bytes: iosb.information };
  }

  function read(h: Handle, length: number, offset: number | null = 0) {
    const buffer = new Uint8Array(length);
    const iosb = new IoStatusBlock();
    const status = sync(NtReadFile(process, h, iosb, buffer, length, offset));
    return { status, data: buffer.subarray(0, iosb.information) };
  }

  function writeFile(name: string, text: string | Uint8Array): NTSTATUS {
    const result = open(name, {
      disposition: FILE_OVERWRITE_IF,
      options: FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
    });
    if (result.status !== STATUS_SUCCESS) return result.status;
    const written = write(result.handle!, text);
    close(result.handle!);
    return written.status;
  }

  function readBytes(name: string): Uint8Array | NTSTATUS {
    const result = open(name, { access: FILE_GENERIC_READ });
    if (result.status !== STATUS_SUCCESS) return result.status;
    const chunks: Uint8Array[] = [];
    let offset = 0;
    for (;;) {
      const r = read(result.handle!, 65536, offset);
      if (r.status !== STATUS_SUCCESS) break;
      chunks.push(r.data.slice());
      offset += r.data.length;
    }
    close(result.handle!);
    return Buffer.concat(chunks);
  }

  function readFile(name: string): string | NTSTATUS {
    const bytes = readBytes(name);
    return typeof bytes === 'number' ? bytes : new TextDecoder().decode(bytes);
  }

  function query<T>(h: Handle, infoClass: number, length?: number) {
    return sync(NtQueryInformationFile<T>(process, h, infoClass, length));
  }

  function set(h: Handle, infoClass: number, info: unknown): NTSTATUS {
    return sync(NtSetInformationFile(system, process, h, infoClass, info));
  }

  function queryVolume<T>(h: Handle, infoClass: number, length?: number) {
    return sync(NtQueryVolumeInformationFile<T>(process, h, infoClass, length));
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
    name: string,
    pattern: string | null = null,
    batchLength?: number,
  ): FileDirectoryEntry[] {
    const dir = handle(name, { access: FILE_LIST_DIRECTORY | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
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

  function list(name: string, pattern: string | null = null): string[] {
    return listEntries(name, pattern)
      .map((e) => e.fileName)
      .filter((n) => n !== '.' && n !== '..');
  }

  function remove(name: string): NTSTATUS {
    const result = open(name, { access: DELETE | SYNCHRONIZE });
    if (result.status !== STATUS_SUCCESS) return result.status;
    const status = set(result.handle!, FileDispositionInformation, { deleteFile: true });
    close(result.handle!);
    return status;
  }

  function rename(name: string, fileName: string, replaceIfExists = false): NTSTATUS {
    const result = open(name, { access: DELETE | SYNCHRONIZE });
    if (result.status !== STATUS_SUCCESS) return result.status;
    const status = set(result.handle!, FileRenameInformation, {
      replaceIfExists,
      rootDirectory: null,
      fileName,
    });
    close(result.handle!);
    return status;
  }

  function exists(name: string): boolean {
    const result = open(name, {
      access: SYNCHRONIZE | FILE_READ_ATTRIBUTES,
      disposition: FILE_OPEN,
      options: 0,
    });
    if (result.handle !== null) close(result.handle);
    return result.status === STATUS_SUCCESS;
  }

  /** A host path inside the share. */
  function host(...parts: string[]): string {
    return path.join(shareDir, ...parts);
  }

  /** Asserts that nothing outside the share changed: the sentinel tree and the decoy file. */
  function assertOutsideUntouched(): void {
    assert.deepEqual(snapshotTree(sentinelDir), sentinelBefore, 'the sentinel directory changed');
    assert.equal(fs.readFileSync(path.join(base, 'passwd'), 'utf8'), 'root:x:0:0');
    assert.deepEqual(fs.readdirSync(base).sort(), ['passwd', 'sentinel', 'share']);
  }

  function dispose(): void {
    // Give back write permission so read-only files and directories can be removed (names as
    // bytes: tests plant names that are not UTF-8).
    const unlock = (dir: Buffer): void => {
      for (const name of fs.readdirSync(dir, { encoding: 'buffer' })) {
        const full = Buffer.concat([dir, Buffer.from('/'), name]);
        const stat = fs.lstatSync(full);
        if (stat.isSymbolicLink()) continue;
        fs.chmodSync(full, stat.mode | 0o700);
        if (stat.isDirectory()) unlock(full);
      }
    };
    try {
      unlock(Buffer.from(base));
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  }

  return {
    system,
    process,
    base,
    shareDir,
    sentinelDir,
    shareName,
    tick: (ms = 1000) => {
      time += ms;
      return time;
    },
    open,
    handle,
    close,
    mkdir,
    write,
    read,
    writeFile,
    readBytes,
    readFile,
    query,
    set,
    queryVolume,
    flush,
    queryDirectory,
    listEntries,
    list,
    remove,
    rename,
    exists,
    host,
    assertOutsideUntouched,
    dispose,
  };
}

export type HostShareFixture = ReturnType<typeof hostShare>;

/** Runs `body` on a fresh share and always removes the temporary directory. */
export function withShare(options: ShareFixtureOptions, body: (v: HostShareFixture) => void): void {
  const v = hostShare(options);
  try {
    body(v);
  } finally {
    v.dispose();
  }
}
