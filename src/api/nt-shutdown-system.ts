/**
 * NtShutdownSystem, the I/O manager's part: shutdown notifications, then every registered file
 * system (io/shutdown.ts). File systems write their volumes back and RAW leaves the queues, so the
 * system is meant to be dropped afterwards: a host that stops (the daemon on SIGTERM) calls this
 * last. Strata has no power-off state of its own.
 */
import { type MaybePromise, then } from '../base/maybe-promise.ts';
import { NT_SUCCESS, type NTSTATUS, STATUS_SUCCESS } from '../base/ntstatus.ts';
import { IoShutdownSystem, type ShutdownRecord } from '../io/shutdown.ts';
import type { System } from '../io/system.ts';

export interface ShutdownResult {
  /** STATUS_SUCCESS, or the first failure a device reported (shutdown went on regardless). */
  status: NTSTATUS;
  records: ShutdownRecord[];
}

export function NtShutdownSystem(system: System): MaybePromise<ShutdownResult> {
  return then(IoShutdownSystem(system), (records) => ({
    status: records.find((record) => !NT_SUCCESS(record.status))?.status ?? STATUS_SUCCESS,
    records,
  }));
}
