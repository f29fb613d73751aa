/**
 * A violation record names the request it happened on (`irp: 'IRP_MJ_READ'`) as docs/verifier.md
 * shows, also when the rule is checked after the IRP completed and its stack no longer says.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSystem } from '../../../src/api/index.ts';
import {
  FILE_DEVICE_DISK,
  IRP_MJ_READ,
  type NTSTATUS,
  STATUS_PENDING,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import {
  type DriverDispatch,
  type DriverVerifier,
  formatViolation,
  IoAllocateIrp,
  IoCallDriver,
  IoCompleteRequest,
  IoCreateDevice,
  IoGetNextIrpStackLocation,
  IoLoadDriver,
  IoMarkIrpPending,
  type Irp,
} from '../../../src/io/index.ts';

function complete(irp: Irp, status: NTSTATUS): NTSTATUS {
  irp.ioStatus.status = status;
  IoCompleteRequest(irp);
  return status;
}

/** Sends one IRP_MJ_READ to a device of a driver whose read routine is `read`; returns the record. */
function violationOf(read: DriverDispatch) {
  const system = createSystem({ verify: true });
  const { driverObject } = IoLoadDriver(system, {
    manifest: { name: 'MyFilter', kind: 'other', description: 'faulty' },
    DriverEntry(driver) {
      driver.majorFunction[IRP_MJ_READ] = read;
      return STATUS_SUCCESS;
    },
  });
  const device = IoCreateDevice(driverObject!, null, null, FILE_DEVICE_DISK, 0, false).deviceObject!;
  const irp = IoAllocateIrp(device.stackSize);
  IoGetNextIrpStackLocation(irp).majorFunction = IRP_MJ_READ;
  IoCallDriver(device, irp);
  const { violations } = system.io.verifier as DriverVerifier;
  assert.equal(violations.length, 1);
  return violations[0]!;
}

test('a routine that completes the IRP and returns STATUS_PENDING unmarked is recorded as on IRP_MJ_READ', () => {
  const v = violationOf((_device, irp) => {
    complete(irp, STATUS_SUCCESS);
    return STATUS_PENDING;
  });
  assert.equal(v.rule, 'pending-not-marked');
  assert.equal(v.irp, 'IRP_MJ_READ');
  assert.equal(v.driver, '\\Driver\\MyFilter');
  assert.match(formatViolation(v), /^\[§6\.2 pending-not-marked\] \\Driver\\MyFilter: IRP_MJ_READ on /);
});

test('a routine that marks the IRP pending, completes it and returns success is recorded as on IRP_MJ_READ', () => {
  const v = violationOf((_device, irp) => {
    IoMarkIrpPending(irp);
    return complete(irp, STATUS_SUCCESS);
  });
  assert.equal(v.rule, 'marked-pending-not-returned');
  assert.equal(v.irp, 'IRP_MJ_READ');
});

test('a routine that returns STATUS_PENDING unmarked and completes later is recorded as on IRP_MJ_READ', () => {
  let held: Irp | null = null;
  const system = createSystem({ verify: true });
  const { driverObject } = IoLoadDriver(system, {
    manifest: { name: 'Holder', kind: 'other', description: 'faulty' },
    DriverEntry(driver) {
      driver.majorFunction[IRP_MJ_READ] = (_device, irp) => {
        held = irp;
        return STATUS_PENDING;
      };
      return STATUS_SUCCESS;
    },
  });
  const device = IoCreateDevice(driverObject!, null, null, FILE_DEVICE_DISK, 0, false).deviceObject!;
  const irp = IoAllocateIrp(device.stackSize);
  IoGetNextIrpStackLocation(irp).majorFunction = IRP_MJ_READ;
  IoCallDriver(device, irp);
  const verifier = system.io.verifier as DriverVerifier;
  assert.equal(verifier.violations.length, 0);
  complete(held!, STATUS_SUCCESS);
  assert.deepEqual(
    verifier.violations.map((v) => [v.rule, v.irp]),
    [['pending-not-marked', 'IRP_MJ_READ']],
  );
});
