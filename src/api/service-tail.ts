/**
 * Building, sending and waiting for the IRP of a system service (IopSynchronousServiceTail).
 *
 * The service allocates an IRP sized for the top of the file object's stack, fills the first
 * stack location, and calls the driver. If nothing pended, the final status is returned at once:
 * no promise, no microtask. If a driver pended, the result is a promise that settles at stage 2 of
 * completion. A driver that returns a status without completing the IRP is a driver bug; the
 * service then reports STATUS_DRIVER_INTERNAL_ERROR rather than waiting forever.
 */

import type { MaybePromise } from '../base/index.ts';
import {
  IRP_SYNCHRONOUS_API,
  type NTSTATUS,
  STATUS_DRIVER_INTERNAL_ERROR,
  STATUS_PENDING,
} from '../base/index.ts';
import {
  type DeviceObject,
  type FileObject,
  IoAllocateIrp,
  IoCallDriver,
  IoGetNextIrpStackLocation,
  type IoParameters,
  type IoStackLocation,
  type Irp,
} from '../io/index.ts';

/**
 * Allocates the IRP for a request on `fileObject`, sized for `target` (the file object's
 * IoGetRelatedDeviceObject, which the caller computes once and passes to `callAndWait` too).
 */
export function buildFileIrp(
  target: DeviceObject,
  fileObject: FileObject,
  majorFunction: number,
  minorFunction: number,
  parameters: IoParameters,
): Irp {
  const irp = IoAllocateIrp(target.stackSize);
  irp.flags = IRP_SYNCHRONOUS_API;
  irp.requestorMode = 'UserMode';
  irp.originalFileObject = fileObject;
  irp.process = fileObject.process;
  const location: IoStackLocation = IoGetNextIrpStackLocation(irp);
  location.majorFunction = majorFunction;
  location.minorFunction = minorFunction;
  location.fileObject = fileObject;
  location.parameters = parameters;
  return irp;
}

/** Sends the IRP to `target` (the top of the file object's stack) and returns the final status, now or later. */
export function callAndWait(target: DeviceObject, irp: Irp): MaybePromise<NTSTATUS> {
  const returned = IoCallDriver(target, irp);
  if (irp.completed) return irp.ioStatus.status;
  if (returned !== STATUS_PENDING) {
    irp.ioStatus.status = STATUS_DRIVER_INTERNAL_ERROR;
    return STATUS_DRIVER_INTERNAL_ERROR;
  }
  return new Promise<NTSTATUS>((resolve) => {
    irp.onCompleted = (done) => resolve(done.ioStatus.status);
  });
}

/** Sends and then maps the completed IRP to a result, synchronously when possible. */
export function callAndMap<T>(target: DeviceObject, irp: Irp, map: (irp: Irp) => T): MaybePromise<T> {
  const status = callAndWait(target, irp);
  if (typeof status === 'number') return map(irp);
  return status.then(() => map(irp));
}
