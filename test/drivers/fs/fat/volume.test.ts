/**
 * Volume-wide FAT behaviour: the label (root entry and BPB), free space as writes and deletes
 * change it, a full disk and a full FAT12/16 root, FAT's 4 GiB file limit, and formatting a disk
 * through the `\Fat` control device.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createSystem, NtCreateFile, NtFsControlFile } from '../../../../src/api/index.ts';
import {
  FILE_CREATE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_OPEN,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileFsLabelInformation,
  type FileFsSizeInfo,
  FileFsSizeInformation,
  type FileFsVolumeInfo,
  FileFsVolumeInformation,
  mustBeSync,
  STATUS_CANNOT_MAKE,
  STATUS_DEVICE_BUSY,
  STATUS_DISK_FULL,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_VOLUME_LABEL,
  STATUS_SUCCESS,
} from '../../../../src/base/index.ts';
import { FSCTL_FAT_FORMAT_VOLUME, fatDriver } from '../../../../src/drivers/fs/fat/index.ts';
import { IoCreatePartitionDevices } from '../../../../src/drivers/storage/partmgr/index.ts';
import { IoCreateRamDisk } from '../../../../src/drivers/storage/ramdisk/index.ts';
import { IoLoadDriver } from '../../../../src/io/index.ts';
import { makeTempDir } from '../../../support/disk-images.ts';
import { fsHarness } from '../../../support/fs-harness.ts';
import { fsckFat, mkfsFat, mustRun } from './oracles.ts';
import { fatVolume, fatVolumeFromFile } from './setup.ts';

function freeClusters(v: ReturnType<typeof fatVolume>): number {
  const h = v.handle('\\??\\M:\\');
  const info = v.queryVolume<FileFsSizeInfo>(h, FileFsSizeInformation).info!;
  v.close(h);
  return info.availableAllocationUnits;
}

test('the label comes from the root entry; setting it upcases, writes both places, and an empty one removes it', () => {
  const temp = makeTempDir('strata-fat-label-');
  try {
    const image = path.join(temp.dir, 'label.img');
    mkfsFat(image, 1440, 12, 'ORIGINAL');
    const v = fatVolumeFromFile(image, { fatType: 12 });
    const volume = v.openVolume();
    const label = () => v.queryVolume<FileFsVolumeInfo>(volume.handle!, FileFsVolumeInformation).info!;
    assert.equal(label().volumeLabel, 'ORIGINAL');
    assert.equal(label().volumeSerialNumber, 0x1234abcd);
    assert.equal(
      v.setVolume(volume.handle!, FileFsLabelInformation, { volumeLabel: 'bad*label' }),
      STATUS_INVALID_VOLUME_LABEL,
    );
    assert.equal(
      v.setVolume(volume.handle!, FileFsLabelInformation, { volumeLabel: 'twelve chars' }),
      STATUS_INVALID_VOLUME_LABEL,
    );
    assert.equal(
      v.setVolume(volume.handle!, FileFsLabelInformation, { volumeLabel: 'my disk' }),
      STATUS_SUCCESS,
    );
    assert.equal(label().volumeLabel, 'MY DISK');
    v.close(volume.handle!);
    let saved = v.save(temp.dir, 'labelled.img');
    assert.match(mustRun('mlabel', ['-s', '-i', saved, '::']), /MY DISK/);
    assert.ok(fsckFat(saved).clean, fsckFat(saved).output);
    const again = v.openVolume();
    assert.equal(v.setVolume(again.handle!, FileFsLabelInformation, { volumeLabel: '' }), STATUS_SUCCESS);
    v.close(again.handle!);
    saved = v.save(temp.dir, 'unlabelled.img');
    assert.match(mustRun('mlabel', ['-s', '-i', saved, '::']), /has no label/);
    assert.ok(fsckFat(saved).clean, fsckFat(saved).output);
  } finally {
    temp.cleanup();
  }
});

test('free space goes down with writes and back up with deletes and truncation, exactly', () => {
  for (const fatType of [12, 16, 32] as const) {
    const v = fatVolume({ fatType });
    const before = freeClusters(v);
    v.writeFile('a.bin', new Uint8Array(100_000));
    const cluster = v.fatType === 16 ? 2048 : 512;
    const used = before - freeClusters(v);
    assert.equal(used, Math.ceil(100_000 / (fatType === 12 ? 2048 : cluster)));
    v.remove('a.bin');
    assert.equal(freeClusters(v), before);
  }
});

test('a write that does not fit is STATUS_DISK_FULL and changes nothing', () => {
  const v = fatVolume({ fatType: 12 });
  v.writeFile('small.txt', 'keep');
  const free = freeClusters(v);
  const h = v.handle('small.txt');
  assert.equal(v.write(h, new Uint8Array(3 << 20), 0).status, STATUS_DISK_FULL);
  v.close(h);
  assert.equal(v.readFile('small.txt'), 'keep');
  assert.equal(freeClusters(v), free);
  const far = v.handle('small.txt');
  assert.equal(v.write(far, 'x', 0xffffffff).status, STATUS_DISK_FULL, 'FAT files end at 4 GiB - 1');
  v.close(far);
});

test('a full FAT12/16 root is STATUS_CANNOT_MAKE, while the FAT32 root grows', () => {
  const v = fatVolume({ fatType: 16 });
  let status = STATUS_SUCCESS;
  let created = 0;
  while (status === STATUS_SUCCESS && created < 2000) {
    const result = v.open(`F${created}.TXT`, { disposition: FILE_CREATE });
    status = result.status;
    if (result.handle !== null) {
      v.close(result.handle);
      created++;
    }
  }
  assert.equal(status, STATUS_CANNOT_MAKE);
  assert.equal(created, 511, 'a 512-entry root, one slot taken by the label');
  const v32 = fatVolume({ fatType: 32 });
  for (let i = 0; i < 600; i++) v32.close(v32.handle(`F${i}.TXT`, { disposition: FILE_CREATE }));
  assert.equal(v32.list('\\??\\M:\\').length, 600);
});

test('FSCTL_FAT_FORMAT_VOLUME refuses a whole disk whose partitions are in use, and formats a partition itself', () => {
  const system = createSystem();
  const process = system.createProcess('format.com');
  IoLoadDriver(system, fatDriver);
  const media = new Uint8Array(64 << 20);
  // One primary partition of type 0x0c from sector 2048 to the end (an MBR as sfdisk writes it).
  const entry = 446;
  media[entry + 4] = 0x0c;
  new DataView(media.buffer).setUint32(entry + 8, 2048, true);
  new DataView(media.buffer).setUint32(entry + 12, media.length / 512 - 2048, true);
  media[510] = 0x55;
  media[511] = 0xaa;
  const disk = IoCreateRamDisk(system, { media }).deviceObject!;
  const scan = mustBeSync(IoCreatePartitionDevices(disk), 'partition scan');
  assert.equal(scan.partitions.length, 1);
  const control = mustBeSync(
    NtCreateFile(system, process, {
      objectName: '\\Fat',
      desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE,
      createDisposition: FILE_OPEN,
    }),
    'open \\Fat',
  );
  const format = (target: string) =>
    mustBeSync(NtFsControlFile(process, control.handle!, FSCTL_FAT_FORMAT_VOLUME, { target }), 'fsctl')
      .status;
  const mbr = media.slice(0, 512);
  assert.equal(format(disk.deviceName!), STATUS_DEVICE_BUSY, 'the partition table stays');
  assert.deepEqual(media.slice(0, 512), mbr);
  const partition = scan.partitions[0]!;
  assert.equal(format(partition.deviceName!), STATUS_SUCCESS);
  assert.deepEqual(media.slice(0, 512), mbr, 'formatting the partition leaves the MBR alone');
  assert.equal(media[2048 * 512 + 510], 0x55, 'the partition has a boot sector');
});

test('FSCTL_FAT_FORMAT_VOLUME on \\Fat formats an unmounted disk through IRPs, and refuses a mounted one', () => {
  const temp = makeTempDir('strata-fat-fsctl-');
  try {
    const system = createSystem({ clock: () => Date.UTC(2024, 0, 1) });
    const process = system.createProcess('format.com');
    IoLoadDriver(system, fatDriver);
    const disk = IoCreateRamDisk(system, { sizeBytes: 34 << 20 }).deviceObject!;
    const control = mustBeSync(
      NtCreateFile(system, process, {
        objectName: '\\Fat',
        desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE,
        createDisposition: FILE_OPEN,
        createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
      }),
      'open \\Fat',
    );
    assert.equal(control.status, STATUS_SUCCESS);
    const format = (input: unknown) =>
      mustBeSync(NtFsControlFile(process, control.handle!, FSCTL_FAT_FORMAT_VOLUME, input), 'fsctl').status;
    assert.equal(format({ nothing: true }), STATUS_INVALID_PARAMETER);
    assert.equal(
      format({ target: disk.deviceName, options: { fatType: 32, label: 'FORMATTED', serialNumber: 0xabcd } }),
      STATUS_SUCCESS,
    );
    system.ob.createSymbolicLink('\\??\\M:', disk.deviceName!);
    const v = fsHarness(system, process, { drive: '\\??\\M:', device: disk });
    v.writeFile('hello.txt', 'on a fresh volume');
    assert.equal(
      format({ target: disk.deviceName }),
      STATUS_DEVICE_BUSY,
      'mounted volumes are not formatted',
    );
    const volume = v.openVolume();
    assert.equal(v.flush(volume.handle!), STATUS_SUCCESS);
    v.close(volume.handle!);
    const image = path.join(temp.dir, 'formatted.img');
    fs.writeFileSync(image, (disk.deviceExtension as { media: Uint8Array }).media);
    assert.ok(fsckFat(image).clean, fsckFat(image).output);
    assert.equal(mustRun('mtype', ['-i', image, '::/hello.txt']), 'on a fresh volume');
    assert.match(mustRun('mlabel', ['-s', '-i', image, '::']), /FORMATTED/);
  } finally {
    temp.cleanup();
  }
});
