import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { createSystem } from '../../../src/api/index.ts';
import {
  type GetLengthInformation,
  IOCTL_DISK_GET_LENGTH_INFO,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import { IoCreateImageDisk } from '../../../src/host/image-disk/index.ts';
import { makeTempDir, openRaw } from '../../support/disk-images.ts';

const temp = makeTempDir('strata-large-image-');
after(() => temp.cleanup());

const GiB = 1 << 30;
const MiB = 1 << 20;

test('a 1 GiB sparse image attaches and is read and written at its end without the process growing by 64 MiB', () => {
  const file = path.join(temp.dir, 'large.img');
  const fd = fs.openSync(file, 'w');
  fs.ftruncateSync(fd, GiB);
  fs.closeSync(fd);
  const rssBefore = process.memoryUsage().rss;

  const system = createSystem();
  const caller = system.createProcess('large.exe');
  const created = IoCreateImageDisk(system, { path: file });
  assert.equal(created.status, STATUS_SUCCESS);
  assert.equal(created.partitions!.style, 'superfloppy', 'all zeros: no partition table');
  const volume = openRaw(system, caller, created.partitions!.partitions[0]!.volumeName);
  const length = volume.ioctl(IOCTL_DISK_GET_LENGTH_INFO).output as GetLengthInformation;
  assert.equal(length.length, GiB);
  const last = volume.read(GiB - 4096, 4096);
  assert.equal(last.status, STATUS_SUCCESS);
  assert.ok(last.data.every((byte) => byte === 0));
  const marker = new Uint8Array(4096).fill(0x5a);
  assert.equal(volume.write(GiB - 4096, marker).status, STATUS_SUCCESS);
  assert.deepEqual(volume.read(GiB - 4096, 4096).data, marker);
  volume.close();

  const grown = process.memoryUsage().rss - rssBefore;
  assert.ok(grown < 64 * MiB, `the process grew by ${(grown / MiB).toFixed(1)} MiB`);
  const stats = fs.statSync(file);
  assert.equal(stats.size, GiB);
  assert.ok(
    stats.blocks * 512 < 4 * MiB,
    'the file is still sparse: nothing but the written block was allocated',
  );
});
