/**
 * File system registration change notifications (reference §2).
 *
 * - IoRegisterFsRegistrationChange(Ex|MountAware) appends (driver, routine) to the notification
 *   list, then replays (cdo, TRUE) for every registered file system except RAW, recognizers
 *   included, before it returns. Replay order (undocumented in Windows, Strata follows ReactOS):
 *   network queue, then CD-ROM, disk, tape; each head to tail. The driver object gains a reference.
 * - A duplicate is refused with STATUS_DEVICE_ALREADY_ATTACHED only when the same (driver, routine)
 *   is the last entry of the list (§2.3, D5): a duplicate that is not last is accepted and then
 *   hears every event twice.
 * - With the IoBlockLegacyFsFilters policy set, registration fails with STATUS_NOT_SUPPORTED.
 * - IoUnregisterFsRegistrationChange removes the first matching entry and drops the driver
 *   reference that entry took (§2.6); an unmatched call changes nothing (ReactOS dereferences
 *   anyway; see docs/deviations.md). No FsActive=FALSE replay happens.
 * - Notifications go out in list order, which is registration order (decided; see docs/deviations.md).
 */
import type { MaybePromise } from '../base/index.ts';
import {
  type NTSTATUS,
  STATUS_DEVICE_ALREADY_ATTACHED,
  STATUS_NOT_SUPPORTED,
  STATUS_SUCCESS,
} from '../base/index.ts';
import { ObDereferenceObject, ObReferenceObject } from '../ob/index.ts';
import type { DeviceObject } from './device-object.ts';
import type { DriverObject } from './driver-object.ts';
import { type FsNotificationRoutine, isRawFileSystem } from './io-database.ts';

/** Calls every notification routine with (deviceObject, fsActive), in list order (IopNotifyFileSystemChange). */
export function IopNotifyFileSystemChange(deviceObject: DeviceObject, fsActive: boolean): void {
  const io = deviceObject.system.io;
  // A snapshot: routines may (un)register notifications or file systems from inside the callback.
  for (const entry of [...io.fsNotifyList])
    callNotificationRoutine(entry.driverObject, entry.routine, deviceObject, fsActive, false);
}

/**
 * Calls one notification routine; with listeners, brackets the call with fs-notify and
 * fs-notify-returned so they can tell the routine's code from its caller's (the verifier does).
 */
function callNotificationRoutine(
  driverObject: DriverObject,
  routine: FsNotificationRoutine,
  deviceObject: DeviceObject,
  fsActive: boolean,
  replay: boolean,
): void {
  const io = driverObject.system.io;
  if (!io.hasListeners) {
    routine(deviceObject, fsActive);
    return;
  }
  io.emit({ kind: 'fs-notify', driver: driverObject, device: deviceObject, fsActive, replay });
  try {
    routine(deviceObject, fsActive);
  } finally {
    io.emit({ kind: 'fs-notify-returned', driver: driverObject });
  }
}

/** IoRegisterFsRegistrationChange. */
export function IoRegisterFsRegistrationChange(
  driverObject: DriverObject,
  routine: FsNotificationRoutine,
): NTSTATUS {
  return registerFsRegistrationChange(driverObject, routine);
}

/** IoRegisterFsRegistrationChangeEx: identical to the plain form on XP and later (§2.4). */
export function IoRegisterFsRegistrationChangeEx(
  driverObject: DriverObject,
  routine: FsNotificationRoutine,
): NTSTATUS {
  return registerFsRegistrationChange(driverObject, routine);
}

/**
 * IoRegisterFsRegistrationChangeMountAware. With `synchronizeWithMounts` it waits for mounts in
 * flight to finish and holds new mounts back until the replay is done; the result is then a
 * promise when some mount was in flight. Without it, it is the plain form.
 */
export function IoRegisterFsRegistrationChangeMountAware(
  driverObject: DriverObject,
  routine: FsNotificationRoutine,
  synchronizeWithMounts: boolean,
): MaybePromise<NTSTATUS> {
  const io = driverObject.system.io;
  if (!synchronizeWithMounts || io.mountsInProgress === 0) {
    if (!synchronizeWithMounts) return registerFsRegistrationChange(driverObject, routine);
    io.mountBlockers++;
    try {
      return registerFsRegistrationChange(driverObject, routine);
    } finally {
      releaseMountBlocker(driverObject);
    }
  }
  io.mountBlockers++;
  return new Promise<NTSTATUS>((resolve, reject) => {
    io.mountDrainWaiters.push(() => {
      try {
        resolve(registerFsRegistrationChange(driverObject, routine));
      } catch (error) {
        reject(error);
      } finally {
        releaseMountBlocker(driverObject);
      }
    });
  });
}

function releaseMountBlocker(driverObject: DriverObject): void {
  const io = driverObject.system.io;
  io.mountBlockers--;
  if (io.mountBlockers === 0) {
    for (const wake of io.mountUnblockWaiters.splice(0)) wake();
  }
}

function registerFsRegistrationChange(driverObject: DriverObject, routine: FsNotificationRoutine): NTSTATUS {
  const io = driverObject.system.io;
  if (io.blockLegacyFsFilters) return STATUS_NOT_SUPPORTED;
  const last = io.fsNotifyList[io.fsNotifyList.length - 1];
  if (last !== undefined && last.driverObject === driverObject && last.routine === routine) {
    return STATUS_DEVICE_ALREADY_ATTACHED;
  }
  io.fsNotifyList.push({ driverObject, routine });
  IopNotifyAlreadyRegisteredFileSystems(driverObject, routine);
  ObReferenceObject(driverObject);
  return STATUS_SUCCESS;
}

/** The replay: every queued control device except RAW's, network first (IopNotifyAlreadyRegisteredFileSystems). */
function IopNotifyAlreadyRegisteredFileSystems(
  driverObject: DriverObject,
  routine: FsNotificationRoutine,
): void {
  const io = driverObject.system.io;
  for (const queue of io.replayOrder) {
    for (const deviceObject of [...queue]) {
      if (!isRawFileSystem(deviceObject))
        callNotificationRoutine(driverObject, routine, deviceObject, true, true);
    }
  }
}

/** IoUnregisterFsRegistrationChange. */
export function IoUnregisterFsRegistrationChange(
  driverObject: DriverObject,
  routine: FsNotificationRoutine,
): void {
  const list = driverObject.system.io.fsNotifyList;
  const index = list.findIndex((entry) => entry.driverObject === driverObject && entry.routine === routine);
  if (index < 0) return;
  list.splice(index, 1);
  ObDereferenceObject(driverObject);
}
