/**
 * The driver verifier, one deliberately faulty driver per rule: each test breaks one rule and
 * checks that the verifier names that rule and that driver (and nothing else), then the same
 * system with well-behaved drivers reports nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSystem, NtClose, NtCreateFile, NtShutdownSystem } from '../../../src/api/index.ts';
import {
  BugCheckError,
  DO_DEVICE_INITIALIZING,
  DRIVER_VERIFIER_DETECTED_VIOLATION,
  FILE_DEVICE_DISK,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_GENERIC_READ,
  FILE_OPEN,
  FILE_READ_ATTRIBUTES,
  FILE_SYNCHRONOUS_IO_NONALERT,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_MAXIMUM_FUNCTION,
  IRP_MJ_READ,
  MULTIPLE_IRP_COMPLETE_REQUESTS,
  mustBeSync,
  type NTSTATUS,
  STATUS_PENDING,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import { memFsDriver, memFsFormat } from '../../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../../src/drivers/storage/ramdisk/index.ts';
import {
  type DeviceObject,
  type DriverDispatch,
  type DriverModule,
  type DriverObject,
  type DriverVerifier,
  formatViolation,
  IoAllocateIrp,
  IoAttachDeviceToDeviceStackSafe,
  IoCallDriver,
  IoCompleteRequest,
  IoCreateDevice,
  IoGetAttachedDeviceReference,
  IoGetDeviceObjectPointer,
  IoGetNextIrpStackLocation,
  IoLoadDriver,
  IoMarkIrpPending,
  IoRegisterFileSystem,
  IoRegisterFsRegistrationChange,
  IoSkipCurrentIrpStackLocation,
  IoUnloadDriver,
  type Irp,
  type System,
  type VerifierOptions,
} from '../../../src/io/index.ts';
import { ObDereferenceObject, ObReferenceObject } from '../../../src/ob/index.ts';

function verifiedSystem(options: VerifierOptions | true = true) {
  const system = createSystem({ verify: options });
  const process = system.createProcess('test.exe');
  IoLoadDriver(system, memFsDriver);
  const disk = IoCreateRamDisk(system, { sizeBytes: 1 << 20, format: memFsFormat({ label: 'V' }) })
    .deviceObject!;
  system.ob.createSymbolicLink('\\??\\M:', disk.deviceName!);
  const verifier = system.io.verifier as DriverVerifier;
  const memFsCdo = system.ob.lookupNoParse('\\Device\\MemFs') as DeviceObject;
  return { system, process, disk, verifier, memFsCdo };
}

const found = (verifier: DriverVerifier) => verifier.violations.map((v) => [v.rule, v.driver]);

function complete(irp: Irp, status: NTSTATUS, information = 0): NTSTATUS {
  irp.ioStatus.status = status;
  irp.ioStatus.information = information;
  IoCompleteRequest(irp);
  return status;
}

/** A driver image whose every dispatch slot is `dispatch` and whose DriverEntry then runs `entry`. */
function image(
  name: string,
  kind: DriverModule['manifest']['kind'],
  dispatch: DriverDispatch | null,
  entry: (driver: DriverObject) => NTSTATUS = () => STATUS_SUCCESS,
): DriverModule {
  return {
    manifest: { name, kind, description: `faulty ${name}` },
    DriverEntry(driver) {
      if (dispatch !== null)
        for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) driver.majorFunction[major] = dispatch;
      return entry(driver);
    },
  };
}

/** A device of a driver whose dispatch routine is `dispatch`, and an IRP for it. */
function deviceOf(system: System, name: string, dispatch: DriverDispatch): DeviceObject {
  const { driverObject } = IoLoadDriver(system, image(name, 'other', dispatch));
  const { deviceObject } = IoCreateDevice(driverObject!, null, null, FILE_DEVICE_DISK, 0, false);
  return deviceObject!;
}

function readIrp(device: DeviceObject): Irp {
  const irp = IoAllocateIrp(device.stackSize);
  IoGetNextIrpStackLocation(irp).majorFunction = IRP_MJ_READ;
  return irp;
}

test('completing an IRP twice is reported against the driver that did it, then bug-checks as always', () => {
  const { system, verifier } = verifiedSystem();
  const device = deviceOf(system, 'Twice', (_d, irp) => {
    complete(irp, STATUS_SUCCESS);
    return complete(irp, STATUS_SUCCESS);
  });
  assert.throws(
    () => IoCallDriver(device, readIrp(device)),
    (error: unknown) => error instanceof BugCheckError && error.code === MULTIPLE_IRP_COMPLETE_REQUESTS,
  );
  assert.deepEqual(found(verifier), [['irp-completed-twice', '\\Driver\\Twice']]);
  assert.match(
    formatViolation(verifier.violations[0]!),
    /^\[§6\.2 irp-completed-twice\] \\Driver\\Twice: IRP_MJ_READ/,
  );
});

test('completing an IRP with STATUS_PENDING is reported against the completing driver', () => {
  const { system, verifier } = verifiedSystem();
  const device = deviceOf(system, 'PendingStatus', (_d, irp) => complete(irp, STATUS_PENDING));
  assert.throws(() => IoCallDriver(device, readIrp(device)), BugCheckError);
  assert.deepEqual(found(verifier), [['completed-with-pending', '\\Driver\\PendingStatus']]);
});

test('returning STATUS_PENDING without marking the IRP is reported, at once or when the IRP completes', () => {
  const { system, verifier } = verifiedSystem();
  // Completes at once and claims to pend, unmarked: seen when the routine returns.
  const eager = deviceOf(system, 'Eager', (_d, irp) => {
    complete(irp, STATUS_SUCCESS);
    return STATUS_PENDING;
  });
  IoCallDriver(eager, readIrp(eager));
  assert.deepEqual(found(verifier), [['pending-not-marked', '\\Driver\\Eager']]);
  // Holds the IRP unmarked: legal until completion shows nobody marked it.
  let held: Irp | null = null;
  const holder = deviceOf(system, 'Holder', (_d, irp) => {
    held = irp;
    return STATUS_PENDING;
  });
  IoCallDriver(holder, readIrp(holder));
  assert.equal(verifier.violations.length, 1);
  complete(held!, STATUS_SUCCESS);
  assert.deepEqual(found(verifier).at(-1), ['pending-not-marked', '\\Driver\\Holder']);
});

test('marking an IRP pending and returning another status is reported', () => {
  const { system, verifier } = verifiedSystem();
  const device = deviceOf(system, 'Marker', (_d, irp) => {
    IoMarkIrpPending(irp);
    return complete(irp, STATUS_SUCCESS);
  });
  IoCallDriver(device, readIrp(device));
  assert.deepEqual(found(verifier), [['marked-pending-not-returned', '\\Driver\\Marker']]);
});

test('a filter that changes the IRP after passing it down without a completion routine is reported; the proper pattern is not', () => {
  const { system, process, disk, verifier } = verifiedSystem();
  const opened = mustBeSync(
    NtCreateFile(system, process, {
      objectName: '\\??\\M:\\',
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
    }),
    'test',
  );
  NtClose(process, opened.handle!);
  const volume = disk.vpb!.deviceObject!;
  const touching = (device: DeviceObject, irp: Irp): NTSTATUS => {
    IoSkipCurrentIrpStackLocation(irp);
    const status = IoCallDriver((device.deviceExtension as { lower: DeviceObject }).lower, irp);
    irp.ioStatus.information = 12345; // the IRP is not ours any more
    return status;
  };
  const { driverObject } = IoLoadDriver(system, image('Toucher', 'legacy-filter', touching));
  const { deviceObject: filter } = IoCreateDevice(
    driverObject!,
    { lower: null as unknown as DeviceObject },
    null,
    volume.deviceType,
    0,
    false,
  );
  const { attachedTo } = IoAttachDeviceToDeviceStackSafe(filter!, volume);
  (filter!.deviceExtension as { lower: DeviceObject }).lower = attachedTo!;
  filter!.flags &= ~DO_DEVICE_INITIALIZING;
  const file = mustBeSync(
    NtCreateFile(system, process, {
      objectName: '\\??\\M:\\',
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
    }),
    'test',
  );
  assert.deepEqual(found(verifier), [['irp-touched-after-pass-down', '\\FileSystem\\Toucher']]);
  assert.match(verifier.violations[0]!.message, /information/);
  NtClose(process, file.handle!);
});

test('a filter calling IoRegisterFileSystem is reported', () => {
  const { system, verifier } = verifiedSystem();
  IoLoadDriver(
    system,
    image('Pretender', 'legacy-filter', null, (driver) => {
      const { deviceObject } = IoCreateDevice(
        driver,
        null,
        '\\FileSystem\\Filters\\Pretender',
        FILE_DEVICE_DISK_FILE_SYSTEM,
        0,
        false,
      );
      IoRegisterFileSystem(deviceObject!);
      return STATUS_SUCCESS;
    }),
  );
  assert.deepEqual(found(verifier), [['filter-registered-file-system', '\\FileSystem\\Pretender']]);
});

test('a file system registering an unnamed control device is reported', () => {
  const { system, verifier } = verifiedSystem();
  IoLoadDriver(
    system,
    image('Nameless', 'file-system', null, (driver) => {
      const { deviceObject } = IoCreateDevice(driver, null, null, FILE_DEVICE_DISK_FILE_SYSTEM, 0, false);
      IoRegisterFileSystem(deviceObject!);
      return STATUS_SUCCESS;
    }),
  );
  assert.deepEqual(found(verifier), [['unnamed-file-system-control-device', '\\FileSystem\\Nameless']]);
});

test('a filter attaching a named device is reported', () => {
  const { system, verifier, memFsCdo } = verifiedSystem();
  IoLoadDriver(
    system,
    image('Named', 'legacy-filter', null, (driver) => {
      const { deviceObject } = IoCreateDevice(
        driver,
        null,
        '\\Device\\NamedFilter',
        memFsCdo.deviceType,
        0,
        false,
      );
      IoAttachDeviceToDeviceStackSafe(deviceObject!, memFsCdo);
      return STATUS_SUCCESS;
    }),
  );
  assert.deepEqual(found(verifier), [['named-filter-device', '\\FileSystem\\Named']]);
});

test('a device left DO_DEVICE_INITIALIZING after an attach in a dispatch routine is reported when the routine returns', () => {
  const { system, verifier, memFsCdo } = verifiedSystem();
  const { driverObject } = IoLoadDriver(
    system,
    image('Sloppy', 'legacy-filter', (device, irp) => {
      if (device.attachedTo === null) {
        const created = IoCreateDevice(device.driverObject, null, null, memFsCdo.deviceType, 0, false);
        IoAttachDeviceToDeviceStackSafe(created.deviceObject!, memFsCdo); // and never clears the flag
      }
      return complete(irp, STATUS_SUCCESS);
    }),
  );
  const { deviceObject: control } = IoCreateDevice(
    driverObject!,
    null,
    null,
    FILE_DEVICE_DISK_FILE_SYSTEM,
    0,
    false,
  );
  control!.flags &= ~DO_DEVICE_INITIALIZING;
  const irp = IoAllocateIrp(1);
  IoGetNextIrpStackLocation(irp).majorFunction = IRP_MJ_DEVICE_CONTROL;
  IoCallDriver(control!, irp);
  assert.deepEqual(found(verifier), [['device-left-initializing', '\\FileSystem\\Sloppy']]);
});

test('a device left DO_DEVICE_INITIALIZING by a notification routine is reported at the end of the turn', async () => {
  const { system, verifier } = verifiedSystem();
  IoLoadDriver(
    system,
    image('Notified', 'legacy-filter', null, (driver) =>
      IoRegisterFsRegistrationChange(driver, (cdo, fsActive) => {
        if (!fsActive) return;
        const { deviceObject } = IoCreateDevice(driver, null, null, cdo.deviceType, 0, false);
        IoAttachDeviceToDeviceStackSafe(deviceObject!, cdo);
      }),
    ),
  );
  await Promise.resolve();
  // Devices created during DriverEntry (the replay) are cleared by the I/O manager: no violation.
  assert.deepEqual(found(verifier), []);
  IoLoadDriver(
    system,
    image('LateFs', 'file-system', null, (driver) => {
      const { deviceObject } = IoCreateDevice(
        driver,
        null,
        '\\Device\\LateFs',
        FILE_DEVICE_DISK_FILE_SYSTEM,
        0,
        false,
      );
      IoRegisterFileSystem(deviceObject!);
      return STATUS_SUCCESS;
    }),
  );
  // LateFs's DriverEntry is running when Notified attaches, so Notified's device is not cleared for it.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(found(verifier), [['device-left-initializing', '\\FileSystem\\Notified']]);
});

test('unloading with devices still attached and a notification still registered is reported', () => {
  const { system, verifier, memFsCdo } = verifiedSystem();
  IoLoadDriver(system, {
    manifest: { name: 'Careless', kind: 'legacy-filter', description: 'unloads without cleaning up' },
    DriverEntry(driver) {
      const { deviceObject } = IoCreateDevice(driver, null, null, memFsCdo.deviceType, 0, false);
      IoAttachDeviceToDeviceStackSafe(deviceObject!, memFsCdo);
      driver.driverUnload = () => {};
      return IoRegisterFsRegistrationChange(driver, () => {});
    },
  });
  assert.equal(IoUnloadDriver(system, 'Careless'), STATUS_SUCCESS);
  assert.deepEqual(found(verifier), [
    ['unload-with-attached-devices', '\\FileSystem\\Careless'],
    ['unload-with-notifications', '\\FileSystem\\Careless'],
  ]);
});

test('a file object and a device reference a driver never returned are reported at its unload', () => {
  const { system, verifier, memFsCdo } = verifiedSystem();
  IoLoadDriver(
    system,
    image('Leaky', 'other', null, (driver) => {
      driver.driverUnload = () => {};
      const pointer = mustBeSync(
        IoGetDeviceObjectPointer(system, '\\Device\\MemFs', FILE_READ_ATTRIBUTES),
        'test',
      );
      assert.equal(pointer.status, STATUS_SUCCESS); // the file object is never dereferenced
      IoGetAttachedDeviceReference(memFsCdo); // nor is this reference
      return STATUS_SUCCESS;
    }),
  );
  IoUnloadDriver(system, 'Leaky');
  assert.deepEqual(found(verifier), [
    ['leaked-file-object', '\\Driver\\Leaky'],
    ['leaked-device-reference', '\\Driver\\Leaky'],
  ]);
});

test('references returned before unload are not reported, and leaks of drivers that never unload show at shutdown', async () => {
  const { system, verifier, memFsCdo } = verifiedSystem();
  IoLoadDriver(
    system,
    image('Tidy', 'other', null, (driver) => {
      driver.driverUnload = () => {};
      const pointer = mustBeSync(
        IoGetDeviceObjectPointer(system, '\\Device\\MemFs', FILE_READ_ATTRIBUTES),
        'test',
      );
      ObDereferenceObject(pointer.fileObject!);
      ObDereferenceObject(IoGetAttachedDeviceReference(memFsCdo));
      return STATUS_SUCCESS;
    }),
  );
  IoUnloadDriver(system, 'Tidy');
  assert.deepEqual(found(verifier), []);
  IoLoadDriver(
    system,
    image('Resident', 'other', null, () => {
      mustBeSync(IoGetDeviceObjectPointer(system, '\\Device\\MemFs', FILE_READ_ATTRIBUTES), 'test');
      return STATUS_SUCCESS;
    }),
  );
  await NtShutdownSystem(system);
  assert.deepEqual(found(verifier), [['leaked-file-object', '\\Driver\\Resident']]);
});

/** A file system whose DriverEntry registers its control device and then references it, as FastFat does. */
const selfReferencingFileSystem = image('SelfRef', 'file-system', null, (driver) => {
  const { deviceObject } = IoCreateDevice(driver, null, '\\SelfRef', FILE_DEVICE_DISK_FILE_SYSTEM, 0, false);
  IoRegisterFileSystem(deviceObject!);
  ObReferenceObject(deviceObject!);
  return STATUS_SUCCESS;
});

test("a reference taken in a notification routine called from a file system's DriverEntry is the filter's", async () => {
  const { system, verifier } = verifiedSystem();
  IoLoadDriver(
    system,
    image('Grabby', 'legacy-filter', null, (driver) =>
      IoRegisterFsRegistrationChange(driver, (cdo, fsActive) => {
        if (fsActive && cdo.deviceName === '\\SelfRef') IoGetAttachedDeviceReference(cdo); // kept
      }),
    ),
  );
  IoLoadDriver(system, selfReferencingFileSystem);
  await NtShutdownSystem(system);
  assert.deepEqual(found(verifier), [['leaked-device-reference', '\\FileSystem\\Grabby']]);
});

test('a reference a filter returned is not its leak when the file system keeps one of its own taken later', async () => {
  const { system, verifier } = verifiedSystem();
  IoLoadDriver(
    system,
    image('Careful', 'legacy-filter', null, (driver) =>
      IoRegisterFsRegistrationChange(driver, (cdo, fsActive) => {
        if (fsActive && cdo.deviceName === '\\SelfRef')
          ObDereferenceObject(IoGetAttachedDeviceReference(cdo));
      }),
    ),
  );
  IoLoadDriver(system, selfReferencingFileSystem);
  await NtShutdownSystem(system);
  assert.deepEqual(found(verifier), []);
});

test("in 'bugcheck' mode the first violation raises DRIVER_VERIFIER_DETECTED_VIOLATION naming the driver and the rule", () => {
  const { system, verifier } = verifiedSystem({ mode: 'bugcheck' });
  const device = deviceOf(system, 'Marker', (_d, irp) => {
    IoMarkIrpPending(irp);
    return complete(irp, STATUS_SUCCESS);
  });
  assert.throws(
    () => IoCallDriver(device, readIrp(device)),
    (error: unknown) =>
      error instanceof BugCheckError &&
      error.code === DRIVER_VERIFIER_DETECTED_VIOLATION &&
      /\\Driver\\Marker broke marked-pending-not-returned/.test(error.message),
  );
  assert.equal(verifier.violations.length, 1);
});

test('with the verifier off nothing is wrapped and IRPs carry no verifier state', () => {
  const system = createSystem();
  assert.equal(system.io.verifier, null);
  const dispatch: DriverDispatch = (_d, irp) => complete(irp, STATUS_SUCCESS);
  const device = deviceOf(system, 'Plain', dispatch);
  assert.equal(device.driverObject.majorFunction[IRP_MJ_READ], dispatch);
  const irp = readIrp(device);
  IoCallDriver(device, irp);
  assert.equal(irp.verifierState, null);
});

test('a MemFS volume under the sample filters gives the verifier nothing to report, synchronous or pending', async () => {
  for (const completeAsynchronously of [false, true]) {
    const system = createSystem({ verify: true });
    const process = system.createProcess('t.exe');
    IoLoadDriver(system, memFsDriver);
    const { sfilterDriver } = await import('../../../src/drivers/filters/sfilter/index.ts');
    const spy = await import('../../../src/drivers/filters/spy/index.ts');
    IoLoadDriver(system, sfilterDriver);
    IoLoadDriver(system, spy.createSpyDriver({ attachMode: 'all-volumes' }));
    const disk = IoCreateRamDisk(system, {
      sizeBytes: 1 << 20,
      format: memFsFormat({ label: 'A' }),
      completeAsynchronously,
    }).deviceObject!;
    const opened = await NtCreateFile(system, process, {
      objectName: `${disk.deviceName}\\`,
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
      createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
    });
    assert.equal(opened.status, STATUS_SUCCESS);
    NtClose(process, opened.handle!);
    await NtShutdownSystem(system);
    assert.deepEqual(
      (system.io.verifier as DriverVerifier).violations,
      [],
      `asynchronous: ${completeAsynchronously}`,
    );
  }
});
