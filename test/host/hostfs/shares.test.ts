import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { createSystem, NtClose, NtCreateFile, NtDeviceIoControlFile } from '../../../src/api/index.ts';
import {
  FILE_CASE_PRESERVED_NAMES,
  FILE_DEVICE_DISK,
  FILE_DEVICE_NETWORK_FILE_SYSTEM,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_OPEN,
  FILE_READ_ATTRIBUTES,
  FILE_REMOTE_DEVICE,
  type FileFsAttributeInfo,
  FileFsAttributeInformation,
  type FileFsDeviceInfo,
  FileFsDeviceInformation,
  type FileFsFullSizeInfo,
  FileFsFullSizeInformation,
  type FileFsVolumeInfo,
  FileFsVolumeInformation,
  FileStandardInformation,
  mustBeSync,
  STATUS_BAD_NETWORK_NAME,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_NETWORK_NAME_DELETED,
  STATUS_NOT_A_DIRECTORY,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../src/base/index.ts';
import {
  HOSTFS_CONTROL_DEVICE_NAME,
  HostFsAddShare,
  HostFsQueryShares,
  HostFsRemoveShare,
  IOCTL_HOSTFS_ADD_SHARE,
  IOCTL_HOSTFS_QUERY_SHARES,
  IOCTL_HOSTFS_REMOVE_SHARE,
} from '../../../src/host/hostfs/index.ts';
import { type DeviceObject, IoUnloadDriver } from '../../../src/io/index.ts';
import { withShare } from './setup.ts';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'strata-hostfs-shares-'));
}

test('HostFS registers a network file system control device that filters can find', () => {
  withShare({}, (v) => {
    const queue = v.system.io.networkFileSystemQueue;
    assert.equal(queue.length, 1);
    const cdo: DeviceObject = queue[0]!;
    assert.equal(cdo.deviceName, HOSTFS_CONTROL_DEVICE_NAME);
    assert.equal(cdo.deviceType, FILE_DEVICE_NETWORK_FILE_SYSTEM);
    assert.equal(cdo.vpb, null, 'network file systems mount nothing');
  });
});

test('shares are validated: names, collisions, host paths', () => {
  const dir = tempDir();
  try {
    const system = createSystem();
    fs.writeFileSync(path.join(dir, 'plain'), '');
    assert.equal(HostFsAddShare(system, { name: 'data', path: dir }), STATUS_SUCCESS);
    assert.equal(HostFsAddShare(system, { name: 'DATA', path: dir }), STATUS_OBJECT_NAME_COLLISION);
    for (const name of ['', 'a\\b', 'a/b', 'a:b', '..', 'x'.repeat(81), 'semi;colon'])
      assert.equal(HostFsAddShare(system, { name, path: dir }), STATUS_OBJECT_NAME_INVALID, name);
    assert.equal(
      HostFsAddShare(system, { name: 'gone', path: path.join(dir, 'missing') }),
      STATUS_OBJECT_PATH_NOT_FOUND,
    );
    assert.equal(
      HostFsAddShare(system, { name: 'file', path: path.join(dir, 'plain') }),
      STATUS_NOT_A_DIRECTORY,
    );
    assert.equal(HostFsAddShare(system, { name: 'bad', path: '' }), STATUS_INVALID_PARAMETER);
    assert.equal(HostFsAddShare(system, { name: 'bad', path: 'a\0b' }), STATUS_INVALID_PARAMETER);
    assert.equal(
      HostFsAddShare(system, { name: 'bad', path: dir, containment: 'weird' as never }),
      STATUS_INVALID_PARAMETER,
    );
    assert.deepEqual(
      HostFsQueryShares(system).map((s) => [s.name, s.path, s.readOnly]),
      [['data', fs.realpathSync(dir), false]],
    );
    assert.equal(HostFsRemoveShare(system, 'nope'), STATUS_BAD_NETWORK_NAME);
    assert.equal(HostFsRemoveShare(system, 'Data'), STATUS_SUCCESS);
    assert.deepEqual(HostFsQueryShares(system), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('share names are case-insensitive and drive letters resolve through symbolic links', () => {
  withShare({}, (v) => {
    v.mkdir('dir');
    v.writeFile('dir\\inner.txt', 'inner');
    assert.equal(v.readFile('\\Device\\HostFs\\SHARE\\dir\\inner.txt'), 'inner');
    assert.equal(v.readFile('\\??\\H:\\dir\\inner.txt'), 'inner');
    const root = v.open('\\??\\H:', { access: FILE_GENERIC_READ, options: FILE_DIRECTORY_FILE });
    assert.equal(root.status, STATUS_SUCCESS, 'the drive itself is the share root');
    v.close(root.handle!);
    // A drive letter may point at a directory inside a share; `..` still cannot climb above it.
    assert.equal(v.system.ob.createSymbolicLink('\\??\\J:', '\\Device\\HostFs\\share\\dir'), STATUS_SUCCESS);
    assert.equal(v.readFile('\\??\\J:\\inner.txt'), 'inner');
    assert.equal(v.open('\\??\\J:\\..\\dir\\inner.txt').status, STATUS_OBJECT_NAME_INVALID);
    assert.equal(v.open('\\Device\\HostFs\\other\\x').status, STATUS_BAD_NETWORK_NAME);
  });
});

test('removing a share fails its open handles with STATUS_NETWORK_NAME_DELETED until they close', () => {
  withShare({}, (v) => {
    v.writeFile('f', 'data');
    const h = v.handle('f', { access: FILE_GENERIC_READ });
    const dir = v.handle('', { access: FILE_GENERIC_READ, options: FILE_DIRECTORY_FILE });
    assert.equal(HostFsRemoveShare(v.system, 'share'), STATUS_SUCCESS);
    assert.equal(v.read(h, 4, 0).status, STATUS_NETWORK_NAME_DELETED);
    assert.equal(v.query(h, FileStandardInformation).status, STATUS_NETWORK_NAME_DELETED);
    assert.equal(v.queryDirectory(dir).status, STATUS_NETWORK_NAME_DELETED);
    assert.equal(v.open('x', { root: dir }).status, STATUS_NETWORK_NAME_DELETED);
    assert.equal(v.open('f').status, STATUS_BAD_NETWORK_NAME);
    v.close(h);
    v.close(dir);
    assert.equal(fs.readFileSync(v.host('f'), 'utf8'), 'data', 'removing a share leaves the host alone');
    assert.equal(HostFsAddShare(v.system, { name: 'share', path: v.shareDir }), STATUS_SUCCESS);
    assert.equal(v.readFile('f'), 'data');
  });
});

test('the control device takes share IOCTLs, and nothing else', () => {
  withShare({}, (v) => {
    const sync = <T>(value: T | Promise<T>): T => mustBeSync(value, 'test');
    const control = sync(
      NtCreateFile(v.system, v.process, {
        objectName: HOSTFS_CONTROL_DEVICE_NAME,
        desiredAccess: FILE_GENERIC_READ,
        createDisposition: FILE_OPEN,
      }),
    );
    assert.equal(control.status, STATUS_SUCCESS);
    const h = control.handle!;
    const extra = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-hostfs-ioctl-'));
    try {
      const add = sync(
        NtDeviceIoControlFile(v.process, h, IOCTL_HOSTFS_ADD_SHARE, {
          name: 'extra',
          path: extra,
          readOnly: true,
        }),
      );
      assert.equal(add.status, STATUS_SUCCESS);
      const query = sync(NtDeviceIoControlFile(v.process, h, IOCTL_HOSTFS_QUERY_SHARES, null, 4096));
      assert.equal(query.status, STATUS_SUCCESS);
      assert.deepEqual(
        (query.output as Array<{ name: string; readOnly: boolean }>).map((s) => [s.name, s.readOnly]),
        [
          ['share', false],
          ['extra', true],
        ],
      );
      assert.equal(
        sync(NtDeviceIoControlFile(v.process, h, IOCTL_HOSTFS_REMOVE_SHARE, { name: 'extra' })).status,
        STATUS_SUCCESS,
      );
      assert.equal(
        sync(NtDeviceIoControlFile(v.process, h, IOCTL_HOSTFS_REMOVE_SHARE, null)).status,
        STATUS_INVALID_PARAMETER,
      );
      assert.equal(
        sync(NtDeviceIoControlFile(v.process, h, 0x12345678)).status,
        STATUS_INVALID_DEVICE_REQUEST,
      );
      assert.equal(
        v.open('x', { root: h }).status,
        STATUS_INVALID_PARAMETER,
        'nothing is below the control device',
      );
      v.writeFile('file', '');
      const file = v.handle('file', { access: FILE_GENERIC_READ });
      const onFile = sync(NtDeviceIoControlFile(v.process, file, IOCTL_HOSTFS_QUERY_SHARES, null, 4096));
      assert.equal(onFile.status, STATUS_INVALID_DEVICE_REQUEST);
      v.close(file);
      assert.equal(NtClose(v.process, h), STATUS_SUCCESS);
    } finally {
      fs.rmSync(extra, { recursive: true, force: true });
    }
  });
});

test('volume information describes the share as a remote disk with the host sizes', () => {
  withShare({}, (v) => {
    const h = v.handle('', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
    const volume = v.queryVolume<FileFsVolumeInfo>(h, FileFsVolumeInformation).info!;
    assert.equal(volume.volumeLabel, 'share');
    assert.equal(volume.volumeSerialNumber, fs.statSync(v.shareDir).dev >>> 0);
    const attributes = v.queryVolume<FileFsAttributeInfo>(h, FileFsAttributeInformation).info!;
    assert.equal(attributes.fileSystemName, 'HostFS');
    assert.notEqual(attributes.fileSystemAttributes & FILE_CASE_PRESERVED_NAMES, 0);
    assert.equal(attributes.maximumComponentNameLength, 255);
    const device = v.queryVolume<FileFsDeviceInfo>(h, FileFsDeviceInformation).info!;
    assert.equal(device.deviceType, FILE_DEVICE_DISK);
    assert.notEqual(device.characteristics & FILE_REMOTE_DEVICE, 0);
    const size = v.queryVolume<FileFsFullSizeInfo>(h, FileFsFullSizeInformation).info!;
    const statfs = fs.statfsSync(v.shareDir);
    assert.equal(size.totalAllocationUnits, statfs.blocks);
    assert.equal(size.sectorsPerAllocationUnit * size.bytesPerSector, statfs.bsize);
    v.close(h);
  });
});

test('HostFS unloads only while nothing is open, and leaves the network queue', () => {
  withShare({}, (v) => {
    const h = v.handle('', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
    assert.equal(IoUnloadDriver(v.system, 'HostFs'), STATUS_INVALID_DEVICE_REQUEST);
    v.close(h);
    assert.equal(IoUnloadDriver(v.system, 'HostFs'), STATUS_SUCCESS);
    assert.deepEqual(v.system.io.networkFileSystemQueue, []);
    assert.equal(v.open('x').status !== STATUS_SUCCESS, true);
    assert.deepEqual(HostFsQueryShares(v.system), []);
  });
});
