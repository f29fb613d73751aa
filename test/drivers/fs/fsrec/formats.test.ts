import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { createSystem } from '../../../../src/api/index.ts';
import {
  FILE_FLOPPY_DISKETTE,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MN_MOUNT_VOLUME,
  type NTSTATUS,
  STATUS_FS_DRIVER_REQUIRED,
  STATUS_UNRECOGNIZED_VOLUME,
} from '../../../../src/base/index.ts';
import {
  FsRecIsFatVolume,
  fsRecDriver,
  isIso9660VolumeDescriptor,
} from '../../../../src/drivers/fs/fsrec/index.ts';
import { IoCreateRamDisk } from '../../../../src/drivers/storage/ramdisk/index.ts';
import {
  type DeviceObject,
  IoAllocateIrp,
  IoCallDriver,
  IoGetNextIrpStackLocation,
  IoLoadDriver,
} from '../../../../src/io/index.ts';
import {
  fileBytes,
  makeFatImage,
  makeIsoImage,
  makePartitionedImage,
  makeTempDir,
  run,
} from '../../../support/disk-images.ts';

const temp = makeTempDir('strata-fsrec-formats-');
after(() => temp.cleanup());

function bootSector(bits: 12 | 16 | 32, kib: number, sectorSize?: number): Uint8Array {
  const file = path.join(temp.dir, `fat${bits}-${sectorSize ?? 512}.img`);
  makeFatImage(file, kib, { fatBits: bits, sectorSize });
  return fileBytes(file, 0, 512);
}

test('FsRecIsFatVolume accepts the boot sectors mkfs.fat writes for FAT12, FAT16 and FAT32, at 512 and 4096 bytes per sector', () => {
  for (const sector of [
    bootSector(12, 1440),
    bootSector(16, 32768),
    bootSector(32, 65536),
    bootSector(32, 65536, 4096),
  ]) {
    assert.equal(FsRecIsFatVolume(sector), true);
  }
});

test('FsRecIsFatVolume refuses a boot sector that breaks any one BPB rule', () => {
  const good = bootSector(16, 32768);
  const broken = (change: (sector: Uint8Array, view: DataView) => void): boolean => {
    const sector = new Uint8Array(good);
    change(sector, new DataView(sector.buffer));
    return FsRecIsFatVolume(sector);
  };
  assert.equal(
    broken((s) => {
      s[0] = 0x90;
    }),
    false,
    'no jump',
  );
  assert.equal(
    broken((s) => {
      s[0] = 0x49;
    }),
    true,
    'the 0x49 jump of old media is accepted',
  );
  assert.equal(
    broken((_, v) => v.setUint16(11, 500, true)),
    false,
    'bytes per sector 500',
  );
  assert.equal(
    broken((_, v) => v.setUint16(11, 8192, true)),
    false,
    'bytes per sector 8192',
  );
  assert.equal(
    broken((s) => {
      s[13] = 3;
    }),
    false,
    'sectors per cluster 3',
  );
  assert.equal(
    broken((_, v) => v.setUint16(14, 0, true)),
    false,
    'no reserved sectors',
  );
  assert.equal(
    broken((_, v) => {
      v.setUint16(19, 0, true);
      v.setUint32(32, 0, true);
    }),
    false,
    'no sectors at all',
  );
  assert.equal(
    broken((s) => {
      s[21] = 0xf7;
    }),
    false,
    'media 0xF7',
  );
  assert.equal(
    broken((_, v) => v.setUint16(17, 0, true)),
    false,
    'a FAT12/16 BPB without root entries',
  );
  assert.equal(FsRecIsFatVolume(new Uint8Array(512)), false);
  assert.equal(FsRecIsFatVolume(good.subarray(0, 20)), false, 'too short');
});

test('an MBR written by sfdisk and an ISO system area are not FAT', () => {
  const disk = path.join(temp.dir, 'mbr.img');
  makePartitionedImage(disk, 4 << 20, 'label: dos\nstart=2048, type=c\n');
  assert.equal(FsRecIsFatVolume(fileBytes(disk, 0, 512)), false);
  const iso = path.join(temp.dir, 'plain.iso');
  makeIsoImage(iso, { 'a.txt': 'a' });
  assert.equal(FsRecIsFatVolume(fileBytes(iso, 0, 512)), false);
});

test('isIso9660VolumeDescriptor accepts sector 16 of genisoimage and xorriso images and nothing else', () => {
  const iso = path.join(temp.dir, 'gen.iso');
  makeIsoImage(iso, { 'b.txt': 'b' });
  assert.equal(isIso9660VolumeDescriptor(fileBytes(iso, 16 * 2048, 2048)), true);
  const source = path.join(temp.dir, 'xorriso-tree');
  fs.mkdirSync(source, { recursive: true });
  const xiso = path.join(temp.dir, 'xorriso.iso');
  run('xorriso', ['-as', 'mkisofs', '-quiet', '-o', xiso, '-V', 'XOR', source]);
  assert.equal(isIso9660VolumeDescriptor(fileBytes(xiso, 16 * 2048, 2048)), true);
  const descriptor = fileBytes(iso, 16 * 2048, 2048);
  const other = new Uint8Array(descriptor);
  other[5] = 0x32; // CD002
  assert.equal(isIso9660VolumeDescriptor(other), false);
  const unknownType = new Uint8Array(descriptor);
  unknownType[0] = 7;
  assert.equal(isIso9660VolumeDescriptor(unknownType), false);
  assert.equal(isIso9660VolumeDescriptor(new Uint8Array(2048)), false);
  assert.equal(isIso9660VolumeDescriptor(fileBytes(iso, 0, 2048)), false, 'the system area');
});

test('when the disk cannot be read the FAT recognizer declines, except on a floppy, where the driver is asked anyway', () => {
  const system = createSystem();
  IoLoadDriver(system, fsRecDriver);
  const recognizer = system.ob.lookupNoParse('\\FileSystem\\FatDiskRecognizer') as DeviceObject;
  // 256 bytes of 128-byte sectors: the 512-byte boot sector read fails.
  const { deviceObject: disk } = IoCreateRamDisk(system, { sizeBytes: 256, sectorSize: 128 });
  const mount = (): NTSTATUS => {
    const irp = IoAllocateIrp(recognizer.stackSize);
    const location = IoGetNextIrpStackLocation(irp);
    location.majorFunction = IRP_MJ_FILE_SYSTEM_CONTROL;
    location.minorFunction = IRP_MN_MOUNT_VOLUME;
    location.parameters = { vpb: disk!.vpb!, deviceObject: disk! };
    IoCallDriver(recognizer, irp);
    return irp.ioStatus.status;
  };
  assert.equal(mount(), STATUS_UNRECOGNIZED_VOLUME);
  disk!.characteristics |= FILE_FLOPPY_DISKETTE;
  assert.equal(mount(), STATUS_FS_DRIVER_REQUIRED);
});
