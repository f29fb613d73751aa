/**
 * The sample filters on FAT volumes (FAT16, formatted by Strata), with fsck.fat and mtools as the
 * oracles for what reached the media: SFilter and Spy stack and record as on MemFS, ReadOnly leaves
 * the image untouched, and Crypt leaves only ciphertext in files that mtools copies out.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createSystem, NtClose, NtCreateFile } from '../../../src/api/index.ts';
import {
  DELETE,
  FILE_CREATE,
  FILE_GENERIC_READ,
  FILE_OPEN,
  FILE_OVERWRITE_IF,
  FileEndOfFileInformation,
  FileRenameInformation,
  mustBeSync,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import { CRYPT_CONTROL_DEVICE, createCryptDriver } from '../../../src/drivers/filters/crypt/index.ts';
import { READONLY_CONTROL_DEVICE, readOnlyDriver } from '../../../src/drivers/filters/readonly/index.ts';
import { createSFilterDriver, sfilterDriver } from '../../../src/drivers/filters/sfilter/index.ts';
import {
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_SPY_GET_RECORDS,
  SPY_CONTROL_DEVICE,
  type SpyRecordBatch,
  spyDriver,
} from '../../../src/drivers/filters/spy/index.ts';
import { fatDriver, formatFatVolume } from '../../../src/drivers/fs/fat/index.ts';
import { fsRecDriver } from '../../../src/drivers/fs/fsrec/index.ts';
import { IoCreateRamDisk } from '../../../src/drivers/storage/ramdisk/index.ts';
import { nodeAesCtrCipher } from '../../../src/host/crypt/aes-ctr.ts';
import {
  type DeviceObject,
  type DriverVerifier,
  IoLoadDriver,
  IoRegisterDriverImage,
  type System,
} from '../../../src/io/index.ts';
import type { Process } from '../../../src/ob/index.ts';
import { makeTempDir } from '../../support/disk-images.ts';
import { READ_WRITE } from '../../support/fs-harness.ts';
import { fsckFat, mcopyOut } from '../fs/fat/oracles.ts';
import { fatVolume } from '../fs/fat/setup.ts';
import { controlRequest, stackOf } from './setup.ts';

const KEY = new Uint8Array(32).map((_, i) => 255 - i);
const SECRET = 'Meet me under the clock at noon. '.repeat(100);

test('on FAT, SFilter attaches by notification and Spy on demand above it, and Spy records the requests', () => {
  const fx = fatVolume();
  IoLoadDriver(fx.system, sfilterDriver);
  IoLoadDriver(fx.system, spyDriver);
  fx.writeFile('first.txt', 'x');
  assert.deepEqual(stackOf(fx.device.vpb!.deviceObject!), ['SFilter', 'Fat']);
  const attach = controlRequest(fx.system, fx.process, SPY_CONTROL_DEVICE, IOCTL_FILTER_ATTACH_VOLUME, {
    volumeName: 'M:',
  });
  assert.equal(attach.status, STATUS_SUCCESS);
  assert.deepEqual(stackOf(fx.device.vpb!.deviceObject!), ['Spy', 'SFilter', 'Fat']);
  fx.writeFile('traced.txt', 'hello');
  const batch = controlRequest(fx.system, fx.process, SPY_CONTROL_DEVICE, IOCTL_SPY_GET_RECORDS)
    .output as SpyRecordBatch;
  assert.deepEqual(
    batch.records.map((r) => [r.majorName, r.fileName, r.status]),
    [
      ['IRP_MJ_CREATE', '\\traced.txt', STATUS_SUCCESS],
      ['IRP_MJ_WRITE', '\\traced.txt', STATUS_SUCCESS],
      ['IRP_MJ_CLEANUP', '\\traced.txt', STATUS_SUCCESS],
      ['IRP_MJ_CLOSE', '\\traced.txt', STATUS_SUCCESS],
    ],
  );
});

test('on FAT, ReadOnly refuses the write paths while reads work, and the image stays clean and unchanged', () => {
  const scratch = makeTempDir('strata-readonly-');
  try {
    const fx = fatVolume();
    fx.writeFile('keep.txt', 'kept');
    fx.flushVolume();
    IoLoadDriver(fx.system, readOnlyDriver);
    assert.equal(
      controlRequest(fx.system, fx.process, READONLY_CONTROL_DEVICE, IOCTL_FILTER_ATTACH_VOLUME, {
        volumeName: 'M:',
      }).status,
      STATUS_SUCCESS,
    );
    const before = fx.media.slice();
    assert.equal(fx.open('new.txt', { disposition: FILE_CREATE }).status, STATUS_MEDIA_WRITE_PROTECTED);
    assert.equal(fx.mkdir('dir'), STATUS_MEDIA_WRITE_PROTECTED);
    assert.equal(fx.remove('keep.txt'), STATUS_MEDIA_WRITE_PROTECTED);
    assert.equal(fx.rename('keep.txt', 'gone.txt'), STATUS_MEDIA_WRITE_PROTECTED);
    assert.equal(fx.readFile('keep.txt'), 'kept');
    assert.deepEqual(fx.list(''), ['keep.txt']);
    assert.deepEqual(fx.media, before);
    // A flush needs a volume open for writing, which ReadOnly refuses: the media is already current.
    const image = path.join(scratch.dir, 'readonly.img');
    fs.writeFileSync(image, fx.media);
    assert.ok(fsckFat(image).clean);
    assert.equal(new TextDecoder().decode(mcopyOut(image, '/keep.txt', scratch.dir)), 'kept');
  } finally {
    scratch.cleanup();
  }
});

test('on FAT, Crypt leaves ciphertext that mtools copies out, the image stays fsck-clean, and reads through Strata give the plaintext', () => {
  const scratch = makeTempDir('strata-crypt-');
  try {
    const fx = fatVolume();
    IoLoadDriver(fx.system, createCryptDriver({ cipher: nodeAesCtrCipher }));
    assert.equal(
      controlRequest(fx.system, fx.process, CRYPT_CONTROL_DEVICE, IOCTL_FILTER_ATTACH_VOLUME, {
        volumeName: 'M:',
        key: KEY,
      }).status,
      STATUS_SUCCESS,
    );
    fx.writeFile('secret.txt', SECRET);
    // A file that grows by a gap and by an extension: both must read back as zeros.
    const h = fx.handle('sparse.bin', { disposition: FILE_OVERWRITE_IF });
    assert.equal(fx.write(h, 'tail', 3000).status, STATUS_SUCCESS);
    assert.equal(fx.set(h, FileEndOfFileInformation, { endOfFile: 5000 }), STATUS_SUCCESS);
    const back = fx.read(h, 6000, 0).data;
    fx.close(h);
    assert.equal(back.length, 5000);
    assert.ok(back.subarray(0, 3000).every((b) => b === 0));
    assert.equal(new TextDecoder().decode(back.subarray(3000, 3004)), 'tail');
    assert.ok(back.subarray(3004).every((b) => b === 0));
    assert.equal(fx.readFile('secret.txt'), SECRET);

    const image = fx.save(scratch.dir);
    assert.ok(fsckFat(image).clean, 'fsck.fat');
    const copied = mcopyOut(image, '/secret.txt', scratch.dir);
    assert.equal(copied.length, SECRET.length, 'sizes are unchanged');
    assert.ok(!Buffer.from(copied).toString('latin1').includes('under the clock'));
    assert.ok(!Buffer.from(fx.media).includes(Buffer.from('under the clock')));
  } finally {
    scratch.cleanup();
  }
});

function recognizerSystem(attachToRecognizers: boolean) {
  const system = createSystem({ verify: true });
  IoRegisterDriverImage(system, fatDriver);
  IoLoadDriver(system, fsRecDriver);
  IoLoadDriver(system, createSFilterDriver({ attachToRecognizers }));
  const media = new Uint8Array(2 << 20);
  assert.equal(
    formatFatVolume(media, { fatType: 12, label: 'REC', serialNumber: 1, now: Date.UTC(2024, 0, 1) }),
    STATUS_SUCCESS,
  );
  const disk = IoCreateRamDisk(system, { media }).deviceObject!;
  const recognizer = system.ob.lookupNoParse('\\FileSystem\\FatDiskRecognizer') as DeviceObject;
  return { system, disk, recognizer, process: system.createProcess('rec.exe') };
}

function openRoot(system: System, process: Process, disk: DeviceObject): void {
  const opened = mustBeSync(
    NtCreateFile(system, process, {
      objectName: `${disk.deviceName}\\`,
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
    }),
    'open',
  );
  assert.equal(opened.status, STATUS_SUCCESS);
  NtClose(process, opened.handle!);
}

test('with the real recognizer, SFilter skips Fs_Rec, then attaches to FAT as it loads and to the volume it mounts', () => {
  const { system, disk, recognizer, process } = recognizerSystem(false);
  assert.deepEqual(stackOf(recognizer), ['Fs_Rec']);
  openRoot(system, process, disk);
  const fatCdo = system.ob.lookupNoParse('\\Fat') as DeviceObject;
  assert.deepEqual(stackOf(fatCdo), ['SFilter', 'Fat']);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['SFilter', 'Fat']);
  assert.deepEqual((system.io.verifier as DriverVerifier).violations, []);
});

test('with the real recognizer and the switch on, SFilter rides the recognizer, leaves it on IRP_MN_LOAD_FILE_SYSTEM, and follows FAT', () => {
  const { system, disk, recognizer, process } = recognizerSystem(true);
  assert.deepEqual(stackOf(recognizer), ['SFilter', 'Fs_Rec']);
  const onRecognizer = recognizer.attachedDevice!;
  openRoot(system, process, disk);
  assert.deepEqual(stackOf(recognizer), ['Fs_Rec']);
  assert.ok(onRecognizer.deletePending);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['SFilter', 'Fat']);
  assert.deepEqual((system.io.verifier as DriverVerifier).violations, []);
});

test('on FAT, a rename that moves an encrypted file re-encrypts it under its new index, so it still reads back', () => {
  const scratch = makeTempDir('strata-crypt-rename-');
  try {
    const fx = fatVolume();
    IoLoadDriver(fx.system, createCryptDriver({ cipher: nodeAesCtrCipher }));
    controlRequest(fx.system, fx.process, CRYPT_CONTROL_DEVICE, IOCTL_FILTER_ATTACH_VOLUME, {
      volumeName: 'M:',
      key: KEY,
    });
    assert.equal(fx.mkdir('archive'), STATUS_SUCCESS);
    fx.writeFile('a.txt', SECRET);
    fx.writeFile('b.txt', 'second file');
    assert.equal(
      fx.rename('a.txt', '\\??\\M:\\archive\\A rather long name that needs VFAT entries.txt'),
      STATUS_SUCCESS,
    );
    assert.equal(fx.readFile('archive\\A rather long name that needs VFAT entries.txt'), SECRET);
    assert.equal(fx.readFile('b.txt'), 'second file');
    const image = fx.save(scratch.dir);
    assert.ok(fsckFat(image).clean);
    const copied = mcopyOut(image, '/archive/A rather long name that needs VFAT entries.txt', scratch.dir);
    assert.equal(copied.length, SECRET.length);
    assert.ok(!Buffer.from(copied).toString('latin1').includes('under the clock'));
  } finally {
    scratch.cleanup();
  }
});

test('Crypt refuses a rename it could not re-encrypt after (a handle that shares nothing), and nothing changes', () => {
  const fx = fatVolume();
  IoLoadDriver(fx.system, createCryptDriver({ cipher: nodeAesCtrCipher }));
  controlRequest(fx.system, fx.process, CRYPT_CONTROL_DEVICE, IOCTL_FILTER_ATTACH_VOLUME, {
    volumeName: 'M:',
    key: KEY,
  });
  fx.writeFile('locked.txt', SECRET);
  const h = fx.handle('locked.txt', { access: READ_WRITE | DELETE, share: 0 });
  assert.equal(
    fx.set(h, FileRenameInformation, { replaceIfExists: false, rootDirectory: null, fileName: 'moved.txt' }),
    STATUS_SHARING_VIOLATION,
  );
  fx.close(h);
  assert.equal(fx.readFile('locked.txt'), SECRET);
  assert.deepEqual(fx.list(''), ['locked.txt']);
});
