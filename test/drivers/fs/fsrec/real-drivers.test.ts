import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  createSystem,
  NtClose,
  NtCreateFile,
  NtReadFile,
  NtShutdownSystem,
  NtWriteFile,
} from '../../../../src/api/index.ts';
import {
  FILE_CREATE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_OPEN,
  FILE_SHARE_READ,
  FILE_SYNCHRONOUS_IO_NONALERT,
  mustBeSync,
  type NTSTATUS,
  STATUS_SUCCESS,
} from '../../../../src/base/index.ts';
import { cdfsDriver } from '../../../../src/drivers/fs/cdfs/index.ts';
import { fatDriver } from '../../../../src/drivers/fs/fat/index.ts';
import { fsRecDriver } from '../../../../src/drivers/fs/fsrec/index.ts';
import { IoCreateImageDisk } from '../../../../src/host/image-disk/index.ts';
import { IoLoadDriver, IoRegisterDriverImage, IoStatusBlock, type System } from '../../../../src/io/index.ts';
import type { Process } from '../../../../src/ob/index.ts';
import {
  formatFatAt,
  makeFatImage,
  makeIsoImage,
  makePartitionedImage,
  makeTempDir,
  run,
} from '../../../support/disk-images.ts';
import { type Log, recordingFilter } from './stand-ins.ts';

const temp = makeTempDir('strata-fsrec-real-');
after(() => temp.cleanup());

test('the real CDFS, loaded by the recognizer, mounts a genisoimage disc and reads its file', () => {
  const iso = path.join(temp.dir, 'real.iso');
  const content = 'Recognized by Fs_Rec, mounted by CDFS.\n';
  makeIsoImage(iso, { 'readme.txt': content });
  const system = createSystem();
  IoRegisterDriverImage(system, cdfsDriver);
  const notifications: Log = [];
  IoLoadDriver(system, recordingFilter(notifications));
  IoLoadDriver(system, fsRecDriver);
  const { deviceObject: cdrom } = IoCreateImageDisk(system, { path: iso });
  notifications.length = 0;

  const process = system.createProcess('cdfs.exe');
  const opened = mustBeSync(
    NtCreateFile(system, process, {
      objectName: '\\Device\\CdRom0\\readme.txt',
      desiredAccess: FILE_GENERIC_READ,
      shareAccess: FILE_SHARE_READ,
      createDisposition: FILE_OPEN,
      createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
    }),
    'open',
  );
  assert.equal(opened.status, STATUS_SUCCESS);
  assert.deepEqual(notifications, [
    '+ \\Cdfs (\\FileSystem\\Cdfs)',
    '- \\FileSystem\\CdfsRecognizer (\\FileSystem\\Fs_Rec)',
  ]);
  assert.equal(cdrom!.vpb!.deviceObject!.driverObject.driverName, '\\FileSystem\\Cdfs');
  const buffer = new Uint8Array(256);
  const io = new IoStatusBlock();
  assert.equal(
    mustBeSync(NtReadFile(process, opened.handle!, io, buffer, buffer.length, 0), 'read'),
    STATUS_SUCCESS,
  );
  assert.equal(new TextDecoder().decode(buffer.subarray(0, io.information)), content);
  NtClose(process, opened.handle!);
});

function openFile(system: System, process: Process, name: string, create = false) {
  return mustBeSync(
    NtCreateFile(system, process, {
      objectName: name,
      desiredAccess: FILE_GENERIC_READ | (create ? FILE_GENERIC_WRITE : 0),
      shareAccess: FILE_SHARE_READ,
      createDisposition: create ? FILE_CREATE : FILE_OPEN,
      createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
    }),
    `open ${name}`,
  );
}

function readText(process: Process, handle: NonNullable<ReturnType<typeof openFile>['handle']>): string {
  const buffer = new Uint8Array(4096);
  const io = new IoStatusBlock();
  const status: NTSTATUS = mustBeSync(NtReadFile(process, handle, io, buffer, buffer.length, 0), 'read');
  assert.equal(status, STATUS_SUCCESS);
  return new TextDecoder().decode(buffer.subarray(0, io.information));
}

test('the real FAT, loaded by the recognizer, mounts a superfloppy and a logical partition filled by mtools; fsck.fat and mtools agree afterwards', () => {
  const floppy = path.join(temp.dir, 'real-fat.img');
  makeFatImage(floppy, 1440, { fatBits: 12, label: 'REALFAT' });
  const note = path.join(temp.dir, 'note.txt');
  fs.writeFileSync(note, 'Put here by mcopy.\n');
  run('mcopy', ['-i', floppy, note, '::/NOTE.TXT']);
  const partitioned = path.join(temp.dir, 'real-fat-partitioned.img');
  makePartitionedImage(
    partitioned,
    24 << 20,
    'label: dos\nstart=2048, size=8192, type=83\nstart=10240, type=5\nstart=12288, size=20480, type=6\n',
  );
  formatFatAt(partitioned, 12288, 10240, 'LOGICAL');
  run('mcopy', ['-i', `${partitioned}@@${12288 * 512}`, note, '::/NOTE.TXT']);

  const system = createSystem();
  IoRegisterDriverImage(system, fatDriver);
  const notifications: Log = [];
  IoLoadDriver(system, recordingFilter(notifications));
  IoLoadDriver(system, fsRecDriver);
  const floppyDisk = IoCreateImageDisk(system, { path: floppy });
  const partitionedDisk = IoCreateImageDisk(system, { path: partitioned });
  const logical = partitionedDisk.partitions!.partitions[1]!;
  assert.equal(logical.location, 'EBR at sector 10240, entry 1');
  notifications.length = 0;

  const process = system.createProcess('fat.exe');
  for (const volume of [floppyDisk.partitions!.partitions[0]!.volumeName, logical.volumeName]) {
    const opened = openFile(system, process, `${volume}\\NOTE.TXT`);
    assert.equal(opened.status, STATUS_SUCCESS, volume);
    assert.equal(readText(process, opened.handle!), 'Put here by mcopy.\n');
    NtClose(process, opened.handle!);
    const created = openFile(system, process, `${volume}\\Written by Strata.txt`, true);
    assert.equal(created.status, STATUS_SUCCESS);
    const text = new TextEncoder().encode(`Hello from ${volume}\n`);
    const io = new IoStatusBlock();
    assert.equal(
      mustBeSync(NtWriteFile(process, created.handle!, io, text, text.length, 0), 'write'),
      STATUS_SUCCESS,
    );
    NtClose(process, created.handle!);
  }
  assert.deepEqual(notifications, [
    '+ \\Fat (\\FileSystem\\Fat)',
    '+ \\FatCdrom (\\FileSystem\\Fat)',
    '- \\FileSystem\\FatDiskRecognizer (\\FileSystem\\Fs_Rec)',
    '- \\FileSystem\\FatCdRomRecognizer (\\FileSystem\\Fs_Rec)',
  ]);
  assert.equal(logical.deviceObject.vpb!.deviceObject!.driverObject.driverName, '\\FileSystem\\Fat');
  assert.equal(mustBeSync(NtShutdownSystem(system), 'shutdown').status, STATUS_SUCCESS);

  run('fsck.fat', ['-n', floppy]);
  assert.equal(
    run('mtype', ['-i', floppy, '::/Written by Strata.txt']),
    `Hello from ${floppyDisk.partitions!.partitions[0]!.volumeName}\n`,
  );
  const logicalImage = path.join(temp.dir, 'logical-only.img');
  fs.writeFileSync(
    logicalImage,
    fs
      .readFileSync(partitioned)
      .subarray(logical.startingOffset, logical.startingOffset + logical.partitionLength),
  );
  run('fsck.fat', ['-n', logicalImage]);
  assert.equal(
    run('mtype', ['-i', logicalImage, '::/Written by Strata.txt']),
    `Hello from ${logical.volumeName}\n`,
  );
});
