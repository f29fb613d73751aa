/**
 * Conformance: §3 of the reference, the legacy filter pages (§3.1 the seed page, the tables of §3.2
 * and §3.3, detaching in §3.4, other rules in §3.5). Rules that are obligations of filters are
 * checked on the filters Strata ships (NotifyAttach, CommandAttach); rules the I/O manager enforces
 * are checked on small scripted drivers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createSystem,
  NtClose,
  NtCreateFile,
  NtDeviceIoControlFile,
  NtWriteFile,
} from '../../src/api/index.ts';
import {
  DO_BUFFERED_IO,
  DO_DEVICE_INITIALIZING,
  DO_DIRECT_IO,
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_DEVICE_SECURE_OPEN,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_OPEN,
  FILE_READ_ATTRIBUTES,
  IRP_MJ_MAXIMUM_FUNCTION,
  IRP_MJ_NAMES,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
} from '../../src/base/index.ts';
import {
  COMMAND_ATTACH_CONTROL_DEVICE,
  commandAttachDriver,
  IOCTL_COMMAND_ATTACH_VOLUME,
} from '../../src/drivers/filters/command-attach/index.ts';
import { notifyAttachDriver } from '../../src/drivers/filters/notify-attach/index.ts';
import { memFsDriver, memFsFormat } from '../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../src/drivers/storage/ramdisk/index.ts';
import {
  type DeviceObject,
  DRVO_INITIALIZED,
  type DriverObject,
  type FileObject,
  IoAllocateIrp,
  IoAttachDeviceToDeviceStackSafe,
  IoCallDriver,
  IoCreateDevice,
  IoDeleteDevice,
  IoGetDeviceObjectPointer,
  IoGetNextIrpStackLocation,
  IoLoadDriver,
  IopInvalidDeviceRequest,
  IoRegisterFsRegistrationChange,
  IoShutdownSystem,
  IoStatusBlock,
  IoUnloadDriver,
  IoUnregisterFileSystem,
} from '../../src/io/index.ts';
import { ObDereferenceObject, type Process } from '../../src/ob/index.ts';
import {
  driverImage,
  type Log,
  loadDriver,
  openSync,
  recordingFilter,
  scriptedFileSystem,
  stackOf,
  toySystem,
} from '../support/conformance.ts';

/** A booted system with MemFS and one formatted RAM disk linked as M:. */
function memFsSystem(options: { completeAsynchronously?: boolean } = {}) {
  const system = createSystem();
  const process = system.createProcess('test.exe');
  IoLoadDriver(system, memFsDriver);
  const { deviceObject: disk } = IoCreateRamDisk(system, {
    sizeBytes: 1 << 20,
    format: memFsFormat({ label: 'M' }),
    ...options,
  });
  system.ob.createSymbolicLink('\\??\\M:', disk!.deviceName!);
  return { system, process, disk: disk! };
}

function commandAttach(
  system: ReturnType<typeof createSystem>,
  process: Process,
  volumeName: string,
): number {
  const control = openSync(system, process, COMMAND_ATTACH_CONTROL_DEVICE, FILE_GENERIC_READ);
  assert.equal(control.status, STATUS_SUCCESS);
  const result = NtDeviceIoControlFile(process, control.handle!, IOCTL_COMMAND_ATTACH_VOLUME, { volumeName });
  assert.ok(!(result instanceof Promise));
  NtClose(process, control.handle!);
  return result.status;
}

test('§3.1 a filter attached on notification ends below one attached on a user command, whatever the load order', () => {
  const { system, process, disk } = memFsSystem();
  IoLoadDriver(system, commandAttachDriver);
  IoLoadDriver(system, notifyAttachDriver);
  const file = openSync(system, process, '\\??\\M:\\', FILE_GENERIC_READ);
  assert.equal(file.status, STATUS_SUCCESS);
  assert.equal(commandAttach(system, process, '\\??\\M:'), STATUS_SUCCESS);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['CommandAttach', 'NotifyAttach', 'MemFs']);
});

test('§3.1 attachment only ever lands on the top: a notification filter loaded after a command attach lands above it', () => {
  const { system, process, disk } = memFsSystem();
  IoLoadDriver(system, commandAttachDriver);
  assert.equal(commandAttach(system, process, '\\??\\M:'), STATUS_SUCCESS);
  IoLoadDriver(system, notifyAttachDriver);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['NotifyAttach', 'CommandAttach', 'MemFs']);
});

test('§3.1 filters never register file systems, and the on-command filter never registers for notifications', () => {
  const { system } = memFsSystem();
  const before = [...system.io.diskFileSystemQueue];
  IoLoadDriver(system, commandAttachDriver);
  const { driverObject: notify } = IoLoadDriver(system, notifyAttachDriver);
  assert.deepEqual(system.io.diskFileSystemQueue, before);
  assert.deepEqual(
    system.io.fsNotifyList.map((entry) => entry.driverObject),
    [notify],
  );
});

test('§3.2 DriverEntry runs once with its driver object and the registry path of its service', () => {
  const { system } = toySystem();
  const calls: Array<[DriverObject, string]> = [];
  const { status, driverObject } = IoLoadDriver(
    system,
    driverImage('Spy', 'legacy-filter', (driver, path) => {
      calls.push([driver, path]);
      return STATUS_SUCCESS;
    }),
  );
  assert.equal(status, STATUS_SUCCESS);
  assert.deepEqual(calls, [[driverObject, '\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Spy']]);
  assert.equal(driverObject!.driverName, '\\FileSystem\\Spy');
  assert.equal(driverObject!.flags & DRVO_INITIALIZED, DRVO_INITIALIZED);
  assert.equal(system.ob.lookupNoParse('\\FileSystem\\Spy'), driverObject);
});

test('§3.2 only control devices are named: the shipped filters name theirs (secure, a disk file system type), never a filter device', () => {
  const { system, process } = memFsSystem();
  const { driverObject: command } = IoLoadDriver(system, commandAttachDriver);
  const { driverObject: notify } = IoLoadDriver(system, notifyAttachDriver);
  assert.equal(openSync(system, process, '\\??\\M:\\', FILE_GENERIC_READ).status, STATUS_SUCCESS);
  assert.equal(commandAttach(system, process, '\\??\\M:'), STATUS_SUCCESS);
  const control = command!.deviceObjects.filter((d) => d.deviceName !== null);
  assert.deepEqual(
    control.map((d) => [d.deviceName, d.deviceType, d.characteristics & FILE_DEVICE_SECURE_OPEN]),
    [[COMMAND_ATTACH_CONTROL_DEVICE, FILE_DEVICE_DISK_FILE_SYSTEM, FILE_DEVICE_SECURE_OPEN]],
  );
  const filterDevices = [...command!.deviceObjects, ...notify!.deviceObjects].filter(
    (d) => d.attachedTo !== null,
  );
  assert.equal(filterDevices.length, 3); // CommandAttach on the volume, NotifyAttach on the CDO and the volume
  for (const device of filterDevices) assert.equal(device.deviceName, null);
});

test('§3.2 a major function a driver leaves unset completes with STATUS_INVALID_DEVICE_REQUEST', () => {
  const { system } = toySystem();
  const driver = loadDriver(system, 'Bare');
  const { deviceObject } = IoCreateDevice(driver, null, null, FILE_DEVICE_DISK_FILE_SYSTEM, 0, false);
  for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) {
    assert.equal(driver.majorFunction[major], IopInvalidDeviceRequest, IRP_MJ_NAMES[major]);
    const irp = IoAllocateIrp(1);
    IoGetNextIrpStackLocation(irp).majorFunction = major;
    irp.ioStatus.information = 99;
    assert.equal(IoCallDriver(deviceObject!, irp), STATUS_INVALID_DEVICE_REQUEST);
    assert.equal(irp.completed, true);
    assert.equal(irp.ioStatus.status, STATUS_INVALID_DEVICE_REQUEST);
    assert.equal(irp.ioStatus.information, 0);
  }
});

test('§3.2 (§3.4, §3.5) the shipped filters pass every major function down, unknown ones included', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  const { driverObject: notify } = IoLoadDriver(system, notifyAttachDriver);
  const { driverObject: command } = IoLoadDriver(system, commandAttachDriver);
  for (const driver of [notify!, command!]) {
    assert.ok(driver.majorFunction.every((dispatch) => dispatch !== IopInvalidDeviceRequest));
    assert.equal(typeof driver.fastIoDispatch?.fastIoDetachDevice, 'function'); // §3.4: must implement it
  }
  const storage = disk();
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
  assert.equal(commandAttach(system, process, storage.deviceName!), STATUS_SUCCESS);
  const volume = fs.volumes[0]!;
  assert.deepEqual(stackOf(volume), ['CommandAttach', 'NotifyAttach', 'ToyFs']);
  log.length = 0;
  const top = volume.attachedDevice!.attachedDevice!;
  for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) {
    const irp = IoAllocateIrp(top.stackSize);
    IoGetNextIrpStackLocation(irp).majorFunction = major;
    assert.equal(IoCallDriver(top, irp), STATUS_SUCCESS);
  }
  const expected = IRP_MJ_NAMES.map((name) => `ToyFs: ${name} volume`);
  assert.deepEqual(log, expected);
});

test('§3.2 a DriverEntry that fails leaves nothing behind: devices deleted, names free, the driver loadable again', () => {
  const { system } = toySystem();
  let fail = true;
  const image = driverImage('Flaky', 'legacy-filter', (driver) => {
    IoCreateDevice(driver, null, '\\Device\\FlakyControl', FILE_DEVICE_DISK_FILE_SYSTEM, 0, false);
    return fail ? STATUS_INSUFFICIENT_RESOURCES : STATUS_SUCCESS;
  });
  const failed = IoLoadDriver(system, image);
  assert.equal(failed.status, STATUS_INSUFFICIENT_RESOURCES);
  assert.equal(failed.driverObject, null);
  assert.equal(system.ob.lookupNoParse('\\Device\\FlakyControl'), undefined);
  assert.equal(system.ob.lookupNoParse('\\FileSystem\\Flaky'), undefined);
  assert.equal(system.io.drivers.has('FLAKY'), false);
  fail = false;
  const loaded = IoLoadDriver(system, image);
  assert.equal(loaded.status, STATUS_SUCCESS);
  assert.equal(loaded.driverObject!.deviceObjects.length, 1);
});

test('§3.3 filter devices are unnamed, have their target type, and sit on file system stacks only, never on the disk', () => {
  const { system, process, log, disk } = toySystem();
  const diskFs = scriptedFileSystem(system, 'DiskFs', log);
  const cdFs = scriptedFileSystem(system, 'CdFs', log, { deviceType: FILE_DEVICE_CD_ROM_FILE_SYSTEM });
  IoLoadDriver(system, notifyAttachDriver);
  const storage = disk();
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
  for (const lower of [diskFs.cdo, cdFs.cdo, diskFs.volumes[0]!]) {
    const filter = lower.attachedDevice!;
    assert.equal(filter.driverObject.serviceName, 'NotifyAttach');
    assert.equal(filter.deviceName, null);
    assert.equal(filter.deviceType, lower.deviceType);
  }
  assert.deepEqual(stackOf(storage), ['Disk']);
});

test('§3.3 IoAttachDeviceToDeviceStackSafe reports the device actually attached to: the previous top, not the target', () => {
  const { system, log } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  const first = recordingFilter(system, 'First', log).attach(fs.cdo)!;
  const second = recordingFilter(system, 'Second', log);
  const { deviceObject } = IoCreateDevice(second.driver, null, null, fs.cdo.deviceType, 0, false);
  const result = IoAttachDeviceToDeviceStackSafe(deviceObject!, fs.cdo);
  assert.equal(result.status, STATUS_SUCCESS);
  assert.equal(result.attachedTo, first);
  assert.notEqual(result.attachedTo, fs.cdo);
});

test('§3.3 a filter attaches to RAW by name (FILE_READ_ATTRIBUTES); dropping the file object drops the device reference', () => {
  const { system } = toySystem();
  const log: Log = [];
  const pointer = IoGetDeviceObjectPointer(system, '\\Device\\RawDisk', FILE_READ_ATTRIBUTES);
  assert.ok(!(pointer instanceof Promise));
  assert.equal(pointer.status, STATUS_SUCCESS);
  const rawDisk = pointer.deviceObject!;
  assert.equal(rawDisk.deviceName, '\\Device\\RawDisk');
  assert.equal(rawDisk.referenceCount, 2); // the registration and the open file object
  const filter = recordingFilter(system, 'Filter', log).attach(rawDisk)!;
  assert.equal(rawDisk.referenceCount, 3);
  ObDereferenceObject(pointer.fileObject!);
  // The temporary open closes through the top of the stack, which is now the filter.
  assert.deepEqual(log, ['Filter: IRP_MJ_CLEANUP', 'Filter: IRP_MJ_CLOSE']);
  assert.equal(rawDisk.referenceCount, 2); // the registration and the attachment
  assert.equal(rawDisk.attachedDevice, filter);
});

test('§3.3 NotifyAttach copies DO_BUFFERED_IO and DO_DIRECT_IO from below, FILE_DEVICE_SECURE_OPEN only from control devices', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log, {
    mount: (call) => call.mount({ flags: DO_BUFFERED_IO, characteristics: FILE_DEVICE_SECURE_OPEN }),
  });
  fs.cdo.flags |= DO_DIRECT_IO;
  fs.cdo.characteristics |= FILE_DEVICE_SECURE_OPEN;
  IoLoadDriver(system, notifyAttachDriver);
  const storage = disk();
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
  const onCdo = fs.cdo.attachedDevice!;
  const onVolume = fs.volumes[0]!.attachedDevice!;
  assert.equal(onCdo.flags & (DO_BUFFERED_IO | DO_DIRECT_IO), DO_DIRECT_IO);
  assert.equal(onCdo.characteristics & FILE_DEVICE_SECURE_OPEN, FILE_DEVICE_SECURE_OPEN);
  assert.equal(onVolume.flags & (DO_BUFFERED_IO | DO_DIRECT_IO), DO_BUFFERED_IO);
  assert.equal(onVolume.characteristics & FILE_DEVICE_SECURE_OPEN, 0);
});

test('§3.3 a filter device left DO_DEVICE_INITIALIZING blocks every attach above it until the flag is cleared', () => {
  const { system, log } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  const lazy = recordingFilter(system, 'Lazy', log).attach(fs.cdo, false)!;
  const next = recordingFilter(system, 'Next', log);
  assert.equal(next.attach(fs.cdo), null);
  assert.deepEqual(stackOf(fs.cdo), ['Lazy', 'ToyFs']);
  lazy.flags &= ~DO_DEVICE_INITIALIZING;
  assert.notEqual(next.attach(fs.cdo), null);
  assert.deepEqual(stackOf(fs.cdo), ['Next', 'Lazy', 'ToyFs']);
});

test('§3.3 devices created and attached inside DriverEntry need no clearing: the I/O manager clears the flag after it', () => {
  const { system, log } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  let created: DeviceObject | null = null;
  loadDriver(system, 'Early', 'legacy-filter', (driver) => {
    created = IoCreateDevice(driver, null, null, fs.cdo.deviceType, 0, false).deviceObject;
    assert.equal(IoAttachDeviceToDeviceStackSafe(created!, fs.cdo).status, STATUS_SUCCESS);
    return STATUS_SUCCESS;
  });
  assert.equal(created!.flags & DO_DEVICE_INITIALIZING, 0);
  assert.notEqual(recordingFilter(system, 'Later', log).attach(fs.cdo), null);
  assert.deepEqual(stackOf(fs.cdo), ['Later', 'Early', 'ToyFs']);
});

test('§3.3 a mount that pends: NotifyAttach propagates PendingReturned and still attaches to the new volume', async () => {
  const { system, process, disk } = memFsSystem({ completeAsynchronously: true });
  IoLoadDriver(system, notifyAttachDriver);
  const log: Log = [];
  const seen: boolean[] = [];
  const cdo = system.io.diskFileSystemQueue[0]!;
  recordingFilter(system, 'Above', log, {
    completion: true,
    onComplete: (irp) => seen.push(irp.pendingReturned),
  }).attach(cdo);
  const opening = NtCreateFile(system, process, {
    objectName: '\\??\\M:\\',
    desiredAccess: FILE_GENERIC_READ,
    createDisposition: FILE_OPEN,
  });
  assert.ok(opening instanceof Promise);
  assert.equal((await opening).status, STATUS_SUCCESS);
  assert.deepEqual(log, [
    'Above: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME',
    'Above: done IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME',
  ]);
  assert.deepEqual(seen, [true]);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['NotifyAttach', 'MemFs']);
});

test('§3.4 deleting a volume device calls FastIoDetachDevice(filter device, volume) above it; the handler detaches and deletes', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
  const volume = fs.volumes[0]!;
  const filter = recordingFilter(system, 'Filter', log);
  const device = filter.attach(volume)!;
  const calls: Array<[DeviceObject, DeviceObject]> = [];
  const handler = filter.driver.fastIoDispatch!;
  filter.driver.fastIoDispatch = {
    fastIoDetachDevice(source, target) {
      calls.push([source, target]);
      handler.fastIoDetachDevice!(source, target);
    },
  };
  IoDeleteDevice(volume);
  assert.deepEqual(calls, [[device, volume]]);
  assert.equal(volume.attachedDevice, null);
  assert.equal(device.deletePending, true);
  assert.ok(!filter.driver.deviceObjects.includes(device));
});

test('§3.4 on FsActive=FALSE NotifyAttach detaches from the control device and deletes its device', () => {
  const { system, log } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  const { driverObject: notify } = IoLoadDriver(system, notifyAttachDriver);
  const filterDevice = fs.cdo.attachedDevice!;
  assert.equal(filterDevice.driverObject, notify);
  IoUnregisterFileSystem(fs.cdo);
  assert.deepEqual(stackOf(fs.cdo), ['ToyFs']);
  assert.equal(filterDevice.deletePending, true);
  assert.deepEqual(notify!.deviceObjects, []);
  assert.equal(fs.cdo.referenceCount, 0); // neither the registration nor the attachment is left
});

test('§3.4 IoUnloadDriver calls DriverUnload at once and the filter takes its devices out of every stack (docs/deviations.md)', () => {
  const { system, process, disk } = memFsSystem();
  IoLoadDriver(system, notifyAttachDriver);
  assert.equal(openSync(system, process, '\\??\\M:\\', FILE_GENERIC_READ).status, STATUS_SUCCESS);
  const cdo = system.io.diskFileSystemQueue[0]!;
  assert.deepEqual(stackOf(cdo), ['NotifyAttach', 'MemFs']);
  assert.equal(IoUnloadDriver(system, 'NotifyAttach'), STATUS_SUCCESS);
  assert.deepEqual(stackOf(cdo), ['MemFs']);
  assert.deepEqual(stackOf(disk.vpb!.deviceObject!), ['MemFs']);
  assert.equal(system.io.fsNotifyList.length, 0);
});

test('§3.5 a filter on a control device sees mounts, opens and device controls of the control device, and shutdown, never file requests', () => {
  const { system, process, disk } = toySystem();
  const log: Log = [];
  const fs = scriptedFileSystem(system, 'ToyFs', []);
  recordingFilter(system, 'Cdo', log).attach(fs.cdo);
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ | FILE_GENERIC_WRITE);
  assert.equal(
    NtWriteFile(process, file.handle!, new IoStatusBlock(), new Uint8Array(4), 4, 0),
    STATUS_SUCCESS,
  );
  NtClose(process, file.handle!);
  const control = openSync(system, process, fs.cdo.deviceName!, FILE_GENERIC_READ);
  assert.equal(control.status, STATUS_SUCCESS);
  NtDeviceIoControlFile(process, control.handle!, 0x90000, null);
  NtClose(process, control.handle!);
  assert.ok(!(IoShutdownSystem(system) instanceof Promise));
  assert.deepEqual(log, [
    'Cdo: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME',
    'Cdo: IRP_MJ_CREATE',
    'Cdo: IRP_MJ_DEVICE_CONTROL',
    'Cdo: IRP_MJ_CLEANUP',
    'Cdo: IRP_MJ_CLOSE',
    'Cdo: IRP_MJ_SHUTDOWN',
  ]);
});

test('§3.5 load order: of two filters attaching on notification, the one loaded earlier is lower on every stack', () => {
  const { system, process, log, disk } = toySystem();
  const fs = scriptedFileSystem(system, 'ToyFs', log);
  for (const name of ['EarlyFilter', 'LateFilter']) {
    const filter = recordingFilter(system, name, log);
    IoRegisterFsRegistrationChange(filter.driver, (cdo, active) => {
      if (active) filter.attach(cdo);
    });
  }
  assert.deepEqual(stackOf(fs.cdo), ['LateFilter', 'EarlyFilter', 'ToyFs']);
  const storage = disk();
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_SUCCESS,
  );
  assert.equal(log[0], 'LateFilter: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME');
  assert.equal(log[1], 'EarlyFilter: IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME');
});

test('§3.3 drive letters and volumes are many to one: opens through either letter reach the same volume device', () => {
  const { system, process, disk } = memFsSystem();
  system.ob.createSymbolicLink('\\??\\N:', disk.deviceName!);
  const viaM = openSync(system, process, '\\??\\M:\\', FILE_GENERIC_READ, { shareAccess: 7 });
  const viaN = openSync(system, process, '\\??\\N:\\', FILE_GENERIC_READ, { shareAccess: 7 });
  const fileObject = (handle: number) => process.handleTable.lookup(handle)!.object as FileObject;
  assert.equal(fileObject(viaM.handle!).vpb, disk.vpb);
  assert.equal(fileObject(viaN.handle!).vpb, disk.vpb);
  assert.equal(disk.vpb!.referenceCount, 2);
});

test("§3.5 a filter's own control device is attached to nothing and completes every request itself", () => {
  const { system } = memFsSystem();
  const { driverObject } = IoLoadDriver(system, commandAttachDriver);
  const control = driverObject!.deviceObjects.find((d) => d.deviceName === COMMAND_ATTACH_CONTROL_DEVICE)!;
  assert.deepEqual([control.attachedTo, control.attachedDevice], [null, null]);
  for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) {
    const irp = IoAllocateIrp(control.stackSize);
    IoGetNextIrpStackLocation(irp).majorFunction = major;
    const status = IoCallDriver(control, irp);
    assert.equal(irp.completed, true, IRP_MJ_NAMES[major]);
    assert.equal(irp.ioStatus.status, status);
  }
});
