/**
 * A seeded mutation fuzzer over small FAT images of each type. Each mutant (random bytes, bit
 * flips and 16/32-bit values in the boot sector, the FATs, the FSInfo sector and the
 * directories) is mounted in a fresh system, walked, read and written to through the services.
 * The rules: no exception escapes (every open, listing and read works or returns a status), every
 * walk ends, and a file whose cluster chain the mutation left as it was keeps its bytes on disk
 * and reads back identical when its size was left alone too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NtShutdownSystem } from '../../../../src/api/index.ts';
import {
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_LIST_DIRECTORY,
  FILE_NON_DIRECTORY_FILE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  IRP_MJ_WRITE,
  mustBeSync,
  NT_SUCCESS,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import type { FatNode } from '../../../../src/drivers/fs/fat/fat-node.ts';
import { FatTable } from '../../../../src/drivers/fs/fat/fat-table.ts';
import type { Vcb } from '../../../../src/drivers/fs/fat/index.ts';
import { readBootSector } from '../../../../src/drivers/fs/fat/on-disk.ts';
import {
  clusterOffset,
  interpretBootSector,
  type VolumeLayout,
} from '../../../../src/drivers/fs/fat/volume-layout.ts';
import { IoGetCurrentIrpStackLocation, type ReadWriteParameters } from '../../../../src/io/index.ts';
import { FAT_TYPES, type FatBits, type FatVolumeFixture, fatVolume } from './setup.ts';

const MUTANTS_PER_TYPE = Number(process.env.FAT_FUZZ_MUTANTS ?? 150);

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface OriginalFile {
  path: string;
  data: Uint8Array;
  clusters: number[];
}

/** A volume with nested directories, long names and files of several sizes, flushed. */
function baseImage(fatType: FatBits): { media: Uint8Array; files: OriginalFile[]; layout: VolumeLayout } {
  const v = fatVolume({ fatType });
  const files: Array<[string, number]> = [
    ['small.txt', 10],
    ['A Longer Name For A File.dat', 3000],
    ['Folder One\\inner file.bin', 9000],
    ['Folder One\\Deeper\\deep.txt', 40],
    ['Folder Two\\x.y', 0],
    ['BIG.BIN', 30000],
  ];
  v.mkdir('Folder One');
  v.mkdir('Folder One\\Deeper');
  v.mkdir('Folder Two');
  for (let i = 0; i < 12; i++) files.push([`Folder Two\\entry number ${i}.txt`, i * 100]);
  for (const [path, size] of files)
    v.writeFile(
      path,
      new Uint8Array(size).map((_, i) => (i * 7 + path.length) & 0xff),
    );
  v.flushVolume();
  const vcb = v.volumeDevice()!.deviceExtension as Vcb;
  const originals: OriginalFile[] = [];
  for (const [path, size] of files) {
    let node: FatNode | undefined = vcb.root;
    for (const part of path.split('\\')) node = node!.contents!.lookup(part.toUpperCase());
    originals.push({
      path,
      data: new Uint8Array(size).map((_, i) => (i * 7 + path.length) & 0xff),
      clusters: node!.runs!.toArray(),
    });
  }
  return { media: v.media.slice(), files: originals, layout: vcb.layout };
}

/** The chain from `first` in the first FAT of `media`, or null when it is not a clean chain. */
function chainOf(media: Uint8Array, layout: VolumeLayout, first: number): number[] | null {
  if (first === 0) return [];
  const fat = new FatTable(
    media.subarray(layout.fatOffset, layout.fatOffset + layout.fatBytes),
    layout.fatType,
    layout.clusterCount,
    512,
  );
  const { status, runs } = fat.readChain(first);
  return status === STATUS_SUCCESS ? runs.toArray() : null;
}

/** Metadata regions a mutation may hit: boot area, FATs, root region, and the first data clusters (directories). */
function mutate(
  media: Uint8Array,
  layout: VolumeLayout,
  next: () => number,
  touched: Array<[number, number]>,
): string {
  const metadataEnd = layout.dataOffset + 24 * layout.bytesPerCluster;
  const regions: Array<[number, number]> = [
    [0, 512],
    [layout.fatOffset, layout.fatOffset + Math.min(layout.fatBytes, 4096)],
    [layout.fatType === 32 ? 512 : 0, layout.fatType === 32 ? 1024 : 512],
    [layout.fatType === 32 ? layout.dataOffset : layout.rootDirOffset, metadataEnd],
  ];
  const changes: string[] = [];
  const count = 1 + Math.floor(next() * 4);
  for (let i = 0; i < count; i++) {
    const [from, to] = regions[Math.floor(next() * regions.length)]!;
    const at = from + Math.floor(next() * (to - from - 4));
    const kind = Math.floor(next() * 5);
    if (kind === 0) media[at] = Math.floor(next() * 256);
    else if (kind === 1) media[at] = media[at]! ^ (1 << Math.floor(next() * 8));
    else if (kind === 2) {
      const value = Math.floor(next() * 0x10000);
      media[at] = value & 0xff;
      media[at + 1] = value >>> 8;
    } else if (kind === 3) {
      const value = [0, 0xffffffff, 1, 2, 0x0ffffff7, Math.floor(next() * 2 ** 32)][Math.floor(next() * 6)]!;
      for (let b = 0; b < 4; b++) media[at + b] = (value >>> (8 * b)) & 0xff;
    } else {
      // A whole random entry, often dressed as a long-name slot.
      const slot = at - (at % 32);
      for (let b = 0; b < 32; b++) media[slot + b] = Math.floor(next() * 256);
      if (next() < 0.6) media[slot + 11] = 0x0f;
      touched.push([slot, slot + 32]);
    }
    touched.push([at, at + 4]);
    changes.push(`${kind}@${at}`);
  }
  return changes.join(',');
}

/** Walks every directory (bounded), opening and reading every file; only statuses come back. */
function walk(v: FatVolumeFixture, reads: Map<string, Uint8Array | null>): void {
  const pending = ['\\??\\M:\\'];
  let visited = 0;
  while (pending.length > 0 && visited < 200) {
    const directory = pending.pop()!;
    visited++;
    const dir = v.open(directory, {
      access: FILE_LIST_DIRECTORY | SYNCHRONIZE,
      options: FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
    });
    if (!NT_SUCCESS(dir.status)) continue;
    for (let batch = 0; batch < 100; batch++) {
      const result = v.queryDirectory(dir.handle!, {});
      if (result.status !== STATUS_SUCCESS) break;
      for (const entry of result.entries) {
        if (entry.fileName === '.' || entry.fileName === '..') continue;
        const child = `${directory.endsWith('\\') ? directory : `${directory}\\`}${entry.fileName}`;
        if ((entry.fileAttributes & 0x10) !== 0) {
          if (child.split('\\').length < 12) pending.push(child);
          continue;
        }
        const file = v.open(child, {
          access: FILE_GENERIC_READ,
          options: FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
        });
        if (!NT_SUCCESS(file.status)) continue;
        const read = v.read(file.handle!, 1 << 16, 0);
        reads.set(child.slice('\\??\\M:\\'.length), NT_SUCCESS(read.status) ? read.data.slice() : null);
        v.close(file.handle!);
      }
    }
    v.close(dir.handle!);
  }
}

for (const fatType of FAT_TYPES) {
  test(`FAT${fatType}: ${MUTANTS_PER_TYPE} seeded mutations neither crash nor hang, and intact files stay intact`, () => {
    const base = baseImage(fatType);
    const next = random(Number(process.env.FAT_FUZZ_SEED ?? 0x5eed) * 31 + fatType);
    // One working disk for all mutants: what a mutant's run wrote is put back from the base after it.
    const work = base.media.slice();
    for (let mutant = 0; mutant < MUTANTS_PER_TYPE; mutant++) {
      const touched: Array<[number, number]> = [];
      const what = mutate(work, base.layout, next, touched);
      const label = `FAT${fatType} mutant ${mutant} (${what})`;
      // Only a boot sector left alone keeps the layout the intact-file rule is stated in.
      const sameLayout = base.media.subarray(0, 512).every((byte, i) => byte === work[i]);
      const intact = sameLayout
        ? base.files.filter((file) => {
            const chain = chainOf(work, base.layout, file.clusters[0] ?? 0);
            return chain !== null && chain.join() === file.clusters.join();
          })
        : [];
      const held = intact.map((file) => {
        const bytes = new Uint8Array(file.clusters.length * base.layout.bytesPerCluster);
        file.clusters.forEach((cluster, i) => {
          const start = clusterOffset(base.layout, cluster);
          bytes.set(
            work.subarray(start, start + base.layout.bytesPerCluster),
            i * base.layout.bytesPerCluster,
          );
        });
        return bytes;
      });
      const v = fatVolume({ fatType, media: work });
      const disk = v.device.driverObject;
      const write = disk.majorFunction[IRP_MJ_WRITE]!;
      disk.majorFunction[IRP_MJ_WRITE] = (device, irp) => {
        const { byteOffset, length } = IoGetCurrentIrpStackLocation(irp).parameters as ReadWriteParameters;
        touched.push([byteOffset, byteOffset + length]);
        return write(device, irp);
      };
      const reads = new Map<string, Uint8Array | null>();
      try {
        walk(v, reads);
        const created = v.open('FUZZNEW.TXT', {
          disposition: FILE_CREATE,
          options: FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
        });
        if (NT_SUCCESS(created.status)) {
          v.write(created.handle!, new Uint8Array(5000).fill(0xee), 0);
          v.close(created.handle!);
        }
        v.mkdir('FUZZDIR');
        v.remove('FUZZNEW.TXT');
        mustBeSync(NtShutdownSystem(v.system), 'shutdown');
      } catch (error) {
        assert.fail(`${label}: ${(error as Error).stack}`);
      }
      intact.forEach((file, k) => {
        file.clusters.forEach((cluster, i) => {
          const start = clusterOffset(base.layout, cluster);
          const size = base.layout.bytesPerCluster;
          assert.ok(
            work.subarray(start, start + size).every((byte, b) => byte === held[k]![i * size + b]),
            `${label}: data of ${file.path} changed on disk`,
          );
        });
        const read = reads.get(file.path);
        if (read instanceof Uint8Array && read.length === Math.min(file.data.length, 1 << 16))
          assert.deepEqual(
            read,
            held[k]!.subarray(0, read.length),
            `${label}: ${file.path} read back different`,
          );
      });
      for (const [from, to] of touched) work.set(base.media.subarray(from, to), from);
    }
  });
}

test('the fuzzer starts from images Strata reads back whole', () => {
  const base = baseImage(12);
  const v = fatVolume({ fatType: 12, media: base.media.slice() });
  for (const file of base.files) assert.deepEqual(v.readBytes(file.path), file.data);
  assert.equal(
    interpretBootSector(readBootSector(base.media), 512, base.media.length).status,
    STATUS_SUCCESS,
  );
});
