/**
 * CDFS on the image-file CD-ROM (`\Device\CdRomN`, read from the host file at random offsets),
 * and loaded on demand by the file system recognizer: the path a real `.iso` takes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { createSystem } from '../../../../src/api/index.ts';
import { FILE_DEVICE_CD_ROM, STATUS_SUCCESS } from '../../../../src/base/index.ts';
import { cdfsDriver } from '../../../../src/drivers/fs/cdfs/index.ts';
import { fsRecDriver } from '../../../../src/drivers/fs/fsrec/index.ts';
import { IoCreateImageDisk, IoRemoveImageDisk } from '../../../../src/host/image-disk/index.ts';
import { IoLoadDriver, IoRegisterDriverImage } from '../../../../src/io/index.ts';
import { makeIso, services, tempDir, writeTree } from './setup.ts';

let work: string;
let isoPath: string;
const big = new Uint8Array(700_000).map((_, i) => (i * 13 + (i >> 11)) & 0xff);

before(() => {
  work = tempDir();
  const source = path.join(work, 'source');
  writeTree(source, { 'readme.txt': 'from a file\n', 'data/big.bin': big, 'data/nested/x.txt': 'x' });
  isoPath = path.join(work, 'disc.iso');
  makeIso('xorriso', source, ['-R', '-J', '-V', 'IMAGE'], isoPath);
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

test('an .iso attached as an image CD-ROM mounts CDFS and reads like the source tree', () => {
  const system = createSystem();
  IoLoadDriver(system, cdfsDriver);
  const attached = IoCreateImageDisk(system, { path: isoPath });
  assert.equal(attached.status, STATUS_SUCCESS);
  const disc = attached.deviceObject!;
  assert.equal(disc.deviceType, FILE_DEVICE_CD_ROM);
  system.ob.createSymbolicLink('\\??\\E:', disc.deviceName!);
  const volume = services(system, system.createProcess('t'), '\\??\\E:');
  assert.deepEqual(volume.readAll('readme.txt'), new TextEncoder().encode('from a file\n'));
  assert.deepEqual(volume.readAll('data\\big.bin', 65536 + 1), big);
  assert.deepEqual(volume.list('data'), ['big.bin', 'nested']);
  assert.equal(disc.vpb!.volumeLabel, 'IMAGE');
  assert.equal(disc.vpb!.deviceObject!.driverObject.driverName, '\\FileSystem\\Cdfs');
  assert.equal(IoRemoveImageDisk(disc), STATUS_SUCCESS);
});

test('with only the recognizer loaded, the first open loads Cdfs by service name and mounts', () => {
  const system = createSystem();
  IoRegisterDriverImage(system, cdfsDriver);
  IoLoadDriver(system, fsRecDriver);
  assert.equal(system.io.drivers.has('CDFS'), false);
  const { deviceObject: disc } = IoCreateImageDisk(system, { path: isoPath });
  system.ob.createSymbolicLink('\\??\\E:', disc!.deviceName!);
  const volume = services(system, system.createProcess('t'), '\\??\\E:');
  assert.deepEqual(volume.readAll('data\\nested\\x.txt'), new TextEncoder().encode('x'));
  assert.equal(system.io.drivers.has('CDFS'), true);
  assert.equal(disc!.vpb!.deviceObject!.driverObject.driverName, '\\FileSystem\\Cdfs');
  assert.ok(system.io.cdRomFileSystemQueue.some((device) => device.deviceName === '\\Cdfs'));
  assert.equal(IoRemoveImageDisk(disc!), STATUS_SUCCESS);
});
