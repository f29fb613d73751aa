/**
 * IoCompleteRequest and IoCancelIrp.
 *
 * Completion walks the stack locations from the completing driver's upward. Each location's
 * completion routine (set by the driver above it) runs when its invoke flag matches the outcome;
 * if it returns STATUS_MORE_PROCESSING_REQUIRED the walk stops and that driver owns the IRP again
 * (it will call IoCompleteRequest later, which resumes above it). A location without a routine
 * propagates SL_PENDING_RETURNED into the caller's location, as IoMarkIrpPending would. When the
 * walk reaches the top the IRP is completed: `completed` is set and the requester is woken
 * (stage 2, reference §6.2). Completing a completed IRP is MULTIPLE_IRP_COMPLETE_REQUESTS.
 */
import {
  DRIVER_VERIFIER_IOMANAGER_VIOLATION,
  KeBugCheckEx,
  MULTIPLE_IRP_COMPLETE_REQUESTS,
  NT_SUCCESS,
  type NTSTATUS,
  SL_INVOKE_ON_CANCEL,
  SL_INVOKE_ON_ERROR,
  SL_INVOKE_ON_SUCCESS,
  SL_PENDING_RETURNED,
  STATUS_CANCELLED,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_PENDING,
} from '../base/index.ts';
import type { DeviceObject } from './device-object.ts';
import type { Irp } from './irp.ts';

/** IoCompleteRequest. The priority boost of NT has no meaning here and is accepted for shape only. */
export function IoCompleteRequest(irp: Irp, _priorityBoost = 0): void {
  // The verifier names the completing driver before the checks below raise their bug checks.
  const verifier = irp.verifierState;
  if (verifier !== null) verifier.beforeComplete(irp);
  if (irp.completed || irp.currentLocation > irp.stackCount + 1) {
    KeBugCheckEx(
      MULTIPLE_IRP_COMPLETE_REQUESTS,
      'IoCompleteRequest called on an IRP that was already completed',
      irp,
    );
  }
  if (irp.ioStatus.status === STATUS_PENDING) {
    KeBugCheckEx(
      DRIVER_VERIFIER_IOMANAGER_VIOLATION,
      'IoCompleteRequest called with IoStatus.Status == STATUS_PENDING (a pending IRP cannot be its final status)',
      irp,
    );
  }
  irp.cancelRoutine = null;
  const top = irp.stackCount;
  while (irp.currentLocation <= top) {
    const location = irp.location(irp.currentLocation - 1);
    irp.pendingReturned = (location.control & SL_PENDING_RETURNED) !== 0;
    const routine = location.completionRoutine;
    const control = location.control;
    const context = location.context;
    location.completionRoutine = null;
    location.context = null;
    location.control = 0;
    irp.currentLocation++;
    const success = NT_SUCCESS(irp.ioStatus.status);
    if (
      routine !== null &&
      ((success && (control & SL_INVOKE_ON_SUCCESS) !== 0) ||
        (!success && (control & SL_INVOKE_ON_ERROR) !== 0) ||
        (irp.cancel && (control & SL_INVOKE_ON_CANCEL) !== 0))
    ) {
      const caller: DeviceObject | null =
        irp.currentLocation <= top ? irp.location(irp.currentLocation - 1).deviceObject : null;
      if (routine(caller, irp, context) === STATUS_MORE_PROCESSING_REQUIRED) return;
    } else if (irp.pendingReturned && irp.currentLocation <= top) {
      irp.location(irp.currentLocation - 1).control |= SL_PENDING_RETURNED;
    }
  }
  irp.completed = true;
  const wake = irp.onCompleted;
  if (wake !== null) {
    irp.onCompleted = null;
    wake(irp);
  }
}

/**
 * Sets the final status and information and completes the IRP: the three lines every dispatch
 * routine that finishes a request writes (FsRtlCompleteRequest, which also sets Information).
 * Returns the status, so a dispatch routine can `return completeRequest(irp, status)`.
 */
export function completeRequest(irp: Irp, status: NTSTATUS, information = 0): NTSTATUS {
  irp.ioStatus.status = status;
  irp.ioStatus.information = information;
  IoCompleteRequest(irp);
  return status;
}

/**
 * IoCancelIrp: sets the cancel flag and calls the cancel routine if one is set (clearing it
 * first). Returns true when a cancel routine was called.
 */
export function IoCancelIrp(irp: Irp): boolean {
  if (irp.completed) return false;
  irp.cancel = true;
  const routine = irp.cancelRoutine;
  if (routine === null) return false;
  irp.cancelRoutine = null;
  const current = irp.currentLocation - 1;
  routine(current >= 0 && current < irp.stackCount ? irp.location(current).deviceObject : null, irp);
  return true;
}

/** Completes an IRP as cancelled, for use inside cancel routines. */
export function IopCompleteCancelled(irp: Irp): void {
  irp.ioStatus.status = STATUS_CANCELLED;
  irp.ioStatus.information = 0;
  IoCompleteRequest(irp);
}
