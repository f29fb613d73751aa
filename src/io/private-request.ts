/**
 * Private IRPs a driver builds and sends down (the job IoBuildAsynchronousFsdRequest and
 * IoBuildDeviceIoControlRequest plus a completion routine do in NT), and the rule for finishing the
 * caller's IRP whether the lower driver answered at once or later.
 *
 * Invariant: the private IRP carries a completion routine that hands the result on and returns
 * STATUS_MORE_PROCESSING_REQUIRED, so completion stops there and the IRP never reaches an I/O
 * manager completion step (it belongs to the driver that built it, reference §6.2). Neither helper
 * allocates a promise: a lower driver that completes at once keeps the whole path synchronous.
 */
import { type NTSTATUS, STATUS_MORE_PROCESSING_REQUIRED, STATUS_PENDING } from '../base/index.ts';
import { IoCallDriver } from './call-driver.ts';
import { IoCompleteRequest } from './complete-request.ts';
import type { DeviceObject } from './device-object.ts';
import {
  IoAllocateIrp,
  IoGetNextIrpStackLocation,
  IoMarkIrpPending,
  IoSetCompletionRoutine,
  type Irp,
} from './irp.ts';
import type { IoParameters } from './irp-parameters.ts';

export interface PrivateRequest {
  majorFunction: number;
  parameters: IoParameters;
  userBuffer?: Uint8Array | null;
  systemBuffer?: unknown;
}

/** Sends `request` to `target` (usually the top of the storage stack); `done` runs when it completes, possibly before this returns. */
export function sendPrivateRequest(
  target: DeviceObject,
  request: PrivateRequest,
  done: (irp: Irp) => void,
): void {
  const irp = IoAllocateIrp(target.stackSize);
  irp.userBuffer = request.userBuffer ?? null;
  irp.systemBuffer = request.systemBuffer ?? null;
  const location = IoGetNextIrpStackLocation(irp);
  location.majorFunction = request.majorFunction;
  location.parameters = request.parameters;
  IoSetCompletionRoutine(
    irp,
    (_device, finished) => {
      done(finished);
      return STATUS_MORE_PROCESSING_REQUIRED;
    },
    null,
    true,
    true,
    true,
  );
  IoCallDriver(target, irp);
}

/**
 * Runs `start`, which must eventually call `finish` once. If it finishes before `start` returns,
 * the IRP is completed and its status returned; otherwise the IRP is marked pending, STATUS_PENDING
 * is returned, and `finish` completes it later.
 */
export function completeWhenDone(
  irp: Irp,
  start: (finish: (status: NTSTATUS, information: number) => void) => void,
): NTSTATUS {
  let finished = false;
  let finalStatus: NTSTATUS = 0;
  start((status, information) => {
    finished = true;
    finalStatus = status;
    irp.ioStatus.status = status;
    irp.ioStatus.information = information;
    IoCompleteRequest(irp);
  });
  if (finished) return finalStatus;
  IoMarkIrpPending(irp);
  return STATUS_PENDING;
}
