/**
 * Image-file disks against native node:fs on the same file, in the same run: what the I/O stack
 * costs on top of the host calls it makes. Strata reads and writes a raw open of
 * `\Device\HarddiskVolume1` (RAW on a PartMgr partition on an ImageDisk disk, so three drivers and
 * an offset translation per request); the reference calls fs.readSync / fs.writeSync on a
 * descriptor of the same file at the same offsets.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSystem } from '../src/api/create-system.ts';
import { NtCreateFile } from '../src/api/nt-create-file.ts';
import { NtReadFile, NtWriteFile } from '../src/api/nt-read-write.ts';
import { FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_OPEN, STATUS_SUCCESS } from '../src/base/index.ts';
import { IoCreateImageDisk } from '../src/host/image-disk/index.ts';
import { IoStatusBlock } from '../src/io/index.ts';
import { type BenchmarkTable, compare, row } from './support/measure.ts';

const DISK_SIZE = 64 << 20;

export function run(): BenchmarkTable[] {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-image-'));
  try {
    const file = path.join(base, 'disk.img');
    fs.writeFileSync(file, Buffer.alloc(DISK_SIZE, 3));
    const system = createSystem();
    const process = system.createProcess('bench.exe');
    const created = IoCreateImageDisk(system, { path: file });
    if (created.status !== STATUS_SUCCESS) throw new Error('bench setup: image disk');
    const opened = NtCreateFile(system, process, {
      objectName: '\\Device\\HarddiskVolume1',
      desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE,
      createDisposition: FILE_OPEN,
    });
    if (opened instanceof Promise || opened.handle === null) throw new Error('bench setup: raw open');
    const handle = opened.handle;
    const fd = fs.openSync(file, 'r+');
    const iosb = new IoStatusBlock();
    const rows = [];
    for (const [label, size, write, target] of [
      ['64 KiB reads', 64 << 10, false, 1.3],
      ['4 KiB writes', 4 << 10, true, 1.5],
      ['512-byte reads', 512, false, 2.5],
    ] as const) {
      const buffer = new Uint8Array(size);
      const blocks = DISK_SIZE / size;
      let strataAt = 0;
      let nativeAt = 0;
      const pair = compare(
        (n) => {
          for (let i = 0; i < n; i++) {
            const offset = (strataAt++ % blocks) * size;
            const status = write
              ? NtWriteFile(process, handle, iosb, buffer, size, offset)
              : NtReadFile(process, handle, iosb, buffer, size, offset);
            if (status !== STATUS_SUCCESS) throw new Error(`bench: ${label} failed`);
          }
        },
        (n) => {
          for (let i = 0; i < n; i++) {
            const offset = (nativeAt++ % blocks) * size;
            if (write) fs.writeSync(fd, buffer, 0, size, offset);
            else fs.readSync(fd, buffer, 0, size, offset);
          }
        },
        { operations: Math.min(blocks, 2000) },
      );
      rows.push(row(label, pair, `≤ ${target}x`, pair.ratio <= target));
    }
    fs.closeSync(fd);
    return [
      {
        title: 'Image disk: sector I/O through RAW, PartMgr and ImageDisk',
        reference: 'fs.readSync / fs.writeSync on the image file',
        rows,
        notes: [
          `A ${DISK_SIZE >> 20} MiB image, sequential offsets wrapping around; the file is in the host page cache.`,
        ],
      },
    ];
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}
