/**
 * Requests RAW builds itself and sends to the storage stack (IoBuildAsynchronousFsdRequest /
 * IoBuildDeviceIoControlRequest with a completion routine), and the rule for finishing the
 * caller's IRP whether the storage answered at once or later.
 *
 * The private IRP carries a completion routine that hands the result on and returns
 * STATUS_MORE_PROCESSING_REQUIRED, so completion stops there (the IRP belongs to RAW, §6.2).
 */
import { type NTSTATUS, STATUS_MORE_PROCESSING_REQUIRED, STATUS_PENDING } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  IoAllocateIrp,
  IoCallDriver,
  IoCompleteRequest,
  IoGetNextIrpStackLocation,
  IoMarkIrpPending,
  type IoParameters,
  IoSetCompletionRoutine,
  type Irp,
} from '../../../io/index.ts';

export interface StorageRequest {
  majorFunction: number;
  parameters: IoParameters;
  userBuffer?: Uint8Array | null;
  systemBuffer?: unknown;
}

/** Sends `request` to the top of the storage stack; `done` runs when it completes, possibly before this returns. */
export function callStorage(target: DeviceObject, request: StorageRequest, done: (irp: Irp) => void): void {
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
