/**
 * FAT on image files through the ImageDisk driver: a mkfs.fat + mtools image attached as a disk
 * mounts on its volume, takes changes in place (never loaded whole), and after shutdown is clean
 * for fsck.fat with the changes visible to mtools. A read-only attach refuses changes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createSystem, NtShutdownSystem } from '../../../../src/api/index.ts';
import {
  FILE_CREATE,
  mustBeSync,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
} from '../../../../src/base/index.ts';
import { fatDriver } from '../../../../src/drivers/fs/fat/index.ts';
import { IoCreateImageDisk, IoRemoveImageDisk } from '../../../../src/host/image-disk/index.ts';
import { IoLoadDriver } from '../../../../src/io/index.ts';
import { makeTempDir } from '../../../support/disk-images.ts';
import { fsHarness } from '../../../support/fs-harness.ts';
import { fsckFat, mkfsFat, mustRun } from './oracles.ts';
import { FAT_TYPES } from './setup.ts';

const SIZES = { 12: 1440, 16: 16384, 32: 34816 } as const;

for (const fatType of FAT_TYPES) {
  test(`FAT${fatType} on an image file: read what mtools wrote, write in place, clean after shutdown`, () => {
    const temp = makeTempDir('strata-fat-image-');
    try {
      const image = path.join(temp.dir, `fat${fatType}.img`);
      mkfsFat(image, SIZES[fatType], fatType);
      fs.writeFileSync(path.join(temp.dir, 'from mtools.txt'), 'written by mcopy');
      mustRun('mmd', ['-i', image, '::/A Directory']);
      mustRun('mcopy', ['-i', image, path.join(temp.dir, 'from mtools.txt'), '::/A Directory/']);
      const system = createSystem({ clock: () => Date.UTC(2024, 5, 1, 12) });
      const process = system.createProcess('t');
      IoLoadDriver(system, fatDriver);
      const created = IoCreateImageDisk(system, { path: image });
      assert.equal(created.status, STATUS_SUCCESS);
      system.ob.createSymbolicLink('\\??\\M:', '\\Device\\HarddiskVolume1');
      const v = fsHarness(system, process, { drive: '\\??\\M:', device: created.deviceObject! });
      assert.equal(v.readFile('A Directory\\from mtools.txt'), 'written by mcopy');
      const payload = new Uint8Array(123_456).map((_, i) => (i * 29) & 0xff);
      v.writeFile('A Directory\\from strata.bin', payload);
      assert.equal(v.rename('A Directory\\from mtools.txt', 'renamed by strata.txt'), STATUS_SUCCESS);
      assert.equal(mustBeSync(NtShutdownSystem(system), 'shutdown').status, STATUS_SUCCESS);
      IoRemoveImageDisk(created.deviceObject!);
      assert.ok(fsckFat(image).clean, fsckFat(image).output);
      assert.equal(
        mustRun('mtype', ['-i', image, '::/A Directory/renamed by strata.txt']),
        'written by mcopy',
      );
      const out = path.join(temp.dir, 'out.bin');
      mustRun('mcopy', ['-i', image, '::/A Directory/from strata.bin', out]);
      assert.deepEqual(new Uint8Array(fs.readFileSync(out)), payload);
    } finally {
      temp.cleanup();
    }
  });
}

test('a read-only image disk mounts read-only and its file stays byte-identical', () => {
  const temp = makeTempDir('strata-fat-image-');
  try {
    const image = path.join(temp.dir, 'ro.img');
    mkfsFat(image, 1440, 12);
    const before = fs.readFileSync(image);
    const system = createSystem();
    const process = system.createProcess('t');
    IoLoadDriver(system, fatDriver);
    const created = IoCreateImageDisk(system, { path: image, readOnly: true });
    system.ob.createSymbolicLink('\\??\\M:', '\\Device\\HarddiskVolume1');
    const v = fsHarness(system, process, { drive: '\\??\\M:', device: created.deviceObject! });
    assert.equal(v.open('new.txt', { disposition: FILE_CREATE }).status, STATUS_MEDIA_WRITE_PROTECTED);
    mustBeSync(NtShutdownSystem(system), 'shutdown');
    IoRemoveImageDisk(created.deviceObject!);
    assert.deepEqual(fs.readFileSync(image), before);
  } finally {
    temp.cleanup();
  }
});
