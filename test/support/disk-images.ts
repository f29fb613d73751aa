/**
 * Disk images made by real tools for storage and recognizer tests: temporary directories, FAT
 * superfloppies (mkfs.fat -C), partitioned images (sfdisk, then mkfs.fat --offset into the
 * partitions), ISO images (genisoimage), sfdisk's own view of a table (the oracle for partition
 * starts and sizes), and raw device opens through the system services.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  NtClose,
  NtCreateFile,
  NtDeviceIoControlFile,
  NtReadFile,
  NtWriteFile,
} from '../../src/api/index.ts';
import {
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_OPEN,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  mustBeSync,
  type NTSTATUS,
  STATUS_SUCCESS,
} from '../../src/base/index.ts';
import { IoStatusBlock, type System } from '../../src/io/index.ts';
import type { Handle, Process } from '../../src/ob/index.ts';

/** A fresh temporary directory and its removal. */
export function makeTempDir(prefix = 'strata-disk-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a tool and fails the test with its output when it fails. */
export function run(command: string, args: string[], input?: string): string {
  try {
    return execFileSync(command, args, {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LANG: 'C.UTF-8', MTOOLS_SKIP_CHECK: '1' },
    });
  } catch (error) {
    const failure = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed: ${failure.stderr ?? ''}${failure.stdout ?? ''}${failure.message}`,
    );
  }
}

/** `mkfs.fat -C`: a FAT superfloppy of `kibibytes` KiB. */
export function makeFatImage(
  file: string,
  kibibytes: number,
  options: { fatBits?: 12 | 16 | 32; label?: string; sectorSize?: number; fakeMbr?: boolean } = {},
): void {
  fs.rmSync(file, { force: true });
  const args = ['-C', '-i', '12345678', '--invariant'];
  if (options.fakeMbr === true) args.push('--mbr=y');
  if (options.fatBits !== undefined) args.push('-F', String(options.fatBits));
  if (options.label !== undefined) args.push('-n', options.label);
  if (options.sectorSize !== undefined) args.push('-S', String(options.sectorSize));
  run('mkfs.fat', [...args, file, String(kibibytes)]);
}

/** A sparse file of `bytes` with an sfdisk script applied (`label: dos` …). */
export function makePartitionedImage(file: string, bytes: number, sfdiskScript: string): void {
  fs.closeSync(fs.openSync(file, 'w'));
  fs.truncateSync(file, bytes);
  run('sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', file], sfdiskScript);
}

/** `mkfs.fat --offset`: a FAT file system of `kibibytes` KiB at sector `startSector` of an existing image. */
export function formatFatAt(file: string, startSector: number, kibibytes: number, label: string): void {
  run('mkfs.fat', [
    '-i',
    '87654321',
    '--invariant',
    `--offset=${startSector}`,
    '-n',
    label,
    file,
    String(kibibytes),
  ]);
}

export interface SfdiskPartition {
  node: string;
  start: number;
  size: number;
  type: string;
  bootable?: boolean;
}

/** sfdisk's reading of the table (`sfdisk --json`): the oracle for starts, sizes and types. */
export function sfdiskPartitions(file: string): SfdiskPartition[] {
  const parsed = JSON.parse(run('sfdisk', ['--json', file])) as {
    partitiontable: { partitions?: SfdiskPartition[] };
  };
  return parsed.partitiontable.partitions ?? [];
}

/** genisoimage over a directory of files given as name → content. */
export function makeIsoImage(file: string, files: Record<string, string>, volumeId = 'STRATA'): void {
  const source = `${file}.d`;
  fs.mkdirSync(source, { recursive: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(source, name), content);
  run('genisoimage', ['-quiet', '-o', file, '-V', volumeId, '-J', '-R', source]);
  fs.rmSync(source, { recursive: true, force: true });
}

/** Bytes `[offset, offset + length)` of a host file. */
export function fileBytes(file: string, offset: number, length: number): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const read = fs.readSync(fd, buffer, done, length - done, offset + done);
      if (read === 0) break;
      done += read;
    }
    return buffer.subarray(0, done);
  } finally {
    fs.closeSync(fd);
  }
}

/** A raw open of a device or volume by name, with synchronous read/write/IOCTL helpers. */
export function openRaw(
  system: System,
  process: Process,
  name: string,
  access = FILE_GENERIC_READ | FILE_GENERIC_WRITE,
) {
  const opened = mustBeSync(
    NtCreateFile(system, process, {
      objectName: name,
      desiredAccess: access,
      shareAccess: FILE_SHARE_READ | FILE_SHARE_WRITE,
      createDisposition: FILE_OPEN,
      createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
    }),
    `open ${name}`,
  );
  return {
    status: opened.status,
    handle: opened.handle,
    read(offset: number, length: number): { status: NTSTATUS; data: Uint8Array; information: number } {
      const data = new Uint8Array(length);
      const io = new IoStatusBlock();
      const status = mustBeSync(NtReadFile(process, opened.handle!, io, data, length, offset), 'read');
      return { status, data, information: io.information };
    },
    write(offset: number, data: Uint8Array): { status: NTSTATUS; information: number } {
      const io = new IoStatusBlock();
      const status = mustBeSync(NtWriteFile(process, opened.handle!, io, data, data.length, offset), 'write');
      return { status, information: io.information };
    },
    ioctl(
      code: number,
      outputBufferLength = 1024,
    ): { status: NTSTATUS; output: unknown; information: number } {
      const result = mustBeSync(
        NtDeviceIoControlFile(process, opened.handle!, code, null, outputBufferLength),
        'ioctl',
      );
      return { status: result.status, output: result.output, information: result.information };
    },
    close(): void {
      assert.equal(mustBeSync(NtClose(process, opened.handle as Handle), 'close'), STATUS_SUCCESS);
    },
  };
}

/** Reads a whole range through a raw open in chunks and returns it. */
export function readAll(
  device: ReturnType<typeof openRaw>,
  offset: number,
  length: number,
  chunk = 1 << 20,
): Uint8Array {
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += chunk) {
    const size = Math.min(chunk, length - at);
    const { status, data } = device.read(offset + at, size);
    assert.equal(status, STATUS_SUCCESS, `read at ${offset + at}`);
    out.set(data, at);
  }
  return out;
}
