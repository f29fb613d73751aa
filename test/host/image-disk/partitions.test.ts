import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { createSystem } from '../../../src/api/index.ts';
import { STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../../src/base/index.ts';
import { IoCreateImageDisk } from '../../../src/host/image-disk/index.ts';
import { tableSector } from '../../drivers/storage/partmgr/tables.ts';
import {
  fileBytes,
  formatFatAt,
  makePartitionedImage,
  makeTempDir,
  openRaw,
  readAll,
  run,
  sfdiskPartitions,
} from '../../support/disk-images.ts';

const temp = makeTempDir('strata-image-partitions-');
after(() => temp.cleanup());

/** Two primary partitions and two logical ones, each with a FAT file system made by mkfs.fat --offset. */
function partitionedImage(name: string): string {
  const file = path.join(temp.dir, name);
  makePartitionedImage(
    file,
    48 << 20,
    'label: dos\nstart=2048, size=20480, type=6\nstart=22528, size=8192, type=1\nstart=30720, type=5\nstart=32768, size=8192, type=1\nstart=43008, size=8192, type=1\n',
  );
  const labels = ['PRIMARY1', 'PRIMARY2', 'LOGICAL5', 'LOGICAL6'];
  const partitions = sfdiskPartitions(file).filter((p) => p.type !== '5');
  for (const [i, p] of partitions.entries()) formatFatAt(file, p.start, p.size / 2, labels[i]!);
  return file;
}

test('each partition of an sfdisk image reads back as the file bytes at the offsets sfdisk reports', () => {
  const file = partitionedImage('read.img');
  const system = createSystem();
  const process = system.createProcess('read.exe');
  const created = IoCreateImageDisk(system, { path: file });
  assert.equal(created.status, STATUS_SUCCESS);
  const { partitions, skipped, style } = created.partitions!;
  assert.equal(style, 'mbr');
  assert.deepEqual(skipped, []);
  const oracle = sfdiskPartitions(file).filter((p) => p.type !== '5');
  assert.equal(partitions.length, oracle.length);
  partitions.forEach((partition, i) => {
    const expected = oracle[i]!;
    assert.equal(partition.deviceName, `\\Device\\Harddisk0\\Partition${i + 1}`);
    assert.equal(partition.startingOffset, expected.start * 512);
    assert.equal(partition.partitionLength, expected.size * 512);
    const volume = openRaw(system, process, partition.volumeName, 0x80000000);
    assert.equal(volume.status, STATUS_SUCCESS);
    const bytes = readAll(volume, 0, partition.partitionLength);
    assert.deepEqual(
      bytes,
      fileBytes(file, partition.startingOffset, partition.partitionLength),
      partition.volumeName,
    );
    // mkfs.fat put a FAT boot sector with our label at the start of each partition.
    assert.equal(bytes[510], 0x55);
    assert.match(new TextDecoder().decode(bytes.subarray(0x2b, 0x36)), /PRIMARY1|PRIMARY2|LOGICAL5|LOGICAL6/);
    volume.close();
  });
});

test('a write through a logical partition changes the image there and nowhere else, and mtools still reads the file system', () => {
  const file = partitionedImage('write.img');
  const before = new Uint8Array(fs.readFileSync(file));
  const system = createSystem();
  const process = system.createProcess('write.exe');
  const { partitions } = IoCreateImageDisk(system, { path: file }).partitions!;
  const logical = partitions[2]!;
  const volume = openRaw(system, process, logical.volumeName);
  // Somewhere in the data area, past the FATs and root directory of a 4 MiB FAT12.
  const offset = 2048 * 512;
  const data = new Uint8Array(8192).map((_, i) => (i * 31 + 7) & 0xff);
  assert.equal(volume.write(offset, data).status, STATUS_SUCCESS);
  assert.equal(
    volume.write(logical.partitionLength - 512, new Uint8Array(1024)).status,
    STATUS_INVALID_PARAMETER,
  );
  volume.close();
  const after = new Uint8Array(fs.readFileSync(file));
  const first = after.findIndex((byte, i) => byte !== before[i]);
  const last = after.findLastIndex((byte, i) => byte !== before[i]);
  assert.ok(first >= logical.startingOffset + offset, `first change at ${first}`);
  assert.ok(last < logical.startingOffset + offset + data.length, `last change at ${last}`);
  assert.deepEqual(
    after.subarray(logical.startingOffset + offset, logical.startingOffset + offset + data.length),
    data,
  );
  // The oracle: fsck.fat still finds the logical partition's file system clean.
  const image = path.join(temp.dir, 'logical.img');
  fs.writeFileSync(
    image,
    after.subarray(logical.startingOffset, logical.startingOffset + logical.partitionLength),
  );
  run('fsck.fat', ['-n', image]);
  assert.match(run('mdir', ['-i', image, '::']), /Volume in drive : is LOGICAL5/);
});

test('a hostile table in an image file: bad entries are skipped with reasons, the good partition still appears', () => {
  const file = path.join(temp.dir, 'hostile.img');
  fs.writeFileSync(file, '');
  fs.truncateSync(file, 8 << 20);
  const fd = fs.openSync(file, 'r+');
  const sectors = 16384;
  fs.writeSync(
    fd,
    tableSector([
      { type: 0x05, start: 4096, count: 4096 },
      { type: 0x06, start: sectors - 10, count: 100 },
      { type: 0x06, start: 100, count: 0 },
      { type: 0x06, start: 2048, count: 2048 },
    ]),
    0,
    512,
    0,
  );
  // The extended partition's only EBR links to itself.
  fs.writeSync(
    fd,
    tableSector([
      { type: 0x01, start: 16, count: 64 },
      { type: 0x05, start: 0, count: 100 },
    ]),
    0,
    512,
    4096 * 512,
  );
  fs.closeSync(fd);
  const { partitions, skipped } = IoCreateImageDisk(createSystem(), { path: file }).partitions!;
  assert.deepEqual(
    partitions.map((p) => [p.location, p.startingOffset / 512, p.partitionLength / 512]),
    [
      ['MBR entry 4', 2048, 2048],
      ['EBR at sector 4096, entry 1', 4112, 64],
    ],
  );
  assert.deepEqual(
    skipped.map((s) => [s.location, s.reason]),
    [
      ['MBR entry 2', `ends beyond the end of the disk (sector ${sectors + 90}, end ${sectors})`],
      ['MBR entry 3', 'zero length'],
      ['EBR at sector 4096', 'the chain loops back to sector 4096; it ends here'],
    ],
  );
});
