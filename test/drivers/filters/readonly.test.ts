import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DELETE,
  FILE_APPEND_DATA,
  FILE_CREATE,
  FILE_GENERIC_READ,
  FILE_OPEN_IF,
  FILE_OVERWRITE,
  FILE_OVERWRITE_IF,
  FILE_READ_ATTRIBUTES,
  FILE_SUPERSEDE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FILE_WRITE_ATTRIBUTES,
  FILE_WRITE_DATA,
  FileBasicInformation,
  FileDispositionInformation,
  FileEndOfFileInformation,
  FileFsLabelInformation,
  FilePositionInformation,
  FileRenameInformation,
  FSCTL_IS_VOLUME_MOUNTED,
  FSCTL_MARK_VOLUME_DIRTY,
  MAXIMUM_ALLOWED,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../src/base/index.ts';
import {
  createReadOnlyDriver,
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_FILTER_DETACH_VOLUME,
  READONLY_CONTROL_DEVICE,
  readOnlyDriver,
} from '../../../src/drivers/filters/readonly/index.ts';
import { IoLoadDriver } from '../../../src/io/index.ts';
import { memfsVolume, READ_WRITE } from '../fs/memfs/setup.ts';
import { controlRequest, stackOf } from './setup.ts';

function readOnlyVolume() {
  const fx = memfsVolume();
  fx.mkdir('dir');
  fx.writeFile('dir\\a.txt', 'original');
  // A handle opened for writing before ReadOnly attached: its requests must be refused too.
  const writer = fx.handle('dir\\a.txt', { access: READ_WRITE | DELETE });
  const volumeWriter = fx.openVolume().handle!;
  IoLoadDriver(fx.system, readOnlyDriver);
  const attach = controlRequest(fx.system, fx.process, READONLY_CONTROL_DEVICE, IOCTL_FILTER_ATTACH_VOLUME, {
    volumeName: 'M:',
  });
  assert.equal(attach.status, STATUS_SUCCESS);
  // Flush everything MemFS holds, so the media snapshot is what a write would have to change.
  const snapshot = fx.media.slice();
  return { ...fx, writer, volumeWriter, snapshot };
}

test('ReadOnly refuses every create that could change the volume and lets plain opens through', () => {
  const fx = readOnlyVolume();
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['ReadOnly', 'MemFs']);
  const refused: Array<[string, Parameters<typeof fx.open>[1]]> = [
    ['write access', { access: FILE_WRITE_DATA | SYNCHRONIZE }],
    ['append access', { access: FILE_APPEND_DATA | SYNCHRONIZE }],
    ['write attributes', { access: FILE_WRITE_ATTRIBUTES | SYNCHRONIZE }],
    ['delete access', { access: DELETE | SYNCHRONIZE }],
    ['maximum allowed', { access: MAXIMUM_ALLOWED }],
    ['FILE_CREATE', { access: FILE_GENERIC_READ, disposition: FILE_CREATE }],
    ['FILE_OPEN_IF', { access: FILE_GENERIC_READ, disposition: FILE_OPEN_IF }],
    ['FILE_OVERWRITE', { access: FILE_GENERIC_READ, disposition: FILE_OVERWRITE }],
    ['FILE_OVERWRITE_IF', { access: FILE_GENERIC_READ, disposition: FILE_OVERWRITE_IF }],
    ['FILE_SUPERSEDE', { access: FILE_GENERIC_READ, disposition: FILE_SUPERSEDE }],
  ];
  for (const [what, options] of refused) {
    assert.equal(fx.open('dir\\a.txt', options).status, STATUS_MEDIA_WRITE_PROTECTED, what);
  }
  assert.equal(fx.open('dir\\new.txt', { disposition: FILE_CREATE }).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(fx.mkdir('other'), STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(fx.remove('dir\\a.txt'), STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(fx.rename('dir\\a.txt', '\\b.txt'), STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(fx.readFile('dir\\a.txt'), 'original');
  assert.deepEqual(fx.list('dir'), ['a.txt']);
  assert.ok(fx.exists('dir\\a.txt'));
});

test('ReadOnly refuses writes and changes on a handle that was opened for writing before it attached', () => {
  const fx = readOnlyVolume();
  const h = fx.writer;
  assert.equal(fx.write(h, 'changed').status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(fx.write(h, 'tail', null).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(fx.set(h, FileEndOfFileInformation, { endOfFile: 0 }), STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(
    fx.set(h, FileBasicInformation, {
      creationTime: 0,
      lastAccessTime: 0,
      lastWriteTime: 5,
      changeTime: 0,
      fileAttributes: 0,
    }),
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(fx.set(h, FileDispositionInformation, { deleteFile: true }), STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(
    fx.set(h, FileRenameInformation, { replaceIfExists: true, rootDirectory: null, fileName: 'z.txt' }),
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  // Moving the handle's own position changes nothing on the volume.
  assert.equal(fx.set(h, FilePositionInformation, { currentByteOffset: 3 }), STATUS_SUCCESS);
  assert.equal(new TextDecoder().decode(fx.read(h, 100).data), 'original');
  fx.close(h);
  assert.equal(fx.readFile('dir\\a.txt'), 'original');
});

test('ReadOnly refuses volume label changes and modifying FSCTLs but answers queries, and the media is unchanged', () => {
  const fx = readOnlyVolume();
  fx.close(fx.writer);
  const volume = fx.volumeWriter;
  assert.equal(
    fx.setVolume(volume, FileFsLabelInformation, { volumeLabel: 'NEW' }),
    STATUS_MEDIA_WRITE_PROTECTED,
  );
  assert.equal(fx.fsctl(volume, FSCTL_MARK_VOLUME_DIRTY), STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(fx.fsctl(volume, FSCTL_IS_VOLUME_MOUNTED), STATUS_SUCCESS);
  fx.close(volume);
  assert.equal(fx.openVolume().status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.equal(fx.openVolume(FILE_GENERIC_READ).status, STATUS_SUCCESS);
  const attributes = fx.handle('dir\\a.txt', {
    access: FILE_READ_ATTRIBUTES | SYNCHRONIZE,
    options: FILE_SYNCHRONOUS_IO_NONALERT,
  });
  assert.equal(fx.query(attributes, FileBasicInformation).status, STATUS_SUCCESS);
  fx.close(attributes);
  assert.deepEqual(fx.media, fx.snapshot);
});

test('ReadOnly detached on command gives the volume back its write paths', () => {
  const fx = readOnlyVolume();
  const detach = controlRequest(fx.system, fx.process, READONLY_CONTROL_DEVICE, IOCTL_FILTER_DETACH_VOLUME, {
    volumeName: 'M:',
  });
  assert.equal(detach.status, STATUS_SUCCESS);
  assert.equal(fx.write(fx.writer, 'replaced').status, STATUS_SUCCESS);
  fx.close(fx.writer);
  assert.equal(fx.readFile('dir\\a.txt'), 'replaced');
});

test('ReadOnly in all-volumes mode protects every volume from its first mount', () => {
  const fx = memfsVolume();
  IoLoadDriver(fx.system, createReadOnlyDriver({ attachMode: 'all-volumes' }));
  assert.equal(fx.open('x.txt', { disposition: FILE_CREATE }).status, STATUS_MEDIA_WRITE_PROTECTED);
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['ReadOnly', 'MemFs']);
  assert.deepEqual(fx.list(''), []);
});
