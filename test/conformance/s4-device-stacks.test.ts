/**
 * Conformance: §4 of the reference, device stacks: attach (§4.1, §4.2), walking (§4.3), detach
 * (§4.4), create and delete (§4.5), enumeration and the disk behind a volume (§4.6); D8, D11.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSystem, NtClose, NtFsControlFile } from '../../src/api/index.ts';
import {
  DO_DEVICE_HAS_NAME,
  DO_DEVICE_INITIALIZING,
  DO_EXCLUSIVE,
  DO_SHUTDOWN_REGISTERED,
  DOE_DELETE_PENDING,
  DOE_REMOVE_PENDING,
  DOE_REMOVE_PROCESSED,
  DOE_START_PENDING,
  DOE_UNLOAD_PENDING,
  FILE_DEVICE_CD_ROM,
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_DEVICE_NETWORK_FILE_SYSTEM,
  FILE_DEVICE_TAPE,
  FILE_DEVICE_UNKNOWN,
  FILE_DEVICE_VIRTUAL_DISK,
  FILE_GENERIC_READ,
  FILE_READ_ATTRIBUTES,
  FILE_READ_DATA,
  FILE_REMOVABLE_MEDIA,
  FSCTL_DISMOUNT_VOLUME,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_PARAMETER,
  STATUS_NO_SUCH_DEVICE,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
  SYNCHRONIZE,
  VPB_MOUNTED,
} from '../../src/base/index.ts';
import { notifyAttachDriver } from '../../src/drivers/filters/notify-attach/index.ts';
import { memFsDriver, memFsFormat } from '../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../src/drivers/storage/ramdisk/index.ts';
import {
  type DeviceObject,
  type DriverObject,
  type FileObject,
  IoAttachDevice,
  IoAttachDeviceToDeviceStack,
  IoAttachDeviceToDeviceStackSafe,
  IoCreateDevice,
  IoDeleteDevice,
  IoDetachDevice,
  IoEnumerateDeviceObjectList,
  IoGetAttachedDevice,
  IoGetAttachedDeviceReference,
  IoGetDeviceAttachmentBaseRef,
  IoGetDeviceObjectPointer,
  IoGetDiskDeviceObject,
  IoGetLowerDeviceObject,
  IoGetRelatedDeviceObject,
  IoLoadDriver,
  IoRegisterFsRegistrationChange,
  IoRegisterShutdownNotification,
  type System,
} from '../../src/io/index.ts';
import { ObDereferenceObject } from '../../src/ob/index.ts';
import {
  type Log,
  loadDriver,
  openSync,
  recordingFilter,
  scriptedFileSystem,
  stackOf,
  toySystem,
} from '../support/conformance.ts';

/** A device of a plain driver, ready to be attached to (DO_DEVICE_INITIALIZING cleared). */
function device(driver: DriverObject, deviceType = FILE_DEVICE_DISK_FILE_SYSTEM, name: string | null = null) {
  const { status, deviceObject } = IoCreateDevice(driver, null, name, deviceType, 0, false);
  assert.equal(status, STATUS_SUCCESS);
  deviceObject!.flags &= ~DO_DEVICE_INITIALIZING;
  return deviceObject!;
}

function plain(system: System, name = 'Plain'): DriverObject {
  return loadDriver(system, name);
}

/** base ← a ← b, each attached with the Safe form. */
function threeHigh(system: System) {
  const driver = plain(system);
  const base = device(driver);
  const a = device(driver);
  const b = device(driver);
  assert.equal(IoAttachDeviceToDeviceStackSafe(a, base).status, STATUS_SUCCESS);
  assert.equal(IoAttachDeviceToDeviceStackSafe(b, base).status, STATUS_SUCCESS);
  return { driver, base, a, b };
}

test('§4.1 attach lands on the current top of the target stack, returns it, and both links are set on return', () => {
  const { system } = toySystem();
  const { base, a, b } = threeHigh(system);
  assert.equal(base.attachedDevice, a);
  assert.equal(a.attachedTo, base);
  assert.equal(a.attachedDevice, b);
  assert.equal(b.attachedTo, a); // b targeted the base, and landed on a
  const c = device(plain(system, 'Other'));
  const result = IoAttachDeviceToDeviceStackSafe(c, a); // a middle device as target
  assert.deepEqual(result, { status: STATUS_SUCCESS, attachedTo: b });
  assert.equal(IoGetAttachedDevice(base), c);
});

test('§4.1 the attached device gets StackSize = lower + 1 and the lower alignment and sector size', () => {
  const { system } = toySystem();
  const driver = plain(system);
  const base = device(driver);
  base.stackSize = 3;
  base.alignmentRequirement = 7;
  base.sectorSize = 2048;
  const a = device(driver);
  const b = device(driver);
  IoAttachDeviceToDeviceStackSafe(a, base);
  IoAttachDeviceToDeviceStackSafe(b, base);
  assert.deepEqual([a.stackSize, a.alignmentRequirement, a.sectorSize], [4, 7, 2048]);
  assert.deepEqual([b.stackSize, b.alignmentRequirement, b.sectorSize], [5, 7, 2048]);
});

test('§4.1 attach fails with STATUS_NO_SUCH_DEVICE while the top is DO_DEVICE_INITIALIZING, and changes nothing', () => {
  const { system } = toySystem();
  const driver = plain(system);
  const { deviceObject: base } = IoCreateDevice(driver, null, null, FILE_DEVICE_DISK_FILE_SYSTEM, 0, false);
  const source = device(driver);
  assert.deepEqual(IoAttachDeviceToDeviceStackSafe(source, base!), {
    status: STATUS_NO_SUCH_DEVICE,
    attachedTo: null,
  });
  assert.equal(IoAttachDeviceToDeviceStack(source, base!), null);
  assert.deepEqual(
    [base!.attachedDevice, base!.referenceCount, source.attachedTo, source.stackSize],
    [null, 0, null, 1],
  );
  base!.flags &= ~DO_DEVICE_INITIALIZING;
  assert.equal(IoAttachDeviceToDeviceStackSafe(source, base!).status, STATUS_SUCCESS);
});

test('§4.1 attach fails with STATUS_NO_SUCH_DEVICE when the top is unload-, delete-, remove-pending or removed', () => {
  const { system } = toySystem();
  const driver = plain(system);
  for (const flag of [DOE_UNLOAD_PENDING, DOE_DELETE_PENDING, DOE_REMOVE_PENDING, DOE_REMOVE_PROCESSED]) {
    const base = device(driver);
    base.extensionFlags |= flag;
    const source = device(driver);
    assert.equal(IoAttachDeviceToDeviceStackSafe(source, base).status, STATUS_NO_SUCH_DEVICE);
    assert.equal(base.attachedDevice, null);
    assert.equal(source.attachedTo, null);
  }
});

test('§4.1 attaching to a deleted device fails and leaves the system consistent for the next attach', () => {
  const { system, process, disk } = toySystem();
  const storage = disk();
  const open = openSync(system, process, storage.deviceName!, FILE_READ_ATTRIBUTES);
  IoDeleteDevice(storage); // delete-pending: the open file still references it
  const filter = recordingFilter(system, 'Filter', []);
  const source = filter.device(FILE_DEVICE_DISK);
  assert.equal(IoAttachDeviceToDeviceStackSafe(source, storage).status, STATUS_NO_SUCH_DEVICE);
  assert.deepEqual([storage.referenceCount, storage.attachedDevice, source.attachedTo], [1, null, null]);
  const live = disk();
  assert.equal(IoAttachDeviceToDeviceStackSafe(source, live).attachedTo, live);
  assert.equal(NtClose(process, open.handle!), STATUS_SUCCESS);
  assert.equal(storage.referenceCount, 0);
});

test('§4.1 attach takes an I/O reference on the device attached to and propagates DOE_START_PENDING', () => {
  const { system } = toySystem();
  const driver = plain(system);
  const base = device(driver);
  base.extensionFlags |= DOE_START_PENDING;
  const source = device(driver);
  IoAttachDeviceToDeviceStackSafe(source, base);
  assert.equal(base.referenceCount, 1);
  assert.equal(source.extensionFlags & DOE_START_PENDING, DOE_START_PENDING);
});

test('§4.1 (sample) attaching to a freshly mounted volume fails until its file system clears DO_DEVICE_INITIALIZING', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log, {
    mount: (call) => call.mount({ keepInitializing: true }),
  });
  const storage = disk();
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
  const volume = fs.volumes[0]!;
  const filter = recordingFilter(system, 'Filter', log);
  assert.equal(filter.attach(volume), null);
  volume.flags &= ~DO_DEVICE_INITIALIZING;
  assert.notEqual(filter.attach(volume), null);
});

test('§4.1 a device already in a stack, or the top itself, cannot be attached again', () => {
  const { system } = toySystem();
  const { base, a, b } = threeHigh(system);
  assert.equal(IoAttachDeviceToDeviceStackSafe(a, base).status, STATUS_NO_SUCH_DEVICE);
  assert.equal(IoAttachDeviceToDeviceStackSafe(b, base).status, STATUS_NO_SUCH_DEVICE);
  assert.deepEqual([base.referenceCount, a.referenceCount, b.referenceCount], [1, 1, 0]);
  assert.equal(IoGetAttachedDevice(base), b);
});

test('§4.2 IoAttachDeviceToDeviceStack returns the previous top, or null when the target cannot be attached', () => {
  const { system } = toySystem();
  const driver = plain(system);
  const base = device(driver);
  const a = device(driver);
  const b = device(driver);
  assert.equal(IoAttachDeviceToDeviceStack(a, base), base);
  assert.equal(IoAttachDeviceToDeviceStack(b, base), a);
  b.flags |= DO_DEVICE_INITIALIZING;
  assert.equal(IoAttachDeviceToDeviceStack(device(driver), base), null);
});

test('§4.2 IoAttachDevice opens the name for attributes only: a volume name attaches to the storage stack, unmounted', () => {
  const { system, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  const source = recordingFilter(system, 'Filter', log).device(FILE_DEVICE_DISK);
  const result = IoAttachDevice(source, storage.deviceName!);
  assert.ok(!(result instanceof Promise));
  assert.deepEqual(result, { status: STATUS_SUCCESS, attachedDevice: storage });
  assert.equal(storage.vpb!.flags & VPB_MOUNTED, 0);
  assert.ok(!log.some((line) => line.includes('mount')));
  assert.deepEqual(stackOf(storage), ['Filter', 'Disk']);
  assert.equal(source.stackSize, storage.stackSize + 1);
});

test('§4.2 IoAttachDevice: the new device sees the IRP_MJ_CLEANUP and IRP_MJ_CLOSE of the temporary open before it returns', () => {
  const { system, disk } = toySystem();
  const log: Log = [];
  const storage = disk();
  const source = recordingFilter(system, 'Filter', log).device(FILE_DEVICE_DISK);
  const result = IoAttachDevice(source, storage.deviceName!);
  assert.ok(!(result instanceof Promise));
  assert.deepEqual(log, ['Filter: IRP_MJ_CLEANUP', 'Filter: IRP_MJ_CLOSE']);
  assert.equal(storage.referenceCount, 1); // the attachment only; the temporary open is gone
});

test('§4.2 IoAttachDevice fails with the open status for a missing name and STATUS_NO_SUCH_DEVICE for an initializing top', () => {
  const { system, disk } = toySystem();
  const filter = recordingFilter(system, 'Filter', []);
  const source = filter.device(FILE_DEVICE_DISK);
  assert.deepEqual(IoAttachDevice(source, '\\Device\\Nothing'), {
    status: STATUS_OBJECT_NAME_NOT_FOUND,
    attachedDevice: null,
  });
  const storage = disk();
  storage.flags |= DO_DEVICE_INITIALIZING;
  assert.deepEqual(IoAttachDevice(source, storage.deviceName!), {
    status: STATUS_NO_SUCH_DEVICE,
    attachedDevice: null,
  });
  assert.deepEqual([storage.referenceCount, source.attachedTo], [0, null]);
});

test('§4.3 IoGetAttachedDevice returns the top without a reference; IoGetAttachedDeviceReference with one', () => {
  const { system } = toySystem();
  const { base, a, b } = threeHigh(system);
  assert.equal(IoGetAttachedDevice(base), b);
  assert.equal(IoGetAttachedDevice(a), b);
  assert.equal(b.pointerCount, 0);
  assert.equal(IoGetAttachedDeviceReference(base), b);
  assert.equal(b.pointerCount, 1);
  ObDereferenceObject(b);
  assert.equal(b.pointerCount, 0);
});

test('§4.3 IoGetLowerDeviceObject returns the next lower device referenced, and null at the bottom', () => {
  const { system } = toySystem();
  const { base, a, b } = threeHigh(system);
  assert.equal(IoGetLowerDeviceObject(b), a);
  assert.equal(a.pointerCount, 1);
  assert.equal(IoGetLowerDeviceObject(a), base);
  assert.equal(base.pointerCount, 1);
  assert.equal(IoGetLowerDeviceObject(base), null);
});

test('§4.3 (D8) IoGetLowerDeviceObject returns null when the lower device is unload-, delete- or remove-pending', () => {
  const { system } = toySystem();
  const { a, b } = threeHigh(system);
  for (const flag of [DOE_UNLOAD_PENDING, DOE_DELETE_PENDING, DOE_REMOVE_PENDING]) {
    a.extensionFlags = flag;
    assert.equal(IoGetLowerDeviceObject(b), null);
  }
  assert.equal(a.pointerCount, 0);
  a.extensionFlags = 0;
  assert.equal(IoGetLowerDeviceObject(b), a);
});

test('§4.3 IoGetDeviceAttachmentBaseRef returns the bottom referenced, or the device itself when unattached', () => {
  const { system } = toySystem();
  const { driver, base, b } = threeHigh(system);
  assert.equal(IoGetDeviceAttachmentBaseRef(b), base);
  assert.equal(base.pointerCount, 1);
  const alone = device(driver);
  assert.equal(IoGetDeviceAttachmentBaseRef(alone), alone);
  assert.equal(alone.pointerCount, 1);
});

test('§4.3 walking down from IoGetAttachedDeviceReference with IoGetLowerDeviceObject visits each device once', () => {
  const { system } = toySystem();
  const { base, a, b } = threeHigh(system);
  const seen: DeviceObject[] = [];
  let current: DeviceObject | null = IoGetAttachedDeviceReference(base);
  while (current !== null) {
    seen.push(current);
    const next = IoGetLowerDeviceObject(current);
    ObDereferenceObject(current);
    current = next;
  }
  assert.deepEqual(seen, [b, a, base]);
  assert.deepEqual([base.pointerCount, a.pointerCount, b.pointerCount], [0, 0, 0]);
});

test('§4.3 IoGetDeviceObjectPointer returns the top of the named stack and a file object that keeps the device referenced', () => {
  const { system, disk } = toySystem();
  const storage = disk();
  const storageFilter = recordingFilter(system, 'StorageFilter', []).attach(storage)!;
  const pointer = IoGetDeviceObjectPointer(system, storage.deviceName!, FILE_READ_ATTRIBUTES);
  assert.ok(!(pointer instanceof Promise));
  assert.equal(pointer.status, STATUS_SUCCESS);
  assert.equal(pointer.deviceObject, storageFilter);
  assert.equal(pointer.fileObject!.deviceObject, storage);
  assert.equal(storage.referenceCount, 2); // the attachment and the file object
  ObDereferenceObject(pointer.fileObject!);
  assert.equal(storage.referenceCount, 1);
});

test('§4.3 IoGetDeviceObjectPointer with FILE_READ_ATTRIBUTES does not mount; with FILE_READ_DATA it mounts', () => {
  const { system, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  const attributes = IoGetDeviceObjectPointer(system, storage.deviceName!, FILE_READ_ATTRIBUTES);
  assert.ok(!(attributes instanceof Promise));
  assert.equal(attributes.deviceObject, storage);
  assert.equal(storage.vpb!.flags & VPB_MOUNTED, 0);
  const data = IoGetDeviceObjectPointer(system, storage.deviceName!, FILE_READ_DATA);
  assert.ok(!(data instanceof Promise));
  assert.equal(data.status, STATUS_SUCCESS);
  assert.equal(storage.vpb!.flags & VPB_MOUNTED, VPB_MOUNTED);
  assert.equal(data.deviceObject, fs.volumes[0]);
  assert.deepEqual(log.slice(0, 1), ['ToyFs: mount \\Device\\Disk0']);
  ObDereferenceObject(attributes.fileObject!);
  ObDereferenceObject(data.fileObject!);
});

test('§4.3 IoGetRelatedDeviceObject: the top of the volume stack for a file on a volume, else the top of the device stack', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  const storageFilter = recordingFilter(system, 'StorageFilter', log).attach(storage)!;
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  const volumeFilter = recordingFilter(system, 'VolumeFilter', log).attach(fs.volumes[0]!)!;
  const direct = openSync(system, process, storage.deviceName!, FILE_READ_ATTRIBUTES);
  const fileObject = (handle: number) => process.handleTable.lookup(handle)!.object as FileObject;
  assert.equal(IoGetRelatedDeviceObject(fileObject(file.handle!)), volumeFilter);
  assert.equal(IoGetRelatedDeviceObject(fileObject(direct.handle!)), storageFilter);
});

test('§4.4 IoDetachDevice unlinks the device above the target and drops the reference the attach took', () => {
  const { system } = toySystem();
  const driver = plain(system);
  const base = device(driver);
  const a = device(driver);
  IoAttachDeviceToDeviceStackSafe(a, base);
  assert.equal(base.referenceCount, 1);
  IoDetachDevice(base);
  assert.deepEqual([base.attachedDevice, a.attachedTo, base.referenceCount], [null, null, 0]);
  IoDetachDevice(base); // nothing attached: nothing happens
  assert.equal(base.referenceCount, 0);
});

test('§4.4 (D11) detaching a middle device does not splice: the device above stays attached to it', () => {
  const { system } = toySystem();
  const { base, a, b } = threeHigh(system);
  IoDetachDevice(base); // a leaves the base
  assert.equal(base.attachedDevice, null);
  assert.equal(a.attachedTo, null);
  assert.equal(a.attachedDevice, b);
  assert.equal(b.attachedTo, a);
  assert.equal(IoGetAttachedDevice(base), base);
  assert.equal(IoGetAttachedDevice(a), b);
});

test('§4.4 detaching from a delete-pending device whose last reference that was finishes the delete', () => {
  const { system } = toySystem();
  const driver = plain(system);
  const base = device(driver, FILE_DEVICE_DISK_FILE_SYSTEM, '\\Device\\Base');
  const upper = device(plain(system, 'Upper'));
  IoAttachDeviceToDeviceStackSafe(upper, base);
  IoDeleteDevice(base);
  assert.equal(base.deletePending, true);
  assert.ok(driver.deviceObjects.includes(base));
  IoDetachDevice(base);
  assert.ok(!driver.deviceObjects.includes(base));
});

test('§4.5 IoCreateDevice: StackSize 1, ReferenceCount 0, no links, DO_DEVICE_INITIALIZING (+HAS_NAME, +EXCLUSIVE)', () => {
  const { system } = toySystem();
  const driver = plain(system);
  const named = IoCreateDevice(
    driver,
    { mine: 1 },
    '\\Device\\Named',
    FILE_DEVICE_UNKNOWN,
    FILE_REMOVABLE_MEDIA,
    true,
  );
  const unnamed = IoCreateDevice(driver, null, null, FILE_DEVICE_UNKNOWN, 0, false);
  assert.equal(named.status, STATUS_SUCCESS);
  const n = named.deviceObject!;
  const u = unnamed.deviceObject!;
  assert.equal(n.flags, DO_DEVICE_INITIALIZING | DO_EXCLUSIVE | DO_DEVICE_HAS_NAME);
  assert.equal(u.flags, DO_DEVICE_INITIALIZING);
  for (const d of [n, u]) {
    assert.deepEqual(
      [
        d.stackSize,
        d.referenceCount,
        d.attachedDevice,
        d.attachedTo,
        d.alignmentRequirement,
        d.extensionFlags,
      ],
      [1, 0, null, null, 0, 0],
    );
  }
  assert.deepEqual(
    [n.characteristics, n.deviceType, n.deviceExtension],
    [FILE_REMOVABLE_MEDIA, FILE_DEVICE_UNKNOWN, { mine: 1 }],
  );
  assert.equal(system.ob.lookupNoParse('\\Device\\Named'), n);
  assert.deepEqual(driver.deviceObjects, [u, n]); // newest first, like the DeviceObject chain
});

test('§4.5 disk, virtual disk, CD-ROM and tape devices get a VPB; other types do not', () => {
  const { system } = toySystem();
  const driver = plain(system);
  for (const type of [FILE_DEVICE_DISK, FILE_DEVICE_VIRTUAL_DISK, FILE_DEVICE_CD_ROM, FILE_DEVICE_TAPE]) {
    const d = IoCreateDevice(driver, null, null, type, 0, false).deviceObject!;
    assert.equal(d.vpb!.realDevice, d);
    assert.deepEqual([d.vpb!.flags, d.vpb!.deviceObject, d.vpb!.referenceCount], [0, null, 0]);
  }
  for (const type of [
    FILE_DEVICE_DISK_FILE_SYSTEM,
    FILE_DEVICE_CD_ROM_FILE_SYSTEM,
    FILE_DEVICE_NETWORK_FILE_SYSTEM,
    FILE_DEVICE_UNKNOWN,
  ])
    assert.equal(IoCreateDevice(driver, null, null, type, 0, false).deviceObject!.vpb, null);
});

test('§4.5 the I/O manager clears DO_DEVICE_INITIALIZING after DriverEntry only on the devices that driver created in it', () => {
  const { system } = toySystem();
  const filter = plain(system, 'Watcher');
  const duringOthersEntry: DeviceObject[] = [];
  IoRegisterFsRegistrationChange(filter, () => {
    duringOthersEntry.push(
      IoCreateDevice(filter, null, null, FILE_DEVICE_DISK_FILE_SYSTEM, 0, false).deviceObject!,
    );
  });
  let inEntry: DeviceObject | null = null;
  const driver = loadDriver(system, 'Fs', 'file-system', (self) => {
    inEntry = IoCreateDevice(self, null, null, FILE_DEVICE_UNKNOWN, 0, false).deviceObject;
    assert.equal(inEntry!.flags & DO_DEVICE_INITIALIZING, DO_DEVICE_INITIALIZING);
    scriptedFileSystem(system, 'Nested', []); // the watcher creates a device during this load
    return STATUS_SUCCESS;
  });
  const later = IoCreateDevice(driver, null, null, FILE_DEVICE_UNKNOWN, 0, false).deviceObject!;
  assert.equal(inEntry!.flags & DO_DEVICE_INITIALIZING, 0);
  assert.equal(later.flags & DO_DEVICE_INITIALIZING, DO_DEVICE_INITIALIZING);
  assert.equal(duringOthersEntry.length, 1);
  assert.equal(duringOthersEntry[0]!.flags & DO_DEVICE_INITIALIZING, DO_DEVICE_INITIALIZING);
});

test('§4.5 IoDeleteDevice on an unreferenced device: name gone, delete-pending, out of its driver list, shutdown withdrawn', () => {
  const { system } = toySystem();
  const driver = plain(system);
  const d = device(driver, FILE_DEVICE_UNKNOWN, '\\Device\\Doomed');
  IoRegisterShutdownNotification(d);
  IoDeleteDevice(d);
  assert.equal(system.ob.lookupNoParse('\\Device\\Doomed'), undefined);
  assert.equal(d.extensionFlags & DOE_DELETE_PENDING, DOE_DELETE_PENDING);
  assert.ok(!driver.deviceObjects.includes(d));
  assert.equal(d.flags & DO_SHUTDOWN_REGISTERED, 0);
  assert.ok(!system.io.shutdownNotifications.includes(d));
  IoDeleteDevice(d); // a second call changes nothing
  assert.equal(d.deletePending, true);
});

test('§4.5 IoDeleteDevice on a referenced device leaves it delete-pending until the last reference goes', () => {
  const { system, process, disk } = toySystem();
  const storage = disk();
  const open = openSync(system, process, storage.deviceName!, FILE_READ_ATTRIBUTES);
  IoDeleteDevice(storage);
  assert.equal(storage.deletePending, true);
  assert.ok(storage.driverObject.deviceObjects.includes(storage));
  assert.equal(
    openSync(system, process, storage.deviceName!, FILE_READ_ATTRIBUTES).status,
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
  NtClose(process, open.handle!);
  assert.ok(!storage.driverObject.deviceObjects.includes(storage));
});

test('§4.5 IoCreateDevice refuses an empty or relative name, a taken name and a bad type, creating nothing', () => {
  const { system } = toySystem();
  const driver = plain(system);
  device(driver, FILE_DEVICE_UNKNOWN, '\\Device\\Taken');
  const before = driver.deviceObjects.length;
  assert.equal(
    IoCreateDevice(driver, null, '', FILE_DEVICE_UNKNOWN, 0, false).status,
    STATUS_OBJECT_NAME_INVALID,
  );
  assert.equal(
    IoCreateDevice(driver, null, 'Device\\X', FILE_DEVICE_UNKNOWN, 0, false).status,
    STATUS_OBJECT_NAME_INVALID,
  );
  assert.equal(
    IoCreateDevice(driver, null, '\\Device\\Taken', FILE_DEVICE_UNKNOWN, 0, false).status,
    STATUS_OBJECT_NAME_COLLISION,
  );
  assert.equal(IoCreateDevice(driver, null, null, 0x10000, 0, false).status, STATUS_INVALID_PARAMETER);
  assert.equal(IoCreateDevice(driver, null, null, -1, 0, false).status, STATUS_INVALID_PARAMETER);
  assert.equal(driver.deviceObjects.length, before);
  assert.equal(
    IoCreateDevice(driver, null, '\\Device\\Fine', FILE_DEVICE_UNKNOWN, 0, false).status,
    STATUS_SUCCESS,
  );
});

test('§4.6 IoEnumerateDeviceObjectList: without room, STATUS_BUFFER_TOO_SMALL and the count, referencing nothing', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  openSync(system, process, `${disk().deviceName}\\f`, FILE_GENERIC_READ);
  const result = IoEnumerateDeviceObjectList(fs.driver, 0);
  assert.deepEqual(result, { status: STATUS_BUFFER_TOO_SMALL, devices: [], actualNumberDeviceObjects: 2 });
  assert.deepEqual([fs.cdo.pointerCount, fs.volumes[0]!.pointerCount], [0, 0]);
});

test('§4.6 IoEnumerateDeviceObjectList: with room, every device of the driver, control and volume alike, each referenced', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  openSync(system, process, `${disk().deviceName}\\f`, FILE_GENERIC_READ);
  openSync(system, process, `${disk().deviceName}\\f`, FILE_GENERIC_READ);
  const { actualNumberDeviceObjects } = IoEnumerateDeviceObjectList(fs.driver, 0);
  const result = IoEnumerateDeviceObjectList(fs.driver, actualNumberDeviceObjects);
  assert.equal(result.status, STATUS_SUCCESS);
  assert.equal(result.actualNumberDeviceObjects, 3);
  assert.deepEqual(new Set(result.devices), new Set([fs.cdo, ...fs.volumes]));
  for (const d of result.devices) assert.equal(d.pointerCount, 1);
  // Control devices are the named ones.
  assert.deepEqual(
    result.devices.filter((d) => d.deviceName !== null),
    [fs.cdo],
  );
  for (const d of result.devices) ObDereferenceObject(d);
});

test('§4.6 IoEnumerateDeviceObjectList: a deleted device still referenced stays listed until its last reference goes', () => {
  const { system, process, disk } = toySystem();
  const storage = disk();
  const other = disk();
  const open = openSync(system, process, storage.deviceName!, FILE_READ_ATTRIBUTES);
  IoDeleteDevice(storage); // delete-pending: the open file still references it
  const listed = IoEnumerateDeviceObjectList(storage.driverObject);
  assert.equal(listed.status, STATUS_SUCCESS);
  assert.ok(listed.devices.includes(storage) && listed.devices.includes(other));
  assert.ok(storage.deletePending);
  // What a filter that enumerates does with it: the attach fails and changes nothing.
  const source = recordingFilter(system, 'Filter', []).device(FILE_DEVICE_DISK);
  assert.equal(IoAttachDeviceToDeviceStackSafe(source, storage).status, STATUS_NO_SUCH_DEVICE);
  for (const d of listed.devices) ObDereferenceObject(d);
  assert.equal(NtClose(process, open.handle!), STATUS_SUCCESS);
  const after = IoEnumerateDeviceObjectList(storage.driverObject);
  assert.ok(!after.devices.includes(storage) && after.devices.includes(other));
  for (const d of after.devices) ObDereferenceObject(d);
});

function memFsVolume() {
  const system = createSystem();
  const process = system.createProcess('test.exe');
  IoLoadDriver(system, memFsDriver);
  const { deviceObject } = IoCreateRamDisk(system, {
    sizeBytes: 1 << 20,
    format: memFsFormat({ label: 'M' }),
  });
  return { system, process, storage: deviceObject! };
}

test('§4.6 IoGetDiskDeviceObject returns the storage device behind a mounted volume device, referenced', () => {
  const { system, process, storage } = memFsVolume();
  openSync(system, process, `${storage.deviceName}\\`, FILE_GENERIC_READ);
  const volume = storage.vpb!.deviceObject!;
  recordingFilter(system, 'StorageFilter', []).attach(storage);
  const before = storage.pointerCount;
  assert.deepEqual(IoGetDiskDeviceObject(volume), { status: STATUS_SUCCESS, diskDeviceObject: storage });
  assert.equal(storage.pointerCount, before + 1);
});

test('§4.6 IoGetDiskDeviceObject: STATUS_INVALID_PARAMETER for a non-volume device, STATUS_VOLUME_DISMOUNTED after a dismount', () => {
  const { system, process, storage } = memFsVolume();
  const handle = openSync(system, process, storage.deviceName!, FILE_GENERIC_READ | SYNCHRONIZE, {
    shareAccess: 3,
  }).handle!;
  const volume = storage.vpb!.deviceObject!;
  const cdo = system.io.diskFileSystemQueue[0]!;
  assert.equal(IoGetDiskDeviceObject(cdo).status, STATUS_INVALID_PARAMETER);
  assert.equal(IoGetDiskDeviceObject(storage).status, STATUS_INVALID_PARAMETER);
  const dismount = NtFsControlFile(process, handle, FSCTL_DISMOUNT_VOLUME);
  assert.ok(!(dismount instanceof Promise));
  assert.equal(dismount.status, STATUS_SUCCESS);
  assert.deepEqual(IoGetDiskDeviceObject(volume), {
    status: STATUS_VOLUME_DISMOUNTED,
    diskDeviceObject: null,
  });
});

test('§4.6 (sample) a filter that hears of a file system late attaches to its mounted volumes, skipping other devices', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  for (let i = 0; i < 2; i++) openSync(system, process, `${disk().deviceName}\\f`, FILE_GENERIC_READ);
  const secondCdo = device(fs.driver, FILE_DEVICE_DISK_FILE_SYSTEM, '\\Device\\ToyFsOther');
  const otherType = device(fs.driver, FILE_DEVICE_CD_ROM_FILE_SYSTEM);
  const notVolume = device(fs.driver, FILE_DEVICE_DISK_FILE_SYSTEM);
  IoLoadDriver(system, notifyAttachDriver);
  for (const volume of fs.volumes) assert.deepEqual(stackOf(volume), ['NotifyAttach', 'ToyFs']);
  assert.deepEqual(stackOf(fs.cdo), ['NotifyAttach', 'ToyFs']);
  for (const skipped of [secondCdo, otherType, notVolume]) assert.equal(skipped.attachedDevice, null);
  // Every enumerated reference was given back.
  for (const d of fs.driver.deviceObjects) assert.equal(d.pointerCount, 0);
});
