/**
 * Conformance: §5 of the reference, mounting: the VPB (§5.1), recognition and mount (§5.2), the
 * walk of IopMountVolume and the open path (§5.3), verify and dismount (§5.4), the filter's view
 * (§5.5); disputes D2 and D13.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSystem, NtClose, NtCreateFile, NtFsControlFile } from '../../src/api/index.ts';
import {
  DO_DEVICE_INITIALIZING,
  DO_VERIFY_VOLUME,
  FILE_DEVICE_CD_ROM,
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK,
  FILE_DEVICE_TAPE,
  FILE_DEVICE_TAPE_FILE_SYSTEM,
  FILE_DEVICE_VIRTUAL_DISK,
  FILE_GENERIC_READ,
  FILE_LIST_DIRECTORY,
  FILE_OPEN,
  FILE_READ_ATTRIBUTES,
  FILE_READ_DATA,
  FSCTL_DISMOUNT_VOLUME,
  FSCTL_LOCK_VOLUME,
  FSCTL_UNLOCK_VOLUME,
  IRP_MJ_CREATE,
  IRP_MN_KERNEL_CALL,
  IRP_MN_LOAD_FILE_SYSTEM,
  IRP_MN_MOUNT_VOLUME,
  IRP_MN_USER_FS_REQUEST,
  IRP_MN_VERIFY_VOLUME,
  IRP_MOUNT_COMPLETION,
  IRP_SYNCHRONOUS_PAGING_IO,
  READ_CONTROL,
  SL_ALLOW_RAW_MOUNT,
  STATUS_ACCESS_DENIED,
  STATUS_CRC_ERROR,
  STATUS_DEVICE_DOES_NOT_EXIST,
  STATUS_DISK_CORRUPT_ERROR,
  STATUS_FS_DRIVER_REQUIRED,
  STATUS_INVALID_PARAMETER,
  STATUS_NO_MEDIA_IN_DEVICE,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  STATUS_VERIFY_REQUIRED,
  STATUS_WRONG_VOLUME,
  SYNCHRONIZE,
  VPB_DIRECT_WRITES_ALLOWED,
  VPB_LOCKED,
  VPB_MOUNTED,
  VPB_PERSISTENT,
  VPB_RAW_MOUNT,
  VPB_REMOVE_PENDING,
} from '../../src/base/index.ts';
import { notifyAttachDriver } from '../../src/drivers/filters/notify-attach/index.ts';
import { memFsDriver, memFsFormat } from '../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../src/drivers/storage/ramdisk/index.ts';
import {
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  IoLoadDriver,
  IoVerifyVolume,
  type Irp,
  type MountVolumeParameters,
  Vpb,
} from '../../src/io/index.ts';
import {
  completeIrp,
  type Log,
  loadingRecognizer,
  type MountCall,
  openSync,
  recordingFilter,
  scriptedFileSystem,
  scriptedFileSystemImage,
  stackOf,
  toySystem,
} from '../support/conformance.ts';

const decline = (call: MountCall) => call.fail(STATUS_UNRECOGNIZED_VOLUME);

test('§5.1 the VPB flag values are the documented ones', () => {
  assert.deepEqual(
    [VPB_MOUNTED, VPB_LOCKED, VPB_PERSISTENT, VPB_REMOVE_PENDING, VPB_RAW_MOUNT, VPB_DIRECT_WRITES_ALLOWED],
    [0x01, 0x02, 0x04, 0x08, 0x10, 0x20],
  );
});

test('§5.1 a VPB links the storage device (RealDevice) to the volume device; its label keeps at most 32 characters', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log, {
    mount: (call) => {
      call.vpb.volumeLabel = 'L'.repeat(40);
      return call.mount();
    },
  });
  const storage = disk();
  const vpb = storage.vpb!;
  assert.deepEqual([vpb.realDevice, vpb.deviceObject, vpb.flags], [storage, null, 0]);
  openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  assert.deepEqual([vpb.realDevice, vpb.deviceObject, vpb.flags], [storage, fs.volumes[0], VPB_MOUNTED]);
  assert.equal(vpb.volumeLabel, 'L'.repeat(32));
});

test('§5.1 VPB_LOCKED makes the I/O manager fail every create on the volume with STATUS_ACCESS_DENIED, unseen by the file system', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  openSync(system, process, `${storage.deviceName}\\first`, FILE_GENERIC_READ);
  const vpb = storage.vpb!;
  vpb.flags |= VPB_LOCKED;
  log.length = 0;
  const references = [vpb.referenceCount, storage.referenceCount];
  for (const name of [`${storage.deviceName}\\f`, storage.deviceName!])
    assert.equal(openSync(system, process, name, FILE_GENERIC_READ).status, STATUS_ACCESS_DENIED);
  assert.deepEqual(log, []);
  assert.deepEqual([vpb.referenceCount, storage.referenceCount], references);
  vpb.flags &= ~VPB_LOCKED;
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
});

function memFs(options: { sectorSize?: number } = {}) {
  const system = createSystem();
  const process = system.createProcess('test.exe');
  IoLoadDriver(system, memFsDriver);
  const { deviceObject } = IoCreateRamDisk(system, {
    sizeBytes: 1 << 20,
    format: memFsFormat({ label: 'M' }),
    ...options,
  });
  const storage = deviceObject!;
  const volumeHandle = () =>
    openSync(system, process, storage.deviceName!, FILE_GENERIC_READ | SYNCHRONIZE, { shareAccess: 3 })
      .handle!;
  return { system, process, storage, volumeHandle };
}

test('§5.1 on MemFS, a locked volume refuses every open with STATUS_ACCESS_DENIED until it is unlocked', () => {
  const { system, process, storage, volumeHandle } = memFs();
  const handle = volumeHandle();
  const lock = NtFsControlFile(process, handle, FSCTL_LOCK_VOLUME);
  assert.ok(!(lock instanceof Promise));
  assert.equal(lock.status, STATUS_SUCCESS);
  assert.equal(storage.vpb!.flags & VPB_LOCKED, VPB_LOCKED);
  const references = storage.vpb!.referenceCount;
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\`, FILE_GENERIC_READ).status,
    STATUS_ACCESS_DENIED,
  );
  assert.equal(
    openSync(system, process, storage.deviceName!, FILE_GENERIC_READ).status,
    STATUS_ACCESS_DENIED,
  );
  assert.equal(storage.vpb!.referenceCount, references);
  const unlock = NtFsControlFile(process, handle, FSCTL_UNLOCK_VOLUME);
  assert.ok(!(unlock instanceof Promise));
  assert.equal(unlock.status, STATUS_SUCCESS);
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
});

test('§5.1 VPB.ReferenceCount counts file objects opened through the VPB; the mount takes none (docs/deviations.md)', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  const a = openSync(system, process, `${storage.deviceName}\\a`, FILE_GENERIC_READ);
  const b = openSync(system, process, `${storage.deviceName}\\b`, FILE_GENERIC_READ);
  assert.equal(storage.vpb!.referenceCount, 2);
  NtClose(process, a.handle!);
  assert.equal(storage.vpb!.referenceCount, 1);
  NtClose(process, b.handle!);
  assert.equal(storage.vpb!.referenceCount, 0);
  assert.equal(storage.vpb!.flags & VPB_MOUNTED, VPB_MOUNTED);
});

test('§5.2 the first open of a path on an unmounted volume mounts it; later opens find VPB_MOUNTED and do not', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  for (const name of ['a', 'b', 'c'])
    openSync(system, process, `${storage.deviceName}\\${name}`, FILE_GENERIC_READ);
  assert.deepEqual(log, [
    'ToyFs: mount \\Device\\Disk0',
    'ToyFs: IRP_MJ_CREATE volume',
    'ToyFs: IRP_MJ_CREATE volume',
    'ToyFs: IRP_MJ_CREATE volume',
  ]);
});

test('§5.2 the minor function codes of IRP_MJ_FILE_SYSTEM_CONTROL are the documented ones', () => {
  assert.deepEqual(
    [
      IRP_MN_USER_FS_REQUEST,
      IRP_MN_MOUNT_VOLUME,
      IRP_MN_VERIFY_VOLUME,
      IRP_MN_LOAD_FILE_SYSTEM,
      IRP_MN_KERNEL_CALL,
    ],
    [0, 1, 2, 3, 4],
  );
  assert.equal(SL_ALLOW_RAW_MOUNT, 0x01);
});

test('§5.2 STATUS_UNRECOGNIZED_VOLUME passes the mount to the next file system in the queue', () => {
  const { system, process, log, disk } = toySystem();
  const accepting = scriptedFileSystem(system, 'Accepting', log);
  scriptedFileSystem(system, 'Declining', log, { mount: decline });
  const storage = disk();
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
  assert.deepEqual(log.slice(0, 2), ['Declining: mount \\Device\\Disk0', 'Accepting: mount \\Device\\Disk0']);
  assert.equal(storage.vpb!.deviceObject, accepting.volumes[0]);
});

test('§5.2 STATUS_FS_DRIVER_REQUIRED: IRP_MN_LOAD_FILE_SYSTEM to the top of the recognizer stack, then the walk restarts at the head', () => {
  const { system, process, log, disk } = toySystem();
  const real = scriptedFileSystemImage('RealFs', log);
  const recognizer = loadingRecognizer(system, log, real.module);
  recordingFilter(system, 'RecFilter', log).attach(recognizer.cdo);
  scriptedFileSystem(system, 'Declining', log, { mount: decline });
  const storage = disk();
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
  assert.deepEqual(log.slice(0, 6), [
    'Declining: mount \\Device\\Disk0',
    'RecFilter: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME',
    'Fs_Rec: mount \\Device\\Disk0',
    'RecFilter: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_LOAD_FILE_SYSTEM',
    'Fs_Rec: load',
    'RealFs: mount \\Device\\Disk0', // the new head: the walk started over
  ]);
  assert.equal(storage.vpb!.deviceObject, real.fs().volumes[0]);
});

test('§5.2 a recognizer that never loads anything cannot make the walk loop forever (docs/deviations.md)', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'Fs_Rec', log, {
    kind: 'recognizer',
    mount: (call) => call.fail(STATUS_FS_DRIVER_REQUIRED),
    load: (_self, irp) => completeIrp(irp, STATUS_SUCCESS),
  });
  const storage = disk();
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_FS_DRIVER_REQUIRED,
  );
  assert.equal(log.filter((line) => line === 'Fs_Rec: load').length, 16);
  assert.equal(storage.vpb!.flags & VPB_MOUNTED, 0);
});

test('§5.2 (D2) the file system creates an unnamed volume device and links the VPB; the I/O manager sets VPB_MOUNTED', () => {
  const { system, process, log, disk } = toySystem();
  const flagsDuringMount: number[] = [];
  const fs = scriptedFileSystem(system, 'ToyFs', log, {
    mount: (call) => {
      flagsDuringMount.push(call.vpb.flags);
      const status = call.mount();
      flagsDuringMount.push(call.vpb.flags);
      return status;
    },
  });
  const storage = disk();
  openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  assert.deepEqual(flagsDuringMount, [0, 0]);
  assert.equal(storage.vpb!.flags, VPB_MOUNTED);
  assert.equal(fs.volumes[0]!.deviceName, null);
  assert.equal(storage.vpb!.deviceObject, fs.volumes[0]);
});

test('§5.2 the mount IRP carries the VPB, the top of the storage stack, and SL_ALLOW_RAW_MOUNT only for opens of the volume itself', () => {
  const { system, process, log, disk } = toySystem();
  const seen: Array<[Vpb, DeviceObject, number]> = [];
  scriptedFileSystem(system, 'ToyFs', log, {
    mount: (call) => {
      seen.push([call.vpb, call.storage, IoGetCurrentIrpStackLocation(call.irp).flags]);
      return call.mount();
    },
  });
  const first = disk();
  const second = disk();
  const storageFilter = recordingFilter(system, 'StorageFilter', log).attach(first)!;
  openSync(system, process, `${first.deviceName}\\f`, FILE_GENERIC_READ);
  openSync(system, process, second.deviceName!, FILE_GENERIC_READ);
  assert.deepEqual(seen, [
    [first.vpb, storageFilter, 0],
    [second.vpb, second, SL_ALLOW_RAW_MOUNT],
  ]);
});

test('§5.2 a file system that swaps in the VPB of a volume it knows (a remount) is honoured', () => {
  const { system, process, log, disk } = toySystem();
  const storage = disk();
  let known: Vpb | null = null;
  const fs = scriptedFileSystem(system, 'ToyFs', log, {
    mount: (call) => {
      if (known === null) {
        known = call.vpb;
        return call.mount();
      }
      storage.vpb = known; // the same media came back: reuse the old VPB and volume device
      return completeIrp(call.irp, STATUS_SUCCESS);
    },
  });
  IoLoadDriver(system, notifyAttachDriver);
  openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  const oldVpb = storage.vpb!;
  oldVpb.flags &= ~VPB_MOUNTED; // the media went away and the device got a fresh VPB
  const fresh = new Vpb(storage);
  storage.vpb = fresh;
  log.length = 0;
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\g`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
  assert.equal(storage.vpb, oldVpb);
  assert.equal(oldVpb.flags, VPB_MOUNTED);
  assert.equal(fresh.flags, 0);
  assert.equal(fs.volumes.length, 1);
  assert.deepEqual(stackOf(fs.volumes[0]!), ['NotifyAttach', 'ToyFs']); // §5.5: no second filter device
  assert.deepEqual(log.slice(-2), ['ToyFs: mount \\Device\\Disk0', 'ToyFs: IRP_MJ_CREATE volume']);
});

test('§5.2 MemFS and RAW set StackSize and SectorSize before clearing DO_DEVICE_INITIALIZING on their volume device', () => {
  const { system, process, storage } = memFs({ sectorSize: 4096 });
  const { deviceObject: blank } = IoCreateRamDisk(system, { sizeBytes: 1 << 16, sectorSize: 2048 });
  const seen: Array<[string, number, number, number]> = [];
  for (const cdo of [system.io.diskFileSystemQueue[0]!, system.io.diskFileSystemQueue.at(-1)!]) {
    recordingFilter(system, `On${cdo.driverObject.serviceName}`, [], {
      completion: true,
      onComplete: (irp) => {
        const { vpb } = IoGetCurrentIrpStackLocation(irp).parameters as MountVolumeParameters;
        const volume = vpb.realDevice.vpb!.deviceObject;
        if (volume !== null)
          seen.push([
            volume.driverObject.serviceName,
            volume.flags & DO_DEVICE_INITIALIZING,
            volume.stackSize,
            volume.sectorSize,
          ]);
      },
    }).attach(cdo);
  }
  openSync(system, process, `${storage.deviceName}\\`, FILE_GENERIC_READ);
  openSync(system, process, blank!.deviceName!, FILE_GENERIC_READ);
  assert.deepEqual(seen, [
    ['MemFs', 0, 2, 4096],
    ['RAW', 0, 2, 2048],
  ]);
});

test('§5.3 the walk goes head to tail and sends each mount to the top of the control device stack', () => {
  const { system, process, log, disk } = toySystem();
  const tail = scriptedFileSystem(system, 'Tail', log);
  const head = scriptedFileSystem(system, 'Head', log, { mount: decline });
  recordingFilter(system, 'TailFilter', log).attach(tail.cdo);
  recordingFilter(system, 'HeadFilter', log).attach(head.cdo);
  openSync(system, process, `${disk().deviceName}\\f`, FILE_GENERIC_READ);
  assert.deepEqual(log.slice(0, 4), [
    'HeadFilter: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME',
    'Head: mount \\Device\\Disk0',
    'TailFilter: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME',
    'Tail: mount \\Device\\Disk0',
  ]);
});

test('§5.3 the mount IRP has StackSize storage top + 1 + one per filter on the control device, and mount-completion flags', () => {
  const { system, process, log, disk } = toySystem();
  const seen: Array<[number, number]> = [];
  const fs = scriptedFileSystem(system, 'ToyFs', log, {
    mount: (call) => {
      seen.push([call.irp.stackCount, call.irp.flags]);
      return call.mount();
    },
  });
  const storage = disk();
  recordingFilter(system, 'StorageFilter', log).attach(storage);
  recordingFilter(system, 'CdoFilter1', log).attach(fs.cdo);
  recordingFilter(system, 'CdoFilter2', log).attach(fs.cdo);
  openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  assert.deepEqual(seen, [[2 + 1 + 2, IRP_MOUNT_COMPLETION | IRP_SYNCHRONOUS_PAGING_IO]]);
});

test('§5.3 the queue follows the storage type: disk and virtual disk the disk queue, CD-ROM the CD-ROM queue, tape the tape queue', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'DiskFs', log);
  scriptedFileSystem(system, 'CdFs', log, { deviceType: FILE_DEVICE_CD_ROM_FILE_SYSTEM });
  scriptedFileSystem(system, 'TapeFs', log, { deviceType: FILE_DEVICE_TAPE_FILE_SYSTEM });
  const mountedBy = [FILE_DEVICE_DISK, FILE_DEVICE_VIRTUAL_DISK, FILE_DEVICE_CD_ROM, FILE_DEVICE_TAPE].map(
    (type) => {
      const storage = disk(type);
      assert.equal(
        openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
        STATUS_SUCCESS,
      );
      return storage.vpb!.deviceObject!.driverObject.serviceName;
    },
  );
  assert.deepEqual(mountedBy, ['DiskFs', 'DiskFs', 'CdFs', 'TapeFs']);
});

test('§5.3 RAW is offered the volume only for an open of the volume itself, and its mount sets VPB_RAW_MOUNT', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log, { mount: decline });
  const storage = disk();
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_UNRECOGNIZED_VOLUME,
  );
  assert.equal(storage.vpb!.flags, 0);
  assert.equal(openSync(system, process, storage.deviceName!, FILE_GENERIC_READ).status, STATUS_SUCCESS);
  assert.equal(storage.vpb!.flags, VPB_MOUNTED | VPB_RAW_MOUNT);
  assert.equal(storage.vpb!.deviceObject!.driverObject.driverName, '\\FileSystem\\RAW');
  assert.deepEqual(log, ['ToyFs: mount \\Device\\Disk0', 'ToyFs: mount \\Device\\Disk0']);
});

test('§5.3 VPB_RAW_MOUNT sends the mount straight to RAW, skipping every other file system', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  storage.vpb!.flags |= VPB_RAW_MOUNT;
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_UNRECOGNIZED_VOLUME,
  );
  assert.equal(openSync(system, process, storage.deviceName!, FILE_GENERIC_READ).status, STATUS_SUCCESS);
  assert.equal(storage.vpb!.deviceObject!.driverObject.serviceName, 'RAW');
  assert.deepEqual(log, []);
});

test('§5.3 a file system registered while a mount is out makes the walk start again from the head', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'Old', log);
  scriptedFileSystem(system, 'Busy', log, {
    mount: (call) => {
      scriptedFileSystem(system, 'Newcomer', log);
      return call.fail(STATUS_UNRECOGNIZED_VOLUME);
    },
  });
  const storage = disk();
  openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  assert.deepEqual(log.slice(0, 2), ['Busy: mount \\Device\\Disk0', 'Newcomer: mount \\Device\\Disk0']);
  assert.equal(storage.vpb!.deviceObject!.driverObject.serviceName, 'Newcomer');
});

test('§5.3 (D13) after a mount the I/O manager sets the volume device StackSize to the storage top + 1', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log, { mount: (call) => call.mount({ stackSize: 1 }) });
  const storage = disk();
  recordingFilter(system, 'StorageFilter', log).attach(storage);
  openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  assert.equal(fs.volumes[0]!.stackSize, 3);
  assert.equal(fs.volumes[0]!.mountedVpb, storage.vpb);
});

test('§5.3 a total device failure stops the walk unless raw mount is allowed; a data error does not stop it', () => {
  for (const [status, name, expected] of [
    [STATUS_DISK_CORRUPT_ERROR, 'f', STATUS_DISK_CORRUPT_ERROR],
    [STATUS_CRC_ERROR, 'f', STATUS_SUCCESS],
    [STATUS_DISK_CORRUPT_ERROR, '', STATUS_SUCCESS],
  ] as const) {
    const { system, process, log, disk } = toySystem();
    scriptedFileSystem(system, 'Tail', log);
    scriptedFileSystem(system, 'Failing', log, { mount: (call) => call.fail(status) });
    const storage = disk();
    const path = name === '' ? storage.deviceName! : `${storage.deviceName}\\${name}`;
    assert.equal(openSync(system, process, path, FILE_GENERIC_READ).status, expected);
    assert.equal(log.includes('Tail: mount \\Device\\Disk0'), expected === STATUS_SUCCESS);
  }
});

test('§5.3 a user-induced error completed with Information 1 stops the walk, even with raw mount allowed', () => {
  for (const [information, expected] of [
    [1, STATUS_NO_MEDIA_IN_DEVICE],
    [0, STATUS_SUCCESS],
  ] as const) {
    const { system, process, log, disk } = toySystem();
    scriptedFileSystem(system, 'Tail', log);
    scriptedFileSystem(system, 'NoMedia', log, {
      mount: (call) => call.fail(STATUS_NO_MEDIA_IN_DEVICE, information),
    });
    const storage = disk();
    assert.equal(openSync(system, process, storage.deviceName!, FILE_GENERIC_READ).status, expected);
    assert.equal(log.includes('Tail: mount \\Device\\Disk0'), information === 0);
  }
});

test('§5.3 a second open while a mount pends waits for it: one mount request, both opens succeed', async () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log, { mount: (call) => call.pend() });
  const storage = disk();
  const open = (name: string) =>
    NtCreateFile(system, process, {
      objectName: `${storage.deviceName}\\${name}`,
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
    });
  const first = open('a');
  const second = open('b');
  assert.ok(first instanceof Promise && second instanceof Promise);
  assert.deepEqual(log, ['ToyFs: mount \\Device\\Disk0']);
  fs.pending[0]!.mount();
  assert.equal((await first).status, STATUS_SUCCESS);
  assert.equal((await second).status, STATUS_SUCCESS);
  assert.equal(log.filter((line) => line.endsWith('mount \\Device\\Disk0')).length, 1);
  assert.equal(storage.vpb!.referenceCount, 2);
});

test('§5.3 an unmounted volume whose VPB is remove-pending is not mounted: STATUS_DEVICE_DOES_NOT_EXIST', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  storage.vpb!.flags |= VPB_REMOVE_PENDING;
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_DEVICE_DOES_NOT_EXIST,
  );
  assert.deepEqual(log, []);
  assert.equal(storage.referenceCount, 0);
});

test('§5.3 an attributes-only open of the volume itself does not mount; with a path or with data access it mounts', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log);
  const first = disk();
  const direct = openSync(
    system,
    process,
    first.deviceName!,
    SYNCHRONIZE | FILE_READ_ATTRIBUTES | READ_CONTROL,
  );
  assert.equal(direct.status, STATUS_SUCCESS);
  assert.equal(first.vpb!.flags, 0);
  assert.deepEqual(log, []);
  assert.equal(
    openSync(system, process, `${first.deviceName}\\f`, FILE_READ_ATTRIBUTES).status,
    STATUS_SUCCESS,
  );
  assert.equal(first.vpb!.flags, VPB_MOUNTED);
  const second = disk();
  assert.equal(openSync(system, process, second.deviceName!, FILE_READ_DATA).status, STATUS_SUCCESS);
  assert.equal(second.vpb!.flags, VPB_MOUNTED);
});

test('§5.3 a walk nobody wins leaves the VPB unmounted with no reference, so the next open walks again', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log, { mount: decline });
  const storage = disk();
  for (let i = 0; i < 2; i++)
    assert.equal(
      openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
      STATUS_UNRECOGNIZED_VOLUME,
    );
  assert.deepEqual(log, ['ToyFs: mount \\Device\\Disk0', 'ToyFs: mount \\Device\\Disk0']);
  assert.deepEqual([storage.vpb!.flags, storage.vpb!.referenceCount, storage.referenceCount], [0, 0, 0]);
});

test('§5.4 IoVerifyVolume sends IRP_MN_VERIFY_VOLUME to the top of the volume stack and returns its status', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  recordingFilter(system, 'VolumeFilter', log).attach(fs.volumes[0]!);
  storage.flags |= DO_VERIFY_VOLUME;
  log.length = 0;
  assert.equal(IoVerifyVolume(storage, false), STATUS_SUCCESS);
  assert.deepEqual(log, [
    'VolumeFilter: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_VERIFY_VOLUME',
    'ToyFs: verify volume',
  ]);
  assert.equal(storage.flags & DO_VERIFY_VOLUME, 0);
  assert.equal(storage.vpb!.deviceObject, fs.volumes[0]);
});

test('§5.4 IoVerifyVolume after STATUS_WRONG_VOLUME gives the device a fresh VPB and mounts it (docs/deviations.md)', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log, {
    verify: (_fs, _volume, irp) => completeIrp(irp, STATUS_WRONG_VOLUME),
  });
  const storage = disk();
  openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  const oldVpb = storage.vpb!;
  log.length = 0;
  assert.equal(IoVerifyVolume(storage, false), STATUS_SUCCESS);
  assert.deepEqual(log, ['ToyFs: verify volume', 'ToyFs: mount \\Device\\Disk0']);
  assert.notEqual(storage.vpb, oldVpb);
  assert.equal(oldVpb.flags & VPB_MOUNTED, 0);
  assert.equal(oldVpb.deviceObject, fs.volumes[0]); // the old volume device keeps its VPB
  assert.equal(storage.vpb!.deviceObject, fs.volumes[1]);
  assert.equal(storage.vpb!.flags, VPB_MOUNTED);
});

test('§5.4 IoVerifyVolume on a device never mounted sends a mount request', () => {
  const { system, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  assert.equal(IoVerifyVolume(storage, false), STATUS_SUCCESS);
  assert.deepEqual(log, ['ToyFs: mount \\Device\\Disk0']);
  assert.equal(storage.vpb!.flags, VPB_MOUNTED);
});

test('§5.4 a create answered STATUS_VERIFY_REQUIRED makes the I/O manager verify the volume and open again (bounded)', () => {
  const needs = 'ToyFs: create needs verify';
  const verify = 'ToyFs: verify volume';
  const mount = 'ToyFs: mount \\Device\\Disk0';
  for (const [failures, expected, expectedLog] of [
    [1, STATUS_SUCCESS, [mount, needs, verify, 'ToyFs: IRP_MJ_CREATE volume']],
    [Number.POSITIVE_INFINITY, STATUS_VERIFY_REQUIRED, [mount, needs, verify, needs, verify, needs]],
  ] as const) {
    const { system, process, log, disk } = toySystem();
    let left = failures;
    scriptedFileSystem(system, 'ToyFs', log, {
      request: (_device, irp: Irp) => {
        if (IoGetCurrentIrpStackLocation(irp).majorFunction !== IRP_MJ_CREATE || left === 0) return null;
        left--;
        log.push(needs);
        return completeIrp(irp, STATUS_VERIFY_REQUIRED);
      },
    });
    const storage = disk();
    assert.equal(openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status, expected);
    assert.deepEqual(log, expectedLog);
  }
});

test('§5.4 FSCTL_DISMOUNT_VOLUME passes through volume filters as IRP_MN_USER_FS_REQUEST; the next open mounts afresh', () => {
  const { system, process, storage, volumeHandle } = memFs();
  const handle = volumeHandle();
  const oldVolume = storage.vpb!.deviceObject!;
  const log: Log = [];
  recordingFilter(system, 'VolumeFilter', log).attach(oldVolume);
  const result = NtFsControlFile(process, handle, FSCTL_DISMOUNT_VOLUME);
  assert.ok(!(result instanceof Promise));
  assert.equal(result.status, STATUS_SUCCESS);
  assert.deepEqual(log, ['VolumeFilter: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_USER_FS_REQUEST']);
  const again = openSync(system, process, `${storage.deviceName}\\`, FILE_LIST_DIRECTORY, { shareAccess: 7 });
  assert.equal(again.status, STATUS_SUCCESS);
  assert.notEqual(storage.vpb!.deviceObject, oldVolume);
  assert.equal(storage.vpb!.flags & VPB_MOUNTED, VPB_MOUNTED);
  NtClose(process, handle);
});

test('§5.4 FSCTL_DISMOUNT_VOLUME needs a direct open of the volume: on a file handle it is refused and nothing changes', () => {
  const { system, process, storage } = memFs();
  const file = openSync(system, process, `${storage.deviceName}\\`, FILE_LIST_DIRECTORY | SYNCHRONIZE, {
    shareAccess: 3,
  });
  const volume = storage.vpb!.deviceObject!;
  const result = NtFsControlFile(process, file.handle!, FSCTL_DISMOUNT_VOLUME);
  assert.ok(!(result instanceof Promise));
  assert.equal(result.status, STATUS_INVALID_PARAMETER);
  assert.equal(storage.vpb!.deviceObject, volume);
  assert.equal(storage.vpb!.flags & VPB_MOUNTED, VPB_MOUNTED);
  const again = openSync(system, process, `${storage.deviceName}\\`, FILE_LIST_DIRECTORY, { shareAccess: 7 });
  assert.equal(again.status, STATUS_SUCCESS);
});

test('§5.4 when the dismounted volume device goes, every filter attached to it hears FastIoDetachDevice, lowest first', () => {
  const { system, process, storage, volumeHandle } = memFs();
  const handle = volumeHandle();
  const volume = storage.vpb!.deviceObject!;
  const log: Log = [];
  const lower = recordingFilter(system, 'Lower', log).attach(volume)!;
  const upper = recordingFilter(system, 'Upper', log).attach(volume)!;
  log.length = 0;
  NtFsControlFile(process, handle, FSCTL_DISMOUNT_VOLUME);
  NtClose(process, handle); // the last file object: MemFS deletes its volume device
  assert.equal(volume.deletePending, true);
  assert.deepEqual(log.slice(-2), ['Lower: FastIoDetachDevice', 'Upper: FastIoDetachDevice']);
  assert.deepEqual([lower.deletePending, upper.deletePending, volume.attachedDevice], [true, true, null]);
});

test('§5.5 a filter on the control device sees the mount before the file system and its completion after; NotifyAttach attaches then', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  IoLoadDriver(system, notifyAttachDriver);
  recordingFilter(system, 'Watcher', log, { completion: true }).attach(fs.cdo);
  const storage = disk();
  openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  assert.deepEqual(log.slice(0, 3), [
    'Watcher: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME',
    'ToyFs: mount \\Device\\Disk0',
    'Watcher: done IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME',
  ]);
  assert.deepEqual(stackOf(fs.cdo), ['Watcher', 'NotifyAttach', 'ToyFs']);
  assert.deepEqual(stackOf(fs.volumes[0]!), ['NotifyAttach', 'ToyFs']);
});
