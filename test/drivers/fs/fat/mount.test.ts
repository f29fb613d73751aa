/**
 * Mounting FAT: what it claims and what it leaves to others, read-only and truncated media, the
 * clean-shutdown bit, FSInfo, dismount and remount, lock, volume opens, verify and shutdown, and
 * a disk that completes asynchronously.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  createSystem,
  NtClose,
  NtCreateFile,
  NtReadFile,
  NtShutdownSystem,
  NtWriteFile,
} from '../../../../src/api/index.ts';
import {
  DELETE,
  FILE_CREATE,
  FILE_DEVICE_CD_ROM,
  FILE_DISPOSITION_DELETE,
  FILE_DISPOSITION_POSIX_SEMANTICS,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileDispositionInformationEx,
  type FileFsAttributeInfo,
  FileFsAttributeInformation,
  FileFsLabelInformation,
  type FileFsSizeInfo,
  FileFsSizeInformation,
  FSCTL_DISMOUNT_VOLUME,
  FSCTL_LOCK_VOLUME,
  FSCTL_UNLOCK_VOLUME,
  IRP_MJ_READ,
  mustBeSync,
  STATUS_ACCESS_DENIED,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { fatDriver } from '../../../../src/drivers/fs/fat/index.ts';
import { memFsDriver, memFsFormat } from '../../../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../../../src/drivers/storage/ramdisk/index.ts';
import {
  IoGetCurrentIrpStackLocation,
  IoLoadDriver,
  IoStatusBlock,
  IoVerifyVolume,
  type ReadWriteParameters,
} from '../../../../src/io/index.ts';
import { makeIsoImage, makeTempDir } from '../../../support/disk-images.ts';
import { fsckFat, mkfsFat, mustRun } from './oracles.ts';
import { DEFAULT_SIZE, FAT_TYPES, fatVolume } from './setup.ts';

function mountedDriver(device: {
  vpb: { deviceObject: { driverObject: { driverName: string } } | null } | null;
}) {
  return device.vpb?.deviceObject?.driverObject.driverName ?? null;
}

test('a MemFS disk, an ISO image and zeros are not FAT: the mount walk moves on', () => {
  const temp = makeTempDir('strata-fat-mount-');
  try {
    const system = createSystem();
    const process = system.createProcess('t');
    IoLoadDriver(system, memFsDriver);
    IoLoadDriver(system, fatDriver);
    const open = (device: string, file = '') =>
      mustBeSync(
        NtCreateFile(system, process, {
          objectName: `${device}${file}`,
          desiredAccess: FILE_GENERIC_READ,
          createDisposition: FILE_OPEN,
          createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
          shareAccess: 3,
        }),
        'open',
      );
    const memfs = IoCreateRamDisk(system, { sizeBytes: 1 << 20, format: memFsFormat({ label: 'M' }) })
      .deviceObject!;
    const memfsOpen = open(memfs.deviceName!, '\\');
    assert.equal(memfsOpen.status, STATUS_SUCCESS);
    assert.equal(mountedDriver(memfs), '\\FileSystem\\MemFs');
    NtClose(process, memfsOpen.handle!);

    const zeros = IoCreateRamDisk(system, { sizeBytes: 1 << 20 }).deviceObject!;
    assert.equal(open(zeros.deviceName!, '\\file').status, STATUS_UNRECOGNIZED_VOLUME);
    const raw = open(zeros.deviceName!);
    assert.equal(raw.status, STATUS_SUCCESS);
    assert.equal(mountedDriver(zeros), '\\FileSystem\\RAW');
    NtClose(process, raw.handle!);

    const iso = path.join(temp.dir, 'disc.iso');
    makeIsoImage(iso, { 'a.txt': 'hello' });
    const cd = IoCreateRamDisk(system, {
      media: new Uint8Array(fs.readFileSync(iso)),
      sectorSize: 2048,
      deviceType: FILE_DEVICE_CD_ROM,
    }).deviceObject!;
    assert.equal(open(cd.deviceName!, '\\a.txt').status, STATUS_UNRECOGNIZED_VOLUME);
  } finally {
    temp.cleanup();
  }
});

test('each type mounts as FAT or FAT32 with its size in clusters', () => {
  for (const fatType of FAT_TYPES) {
    const v = fatVolume({ fatType });
    const h = v.handle('\\??\\M:\\');
    const attributes = v.queryVolume<FileFsAttributeInfo>(h, FileFsAttributeInformation).info!;
    assert.equal(attributes.fileSystemName, fatType === 32 ? 'FAT32' : 'FAT');
    assert.equal(attributes.maximumComponentNameLength, 255);
    const size = v.queryVolume<FileFsSizeInfo>(h, FileFsSizeInformation).info!;
    assert.ok(size.totalAllocationUnits > 0 && size.availableAllocationUnits <= size.totalAllocationUnits);
    if (fatType === 32)
      assert.equal(size.availableAllocationUnits, size.totalAllocationUnits - 1, 'the root takes one');
    v.close(h);
  }
});

test('mounting reads the boot area, one FAT and the root directory, nothing of the data', () => {
  const v = fatVolume({ fatType: 32, sizeBytes: 64 << 20 });
  const driver = v.device.driverObject;
  const original = driver.majorFunction[IRP_MJ_READ]!;
  let bytesRead = 0;
  driver.majorFunction[IRP_MJ_READ] = (device, irp) => {
    bytesRead += (IoGetCurrentIrpStackLocation(irp).parameters as ReadWriteParameters).length;
    return original(device, irp);
  };
  assert.ok(v.exists('\\??\\M:\\'));
  driver.majorFunction[IRP_MJ_READ] = original;
  const fatBytes = Math.ceil(((64 << 20) / 512) * 4);
  assert.ok(bytesRead < fatBytes + 64 * 1024, `mount read ${bytesRead} bytes`);
});

test('a write-protected disk mounts read-only: every change is STATUS_MEDIA_WRITE_PROTECTED and the disk is untouched', () => {
  const source = fatVolume({ fatType: 16 });
  source.writeFile('existing.txt', 'data');
  source.flushVolume();
  const image = source.media.slice();
  const v = fatVolume({ fatType: 16, media: image.slice(), readOnly: true });
  assert.equal(v.readFile('existing.txt'), 'data');
  const created = v.open('new.txt', { disposition: FILE_CREATE });
  assert.equal(created.status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(v.mkdir('dir'), STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(v.open('existing.txt', { access: FILE_GENERIC_WRITE }).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(v.rename('existing.txt', 'other.txt'), STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(v.remove('existing.txt'), STATUS_MEDIA_WRITE_PROTECTED);
  assert.deepEqual(v.media, image, 'not one byte changed');
});

test('a truncated image mounts read-only and still reads the files that lie before the cut', () => {
  const source = fatVolume({ fatType: 16 });
  source.writeFile('early.txt', 'first file');
  source.flushVolume();
  const truncated = source.media.slice(0, 8 << 20);
  const v = fatVolume({ fatType: 16, media: truncated });
  assert.equal(v.readFile('early.txt'), 'first file');
  assert.equal(v.open('late.txt', { disposition: FILE_CREATE }).status, STATUS_MEDIA_WRITE_PROTECTED);
});

test('the first change clears the clean-shutdown bit on disk; flush and dismount set it again', () => {
  for (const fatType of [16, 32] as const) {
    const v = fatVolume({ fatType });
    const fat = fatType === 16 ? 4 * 512 : 32 * 512;
    const fat1 = () =>
      fatType === 16
        ? v.media[fat + 2]! | (v.media[fat + 3]! << 8)
        : (v.media[fat + 4]! |
            (v.media[fat + 5]! << 8) |
            (v.media[fat + 6]! << 16) |
            (v.media[fat + 7]! << 24)) >>>
          0;
    const clean = fatType === 16 ? 0x8000 : 0x08000000;
    assert.ok(v.exists('\\??\\M:\\'));
    assert.equal(fat1() & clean, clean, 'mounting alone leaves it clean');
    v.writeFile('a.txt', 'x');
    assert.equal(fat1() & clean, 0, 'dirty while changes wait in memory');
    v.flushVolume();
    assert.equal(fat1() & clean, clean, 'clean after the flush');
    v.writeFile('b.txt', 'y');
    const volume = v.openVolume();
    assert.equal(v.fsctl(volume.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
    v.close(volume.handle!);
    assert.equal(fat1() & clean, clean, 'clean after dismount');
    assert.equal(v.readFile('b.txt'), 'y', 'the next open mounts again and sees the change');
  }
});

test('a flush leaves the volume dirty while a POSIX-deleted file still holds its clusters, and clean once it is closed', () => {
  const temp = makeTempDir('strata-fat-posix-');
  try {
    const v = fatVolume({ fatType: 16 });
    const fat = 4 * 512;
    const fat1 = () => v.media[fat + 2]! | (v.media[fat + 3]! << 8);
    v.writeFile('big.bin', 'x'.repeat(20_000));
    const reader = v.handle('big.bin', { access: FILE_GENERIC_READ });
    const deleter = v.handle('big.bin', { access: DELETE | SYNCHRONIZE });
    const flags = FILE_DISPOSITION_DELETE | FILE_DISPOSITION_POSIX_SEMANTICS;
    assert.equal(v.set(deleter, FileDispositionInformationEx, { flags }), STATUS_SUCCESS);
    v.close(deleter);
    v.flushVolume();
    assert.equal(fat1() & 0x8000, 0, 'allocated clusters no entry reaches: not clean');
    assert.match(fsckFat(v.save(temp.dir)).output, /Dirty bit/);
    v.close(reader);
    v.flushVolume();
    assert.equal(fat1() & 0x8000, 0x8000, 'clusters given back: clean');
    const checked = fsckFat(v.save(temp.dir));
    assert.ok(checked.clean, checked.output);
  } finally {
    temp.cleanup();
  }
});

test('a volume mounted dirty stays dirty after a flush, for chkdsk', () => {
  const temp = makeTempDir('strata-fat-dirty-');
  try {
    const source = fatVolume({ fatType: 16 });
    source.writeFile('a.txt', 'x');
    const image = source.media.slice(); // not flushed: the bit is cleared on disk
    const v = fatVolume({ fatType: 16, media: image });
    v.writeFile('b.txt', 'y');
    const file = v.save(temp.dir);
    assert.ok(!fsckFat(file).clean, 'fsck.fat still reports the dirty bit');
    assert.match(fsckFat(file).output, /Dirty bit/);
  } finally {
    temp.cleanup();
  }
});

test('FSInfo keeps the free count and next-free hint that fsck.fat expects', () => {
  const temp = makeTempDir('strata-fat-fsinfo-');
  try {
    const v = fatVolume({ fatType: 32 });
    for (let i = 0; i < 10; i++) v.writeFile(`file${i}.bin`, new Uint8Array(i * 3000));
    for (let i = 0; i < 10; i += 2) v.remove(`file${i}.bin`);
    const image = v.save(temp.dir);
    assert.ok(fsckFat(image).clean, fsckFat(image).output);
    const h = v.handle('\\??\\M:\\');
    const size = v.queryVolume<FileFsSizeInfo>(h, FileFsSizeInformation).info!;
    const free = size.availableAllocationUnits;
    v.close(h);
    const info = v.media.subarray(512, 1024);
    const view = new DataView(info.buffer, info.byteOffset, 512);
    assert.equal(view.getUint32(488, true), free);
    assert.ok(view.getUint32(492, true) >= 2);
    assert.match(
      mustRun('fsck.fat', ['-n', '-v', image]),
      new RegExp(`${size.totalAllocationUnits - free}/${size.totalAllocationUnits} clusters`),
    );
  } finally {
    temp.cleanup();
  }
});

test('a verify after a label change keeps the volume and what waits to be written', () => {
  for (const fatType of FAT_TYPES) {
    const v = fatVolume({ fatType });
    v.writeFile('kept.txt', 'not yet flushed');
    const volume = v.openVolume();
    assert.equal(
      v.setVolume(volume.handle!, FileFsLabelInformation, { volumeLabel: 'RENAMED' }),
      STATUS_SUCCESS,
    );
    v.close(volume.handle!);
    const mounted = v.volumeDevice();
    assert.equal(mustBeSync(IoVerifyVolume(v.device, false), 'verify'), STATUS_SUCCESS);
    assert.equal(v.volumeDevice(), mounted, `FAT${fatType}: the same volume`);
    assert.equal(v.readFile('kept.txt'), 'not yet flushed');
  }
});

test('a verify finds another volume when the serial number changed: the disk mounts afresh', () => {
  for (const fatType of FAT_TYPES) {
    const v = fatVolume({ fatType });
    v.writeFile('old.txt', 'x');
    v.flushVolume();
    const mounted = v.volumeDevice();
    v.media[fatType === 32 ? 67 : 39]! ^= 0xff;
    assert.equal(mustBeSync(IoVerifyVolume(v.device, false), 'verify'), STATUS_SUCCESS);
    assert.notEqual(v.volumeDevice(), mounted, `FAT${fatType}: a new volume device`);
    assert.equal(v.readFile('old.txt'), 'x');
  }
});

test('lock refuses other opens and needs no other handle; unlock and dismount follow the rules', () => {
  const v = fatVolume({ fatType: 12 });
  v.writeFile('a.txt', 'x');
  const other = v.handle('a.txt');
  const volume = v.openVolume();
  assert.equal(v.fsctl(volume.handle!, FSCTL_LOCK_VOLUME), STATUS_ACCESS_DENIED, 'a file is open');
  v.close(other);
  assert.equal(v.fsctl(volume.handle!, FSCTL_LOCK_VOLUME), STATUS_SUCCESS);
  assert.equal(v.open('a.txt').status, STATUS_ACCESS_DENIED, 'opens fail while locked');
  assert.equal(v.fsctl(volume.handle!, FSCTL_UNLOCK_VOLUME), STATUS_SUCCESS);
  assert.equal(v.readFile('a.txt'), 'x');
  v.close(volume.handle!);
});

test('a volume open reads sectors, and writes them only while it holds the lock', () => {
  const v = fatVolume({ fatType: 16 });
  const volume = v.openVolume();
  const sector = v.read(volume.handle!, 512, 0);
  assert.equal(sector.status, STATUS_SUCCESS);
  assert.deepEqual(sector.data, v.media.subarray(0, 512));
  assert.equal(v.write(volume.handle!, new Uint8Array(512), 512 * 100).status, STATUS_ACCESS_DENIED);
  assert.equal(v.fsctl(volume.handle!, FSCTL_LOCK_VOLUME), STATUS_SUCCESS);
  assert.equal(v.write(volume.handle!, new Uint8Array(512).fill(7), 512 * 100).status, STATUS_SUCCESS);
  assert.equal(v.media[512 * 100], 7);
  v.close(volume.handle!);
});

test('shutdown writes every FAT volume back and leaves them clean', () => {
  const temp = makeTempDir('strata-fat-shutdown-');
  try {
    const v = fatVolume({ fatType: 32 });
    v.writeFile('before-shutdown.txt', 'saved');
    const result = mustBeSync(NtShutdownSystem(v.system), 'shutdown');
    assert.equal(result.status, STATUS_SUCCESS);
    const image = path.join(temp.dir, 'after.img');
    fs.writeFileSync(image, v.media);
    assert.ok(fsckFat(image).clean, fsckFat(image).output);
    assert.match(mustRun('mdir', ['-i', image, '::']), /before-shutdown\.txt/);
  } finally {
    temp.cleanup();
  }
});

test('a disk that completes asynchronously mounts, reads and writes like a synchronous one', async () => {
  const temp = makeTempDir('strata-fat-async-');
  try {
    const image = path.join(temp.dir, 'async.img');
    mkfsFat(image, DEFAULT_SIZE[32] / 1024, 32);
    mustRun('mmd', ['-i', image, '::/Sub Directory']);
    fs.writeFileSync(path.join(temp.dir, 'in.txt'), 'from mtools');
    mustRun('mcopy', ['-i', image, path.join(temp.dir, 'in.txt'), '::/Sub Directory/in.txt']);
    const system = createSystem({ clock: () => Date.UTC(2024, 0, 1) });
    const process = system.createProcess('t');
    IoLoadDriver(system, fatDriver);
    const media = new Uint8Array(fs.readFileSync(image));
    const disk = IoCreateRamDisk(system, { media, completeAsynchronously: true }).deviceObject!;
    const open = (name: string, disposition: number, access: number) =>
      NtCreateFile(system, process, {
        objectName: `${disk.deviceName}${name}`,
        desiredAccess: access,
        createDisposition: disposition,
        createOptions: FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
        shareAccess: 3,
      });
    const opened = await open('\\Sub Directory\\in.txt', FILE_OPEN, FILE_GENERIC_READ);
    assert.equal(opened.status, STATUS_SUCCESS);
    const buffer = new Uint8Array(100);
    const iosb = new IoStatusBlock();
    assert.equal(await NtReadFile(process, opened.handle!, iosb, buffer, 100, 0), STATUS_SUCCESS);
    assert.equal(new TextDecoder().decode(buffer.subarray(0, iosb.information)), 'from mtools');
    const created = await open('\\Sub Directory\\written.txt', FILE_CREATE, FILE_GENERIC_WRITE);
    assert.equal(created.status, STATUS_SUCCESS);
    const data = new TextEncoder().encode('written through a pending disk');
    assert.equal(await NtWriteFile(process, created.handle!, iosb, data, data.length, 0), STATUS_SUCCESS);
    await NtClose(process, created.handle!);
    await NtClose(process, opened.handle!);
    assert.equal((await NtShutdownSystem(system)).status, STATUS_SUCCESS);
    fs.writeFileSync(image, media);
    assert.ok(fsckFat(image).clean, fsckFat(image).output);
    assert.equal(
      mustRun('mtype', ['-i', image, '::/Sub Directory/written.txt']),
      'written through a pending disk',
    );
  } finally {
    temp.cleanup();
  }
});
