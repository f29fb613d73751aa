/**
 * NtShutdownSystem, the I/O manager's part: shutdown notifications, then every registered file
 * system (io/shutdown.ts). File systems write their volumes back and RAW leaves the queues, so the
 * system is meant to be dropped afterwards: a host that stops (the daemon on SIGTERM) calls this
 * last. Strata has no power-off state of its own.
 */
import { type MaybePromise, NT_SUCCESS, type NTSTATUS, STATUS_SUCCESS, whenReady } from '../base/index.ts';
import type { System } from '../io/index.ts';
import { IoShutdownSystem, type ShutdownRecord } from '../io/index.ts';

export interface ShutdownResult {
  /** STATUS_SUCCESS, or the first failure a device reported (shutdown went on regardless). */
  status: NTSTATUS;
  records: ShutdownRecord[];
}

export function NtShutdownSystem(system: System): MaybePromise<ShutdownResult> {
  return whenReady(IoShutdownSystem(system), (records) => {
    // With the driver verifier on: every reference a driver still holds now has leaked.
    system.io.verifier?.onShutdown();
    return {
      status: records.find((record) => !NT_SUCCESS(record.status))?.status ?? STATUS_SUCCESS,
      records,
    };
  });
}
