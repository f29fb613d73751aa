/**
 * CDFS test fixtures: ISO images made by the real tools from a source tree in a temporary
 * directory, mounted through Strata on a read-only CD-ROM RAM disk linked as D:, with thin
 * synchronous wrappers over the system services.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createSystem,
  NtClose,
  NtCreateFile,
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
  FILE_DEVICE_CD_ROM,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_LIST_DIRECTORY,
  FILE_OPEN,
  FILE_SHARE_DELETE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  type FileDirectoryEntry,
  FileDirectoryInformation,
  mustBeSync,
  type NTSTATUS,
  STATUS_END_OF_FILE,
  STATUS_NO_MORE_FILES,
  STATUS_NO_SUCH_FILE,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { type CdfsOptions, cdfsDriver, cdfsDriverWith } from '../../../../src/drivers/fs/cdfs/index.ts';
import { IoCreateRamDisk, type RamDiskOptions } from '../../../../src/drivers/storage/ramdisk/index.ts';
import { type DeviceObject, IoLoadDriver, IoStatusBlock, type System } from '../../../../src/io/index.ts';
import type { Handle, Process } from '../../../../src/ob/index.ts';

export const ALL_SHARE = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

/** A file in a source tree: text or bytes, or a directory (null), or a link ({ link }). */
export type TreeSpec = Record<
  string,
  string | Uint8Array | null | { link: string } | { mode: number; data: string }
>;

export function tempDir(prefix = 'strata-cdfs-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a source tree under `root` (keys are relative paths with `/`). */
export function writeTree(root: string, spec: TreeSpec): void {
  for (const [relative, content] of Object.entries(spec)) {
    const target = path.join(root, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (content === null) fs.mkdirSync(target, { recursive: true });
    else if (typeof content === 'string' || content instanceof Uint8Array) fs.writeFileSync(target, content);
    else if ('link' in content) fs.symlinkSync(content.link, target);
    else {
      fs.writeFileSync(target, content.data);
      fs.chmodSync(target, content.mode);
    }
  }
}

export type IsoTool = 'genisoimage' | 'xorriso';

/** Makes an ISO image of `source` with the given tool and mkisofs-style flags; returns its bytes. */
export function makeIso(tool: IsoTool, source: string, flags: string[], output: string): Uint8Array {
  const args =
    tool === 'xorriso'
      ? ['-as', 'mkisofs', '-quiet', '-o', output, ...flags, source]
      : ['-quiet', '-o', output, ...flags, source];
  execFileSync(tool === 'xorriso' ? 'xorriso' : 'genisoimage', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Uint8Array(fs.readFileSync(output));
}

export interface CdOptions extends Omit<RamDiskOptions, 'media' | 'format'> {
  cdfs?: CdfsOptions;
}

/** A booted system with CDFS and the image on a read-only CD-ROM RAM disk linked as D:. */
export function cdVolume(image: Uint8Array, options: CdOptions = {}) {
  const system: System = createSystem({ clock: () => 1_000_000 });
  const process: Process = system.createProcess('test.exe');
  const { cdfs, ...disk } = options;
  IoLoadDriver(system, cdfs === undefined ? cdfsDriver : cdfsDriverWith(cdfs));
  const media = image.length % 2048 === 0 ? image : padTo(image, 2048);
  const created = IoCreateRamDisk(system, {
    media,
    sectorSize: 2048,
    deviceType: FILE_DEVICE_CD_ROM,
    readOnly: true,
    ...disk,
  });
  assert.equal(created.status, STATUS_SUCCESS);
  const device: DeviceObject = created.deviceObject!;
  system.ob.createSymbolicLink('\\??\\D:', device.deviceName!);
  return { system, process, device, media, ...services(system, process, '\\??\\D:') };
}

function padTo(bytes: Uint8Array, multiple: number): Uint8Array {
  const padded = new Uint8Array(Math.ceil(bytes.length / multiple) * multiple);
  padded.set(bytes);
  return padded;
}

export interface OpenOptions {
  access?: number;
  disposition?: number;
  options?: number;
  share?: number;
  root?: Handle | null;
  openTargetDirectory?: boolean;
}

/** The system services as synchronous wrappers (a pended request fails the test), rooted at a drive. */
export function services(system: System, process: Process, drive: string) {
  const sync = <T>(value: T | Promise<T>): T => mustBeSync(value, 'test');
  function open(name: string, o: OpenOptions = {}) {
    return sync(
      NtCreateFile(system, process, {
        objectName: name.startsWith('\\') || o.root ? name : `${drive}\\${name}`,
        rootDirectory: o.root ?? null,
        desiredAccess: o.access ?? FILE_GENERIC_READ,
        createDisposition: o.disposition ?? FILE_OPEN,
        createOptions: o.options ?? FILE_SYNCHRONOUS_IO_NONALERT,
        shareAccess: o.share ?? ALL_SHARE,
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
  function read(h: Handle, length: number, offset: number | null = 0) {
    const buffer = new Uint8Array(length);
    const iosb = new IoStatusBlock();
    const status = sync(NtReadFile(process, h, iosb, buffer, length, offset));
    return { status, data: buffer.subarray(0, iosb.information) };
  }
  function write(h: Handle, data: Uint8Array, offset: number | null = 0): NTSTATUS {
    const iosb = new IoStatusBlock();
    return sync(NtWriteFile(process, h, iosb, data, data.length, offset));
  }
  /** The whole content of a file, read in `chunk`-byte reads; throws on a failed open. */
  function readFile(name: string, chunk = 1 << 20): Uint8Array {
    const h = handle(name, { options: FILE_SYNCHRONOUS_IO_NONALERT });
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (;;) {
      const r = read(h, chunk, offset);
      if (r.status === STATUS_END_OF_FILE) break;
      assert.equal(r.status, STATUS_SUCCESS, `read ${name} at ${offset}`);
      parts.push(r.data);
      offset += r.data.length;
      if (r.data.length === 0) break;
    }
    close(h);
    return new Uint8Array(Buffer.concat(parts));
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
  function setVolume(h: Handle, infoClass: number, info: unknown): NTSTATUS {
    return sync(NtSetVolumeInformationFile(process, h, infoClass, info));
  }
  function fsctl(h: Handle, code: number, outputLength = 0) {
    return sync(NtFsControlFile(process, h, code, null, outputLength));
  }
  function queryDirectory(h: Handle, request: Partial<QueryDirectoryRequest> = {}) {
    return sync(
      NtQueryDirectoryFile(process, h, { fileInformationClass: FileDirectoryInformation, ...request }),
    );
  }
  /** Every entry of a directory matching the pattern, by repeated queries. */
  function listEntries(
    name: string,
    pattern: string | null = null,
    batchLength?: number,
  ): FileDirectoryEntry[] {
    const dir = handle(name, {
      access: FILE_LIST_DIRECTORY | SYNCHRONIZE,
      options: FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
    });
    const entries: FileDirectoryEntry[] = [];
    let first = true;
    for (;;) {
      const result = queryDirectory(dir, { fileName: first ? pattern : null, length: batchLength });
      if (result.status !== STATUS_SUCCESS) {
        assert.ok(
          result.status === (first ? STATUS_NO_SUCH_FILE : STATUS_NO_MORE_FILES),
          `enumeration of ${name} ended with 0x${result.status.toString(16)}`,
        );
        break;
      }
      first = false;
      entries.push(...result.entries);
    }
    close(dir);
    return entries;
  }
  /** Names in a directory, without "." and "..". */
  function list(name: string, pattern: string | null = null): string[] {
    return listEntries(name, pattern)
      .map((e) => e.fileName)
      .filter((n) => n !== '.' && n !== '..');
  }
  function openVolume(access = FILE_GENERIC_READ, share = FILE_SHARE_READ | FILE_SHARE_WRITE) {
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
    open,
    handle,
    close,
    read,
    write,
    readFile,
    query,
    set,
    queryVolume,
    setVolume,
    fsctl,
    queryDirectory,
    listEntries,
    list,
    openVolume,
  };
}

/** The tree under a directory of the volume: relative path → 'dir' or the file's bytes. */
export function readBackTree(volume: ReturnType<typeof cdVolume>, dir = ''): Map<string, 'dir' | Uint8Array> {
  const out = new Map<string, 'dir' | Uint8Array>();
  const walk = (relative: string, depth: number): void => {
    assert.ok(depth < 64, 'tree too deep');
    for (const entry of volume.listEntries(relative === '' ? '\\??\\D:\\' : relative)) {
      if (entry.fileName === '.' || entry.fileName === '..') continue;
      const child = relative === '' ? entry.fileName : `${relative}\\${entry.fileName}`;
      const key = child.replaceAll('\\', '/');
      if ((entry.fileAttributes & 0x10) !== 0) {
        out.set(key, 'dir');
        walk(child, depth + 1);
      } else {
        out.set(key, volume.readFile(child));
      }
    }
  };
  walk(dir, 0);
  return out;
}

/** The tree under a host directory, as readBackTree shows a volume (links followed, as a reader sees them). */
export function hostTree(root: string): Map<string, 'dir' | Uint8Array> {
  const out = new Map<string, 'dir' | Uint8Array>();
  const walk = (relative: string): void => {
    for (const name of fs.readdirSync(path.join(root, relative))) {
      const child = relative === '' ? name : `${relative}/${name}`;
      const full = path.join(root, child);
      const stat = fs.lstatSync(full);
      if (stat.isDirectory()) {
        out.set(child, 'dir');
        walk(child);
      } else if (stat.isFile()) {
        out.set(child, new Uint8Array(fs.readFileSync(full)));
      }
    }
  };
  walk('');
  return out;
}

/** An ISO image of a tree spec, made in a temporary directory that is removed afterwards. */
export function buildIso(
  spec: TreeSpec,
  tool: IsoTool = 'genisoimage',
  flags: string[] = ['-R', '-J'],
): Uint8Array {
  const dir = tempDir();
  try {
    const source = path.join(dir, 'source');
    fs.mkdirSync(source);
    writeTree(source, spec);
    const charset = tool === 'genisoimage' ? ['-input-charset', 'utf-8'] : [];
    return makeIso(tool, source, [...charset, ...flags], path.join(dir, 'image.iso'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The first supplementary descriptor with a Joliet escape sequence, and the primary descriptor. */
export function descriptorsOf(image: Uint8Array): { primary: Uint8Array; joliet: Uint8Array | null } {
  let primary: Uint8Array | null = null;
  let joliet: Uint8Array | null = null;
  for (let sector = 16; sector < 64; sector++) {
    const bytes = image.subarray(sector * 2048, (sector + 1) * 2048);
    if (String.fromCharCode(...bytes.subarray(1, 6)) !== 'CD001' || bytes[0] === 255) break;
    if (bytes[0] === 1 && primary === null) primary = bytes;
    if (bytes[0] === 2 && joliet === null && bytes[88] === 0x25 && bytes[89] === 0x2f) joliet = bytes;
  }
  assert.ok(primary !== null, 'no primary descriptor');
  return { primary, joliet };
}
