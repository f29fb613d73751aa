/**
 * HostFS against native node:fs on the same host directory, in the same run: what the I/O stack,
 * the containment walk and the NT semantics cost on top of the host calls they make.
 * - 64 KiB reads and 4 KiB writes on an open handle (NtReadFile / NtWriteFile vs fs.readSync /
 *   fs.writeSync on a descriptor);
 * - open, stat and close of a file two directories deep (NtCreateFile + FileStandardInformation +
 *   NtClose vs fs.openSync + fstatSync + closeSync);
 * - create and delete of files in one directory (vs openSync 'wx' + closeSync, unlinkSync);
 * - listing a directory of 1,000 files with their metadata (NtQueryDirectoryFile vs readdirSync
 *   and an lstatSync per name).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSystem } from '../src/api/create-system.ts';
import { NtClose } from '../src/api/nt-close.ts';
import { NtCreateFile } from '../src/api/nt-create-file.ts';
import { NtQueryInformationFile, NtSetInformationFile } from '../src/api/nt-information.ts';
import { NtQueryDirectoryFile } from '../src/api/nt-query-directory.ts';
import { NtReadFile, NtWriteFile } from '../src/api/nt-read-write.ts';
import {
  DELETE,
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FileDirectoryInformation,
  FileDispositionInformation,
  FileStandardInformation,
  STATUS_NO_MORE_FILES,
  STATUS_SUCCESS,
} from '../src/base/index.ts';
import { HostFsAddShare } from '../src/host/hostfs/index.ts';
import { IoStatusBlock } from '../src/io/index.ts';
import type { Handle } from '../src/ob/index.ts';
import { type BenchmarkTable, compare, row } from './support/measure.ts';

const FILE_SIZE = 16 << 20;
const READ = 64 << 10;
const WRITE = 4 << 10;
const LISTED = 1_000;

function setup() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-hostfs-'));
  const share = path.join(base, 'share');
  fs.mkdirSync(path.join(share, 'a', 'b'), { recursive: true });
  fs.mkdirSync(path.join(share, 'list'));
  fs.mkdirSync(path.join(share, 'churn'));
  fs.mkdirSync(path.join(share, 'native-churn'));
  const payload = Buffer.alloc(FILE_SIZE, 7);
  fs.writeFileSync(path.join(share, 'data.bin'), payload);
  fs.writeFileSync(path.join(share, 'a', 'b', 'small.txt'), 'small');
  for (let i = 0; i < LISTED; i++) fs.writeFileSync(path.join(share, 'list', `entry-${i}.txt`), `${i}`);
  const system = createSystem();
  const process = system.createProcess('bench.exe');
  if (HostFsAddShare(system, { name: 'bench', path: share }) !== STATUS_SUCCESS)
    throw new Error('bench setup: share');
  const open = (
    name: string,
    access: number,
    disposition = FILE_OPEN,
    options = FILE_NON_DIRECTORY_FILE,
  ): Handle => {
    const result = NtCreateFile(system, process, {
      objectName: `\\Device\\HostFs\\bench\\${name}`,
      desiredAccess: access,
      createDisposition: disposition,
      createOptions: options,
    });
    if (result instanceof Promise || result.handle === null) throw new Error(`bench: open ${name} failed`);
    return result.handle;
  };
  return { base, share, system, process, open };
}

export function run(): BenchmarkTable[] {
  const { base, share, system, process, open } = setup();
  try {
    const rows = [];
    const iosb = new IoStatusBlock();
    const blocks = FILE_SIZE / READ;

    const handle = open('data.bin', FILE_GENERIC_READ | FILE_GENERIC_WRITE);
    const fd = fs.openSync(path.join(share, 'data.bin'), 'r+');
    const buffer = new Uint8Array(READ);
    const read = compare(
      (n) => {
        for (let i = 0; i < n; i++)
          NtReadFile(process, handle, iosb, buffer, READ, ((i * 7) % blocks) * READ);
      },
      (n) => {
        for (let i = 0; i < n; i++) fs.readSync(fd, buffer, 0, READ, ((i * 7) % blocks) * READ);
      },
      { operations: 5_000 },
    );
    rows.push(row('64 KiB read', read, '≤ 1.5x', read.ratio <= 1.5));
    const small = new Uint8Array(WRITE).fill(1);
    const write = compare(
      (n) => {
        for (let i = 0; i < n; i++) NtWriteFile(process, handle, iosb, small, WRITE, (i % 1024) * WRITE);
      },
      (n) => {
        for (let i = 0; i < n; i++) fs.writeSync(fd, small, 0, WRITE, (i % 1024) * WRITE);
      },
      { operations: 10_000 },
    );
    rows.push(row('4 KiB write', write, '≤ 1.5x', write.ratio <= 1.5));
    NtClose(process, handle);
    fs.closeSync(fd);

    const smallPath = path.join(share, 'a', 'b', 'small.txt');
    const stat = compare(
      (n) => {
        for (let i = 0; i < n; i++) {
          const h = open('a\\b\\small.txt', FILE_GENERIC_READ);
          NtQueryInformationFile(process, h, FileStandardInformation);
          NtClose(process, h);
        }
      },
      (n) => {
        for (let i = 0; i < n; i++) {
          const f = fs.openSync(smallPath, 'r');
          fs.fstatSync(f);
          fs.closeSync(f);
        }
      },
      { operations: 2_000 },
    );
    rows.push(row('open, stat, close two levels deep', stat, '—', null));

    let serial = 0;
    const churn = compare(
      (n) => {
        for (let i = 0; i < n; i++) {
          const name = `churn\\f${serial++}`;
          NtClose(process, open(name, FILE_GENERIC_WRITE, FILE_CREATE));
          const h = open(name, DELETE);
          NtSetInformationFile(system, process, h, FileDispositionInformation, { deleteFile: true });
          NtClose(process, h);
        }
      },
      (n) => {
        for (let i = 0; i < n; i++) {
          const name = path.join(share, 'native-churn', `f${serial++}`);
          fs.closeSync(fs.openSync(name, 'wx'));
          fs.unlinkSync(name);
        }
      },
      { operations: 1_000 },
    );
    rows.push(row('create and delete a file', churn, '—', null));

    const listDir = path.join(share, 'list');
    const list = compare(
      (n) => {
        for (let i = 0; i < n; i++) {
          const h = open('list', FILE_GENERIC_READ, FILE_OPEN, FILE_DIRECTORY_FILE);
          let count = 0;
          for (;;) {
            const result = NtQueryDirectoryFile(process, h, {
              fileInformationClass: FileDirectoryInformation,
            });
            if (result instanceof Promise) throw new Error('bench: the listing pended');
            if (result.status === STATUS_NO_MORE_FILES) break;
            count += result.entries.length;
          }
          NtClose(process, h);
          if (count !== LISTED + 2) throw new Error(`bench: listed ${count}`);
        }
      },
      (n) => {
        for (let i = 0; i < n; i++)
          for (const name of fs.readdirSync(listDir)) fs.lstatSync(path.join(listDir, name));
      },
      { operations: 20, rounds: 7 },
    );
    rows.push(row(`list ${LISTED.toLocaleString('en')} files with metadata`, list, '—', null));

    return [
      {
        title: 'HostFS on a host directory',
        reference: 'node:fs on the same directory',
        rows,
        notes: [
          'Strata and node:fs alternate rounds in one process (median of 9 rounds, 7 for listings).',
          'Data rows have a target: once a file is open HostFS adds only the I/O stack to one positioned host call. Metadata rows have none: they measure the price of containment. node:fs opens a path in one call; HostFS opens each component with O_PATH | O_NOFOLLOW relative to its parent, fstats it and closes it, then reopens the leaf from its own descriptor (12 host calls for open, stat and close two levels deep, against 3).',
        ],
      },
    ];
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}
