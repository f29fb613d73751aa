/**
 * Conformance: §6.2 of the reference, completion: the walk up the stack, invoke flags,
 * STATUS_MORE_PROCESSING_REQUIRED, PendingReturned, stage 2, pending requests, double completion
 * and completing with STATUS_PENDING, cancel.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NtClose, NtWriteFile } from '../../src/api/index.ts';
import {
  BugCheckError,
  DRIVER_VERIFIER_IOMANAGER_VIOLATION,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  IRP_MJ_CREATE,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
  MULTIPLE_IRP_COMPLETE_REQUESTS,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_CANCELLED,
  STATUS_DISK_FULL,
  STATUS_DRIVER_INTERNAL_ERROR,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_PENDING,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from '../../src/base/index.ts';
import {
  type DeviceObject,
  type DriverDispatch,
  IoAllocateIrp,
  IoCallDriver,
  IoCancelIrp,
  IoCompleteRequest,
  IoCopyCurrentIrpStackLocationToNext,
  IoGetCurrentIrpStackLocation,
  IoMarkIrpPending,
  IopCompleteCancelled,
  IoSetCancelRoutine,
  IoSetCompletionRoutine,
  IoStatusBlock,
  type Irp,
  type System,
  sendPrivateRequest,
} from '../../src/io/index.ts';
import {
  completeIrp,
  deviceWith,
  irpFor,
  type Log,
  openSync,
  scriptedFileSystem,
  toySystem,
} from '../support/conformance.ts';

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

test('§6.2 a create refused with a returned status but never completed fails with STATUS_DRIVER_INTERNAL_ERROR and opens nothing', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log, {
    request: (_d, irp) => {
      const sp = IoGetCurrentIrpStackLocation(irp);
      return sp.majorFunction === IRP_MJ_CREATE && sp.fileObject!.fileName === '\\refused'
        ? STATUS_ACCESS_DENIED
        : null;
    },
  });
  const storage = disk();
  const refused = openSync(system, process, `${storage.deviceName}\\refused`, FILE_GENERIC_READ);
  assert.deepEqual([refused.status, refused.handle], [STATUS_DRIVER_INTERNAL_ERROR, null]);
  assert.equal(process.handleTable.count, 0);
  log.length = 0;
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  assert.equal(file.status, STATUS_SUCCESS);
  NtClose(process, file.handle!);
  assert.deepEqual(log, [
    'ToyFs: IRP_MJ_CREATE volume',
    'ToyFs: IRP_MJ_CLEANUP volume',
    'ToyFs: IRP_MJ_CLOSE volume',
  ]);
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
