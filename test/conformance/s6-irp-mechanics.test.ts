/**
 * Conformance: §6 of the reference, IRP mechanics: stack locations (§6.1), completion, pending and
 * cancel (§6.2), the major function codes (§6.3), cleanup and close (§6.4), what a volume filter
 * sees (§6.5) and share access (§6.6, the full matrix).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createSystem,
  NtClose,
  NtDeviceIoControlFile,
  NtFlushBuffersFile,
  NtFsControlFile,
  NtQueryDirectoryFile,
  NtQueryInformationFile,
  NtQueryVolumeInformationFile,
  NtReadFile,
  NtSetInformationFile,
  NtSetVolumeInformationFile,
  NtWriteFile,
} from '../../src/api/index.ts';
import {
  BugCheckError,
  DELETE,
  DRIVER_VERIFIER_IOMANAGER_VIOLATION,
  FILE_ALL_ACCESS,
  FILE_APPEND_DATA,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_EXECUTE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_READ_ATTRIBUTES,
  FILE_READ_DATA,
  FILE_READ_EA,
  FILE_SHARE_DELETE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FILE_WRITE_ATTRIBUTES,
  FILE_WRITE_DATA,
  FileBasicInformation,
  FileDirectoryInformation,
  FileFsLabelInformation,
  FileFsVolumeInformation,
  FileStandardInformation,
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_MAXIMUM_FUNCTION,
  IRP_MJ_NAMES,
  IRP_MJ_PNP,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
  MULTIPLE_IRP_COMPLETE_REQUESTS,
  NO_MORE_IRP_STACK_LOCATIONS,
  type NTSTATUS,
  READ_CONTROL,
  SL_INVOKE_ON_CANCEL,
  SL_INVOKE_ON_ERROR,
  SL_INVOKE_ON_SUCCESS,
  SL_PENDING_RETURNED,
  STATUS_CANCELLED,
  STATUS_DISK_FULL,
  STATUS_DRIVER_INTERNAL_ERROR,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_PENDING,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
  SYNCHRONIZE,
  WRITE_DAC,
} from '../../src/base/index.ts';
import * as irpCodes from '../../src/base/irp-codes.ts';
import { memFsDriver, memFsFormat } from '../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../src/drivers/storage/ramdisk/index.ts';
import {
  type DeviceObject,
  type DriverDispatch,
  FileObject,
  IoAllocateIrp,
  IoCallDriver,
  IoCancelIrp,
  IoCheckShareAccess,
  IoCompleteRequest,
  type IoCompletionRoutine,
  IoCopyCurrentIrpStackLocationToNext,
  IoCreateDevice,
  IoGetCurrentIrpStackLocation,
  IoGetNextIrpStackLocation,
  IoLoadDriver,
  IoMarkIrpPending,
  IopCompleteCancelled,
  IoRemoveShareAccess,
  IoSetCancelRoutine,
  IoSetCompletionRoutine,
  IoSetShareAccess,
  IoShutdownSystem,
  IoSkipCurrentIrpStackLocation,
  IoStatusBlock,
  IoUpdateShareAccess,
  type Irp,
  type ReadWriteParameters,
  ShareAccess,
  type System,
  sendPrivateRequest,
} from '../../src/io/index.ts';
import { ObDereferenceObject, ObReferenceObject } from '../../src/ob/index.ts';
import {
  completeIrp,
  type Log,
  loadDriver,
  openSync,
  recordingFilter,
  scriptedFileSystem,
  toySystem,
} from '../support/conformance.ts';

/** A device whose every major function runs `dispatch`. */
function deviceWith(system: System, name: string, dispatch: DriverDispatch): DeviceObject {
  const driver = loadDriver(system, name, 'other', (self) => {
    for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) self.majorFunction[major] = dispatch;
    return STATUS_SUCCESS;
  });
  const { deviceObject } = IoCreateDevice(driver, null, null, FILE_DEVICE_DISK_FILE_SYSTEM, 0, false);
  return deviceObject!;
}

/** An IRP for `top` whose first location is set up as `major`. */
function irpFor(top: DeviceObject, major = IRP_MJ_READ): Irp {
  const irp = IoAllocateIrp(top.stackSize);
  const first = IoGetNextIrpStackLocation(irp);
  first.majorFunction = major;
  first.parameters = { length: 8, byteOffset: 0, key: 0 };
  return irp;
}

/** top → middle → bottom, each of its own driver; middle and top pass down with `pass`. */
function chain(
  system: System,
  bottom: DriverDispatch,
  pass: (name: string, lower: DeviceObject, device: DeviceObject, irp: Irp) => NTSTATUS,
) {
  const bottomDevice = deviceWith(system, 'Bottom', bottom);
  const middle: DeviceObject = deviceWith(system, 'Middle', (device, irp) =>
    pass('Middle', bottomDevice, device, irp),
  );
  const top = deviceWith(system, 'Top', (device, irp) => pass('Top', middle, device, irp));
  middle.stackSize = 2;
  top.stackSize = 3;
  return { bottom: bottomDevice, middle, top };
}

/** Copies down with a completion routine that logs `<name> <device label>` and propagates pending. */
function copyWithRoutine(log: Log) {
  return (name: string, lower: DeviceObject, _device: DeviceObject, irp: Irp): NTSTATUS => {
    IoCopyCurrentIrpStackLocationToNext(irp);
    IoSetCompletionRoutine(
      irp,
      (device, done) => {
        log.push(
          `${name} routine for ${device?.driverObject.serviceName ?? 'null'} pending=${done.pendingReturned}`,
        );
        if (done.pendingReturned) IoMarkIrpPending(done);
        return STATUS_SUCCESS;
      },
      null,
      true,
      true,
      true,
    );
    return IoCallDriver(lower, irp);
  };
}

test('§6.1 a new IRP has no current location; IoCallDriver moves down one, records the device and dispatches on its major', () => {
  const { system } = toySystem();
  const seen: unknown[] = [];
  const device = deviceWith(system, 'D', (self, irp) => {
    const current = IoGetCurrentIrpStackLocation(irp);
    seen.push(irp.currentLocation, current.deviceObject === self, IRP_MJ_NAMES[current.majorFunction]);
    return completeIrp(irp, STATUS_SUCCESS);
  });
  const irp = irpFor(device, IRP_MJ_WRITE);
  assert.deepEqual([irp.stackCount, irp.currentLocation], [1, 2]);
  IoCallDriver(device, irp);
  assert.deepEqual(seen, [1, true, 'IRP_MJ_WRITE']);
});

test('§6.1 IoGetNextIrpStackLocation is the location below the current one: what a driver writes there, the next reads', () => {
  const { system } = toySystem();
  const seen: unknown[] = [];
  const lower = deviceWith(system, 'Lower', (_d, irp) => {
    seen.push(irp.currentLocation, IoGetCurrentIrpStackLocation(irp).minorFunction);
    return completeIrp(irp, STATUS_SUCCESS);
  });
  const upper = deviceWith(system, 'Upper', (_d, irp) => {
    const next = IoGetNextIrpStackLocation(irp);
    assert.equal(next, irp.location(irp.currentLocation - 2));
    next.majorFunction = IRP_MJ_READ;
    next.minorFunction = 7;
    return IoCallDriver(lower, irp);
  });
  upper.stackSize = 2;
  IoCallDriver(upper, irpFor(upper));
  assert.deepEqual(seen, [1, 7]);
  assert.throws(
    () => IoGetNextIrpStackLocation(Object.assign(IoAllocateIrp(1), { currentLocation: 1 })),
    RangeError,
  );
});

test('§6.1 IoSkipCurrentIrpStackLocation makes the lower driver reuse the current location as it is', () => {
  const { system } = toySystem();
  const locations: unknown[] = [];
  const lower = deviceWith(system, 'Lower', (_d, irp) => {
    locations.push(IoGetCurrentIrpStackLocation(irp), irp.currentLocation);
    return completeIrp(irp, STATUS_SUCCESS);
  });
  const upper = deviceWith(system, 'Upper', (_d, irp) => {
    locations.push(IoGetCurrentIrpStackLocation(irp), irp.currentLocation);
    IoSkipCurrentIrpStackLocation(irp);
    return IoCallDriver(lower, irp);
  });
  upper.stackSize = 2;
  IoCallDriver(upper, irpFor(upper));
  assert.equal(locations[0], locations[2]);
  assert.deepEqual([locations[1], locations[3]], [2, 2]);
});

test('§6.1 IoCopyCurrentIrpStackLocationToNext copies all but the completion routine, clears Control, copies the parameters', () => {
  const irp = IoAllocateIrp(3);
  const routine: IoCompletionRoutine = () => STATUS_SUCCESS;
  IoSetCompletionRoutine(irp, routine, 'context', true, true, true);
  const top = IoGetNextIrpStackLocation(irp);
  top.majorFunction = IRP_MJ_WRITE;
  top.minorFunction = 2;
  top.flags = 0x10;
  top.parameters = { length: 4, byteOffset: 8, key: 0 };
  irp.currentLocation--; // as IoCallDriver would, without a driver
  IoMarkIrpPending(irp);
  IoCopyCurrentIrpStackLocationToNext(irp);
  const next = IoGetNextIrpStackLocation(irp);
  assert.deepEqual(
    [next.majorFunction, next.minorFunction, next.flags, next.control, next.completionRoutine, next.context],
    [IRP_MJ_WRITE, 2, 0x10, 0, null, null],
  );
  assert.deepEqual(next.parameters, top.parameters);
  assert.notEqual(next.parameters, top.parameters);
  (next.parameters as ReadWriteParameters).length = 99;
  assert.equal((top.parameters as ReadWriteParameters).length, 4);
  assert.equal(top.completionRoutine, routine); // the caller's own routine stays where it was
});

test('§6.1 IoSetCompletionRoutine sets routine and context on the next location with SL_INVOKE_ON_SUCCESS/ERROR/CANCEL', () => {
  assert.deepEqual([SL_INVOKE_ON_SUCCESS, SL_INVOKE_ON_ERROR, SL_INVOKE_ON_CANCEL], [0x40, 0x80, 0x20]);
  const routine: IoCompletionRoutine = () => STATUS_SUCCESS;
  for (let bits = 0; bits < 8; bits++) {
    const irp = IoAllocateIrp(2);
    IoSetCompletionRoutine(irp, routine, bits, (bits & 1) !== 0, (bits & 2) !== 0, (bits & 4) !== 0);
    const next = IoGetNextIrpStackLocation(irp);
    const expected =
      (bits & 1 ? SL_INVOKE_ON_SUCCESS : 0) |
      (bits & 2 ? SL_INVOKE_ON_ERROR : 0) |
      (bits & 4 ? SL_INVOKE_ON_CANCEL : 0);
    assert.deepEqual([next.completionRoutine, next.context, next.control], [routine, bits, expected]);
  }
});

test('§6.1 IoMarkIrpPending sets SL_PENDING_RETURNED (0x01) on the current location only', () => {
  assert.equal(SL_PENDING_RETURNED, 0x01);
  const irp = IoAllocateIrp(2);
  irp.currentLocation = 2;
  IoMarkIrpPending(irp);
  assert.equal(irp.location(1).control, SL_PENDING_RETURNED);
  assert.equal(irp.location(0).control, 0);
});

test('§6.1 IoCallDriver with no location left is the NO_MORE_IRP_STACK_LOCATIONS bug check, before the driver runs', () => {
  const { system } = toySystem();
  const called: string[] = [];
  const lower = deviceWith(system, 'Lower', (_d, irp) => {
    called.push('lower');
    return completeIrp(irp, STATUS_SUCCESS);
  });
  // A driver that passes the IRP on without giving the next driver a location.
  const upper = deviceWith(system, 'Upper', (_d, irp) => IoCallDriver(lower, irp));
  const irp = irpFor(upper); // one location, for upper only
  assert.throws(
    () => IoCallDriver(upper, irp),
    (error: unknown) => error instanceof BugCheckError && error.code === NO_MORE_IRP_STACK_LOCATIONS,
  );
  assert.deepEqual(called, []);
  assert.equal(irp.currentLocation, 1);
});

test('§6.1 the I/O manager sizes a request IRP from the StackSize of the top of the stack it sends to', () => {
  const { system, process, log, disk } = toySystem();
  const sizes: number[] = [];
  const fs = scriptedFileSystem(system, 'ToyFs', log, {
    request: (_d, irp) => {
      sizes.push(irp.stackCount);
      return null;
    },
  });
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_WRITE);
  recordingFilter(system, 'F1', log).attach(fs.volumes[0]!);
  recordingFilter(system, 'F2', log).attach(fs.volumes[0]!);
  NtWriteFile(process, file.handle!, new IoStatusBlock(), new Uint8Array(4), 4, 0);
  assert.deepEqual(sizes, [2, 4]); // the create before the filters came, the write after
});

test('§6.2 completion runs the completion routines upward from the completing driver, each with its own device', () => {
  const { system } = toySystem();
  const log: Log = [];
  const { top } = chain(system, (_d, irp) => completeIrp(irp, STATUS_SUCCESS), copyWithRoutine(log));
  const irp = irpFor(top);
  IoSetCompletionRoutine(
    irp,
    (device) => {
      log.push(`originator routine for ${device}`);
      return STATUS_SUCCESS;
    },
    null,
    true,
    true,
    true,
  );
  assert.equal(IoCallDriver(top, irp), STATUS_SUCCESS);
  assert.deepEqual(log, [
    'Middle routine for Middle pending=false',
    'Top routine for Top pending=false',
    'originator routine for null',
  ]);
  assert.equal(irp.completed, true);
});

test('§6.2 a completion routine runs only when its invoke flag matches: success, error, or cancel', () => {
  const cases: Array<[boolean, boolean, boolean, NTSTATUS, boolean, boolean]> = [
    // onSuccess, onError, onCancel, status, cancel flag, expected call
    [true, false, false, STATUS_SUCCESS, false, true],
    [true, false, false, STATUS_UNSUCCESSFUL, false, false],
    [false, true, false, STATUS_UNSUCCESSFUL, false, true],
    [false, true, false, STATUS_SUCCESS, false, false],
    [false, false, true, STATUS_CANCELLED, true, true],
    [false, false, true, STATUS_SUCCESS, true, true],
    [false, false, true, STATUS_CANCELLED, false, false],
  ];
  for (const [onSuccess, onError, onCancel, status, cancel, expected] of cases) {
    const irp = IoAllocateIrp(1);
    let called = false;
    IoSetCompletionRoutine(
      irp,
      () => {
        called = true;
        return STATUS_SUCCESS;
      },
      null,
      onSuccess,
      onError,
      onCancel,
    );
    irp.currentLocation = 1;
    irp.cancel = cancel;
    irp.ioStatus.status = status;
    IoCompleteRequest(irp);
    assert.equal(called, expected, JSON.stringify([onSuccess, onError, onCancel, status, cancel]));
    assert.equal(irp.completed, true);
  }
});

test('§6.2 STATUS_MORE_PROCESSING_REQUIRED stops completion; IoCompleteRequest again resumes with the driver above', () => {
  const { system } = toySystem();
  const log: Log = [];
  let held: Irp | null = null;
  const bottom = deviceWith(system, 'Bottom', (_d, irp) => completeIrp(irp, STATUS_SUCCESS));
  const middle = deviceWith(system, 'Middle', (_d, irp) => {
    IoCopyCurrentIrpStackLocationToNext(irp);
    IoSetCompletionRoutine(
      irp,
      (_device, done) => {
        log.push('middle keeps the IRP');
        held = done;
        return STATUS_MORE_PROCESSING_REQUIRED;
      },
      null,
      true,
      true,
      true,
    );
    return IoCallDriver(bottom, irp);
  });
  middle.stackSize = 2;
  const top = deviceWith(system, 'Top', (_d, irp) => copyWithRoutine(log)('Top', middle, _d, irp));
  top.stackSize = 3;
  const irp = irpFor(top);
  IoCallDriver(top, irp);
  assert.deepEqual(log, ['middle keeps the IRP']);
  assert.equal(irp.completed, false);
  IoCompleteRequest(held!);
  assert.deepEqual(log, ['middle keeps the IRP', 'Top routine for Top pending=false']);
  assert.equal(irp.completed, true);
});

test('§6.2 PendingReturned: the routine above sees the pending of the location below, passed up through locations without routine', () => {
  const { system } = toySystem();
  const log: Log = [];
  let pended: Irp | null = null;
  const bottom = deviceWith(system, 'Bottom', (_d, irp) => {
    IoMarkIrpPending(irp);
    pended = irp;
    return STATUS_PENDING;
  });
  // Middle copies its location down but sets no routine.
  const middle = deviceWith(system, 'Middle', (_d, irp) => {
    IoCopyCurrentIrpStackLocationToNext(irp);
    return IoCallDriver(bottom, irp);
  });
  middle.stackSize = 2;
  const top = deviceWith(system, 'Top', (d, irp) => copyWithRoutine(log)('Top', middle, d, irp));
  top.stackSize = 3;
  const irp = irpFor(top);
  const seen: boolean[] = [];
  IoSetCompletionRoutine(
    irp,
    (_d, done) => {
      seen.push(done.pendingReturned);
      return STATUS_SUCCESS;
    },
    null,
    true,
    true,
    true,
  );
  assert.equal(IoCallDriver(top, irp), STATUS_PENDING);
  completeIrp(pended!, STATUS_SUCCESS);
  assert.deepEqual(log, ['Top routine for Top pending=true']);
  assert.deepEqual(seen, [true]);
});

test('§6.2 a dispatch routine that waits for its completion routine (MORE_PROCESSING_REQUIRED) completes the IRP itself', () => {
  const { system } = toySystem();
  const log: Log = [];
  const lower = deviceWith(system, 'Lower', (_d, irp) => completeIrp(irp, STATUS_SUCCESS, 3));
  const upper = deviceWith(system, 'Upper', (_d, irp) => {
    IoCopyCurrentIrpStackLocationToNext(irp);
    let signalled = false;
    IoSetCompletionRoutine(
      irp,
      () => {
        signalled = true;
        return STATUS_MORE_PROCESSING_REQUIRED;
      },
      null,
      true,
      true,
      true,
    );
    IoCallDriver(lower, irp);
    log.push(`signalled=${signalled} completed=${irp.completed}`);
    irp.ioStatus.information = 4; // post-processing, as sfilter does after a mount
    IoCompleteRequest(irp);
    return STATUS_SUCCESS;
  });
  upper.stackSize = 2;
  const irp = irpFor(upper);
  IoCallDriver(upper, irp);
  assert.deepEqual(log, ['signalled=true completed=false']);
  assert.deepEqual([irp.completed, irp.ioStatus.status, irp.ioStatus.information], [true, STATUS_SUCCESS, 4]);
});

test('§6.2 an IRP a driver allocated itself ends with STATUS_MORE_PROCESSING_REQUIRED and never reaches an originator', () => {
  const { system } = toySystem();
  const target = deviceWith(system, 'Target', (_d, irp) => completeIrp(irp, STATUS_SUCCESS, 8));
  let finished: Irp | null = null;
  sendPrivateRequest(
    target,
    { majorFunction: IRP_MJ_READ, parameters: { length: 8, byteOffset: 0, key: 0 } },
    (irp) => {
      finished = irp;
    },
  );
  assert.notEqual(finished, null);
  assert.deepEqual(
    [finished!.ioStatus.status, finished!.ioStatus.information, finished!.completed],
    [STATUS_SUCCESS, 8, false],
  );
});

test('§6.2 completing an IRP twice is MULTIPLE_IRP_COMPLETE_REQUESTS, raised before anything changes', () => {
  const irp = IoAllocateIrp(1);
  let calls = 0;
  IoSetCompletionRoutine(
    irp,
    () => {
      calls++;
      return STATUS_SUCCESS;
    },
    null,
    true,
    true,
    true,
  );
  irp.currentLocation = 1;
  irp.ioStatus.status = STATUS_SUCCESS;
  irp.ioStatus.information = 5;
  IoCompleteRequest(irp);
  irp.ioStatus.status = STATUS_UNSUCCESSFUL;
  assert.throws(
    () => IoCompleteRequest(irp),
    (error: unknown) => error instanceof BugCheckError && error.code === MULTIPLE_IRP_COMPLETE_REQUESTS,
  );
  assert.deepEqual([calls, irp.completed, irp.ioStatus.information], [1, true, 5]);
});

test('§6.2 a file system that completes a request twice: the service raises the bug check and the system goes on', () => {
  const { system, process, log, disk } = toySystem();
  let twice = true;
  scriptedFileSystem(system, 'ToyFs', log, {
    request: (_d, irp) => {
      if (IoGetCurrentIrpStackLocation(irp).majorFunction !== IRP_MJ_WRITE || !twice) return null;
      completeIrp(irp, STATUS_SUCCESS, 4);
      return completeIrp(irp, STATUS_SUCCESS, 4);
    },
  });
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_WRITE);
  const handles = process.handleTable.count;
  const references = [storage.referenceCount, storage.vpb!.referenceCount];
  assert.throws(
    () => NtWriteFile(process, file.handle!, new IoStatusBlock(), new Uint8Array(4), 4, 0),
    (error: unknown) => error instanceof BugCheckError && error.code === MULTIPLE_IRP_COMPLETE_REQUESTS,
  );
  twice = false;
  const iosb = new IoStatusBlock();
  assert.equal(NtWriteFile(process, file.handle!, iosb, new Uint8Array(4), 4, 0), STATUS_SUCCESS);
  assert.equal(iosb.information, 4);
  assert.deepEqual(
    [process.handleTable.count, storage.referenceCount, storage.vpb!.referenceCount],
    [handles, ...references],
  );
  assert.equal(NtClose(process, file.handle!), STATUS_SUCCESS);
});

test('§6.2 completing with STATUS_PENDING is a verifier bug check and leaves the IRP to complete properly (docs/deviations.md)', () => {
  const irp = IoAllocateIrp(1);
  irp.currentLocation = 1;
  irp.ioStatus.status = STATUS_PENDING;
  assert.throws(
    () => IoCompleteRequest(irp),
    (error: unknown) => error instanceof BugCheckError && error.code === DRIVER_VERIFIER_IOMANAGER_VIOLATION,
  );
  assert.equal(irp.completed, false);
  irp.ioStatus.status = STATUS_SUCCESS;
  IoCompleteRequest(irp);
  assert.equal(irp.completed, true);
});

test('§6.2 stage 2 copies the final status and information into the caller IoStatusBlock', () => {
  const { system, process, log, disk } = toySystem();
  let answer: [NTSTATUS, number] = [STATUS_SUCCESS, 5];
  scriptedFileSystem(system, 'ToyFs', log, {
    request: (_d, irp) =>
      IoGetCurrentIrpStackLocation(irp).majorFunction === IRP_MJ_WRITE ? completeIrp(irp, ...answer) : null,
  });
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_WRITE);
  const iosb = new IoStatusBlock();
  assert.equal(NtWriteFile(process, file.handle!, iosb, new Uint8Array(8), 8, 0), STATUS_SUCCESS);
  assert.deepEqual([iosb.status, iosb.information], [STATUS_SUCCESS, 5]);
  answer = [STATUS_DISK_FULL, 0];
  assert.equal(NtWriteFile(process, file.handle!, iosb, new Uint8Array(8), 8, 0), STATUS_DISK_FULL);
  assert.deepEqual([iosb.status, iosb.information], [STATUS_DISK_FULL, 0]);
});

test('§6.2 a request that pends: the service returns a promise that settles with the final status at completion', async () => {
  const { system, process, log, disk } = toySystem();
  const pending: Irp[] = [];
  scriptedFileSystem(system, 'ToyFs', log, {
    request: (_d, irp) => {
      if (IoGetCurrentIrpStackLocation(irp).majorFunction !== IRP_MJ_WRITE) return null;
      IoMarkIrpPending(irp);
      pending.push(irp);
      return STATUS_PENDING;
    },
  });
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_WRITE);
  const iosb = new IoStatusBlock();
  const result = NtWriteFile(process, file.handle!, iosb, new Uint8Array(8), 8, 0);
  assert.ok(result instanceof Promise);
  let settled = false;
  void result.then(() => {
    settled = true;
  });
  await Promise.resolve();
  assert.equal(settled, false);
  completeIrp(pending[0]!, STATUS_SUCCESS, 6);
  assert.equal(await result, STATUS_SUCCESS);
  assert.deepEqual([iosb.status, iosb.information], [STATUS_SUCCESS, 6]);
});

test('§6.2 a dispatch routine returning a status without completing the IRP is reported as STATUS_DRIVER_INTERNAL_ERROR (docs/deviations.md)', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log, {
    request: (_d, irp) =>
      IoGetCurrentIrpStackLocation(irp).majorFunction === IRP_MJ_WRITE ? STATUS_SUCCESS : null,
  });
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_WRITE);
  const iosb = new IoStatusBlock();
  assert.equal(
    NtWriteFile(process, file.handle!, iosb, new Uint8Array(8), 8, 0),
    STATUS_DRIVER_INTERNAL_ERROR,
  );
  assert.equal(iosb.status, STATUS_DRIVER_INTERNAL_ERROR);
});

test('§6.2 IoCancelIrp sets Cancel and calls the cancel routine once; it completes STATUS_CANCELLED and on-cancel routines run', () => {
  const { system } = toySystem();
  const log: Log = [];
  const calls: Array<DeviceObject | null> = [];
  const lower = deviceWith(system, 'Lower', (_d, irp) => {
    IoMarkIrpPending(irp);
    IoSetCancelRoutine(irp, (device, cancelled) => {
      calls.push(device);
      IopCompleteCancelled(cancelled);
    });
    return STATUS_PENDING;
  });
  const upper = deviceWith(system, 'Upper', (_d, irp) => {
    IoCopyCurrentIrpStackLocationToNext(irp);
    IoSetCompletionRoutine(
      irp,
      (_device, done) => {
        log.push(`cancel=${done.cancel}`);
        return STATUS_SUCCESS;
      },
      null,
      false,
      false,
      true,
    );
    return IoCallDriver(lower, irp);
  });
  upper.stackSize = 2;
  const irp = irpFor(upper);
  assert.equal(IoCallDriver(upper, irp), STATUS_PENDING);
  assert.equal(IoCancelIrp(irp), true);
  assert.deepEqual(calls, [lower]);
  assert.deepEqual(log, ['cancel=true']);
  assert.deepEqual([irp.completed, irp.ioStatus.status], [true, STATUS_CANCELLED]);
  assert.equal(IoCancelIrp(irp), false);
  assert.equal(calls.length, 1);
});

test('§6.2 IoCancelIrp without a cancel routine only sets Cancel; on a completed IRP it does nothing', () => {
  const irp = IoAllocateIrp(1);
  irp.currentLocation = 1;
  assert.equal(IoCancelIrp(irp), false);
  assert.equal(irp.cancel, true);
  const done = IoAllocateIrp(1);
  done.currentLocation = 1;
  IoSetCancelRoutine(done, () => assert.fail('a completed IRP cannot be cancelled'));
  IoCompleteRequest(done); // completion clears the cancel routine
  assert.equal(done.cancelRoutine, null);
  assert.equal(IoCancelIrp(done), false);
  assert.equal(done.cancel, false);
});

test('§6.3 the major function codes have the documented values; IRP_MJ_PNP is IRP_MJ_MAXIMUM_FUNCTION', () => {
  assert.deepEqual(IRP_MJ_NAMES, [
    'IRP_MJ_CREATE',
    'IRP_MJ_CREATE_NAMED_PIPE',
    'IRP_MJ_CLOSE',
    'IRP_MJ_READ',
    'IRP_MJ_WRITE',
    'IRP_MJ_QUERY_INFORMATION',
    'IRP_MJ_SET_INFORMATION',
    'IRP_MJ_QUERY_EA',
    'IRP_MJ_SET_EA',
    'IRP_MJ_FLUSH_BUFFERS',
    'IRP_MJ_QUERY_VOLUME_INFORMATION',
    'IRP_MJ_SET_VOLUME_INFORMATION',
    'IRP_MJ_DIRECTORY_CONTROL',
    'IRP_MJ_FILE_SYSTEM_CONTROL',
    'IRP_MJ_DEVICE_CONTROL',
    'IRP_MJ_INTERNAL_DEVICE_CONTROL',
    'IRP_MJ_SHUTDOWN',
    'IRP_MJ_LOCK_CONTROL',
    'IRP_MJ_CLEANUP',
    'IRP_MJ_CREATE_MAILSLOT',
    'IRP_MJ_QUERY_SECURITY',
    'IRP_MJ_SET_SECURITY',
    'IRP_MJ_POWER',
    'IRP_MJ_SYSTEM_CONTROL',
    'IRP_MJ_DEVICE_CHANGE',
    'IRP_MJ_QUERY_QUOTA',
    'IRP_MJ_SET_QUOTA',
    'IRP_MJ_PNP',
  ]);
  const codes = irpCodes as unknown as Record<string, number>;
  for (const [value, name] of IRP_MJ_NAMES.entries()) assert.equal(codes[name], value, name);
  assert.deepEqual([IRP_MJ_PNP, IRP_MJ_MAXIMUM_FUNCTION], [0x1b, 0x1b]);
});

test('§6.3 an IRP whose major function is beyond IRP_MJ_MAXIMUM_FUNCTION completes with STATUS_INVALID_DEVICE_REQUEST', () => {
  const { system } = toySystem();
  const handled: number[] = [];
  const device = deviceWith(system, 'D', (_d, irp) => {
    handled.push(IoGetCurrentIrpStackLocation(irp).majorFunction);
    return completeIrp(irp, STATUS_SUCCESS);
  });
  for (const major of [IRP_MJ_MAXIMUM_FUNCTION + 1, 0xff, -1]) {
    const irp = irpFor(device, major);
    assert.equal(IoCallDriver(device, irp), STATUS_INVALID_DEVICE_REQUEST);
    assert.deepEqual([irp.completed, irp.ioStatus.status], [true, STATUS_INVALID_DEVICE_REQUEST]);
  }
  assert.deepEqual(handled, []);
  assert.equal(IoCallDriver(device, irpFor(device, IRP_MJ_READ)), STATUS_SUCCESS);
  assert.deepEqual(handled, [IRP_MJ_READ]);
});

test('§6.4 IRP_MJ_CLEANUP goes out when the last handle closes, IRP_MJ_CLOSE when the last reference goes', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  const fileObject = process.handleTable.lookup(file.handle!)!.object as FileObject;
  const duplicate = process.handleTable.insert(fileObject, FILE_GENERIC_READ);
  ObReferenceObject(fileObject); // someone (a cache) keeps the file object
  log.length = 0;
  NtClose(process, file.handle!);
  assert.deepEqual(log, []);
  NtClose(process, duplicate);
  assert.deepEqual(log, ['ToyFs: IRP_MJ_CLEANUP volume']);
  ObDereferenceObject(fileObject);
  assert.deepEqual(log, ['ToyFs: IRP_MJ_CLEANUP volume', 'ToyFs: IRP_MJ_CLOSE volume']);
  assert.deepEqual([storage.referenceCount, storage.vpb!.referenceCount], [0, 0]);
});

test('§6.4 cleanup and close cannot fail: NtClose succeeds and every reference is returned whatever the driver answers', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log, {
    request: (_d, irp) => {
      const major = IoGetCurrentIrpStackLocation(irp).majorFunction;
      return major === IRP_MJ_CLEANUP || major === IRP_MJ_CLOSE
        ? completeIrp(irp, STATUS_UNSUCCESSFUL)
        : null;
    },
  });
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  assert.equal(NtClose(process, file.handle!), STATUS_SUCCESS);
  assert.deepEqual(
    [storage.referenceCount, storage.vpb!.referenceCount, process.handleTable.count],
    [0, 0, 0],
  );
});

test('§6.4 a create the file system refuses sends no cleanup or close and returns its references', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log, {
    request: (_d, irp) =>
      IoGetCurrentIrpStackLocation(irp).majorFunction === IRP_MJ_CREATE
        ? completeIrp(irp, STATUS_UNSUCCESSFUL)
        : null,
  });
  const storage = disk();
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_UNSUCCESSFUL,
  );
  assert.deepEqual(log, ['ToyFs: mount \\Device\\Disk0']);
  assert.deepEqual([storage.referenceCount, storage.vpb!.referenceCount], [0, 0]);
});

test('§6.4 IRP_MJ_SHUTDOWN reaches the registered file systems when the system shuts down', () => {
  const { system, log } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log);
  const records = IoShutdownSystem(system);
  assert.ok(!(records instanceof Promise));
  assert.deepEqual(log, ['ToyFs: IRP_MJ_SHUTDOWN cdo']);
});

test('§6.5 a volume filter sees every file request the system services send, in order', () => {
  const { system, process, disk } = toySystem();
  const log: Log = [];
  const fs = scriptedFileSystem(system, 'ToyFs', []);
  const storage = disk();
  openSync(system, process, `${storage.deviceName}\\mount`, FILE_GENERIC_READ);
  recordingFilter(system, 'VolumeFilter', log).attach(fs.volumes[0]!);
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_ALL_ACCESS, {
    createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
  });
  const h = file.handle!;
  const buffer = new Uint8Array(4);
  NtReadFile(process, h, new IoStatusBlock(), buffer, 4, 0);
  NtWriteFile(process, h, new IoStatusBlock(), buffer, 4, 0);
  NtQueryInformationFile(process, h, FileStandardInformation);
  NtSetInformationFile(system, process, h, FileBasicInformation, {});
  NtQueryDirectoryFile(process, h, { fileInformationClass: FileDirectoryInformation });
  NtQueryVolumeInformationFile(process, h, FileFsVolumeInformation);
  NtSetVolumeInformationFile(process, h, FileFsLabelInformation, { volumeLabel: 'X' });
  NtFsControlFile(process, h, 0x90000);
  NtDeviceIoControlFile(process, h, 0x70000);
  NtFlushBuffersFile(process, h);
  NtClose(process, h);
  assert.deepEqual(
    log.map((line) => line.replace('VolumeFilter: ', '')),
    [
      'IRP_MJ_CREATE',
      'IRP_MJ_READ',
      'IRP_MJ_WRITE',
      'IRP_MJ_QUERY_INFORMATION',
      'IRP_MJ_SET_INFORMATION',
      'IRP_MJ_DIRECTORY_CONTROL',
      'IRP_MJ_QUERY_VOLUME_INFORMATION',
      'IRP_MJ_SET_VOLUME_INFORMATION',
      'IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_USER_FS_REQUEST',
      'IRP_MJ_DEVICE_CONTROL',
      'IRP_MJ_FLUSH_BUFFERS',
      'IRP_MJ_CLEANUP',
      'IRP_MJ_CLOSE',
    ],
  );
});

// --- §6.6 share access -------------------------------------------------------------------------

const R = 1;
const W = 2;
const D = 4;
const ACCESS_OF: Record<number, number> = { [R]: FILE_READ_DATA, [W]: FILE_WRITE_DATA, [D]: DELETE };

function accessMask(bits: number): number {
  return [R, W, D].reduce((mask, bit) => (bits & bit ? mask | ACCESS_OF[bit]! : mask), 0);
}

function fileObjects(count: number): FileObject[] {
  const system = createSystem({ withoutRaw: true });
  const driver = loadDriver(system, 'Fs', 'file-system');
  const device = IoCreateDevice(driver, null, null, FILE_DEVICE_DISK_FILE_SYSTEM, 0, false).deviceObject!;
  return Array.from({ length: count }, () => new FileObject(device, '', null, null));
}

test('§6.6 the full matrix: a second open conflicts exactly when it wants access the first does not share, or refuses access the first has', () => {
  // Read/write/delete sets and the share bits line up: FILE_SHARE_READ 1, _WRITE 2, _DELETE 4.
  assert.deepEqual([FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_SHARE_DELETE], [R, W, D]);
  let conflicts = 0;
  for (let access1 = 0; access1 < 8; access1++)
    for (let share1 = 0; share1 < 8; share1++)
      for (let access2 = 0; access2 < 8; access2++)
        for (let share2 = 0; share2 < 8; share2++) {
          const [first, second] = fileObjects(2);
          const state = new ShareAccess();
          assert.equal(IoCheckShareAccess(accessMask(access1), share1, first!, state, true), STATUS_SUCCESS);
          const conflict =
            access1 !== 0 && access2 !== 0 && ((access2 & ~share1) !== 0 || (access1 & ~share2) !== 0);
          if (conflict) conflicts++;
          assert.equal(
            IoCheckShareAccess(accessMask(access2), share2, second!, state, true),
            conflict ? STATUS_SHARING_VIOLATION : STATUS_SUCCESS,
            `first ${access1}/${share1}, second ${access2}/${share2}`,
          );
        }
  assert.ok(conflicts > 1000 && conflicts < 4096);
});

test('§6.6 only read (READ_DATA, EXECUTE), write (WRITE_DATA, APPEND_DATA) and DELETE count; attributes-only opens never conflict', () => {
  const attributesOnly =
    FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES | FILE_READ_EA | READ_CONTROL | WRITE_DAC | SYNCHRONIZE;
  const [exclusive, probe, executor, appender, later] = fileObjects(5);
  const state = new ShareAccess();
  assert.equal(
    IoCheckShareAccess(FILE_READ_DATA | FILE_WRITE_DATA | DELETE, 0, exclusive!, state, true),
    STATUS_SUCCESS,
  );
  assert.equal(IoCheckShareAccess(attributesOnly, 0, probe!, state, true), STATUS_SUCCESS);
  assert.equal(state.openCount, 1); // not counted
  assert.equal(IoCheckShareAccess(FILE_EXECUTE, 7, executor!, state, true), STATUS_SHARING_VIOLATION);
  assert.equal(IoCheckShareAccess(FILE_APPEND_DATA, 7, appender!, state, true), STATUS_SHARING_VIOLATION);
  // An attributes-only first open blocks nothing either.
  const fresh = new ShareAccess();
  assert.equal(IoCheckShareAccess(attributesOnly, 0, probe!, fresh, true), STATUS_SUCCESS);
  assert.equal(IoCheckShareAccess(FILE_READ_DATA | FILE_WRITE_DATA, 0, later!, fresh, true), STATUS_SUCCESS);
});

test('§6.6 with several opens, a new open must be shared by every one of them', () => {
  const [a, b, c, d] = fileObjects(4);
  const state = new ShareAccess();
  IoCheckShareAccess(FILE_READ_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, a!, state, true);
  IoCheckShareAccess(FILE_READ_DATA, FILE_SHARE_READ, b!, state, true);
  assert.equal(IoCheckShareAccess(FILE_WRITE_DATA, 7, c!, state, true), STATUS_SHARING_VIOLATION);
  assert.equal(IoCheckShareAccess(FILE_READ_DATA, FILE_SHARE_READ, d!, state, true), STATUS_SUCCESS);
  assert.deepEqual(
    [
      state.openCount,
      state.readers,
      state.writers,
      state.deleters,
      state.sharedRead,
      state.sharedWrite,
      state.sharedDelete,
    ],
    [3, 3, 0, 0, 3, 1, 0],
  );
});

test('§6.6 IoCheckShareAccess with Update FALSE records nothing; IoUpdateShareAccess records it afterwards', () => {
  const [a, b] = fileObjects(2);
  const state = new ShareAccess();
  assert.equal(IoCheckShareAccess(FILE_READ_DATA, 0, a!, state, false), STATUS_SUCCESS);
  assert.equal(state.openCount, 0);
  IoUpdateShareAccess(a!, state);
  assert.deepEqual([state.openCount, state.readers], [1, 1]);
  assert.equal(
    IoCheckShareAccess(FILE_READ_DATA, FILE_SHARE_READ, b!, state, false),
    STATUS_SHARING_VIOLATION,
  );
});

test('§6.6 IoSetShareAccess sets the state from a first open; IoRemoveShareAccess undoes exactly that open', () => {
  const [a, b] = fileObjects(2);
  const state = new ShareAccess();
  state.openCount = 9; // stale state is overwritten
  IoSetShareAccess(FILE_READ_DATA | DELETE, FILE_SHARE_READ | FILE_SHARE_DELETE, a!, state);
  const counts = () => [
    state.openCount,
    state.readers,
    state.writers,
    state.deleters,
    state.sharedRead,
    state.sharedWrite,
    state.sharedDelete,
  ];
  assert.deepEqual(counts(), [1, 1, 0, 1, 1, 0, 1]);
  IoCheckShareAccess(FILE_READ_DATA, 7, b!, state, true);
  assert.deepEqual(counts(), [2, 2, 0, 1, 2, 1, 2]);
  IoRemoveShareAccess(a!, state);
  assert.deepEqual(counts(), [1, 1, 0, 0, 1, 1, 1]);
});

test('§6.6 the file object keeps what its open asked for', () => {
  const [a] = fileObjects(1);
  IoCheckShareAccess(FILE_EXECUTE | FILE_APPEND_DATA, FILE_SHARE_DELETE, a!, new ShareAccess(), true);
  assert.deepEqual(
    [a!.readAccess, a!.writeAccess, a!.deleteAccess, a!.sharedRead, a!.sharedWrite, a!.sharedDelete],
    [true, true, false, false, false, true],
  );
});

test('§6.6 MemFS applies share access between opens of a file, never to attributes-only opens, and releases it at cleanup', () => {
  const system = createSystem();
  const process = system.createProcess('test.exe');
  IoLoadDriver(system, memFsDriver);
  const { deviceObject } = IoCreateRamDisk(system, {
    sizeBytes: 1 << 20,
    format: memFsFormat({ label: 'M' }),
  });
  const name = `${deviceObject!.deviceName}\\file.txt`;
  const first = openSync(system, process, name, FILE_GENERIC_READ | FILE_GENERIC_WRITE, {
    createDisposition: 2,
  });
  assert.equal(first.status, STATUS_SUCCESS);
  assert.equal(
    openSync(system, process, name, FILE_GENERIC_READ, { shareAccess: 7 }).status,
    STATUS_SHARING_VIOLATION,
  );
  const probe = openSync(system, process, name, FILE_READ_ATTRIBUTES);
  assert.equal(probe.status, STATUS_SUCCESS);
  NtClose(process, first.handle!);
  const second = openSync(system, process, name, FILE_GENERIC_READ);
  assert.equal(second.status, STATUS_SUCCESS);
  NtClose(process, second.handle!);
  NtClose(process, probe.handle!);
});
