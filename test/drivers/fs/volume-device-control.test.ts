/**
 * IRP_MJ_DEVICE_CONTROL through handles on FAT and CDFS volumes (passDeviceControlToDisk): the
 * disk answers, through a file handle as through a volume handle, and a dismounted volume refuses.
 * The volumes are made by the reference tools (mkfs.fat, genisoimage). MemFS's case is in
 * memfs/volume.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { NtDeviceIoControlFile } from '../../../src/api/index.ts';
import {
  FSCTL_DISMOUNT_VOLUME,
  IOCTL_DISK_GET_LENGTH_INFO,
  IOCTL_DISK_IS_WRITABLE,
  mustBeSync,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
} from '../../../src/base/index.ts';
import type { Handle, Process } from '../../../src/ob/index.ts';
import { buildIso, cdVolume } from './cdfs/setup.ts';
import { mkfsFat } from './fat/oracles.ts';
import { fatVolumeFromFile } from './fat/setup.ts';

function ioctl(process: Process, handle: Handle, code: number) {
  return mustBeSync(NtDeviceIoControlFile(process, handle, code, null, 8), 'ioctl');
}

test('a FAT file handle asks the disk its length and writability; after a dismount the handle is refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-fat-ioctl-'));
  try {
    const image = path.join(dir, 'fat.img');
    mkfsFat(image, 2048, 12, 'IOCTL');
    const v = fatVolumeFromFile(image);
    v.writeFile('f.txt', 'x');
    const file = v.handle('f.txt');
    const length = ioctl(v.process, file, IOCTL_DISK_GET_LENGTH_INFO);
    assert.equal(length.status, STATUS_SUCCESS);
    assert.deepEqual(length.output, { length: 2048 * 1024 });
    assert.equal(ioctl(v.process, file, IOCTL_DISK_IS_WRITABLE).status, STATUS_SUCCESS);
    const volume = v.openVolume();
    assert.equal(v.fsctl(volume.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
    assert.equal(ioctl(v.process, file, IOCTL_DISK_GET_LENGTH_INFO).status, STATUS_VOLUME_DISMOUNTED);
    v.close(file);
    v.close(volume.handle!);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a CDFS volume handle reaches the disc, which says it is write-protected; after a dismount it is refused', () => {
  const v = cdVolume(buildIso({ 'readme.txt': 'hello' }));
  const volume = v.openVolume();
  assert.equal(volume.status, STATUS_SUCCESS);
  const length = ioctl(v.process, volume.handle!, IOCTL_DISK_GET_LENGTH_INFO);
  assert.equal(length.status, STATUS_SUCCESS);
  assert.deepEqual(length.output, { length: v.media.length });
  assert.equal(ioctl(v.process, volume.handle!, IOCTL_DISK_IS_WRITABLE).status, STATUS_MEDIA_WRITE_PROTECTED);
  const file = v.handle('readme.txt');
  assert.equal(v.fsctl(volume.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  assert.equal(ioctl(v.process, file, IOCTL_DISK_GET_LENGTH_INFO).status, STATUS_VOLUME_DISMOUNTED);
  v.close(file);
  v.close(volume.handle!);
});
