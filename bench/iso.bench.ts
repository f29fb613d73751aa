/**
 * ISO 9660 through CDFS against xorriso, in the same run: read every file of a 100 MiB image.
 *
 * The image is made by xorriso (Rock Ridge and Joliet) from a generated tree: 4 files of 16 MiB,
 * 64 of 512 KiB and 512 of 8 KiB in 8 directories. Strata attaches it as an image-file CD-ROM
 * (`\Device\CdRom0`, read from the host file at random offsets), mounts CDFS, walks the tree with
 * NtQueryDirectoryFile and reads each file with NtCreateFile and 1 MiB NtReadFile calls; each round
 * is a fresh system, so the mount and every directory are read cold. A second row does the same on
 * a RAM disk holding the image. The reference is `xorriso -osirrox on -indev IMAGE -extract / DIR`,
 * which also writes the files it reads (into the page cache). Rounds alternate; medians are shown.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSystem } from '../src/api/create-system.ts';
import { NtClose } from '../src/api/nt-close.ts';
import { NtCreateFile } from '../src/api/nt-create-file.ts';
import { NtQueryDirectoryFile } from '../src/api/nt-query-directory.ts';
import { NtReadFile } from '../src/api/nt-read-write.ts';
import {
  FILE_DEVICE_CD_ROM,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_LIST_DIRECTORY,
  FILE_OPEN,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileDirectoryInformation,
  STATUS_END_OF_FILE,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../src/base/index.ts';
import { cdfsDriver } from '../src/drivers/fs/cdfs/index.ts';
import { IoCreateRamDisk } from '../src/drivers/storage/ramdisk/index.ts';
import { IoCreateImageDisk } from '../src/host/image-disk/index.ts';
import { IoLoadDriver, IoStatusBlock, type System } from '../src/io/index.ts';
import type { Process } from '../src/ob/index.ts';
import { type BenchmarkTable, formatNs, type Pair, row } from './support/measure.ts';

const READ_SIZE = 1 << 20;
const ROUNDS = 5;

function writeSource(root: string): number {
  let total = 0;
  const put = (relative: string, size: number, seed: number): void => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const data = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4096) data.writeUInt32LE((seed * 2654435761 + i) >>> 0, i);
    fs.writeFileSync(file, data);
    total += size;
  };
  for (let i = 0; i < 4; i++) put(`large/file-${i}.bin`, 16 << 20, i);
  for (let i = 0; i < 64; i++) put(`medium-${i % 4}/file-${i}.bin`, 512 << 10, 100 + i);
  for (let i = 0; i < 512; i++) put(`small-${i % 3}/file-${i}.bin`, 8 << 10, 1000 + i);
  return total;
}

/** Walks the volume at `drive` and reads every file; returns the bytes read. */
function readEverything(system: System, process: Process, drive: string, buffer: Uint8Array): number {
  const iosb = new IoStatusBlock();
  let bytes = 0;
  const walk = (directory: string): void => {
    const opened = NtCreateFile(system, process, {
      objectName: directory,
      desiredAccess: FILE_LIST_DIRECTORY | SYNCHRONIZE,
      createDisposition: FILE_OPEN,
      createOptions: FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
    });
    if (opened instanceof Promise || opened.handle === null) throw new Error(`bench: open ${directory}`);
    for (;;) {
      const batch = NtQueryDirectoryFile(process, opened.handle, {
        fileInformationClass: FileDirectoryInformation,
      });
      if (batch instanceof Promise) throw new Error('bench: the query pended');
      if (batch.status !== STATUS_SUCCESS) break;
      for (const entry of batch.entries) {
        if (entry.fileName === '.' || entry.fileName === '..') continue;
        const child = directory.endsWith('\\')
          ? `${directory}${entry.fileName}`
          : `${directory}\\${entry.fileName}`;
        if ((entry.fileAttributes & 0x10) !== 0) {
          walk(child);
          continue;
        }
        const file = NtCreateFile(system, process, {
          objectName: child,
          desiredAccess: FILE_GENERIC_READ,
          createDisposition: FILE_OPEN,
          createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
        });
        if (file instanceof Promise || file.handle === null) throw new Error(`bench: open ${child}`);
        for (let offset = 0; ; offset += READ_SIZE) {
          const status = NtReadFile(process, file.handle, iosb, buffer, READ_SIZE, offset);
          if (status === STATUS_END_OF_FILE) break;
          if (status !== STATUS_SUCCESS) throw new Error(`bench: read ${child}`);
          bytes += iosb.information;
          if (iosb.information < READ_SIZE) break;
        }
        NtClose(process, file.handle);
      }
    }
    NtClose(process, opened.handle);
  };
  walk(`${drive}\\`);
  return bytes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

function timed(body: () => void): number {
  const start = process.hrtime.bigint();
  body();
  return Number(process.hrtime.bigint() - start);
}

export function run(): BenchmarkTable[] {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-iso-'));
  try {
    const source = path.join(base, 'source');
    const total = writeSource(source);
    const image = path.join(base, 'disc.iso');
    execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-J', '-o', image, source], {
      stdio: 'ignore',
    });
    const media = new Uint8Array(fs.readFileSync(image));
    const buffer = new Uint8Array(READ_SIZE);
    const check = (bytes: number): void => {
      if (bytes !== total) throw new Error(`bench: read ${bytes} bytes of ${total}`);
    };
    const onImageDisk = (): void => {
      const system = createSystem();
      IoLoadDriver(system, cdfsDriver);
      const { deviceObject } = IoCreateImageDisk(system, { path: image });
      if (deviceObject === null) throw new Error('bench: image disk');
      check(readEverything(system, system.createProcess('bench.exe'), deviceObject.deviceName!, buffer));
    };
    const onRamDisk = (): void => {
      const system = createSystem();
      IoLoadDriver(system, cdfsDriver);
      const { deviceObject } = IoCreateRamDisk(system, {
        media,
        sectorSize: 2048,
        deviceType: FILE_DEVICE_CD_ROM,
        readOnly: true,
      });
      check(readEverything(system, system.createProcess('bench.exe'), deviceObject!.deviceName!, buffer));
    };
    const xorriso = (round: number): number => {
      const out = path.join(base, `extract-${round}`);
      const ns = timed(() =>
        execFileSync('xorriso', ['-osirrox', 'on', '-indev', image, '-extract', '/', out], {
          stdio: 'ignore',
        }),
      );
      fs.rmSync(out, { recursive: true, force: true });
      return ns;
    };
    onImageDisk(); // warm the JIT and the page cache
    xorriso(-1);
    const imageDisk: number[] = [];
    const ramDisk: number[] = [];
    const reference: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      imageDisk.push(timed(onImageDisk));
      reference.push(xorriso(round));
      ramDisk.push(timed(onRamDisk));
    }
    const referenceNs = median(reference);
    const pair = (ns: number): Pair => ({
      strata: { nsPerOp: ns },
      reference: { nsPerOp: referenceNs },
      ratio: ns / referenceNs,
    });
    const imagePair = pair(median(imageDisk));
    const ramPair = pair(median(ramDisk));
    const mib = (ns: number): string => `${(total / 2 ** 20 / (ns / 1e9)).toFixed(0)} MiB/s`;
    return [
      {
        title: `ISO 9660: read every file of a ${Math.round(total / 2 ** 20)} MiB image`,
        reference: 'xorriso -osirrox on -extract',
        rows: [
          row('CDFS on an image-file CD-ROM', imagePair, '≤ 1x', imagePair.ratio <= 1),
          row('CDFS on a RAM disk holding the image', ramPair, '≤ 1x', ramPair.ratio <= 1),
        ],
        notes: [
          `580 files in 8 directories (Rock Ridge and Joliet, made by xorriso); each Strata round boots a system and mounts cold, reading in ${READ_SIZE >> 20} MiB NtReadFile calls. Throughput: image disk ${mib(imagePair.strata.nsPerOp)}, RAM disk ${mib(ramPair.strata.nsPerOp)}, xorriso ${mib(referenceNs)} (${formatNs(referenceNs)} per extraction, including writing the files to the page cache).`,
        ],
      },
    ];
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}
