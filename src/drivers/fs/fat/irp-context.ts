/**
 * How a FAT request runs to the end whether the disk answers at once or later (FastFat's
 * IrpContext with its Wait flag, FatRaiseStatus, and FatFsdPostRequest with the FSP's retry).
 *
 * Every dispatch routine runs its body through `fatFsdCall`. Deep inside, two things may
 * interrupt it:
 * - `raise(status)`: corrupt media or a failed disk read. The request completes with the status.
 *   Bodies only raise before they change anything, so a raised request leaves the volume as it was.
 * - a metadata read the disk pended (`FatPostRequest`): the request is marked pending and run
 *   again from the start once the read completes; the read's data then answers at once (the
 *   DiskContext keeps it for exactly that retry). NT posts such an IRP to the FSP, which redoes it
 *   with Wait set; JavaScript cannot block, so the retry is the wait. Bodies read everything they
 *   need before their first change, so running again from the start is always safe.
 * A disk that completes at once (RAM disks, image files) never takes the second path: the
 * synchronous path stays synchronous and allocates no promise.
 */
import { type NTSTATUS, STATUS_PENDING } from '../../../base/ntstatus.ts';
import { completeRequest, IoMarkIrpPending, type Irp } from '../../../io/index.ts';

/** Thrown by `raise`: complete the request with this status. */
export class FatStatusError extends Error {
  constructor(readonly status: NTSTATUS) {
    super(`FAT request failed with 0x${status.toString(16)}`);
  }
}

/** Thrown when a metadata read pended: `wait(resume)` calls `resume` once the read has completed. */
export class FatPostRequest extends Error {
  constructor(readonly wait: (resume: () => void) => void) {
    super('FAT request waits for the disk');
  }
}

/** FatRaiseStatus. */
export function raise(status: NTSTATUS): never {
  throw new FatStatusError(status);
}

/**
 * Runs `body`, which completes `irp` itself (now or later) and returns its status. A raised
 * status completes the IRP; a pended metadata read pends the IRP and runs `body` again later.
 */
export function fatFsdCall(irp: Irp, body: () => NTSTATUS): NTSTATUS {
  try {
    return body();
  } catch (error) {
    if (error instanceof FatStatusError) return completeRequest(irp, error.status);
    if (error instanceof FatPostRequest) {
      IoMarkIrpPending(irp);
      error.wait(() => {
        fatFsdCall(irp, body);
      });
      return STATUS_PENDING;
    }
    throw error;
  }
}
