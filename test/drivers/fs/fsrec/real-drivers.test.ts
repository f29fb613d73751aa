import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { createSystem, NtClose, NtCreateFile, NtReadFile } from '../../../../src/api/index.ts';
import {
  FILE_GENERIC_READ,
  FILE_OPEN,
  FILE_SHARE_READ,
  FILE_SYNCHRONOUS_IO_NONALERT,
  mustBeSync,
  STATUS_SUCCESS,
} from '../../../../src/base/index.ts';
import { cdfsDriver } from '../../../../src/drivers/fs/cdfs/index.ts';
import { fsRecDriver } from '../../../../src/drivers/fs/fsrec/index.ts';
import { IoCreateImageDisk } from '../../../../src/host/image-disk/index.ts';
import { IoLoadDriver, IoRegisterDriverImage, IoStatusBlock } from '../../../../src/io/index.ts';
import { makeIsoImage, makeTempDir } from '../../../support/disk-images.ts';
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
