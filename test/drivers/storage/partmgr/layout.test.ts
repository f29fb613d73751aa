import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { createSystem } from '../../../../src/api/index.ts';
import { mustBeSync, STATUS_SUCCESS } from '../../../../src/base/index.ts';
import {
  classifySector0,
  IoReadPartitionLayout,
  MAX_EXTENDED_BOOT_RECORDS,
  type PartitionLayout,
} from '../../../../src/drivers/storage/partmgr/index.ts';
import { IoCreateRamDisk } from '../../../../src/drivers/storage/ramdisk/index.ts';
import {
  makeFatImage,
  makeIsoImage,
  makePartitionedImage,
  makeTempDir,
  sfdiskPartitions,
} from '../../../support/disk-images.ts';
import { diskWithTables, type EntrySpec, tableSector } from './tables.ts';

const temp = makeTempDir('strata-layout-');
after(() => temp.cleanup());

/** The layout PartMgr reads from `media` on a RAM disk. */
function layoutOf(media: Uint8Array, sectorSize = 512): PartitionLayout {
  const system = createSystem();
  const { deviceObject } = IoCreateRamDisk(system, { media, sectorSize });
  const result = mustBeSync(IoReadPartitionLayout(deviceObject!), 'layout');
  assert.equal(result.status, STATUS_SUCCESS);
  return result.layout!;
}

function starts(layout: PartitionLayout): Array<[number, number, number]> {
  return layout.partitions.map((p) => [p.partitionNumber, p.startingOffset / 512, p.partitionLength / 512]);
}

const fat16 = (start: number, count: number, boot = 0): EntrySpec => ({ type: 0x06, start, count, boot });
const extended = (start: number, count: number): EntrySpec => ({ type: 0x05, start, count });

test('a partition table made by sfdisk reads back with the starts, sizes and types sfdisk reports, logical partitions included', () => {
  const file = path.join(temp.dir, 'sfdisk.img');
  makePartitionedImage(
    file,
    64 << 20,
    'label: dos\nstart=2048, size=20480, type=c, bootable\nstart=22528, size=20480, type=83\nstart=43008, type=5\nstart=45056, size=8192, type=c\nstart=55296, size=8192, type=6\n',
  );
  const layout = layoutOf(new Uint8Array(fs.readFileSync(file)));
  const oracle = sfdiskPartitions(file).filter((p) => p.type !== '5');
  assert.equal(layout.style, 'mbr');
  assert.deepEqual(layout.skipped, []);
  assert.deepEqual(
    layout.partitions.map((p) => [
      p.startingOffset / 512,
      p.partitionLength / 512,
      p.partitionType.toString(16),
    ]),
    oracle.map((p) => [p.start, p.size, p.type]),
  );
  assert.deepEqual(
    layout.partitions.map((p) => p.partitionNumber),
    [1, 2, 3, 4],
  );
  assert.equal(layout.partitions[0]!.bootIndicator, true);
  assert.equal(layout.partitions[1]!.bootIndicator, false);
  assert.match(layout.partitions[2]!.location, /^EBR at sector 43008, entry 1$/);
  // Hidden sectors count from the table sector that describes the partition.
  assert.equal(layout.partitions[0]!.hiddenSectors, 2048);
  assert.equal(layout.partitions[2]!.hiddenSectors, 45056 - 43008);
});

test('FAT boot sectors made by mkfs.fat (FAT12, FAT16, FAT32) are superfloppies: one partition over the whole disk', () => {
  for (const [bits, kib] of [
    [12, 1440],
    [16, 16384],
    [32, 65536],
  ] as const) {
    const file = path.join(temp.dir, `fat${bits}.img`);
    makeFatImage(file, kib, { fatBits: bits });
    const media = new Uint8Array(fs.readFileSync(file));
    const layout = layoutOf(media);
    assert.equal(layout.style, 'superfloppy', `FAT${bits}`);
    assert.deepEqual(starts(layout), [[1, 0, kib * 2]]);
    assert.equal(layout.partitions[0]!.location, 'whole disk');
  }
});

test('mkfs.fat --mbr writes a fake MBR entry starting at sector 0, which is read as a partition over the whole disk', () => {
  const file = path.join(temp.dir, 'fake-mbr.img');
  makeFatImage(file, 8192, { fakeMbr: true });
  const layout = layoutOf(new Uint8Array(fs.readFileSync(file)));
  assert.equal(layout.style, 'mbr');
  assert.deepEqual(starts(layout), [[1, 0, 16384]]);
  assert.equal(sfdiskPartitions(file)[0]!.start, 0, 'sfdisk agrees the partition starts at 0');
});

test('an ISO image and an unformatted disk have no signature: one volume over the whole disk', () => {
  const iso = path.join(temp.dir, 'plain.iso');
  makeIsoImage(iso, { 'a.txt': 'hello' });
  const layout = layoutOf(new Uint8Array(fs.readFileSync(iso)));
  assert.equal(layout.style, 'superfloppy');
  assert.match(layout.reason, /no 0x55AA signature/);
  assert.equal(layout.partitions.length, 1);
  assert.equal(layoutOf(new Uint8Array(64 * 512)).style, 'superfloppy');
});

test('a boot indicator other than 0x00 or 0x80 means sector 0 is not a partition table', () => {
  const sector = tableSector([fat16(2048, 100), { type: 0x07, start: 4096, count: 100, boot: 0x12 }]);
  const result = classifySector0(sector);
  assert.equal(result.kind, 'superfloppy');
  assert.match(result.reason, /entry 2 has boot indicator 0x12/);
});

test('an empty table is an empty disk unless sector 0 starts with a jump, which makes it a boot sector', () => {
  const empty = layoutOf(diskWithTables(64, { 0: tableSector([]) }));
  assert.equal(empty.style, 'mbr');
  assert.deepEqual(empty.partitions, []);
  const bootSector = layoutOf(diskWithTables(64, { 0: tableSector([], { jump: true }) }));
  assert.equal(bootSector.style, 'superfloppy');
});

test('a GPT protective MBR (sfdisk label: gpt) yields no partitions and says why', () => {
  const file = path.join(temp.dir, 'gpt.img');
  makePartitionedImage(file, 8 << 20, 'label: gpt\nsize=2048\n');
  const layout = layoutOf(new Uint8Array(fs.readFileSync(file)));
  assert.equal(layout.style, 'gpt');
  assert.deepEqual(layout.partitions, []);
  assert.equal(layout.skipped.length, 1);
  assert.match(layout.skipped[0]!.reason, /GPT partitions are not read/);
});

test('hostile primary entries are skipped with a reason and the good ones still appear', () => {
  const media = diskWithTables(1000, {
    0: tableSector([
      fat16(100, 0), // zero length
      fat16(900, 200), // runs past the end of the disk
      fat16(10, 100), // good
      fat16(50, 100), // overlaps the previous one
    ]),
  });
  const layout = layoutOf(media);
  assert.deepEqual(starts(layout), [[1, 10, 100]]);
  assert.deepEqual(
    layout.skipped.map((s) => [s.location, s.reason]),
    [
      ['MBR entry 1', 'zero length'],
      ['MBR entry 2', 'ends beyond the end of the disk (sector 1100, end 1000)'],
      ['MBR entry 4', 'overlaps partition 1'],
    ],
  );
  const beyond = layoutOf(diskWithTables(1000, { 0: tableSector([fat16(5000, 10), fat16(1, 10)]) }));
  assert.match(beyond.skipped[0]!.reason, /starts beyond the end of the disk/);
  assert.deepEqual(starts(beyond), [[1, 1, 10]]);
});

test('a second extended partition, and a primary inside the extended one, are skipped', () => {
  const media = diskWithTables(4000, {
    0: tableSector([extended(1000, 1000), extended(2500, 500), fat16(1500, 10), fat16(10, 10)]),
    1000: tableSector([fat16(1, 100)]),
  });
  const layout = layoutOf(media);
  assert.deepEqual(starts(layout), [
    [1, 10, 10],
    [2, 1001, 100],
  ]);
  assert.deepEqual(
    layout.skipped.map((s) => s.reason),
    ['a second extended partition in the MBR', 'overlaps the extended partition'],
  );
});

test('an EBR chain that loops back ends with a reason, keeping the logical partitions found before', () => {
  const media = diskWithTables(10000, {
    0: tableSector([extended(1000, 9000)]),
    1000: tableSector([fat16(10, 100), extended(2000, 1000)]), // next EBR at 1000 + 2000
    3000: tableSector([fat16(10, 100), extended(0, 1000)]), // links back to the first EBR
  });
  const layout = layoutOf(media);
  assert.deepEqual(starts(layout), [
    [1, 1010, 100],
    [2, 3010, 100],
  ]);
  assert.equal(layout.skipped.length, 1);
  assert.equal(layout.skipped[0]!.location, 'EBR at sector 1000');
  assert.match(layout.skipped[0]!.reason, /loops back to sector 1000/);
  // An EBR that links to itself.
  const self = layoutOf(
    diskWithTables(4000, {
      0: tableSector([extended(1000, 2000)]),
      1000: tableSector([fat16(5, 5), extended(0, 10)]),
    }),
  );
  assert.equal(self.partitions.length, 1);
  assert.match(self.skipped[0]!.reason, /loops back/);
});

test('an endless chain of distinct EBRs stops after the cap', () => {
  const tables: Record<number, Uint8Array> = { 0: tableSector([extended(100, 1000)]) };
  for (let i = 0; i < 300; i++) tables[100 + i] = tableSector([null, extended(i + 1, 1)]);
  const layout = layoutOf(diskWithTables(2000, tables));
  assert.equal(layout.partitions.length, 0);
  assert.match(
    layout.skipped.at(-1)!.reason,
    new RegExp(`more than ${MAX_EXTENDED_BOOT_RECORDS} extended boot records`),
  );
});

test('bad logical entries and links are skipped with their reasons', () => {
  const media = diskWithTables(10000, {
    0: tableSector([extended(1000, 5000), fat16(10, 10)]),
    // A logical partition beyond the extended one, a link with a non-extended type.
    1000: tableSector([fat16(10, 9000), extended(1000, 100)]),
    2000: tableSector([fat16(0, 10), extended(2000, 100), fat16(1, 1)]),
    3000: tableSector([fat16(5, 10), { type: 0x83, start: 3000, count: 10 }]),
  });
  const layout = layoutOf(media);
  assert.deepEqual(starts(layout), [
    [1, 10, 10],
    [2, 3005, 10],
  ]);
  assert.deepEqual(
    layout.skipped.map((s) => [s.location, s.reason]),
    [
      [
        'EBR at sector 1000, entry 1',
        'ends beyond the end of the extended partition (sector 10010, end 6000)',
      ],
      ['EBR at sector 2000, entry 1', 'starts on its own extended boot record'],
      ['EBR at sector 2000, entry 3', 'EBRs use only entries 1 and 2'],
      [
        'EBR at sector 3000, entry 2',
        'the link to the next EBR has type 0x83, not an extended type; the chain ends here',
      ],
    ],
  );
});

test('a logical partition that covers the next EBR, or an EBR without signature, ends up skipped', () => {
  const media = diskWithTables(10000, {
    0: tableSector([extended(1000, 5000)]),
    1000: tableSector([fat16(10, 3000), extended(2000, 100)]), // covers the EBR at 3000
    3000: tableSector([fat16(10, 10), extended(3000, 100)]),
  });
  const layout = layoutOf(media);
  assert.deepEqual(starts(layout), [[1, 3010, 10]]);
  assert.match(layout.skipped[0]!.reason, /overlaps the next EBR \(sector 3000\)/);
  assert.match(layout.skipped[1]!.reason, /no 0x55AA signature/);
  assert.equal(layout.skipped[1]!.location, 'EBR at sector 4000');
});

test('a link to an EBR inside a partition found earlier ends the chain: no partition holds a table sector', () => {
  const media = diskWithTables(10000, {
    0: tableSector([extended(1000, 5000)]),
    1000: tableSector([fat16(10, 100), extended(2000, 100)]),
    3000: tableSector([fat16(10, 100), extended(50, 100)]), // next EBR at 1050, inside partition 1
    1050: tableSector([fat16(100, 10)]),
  });
  const layout = layoutOf(media);
  assert.deepEqual(starts(layout), [
    [1, 1010, 100],
    [2, 3010, 100],
  ]);
  assert.equal(layout.skipped.length, 1);
  assert.equal(layout.skipped[0]!.location, 'EBR at sector 1050');
  assert.match(layout.skipped[0]!.reason, /lies inside partition 1; the chain ends here/);
});

test('tables on 4096-byte-sector disks count sectors of that size', () => {
  const sector = new Uint8Array(4096);
  sector.set(tableSector([fat16(1, 4)]).subarray(0, 512));
  const media = new Uint8Array(16 * 4096);
  media.set(sector);
  const layout = layoutOf(media, 4096);
  assert.equal(layout.sectorSize, 4096);
  assert.deepEqual(
    layout.partitions.map((p) => [p.startingOffset, p.partitionLength]),
    [[4096, 4 * 4096]],
  );
});
