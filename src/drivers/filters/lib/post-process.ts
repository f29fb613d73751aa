/**
 * Passing an IRP down and finishing it in the filter's own dispatch context: the "wait for the
 * lower driver, then post-process" pattern sfilter uses for IRP_MN_MOUNT_VOLUME and
 * IRP_MN_LOAD_FILE_SYSTEM (reference §5.5, §6.2).
 *
 * In NT the dispatch routine sets a completion routine that signals an event and returns
 * STATUS_MORE_PROCESSING_REQUIRED, waits on the event, post-processes at PASSIVE_LEVEL and calls
 * IoCompleteRequest again. JavaScript cannot wait, so (docs/deviations.md, "Threads and IRQL"):
 * - when the lower driver finishes before IoCallDriver returns, the post-processing runs in the
 *   dispatch routine right after it, which completes the IRP and returns its final status;
 * - when it pends, the dispatch routine marks the IRP pending and returns STATUS_PENDING, and the
 *   post-processing runs from the completion routine, which then completes the IRP.
 * Either way the completion routine returns STATUS_MORE_PROCESSING_REQUIRED, so the IRP is the
 * filter's again before the post-processing touches it. `post` receives a `done` callback it must
 * call exactly once, now or later (it may itself send requests down and wait for them). No promise
 * is created on the synchronous path.
 */
import { SL_PENDING_RETURNED } from '../../../base/irp-codes.ts';
import { type NTSTATUS, STATUS_MORE_PROCESSING_REQUIRED, STATUS_PENDING } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  IoCallDriver,
  IoCompleteRequest,
  IoCopyCurrentIrpStackLocationToNext,
  IoGetCurrentIrpStackLocation,
  IoMarkIrpPending,
  IoSetCompletionRoutine,
  type Irp,
} from '../../../io/index.ts';

/** Post-processing: look at the IRP's final status, do the work, then call `done()` once. */
export type PostProcess = (irp: Irp, done: () => void) => void;

interface PostState {
  post: PostProcess;
  /** True once the dispatch routine returned STATUS_PENDING: from then on the completion path finishes. */
  dispatchReturned: boolean;
  /** True when the lower driver completed before IoCallDriver returned. */
  completedEarly: boolean;
}

function postCompletion(_device: DeviceObject | null, irp: Irp, context: unknown): NTSTATUS {
  const state = context as PostState;
  if (!state.dispatchReturned) {
    state.completedEarly = true;
    return STATUS_MORE_PROCESSING_REQUIRED;
  }
  state.post(irp, () => IoCompleteRequest(irp));
  return STATUS_MORE_PROCESSING_REQUIRED;
}

/** Sends `irp` to `lower` and runs `post` once it is back; returns what the dispatch routine must return. */
export function passDownThenPostProcess(lower: DeviceObject, irp: Irp, post: PostProcess): NTSTATUS {
  const state: PostState = { post, dispatchReturned: false, completedEarly: false };
  IoCopyCurrentIrpStackLocationToNext(irp);
  IoSetCompletionRoutine(irp, postCompletion, state, true, true, true);
  // Marked before the call: afterwards the current location is the lower driver's (§6.1).
  IoMarkIrpPending(irp);
  IoCallDriver(lower, irp);
  if (!state.completedEarly) {
    // The lower driver pended: finish from the completion routine.
    state.dispatchReturned = true;
    return STATUS_PENDING;
  }
  // Back in our hands (the completion routine stopped the walk at our location): not pending after all.
  IoGetCurrentIrpStackLocation(irp).control &= ~SL_PENDING_RETURNED;
  let finished = false;
  let finalStatus: NTSTATUS = 0;
  post(irp, () => {
    finished = true;
    finalStatus = irp.ioStatus.status;
    IoCompleteRequest(irp);
  });
  if (finished) return finalStatus;
  IoMarkIrpPending(irp);
  return STATUS_PENDING;
}
