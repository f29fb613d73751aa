import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createSystem } from '../../../../src/api/index.ts';
import {
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_VOLUME_LABEL,
  STATUS_SUCCESS,
} from '../../../../src/base/index.ts';
import {
  fatDriver,
  fatFormat,
  formatFatVolume,
  planFatFormat,
} from '../../../../src/drivers/fs/fat/index.ts';
import { IoCreateRamDisk } from '../../../../src/drivers/storage/ramdisk/index.ts';
import { IoLoadDriver } from '../../../../src/io/index.ts';
import { fileBytes, makeTempDir } from '../../../support/disk-images.ts';
import { fsHarness } from '../../../support/fs-harness.ts';
import { fsckFat, mcopyOut, mdir, mustRun } from './oracles.ts';

/** mkfs.fat --invariant's time stamp (2015-03-14 09:26:53 UTC) and its serial. */
const INVARIANT_TIME = 1426325213 * 1000;
const SERIAL = 0x1234abcd;

interface Case {
  kib: number;
  fatType?: 12 | 16 | 32;
  label?: string;
  extra?: string[];
}

const CASES: Case[] = [
  { kib: 360 },
  { kib: 720 },
  { kib: 1200 },
  { kib: 1440, label: 'FLOPPY' },
  { kib: 2880 },
  { kib: 4000 },
  { kib: 8192, fatType: 12 },
  { kib: 8192 },
  { kib: 20000, label: 'MIDDLE' },
  { kib: 65536 },
  { kib: 130000 },
  { kib: 300000 },
  { kib: 600000, label: 'BIGVOL' },
  { kib: 34816, fatType: 32 },
  { kib: 102400, fatType: 32, label: 'DATA' },
  { kib: 20000, fatType: 16 },
  { kib: 9000, extra: ['-a'] },
];

/** Bytes that legitimately differ: boot code, and nothing else in these regions. */
function masked(
  region: Uint8Array,
  offset: number,
  fat32: boolean,
  bootSectors: number[],
  sectorSize: number,
): Uint8Array {
  const copy = region.slice();
  for (const sector of bootSectors) {
    const start = sector * sectorSize - offset;
    const from = start + (fat32 ? 90 : 62);
    const to = start + 510;
    if (from >= 0 && to <= copy.length) copy.fill(0, from, to);
  }
  return copy;
}

test('the BPB, FATs, FSInfo and root directory equal what mkfs.fat writes for the same size', () => {
  const temp = makeTempDir('strata-fat-format-');
  try {
    for (const c of CASES) {
      const file = path.join(temp.dir, `mkfs-${c.kib}.img`);
      fs.rmSync(file, { force: true });
      const args = ['-C', '-i', SERIAL.toString(16), '--invariant'];
      if (c.fatType !== undefined) args.push('-F', String(c.fatType));
      if (c.label !== undefined) args.push('-n', c.label);
      args.push(...(c.extra ?? []));
      mustRun('mkfs.fat', [...args, file, String(c.kib)]);
      const { status, plan } = planFatFormat(c.kib * 1024, {
        fatType: c.fatType,
        label: c.label,
        serialNumber: SERIAL,
        now: INVARIANT_TIME,
        alignStructures: !(c.extra ?? []).includes('-a'),
      });
      assert.equal(status, STATUS_SUCCESS, `plan ${c.kib} KiB`);
      const boot = fileBytes(file, 0, 512);
      const fat32 = plan!.fatType === 32;
      const bootSectors = fat32 ? [0, 6] : [0];
      // Everything the format writes, laid out as on disk, against the same span of mkfs.fat's image.
      const end = Math.max(...plan!.regions.map((r) => r.offset + r.length));
      const ours = new Uint8Array(end);
      for (const region of plan!.regions) {
        ours.fill(0, region.offset, region.offset + region.length);
        ours.set(region.data.subarray(0, region.length), region.offset);
      }
      const theirs = fileBytes(file, 0, end);
      const label = `${c.kib} KiB${c.fatType ? ` -F ${c.fatType}` : ''}`;
      const same = masked(ours, 0, fat32, bootSectors, 512);
      const expected = masked(theirs, 0, fat32, bootSectors, 512);
      const firstDifference = same.findIndex((byte, i) => byte !== expected[i]);
      assert.equal(firstDifference, -1, `${label}: first difference at byte ${firstDifference}`);
      assert.equal(boot[21], plan!.regions[0]!.data[21], 'media byte');
      fs.rmSync(file);
    }
  } finally {
    temp.cleanup();
  }
});

test('volumes formatted by Strata pass fsck.fat and take files from mtools', () => {
  const temp = makeTempDir('strata-fat-format-');
  try {
    for (const [kib, fatType] of [
      [1440, 12],
      [16384, 16],
      [34816, 32],
    ] as const) {
      const media = new Uint8Array(kib * 1024);
      assert.equal(
        formatFatVolume(media, { fatType, label: 'STRATA', serialNumber: SERIAL }),
        STATUS_SUCCESS,
      );
      const image = path.join(temp.dir, `strata-${fatType}.img`);
      fs.writeFileSync(image, media);
      const check = fsckFat(image);
      assert.ok(check.clean, `FAT${fatType} fresh: ${check.output}`);
      const source = path.join(temp.dir, 'payload.bin');
      const payload = new Uint8Array(50_000).map((_, i) => (i * 31) & 0xff);
      fs.writeFileSync(source, payload);
      mustRun('mmd', ['-i', image, '::/Some Directory']);
      mustRun('mcopy', ['-i', image, source, '::/Some Directory/payload.bin']);
      assert.deepEqual(mcopyOut(image, '/Some Directory/payload.bin', temp.dir), payload);
      assert.ok(mdir(image, '/').some((e) => e.longName === 'Some Directory'));
      assert.ok(fsckFat(image).clean, `FAT${fatType} after mtools`);
    }
  } finally {
    temp.cleanup();
  }
});

test('bad format options are refused with a status and leave the media alone', () => {
  const media = new Uint8Array(1 << 20).fill(0x5a);
  assert.equal(formatFatVolume(media, { label: 'BAD*LABEL' }), STATUS_INVALID_VOLUME_LABEL);
  assert.equal(formatFatVolume(media, { label: 'TWELVE CHARS' }), STATUS_INVALID_VOLUME_LABEL);
  assert.equal(formatFatVolume(media, { fatType: 32 }), STATUS_INVALID_PARAMETER, 'too small for FAT32');
  assert.equal(formatFatVolume(media, { sectorSize: 300 }), STATUS_INVALID_PARAMETER);
  assert.equal(formatFatVolume(media, { sectorsPerCluster: 3 }), STATUS_INVALID_PARAMETER);
  assert.equal(formatFatVolume(new Uint8Array(4096), {}), STATUS_INVALID_PARAMETER, 'too small for anything');
  assert.ok(media.every((b) => b === 0x5a));
});

test('fatFormat as a RAM disk formatter takes the disk sector size, so a 4 KiB-sector disk mounts', () => {
  const system = createSystem();
  const process = system.createProcess('test.exe');
  IoLoadDriver(system, fatDriver);
  const created = IoCreateRamDisk(system, {
    sizeBytes: 64 << 20,
    sectorSize: 4096,
    format: fatFormat({ label: 'BIG' }),
  });
  assert.equal(created.status, STATUS_SUCCESS);
  const media = created.deviceObject!.deviceExtension.media;
  assert.equal(media[11]! | (media[12]! << 8), 4096, 'BytsPerSec of the BPB');
  const v = fsHarness(system, process, {
    drive: created.deviceObject!.deviceName!,
    device: created.deviceObject!,
  });
  v.writeFile('hello.txt', 'four kilobytes a sector');
  assert.equal(v.readFile('hello.txt'), 'four kilobytes a sector');
});
