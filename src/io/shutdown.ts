/**
 * System shutdown: IoRegisterShutdownNotification, IoRegisterLastChanceShutdownNotification,
 * IoUnregisterShutdownNotification and IoShutdownSystem (the I/O manager's part of
 * NtShutdownSystem).
 *
 * Order, as ReactOS does it (iomgr/device.c, volume.c):
 * 1. every device registered for shutdown notification, the most recently registered first
 *    (ReactOS inserts at the head of ShutdownListHead), gets IRP_MJ_SHUTDOWN at the top of its stack;
 * 2. every registered file system's control device gets IRP_MJ_SHUTDOWN at the top of its stack
 *    (IopShutdownBaseFileSystems), disk queue, then CD-ROM, then tape. Filters attached to a control
 *    device see the request first, as a filter on a FS CDO does in Windows (reference §6.5);
 * 3. every device registered for last-chance notification, most recent first: storage drivers that
 *    must flush after the file systems above them wrote their last metadata (disks, image files).
 * Each IRP is sent and waited for before the next, so a file system that flushes asynchronously
 * finishes before the storage below it hears anything else. Queues are walked as snapshots: a file
 * system may unregister itself from its shutdown handler, as FastFat and CDFS do (§1.3).
 *
 * Invariant: when every driver answers at once, IoShutdownSystem returns synchronously and
 * allocates no promise.
 */
import {
  DO_SHUTDOWN_REGISTERED,
  IRP_MJ_SHUTDOWN,
  isPromise,
  type MaybePromise,
  type NTSTATUS,
  STATUS_SUCCESS,
} from '../base/index.ts';
import type { DeviceObject } from './device-object.ts';
import { IoGetAttachedDevice } from './device-stack.ts';
import { IoAllocateIrp, IoGetNextIrpStackLocation } from './irp.ts';
import { NO_PARAMETERS } from './irp-parameters.ts';
import { IopSendAndWait } from './mount.ts';
import type { System } from './system.ts';

/** Asks for IRP_MJ_SHUTDOWN on `deviceObject` when the system shuts down. Registering twice is a no-op. */
export function IoRegisterShutdownNotification(deviceObject: DeviceObject): NTSTATUS {
  const list = deviceObject.system.io.shutdownNotifications;
  if (!list.includes(deviceObject)) list.unshift(deviceObject);
  deviceObject.flags |= DO_SHUTDOWN_REGISTERED;
  return STATUS_SUCCESS;
}

/**
 * Asks for IRP_MJ_SHUTDOWN after every file system has shut down (the last-chance list). Registering
 * twice is a no-op.
 */
export function IoRegisterLastChanceShutdownNotification(deviceObject: DeviceObject): NTSTATUS {
  const list = deviceObject.system.io.lastChanceShutdownNotifications;
  if (!list.includes(deviceObject)) list.unshift(deviceObject);
  deviceObject.flags |= DO_SHUTDOWN_REGISTERED;
  return STATUS_SUCCESS;
}

/** Withdraws a shutdown registration of either kind; IoDeleteDevice does this for the driver. */
export function IoUnregisterShutdownNotification(deviceObject: DeviceObject): void {
  const io = deviceObject.system.io;
  for (const list of [io.shutdownNotifications, io.lastChanceShutdownNotifications]) {
    const index = list.indexOf(deviceObject);
    if (index >= 0) list.splice(index, 1);
  }
  deviceObject.flags &= ~DO_SHUTDOWN_REGISTERED;
}

/** One shutdown outcome per device told, in the order they were told. */
export interface ShutdownRecord {
  device: DeviceObject;
  status: NTSTATUS;
}

/**
 * Sends IRP_MJ_SHUTDOWN in the documented order and reports what each device answered. A failure
 * does not stop the sequence: shutdown goes on, as it does in Windows.
 */
export function IoShutdownSystem(system: System): MaybePromise<ShutdownRecord[]> {
  const io = system.io;
  const targets: DeviceObject[] = [
    ...io.shutdownNotifications,
    ...io.diskFileSystemQueue,
    ...io.cdRomFileSystemQueue,
    ...io.tapeFileSystemQueue,
    ...io.lastChanceShutdownNotifications,
  ];
  const records: ShutdownRecord[] = [];
  const sendFrom = (index: number): MaybePromise<ShutdownRecord[]> => {
    for (let i = index; i < targets.length; i++) {
      const device = targets[i]!;
      if (device.deletePending) continue;
      const status = sendShutdown(device);
      if (isPromise(status)) {
        return status.then((final) => {
          records.push({ device, status: final });
          return sendFrom(i + 1);
        });
      }
      records.push({ device, status });
    }
    return records;
  };
  return sendFrom(0);
}

function sendShutdown(device: DeviceObject): MaybePromise<NTSTATUS> {
  const top = IoGetAttachedDevice(device);
  const irp = IoAllocateIrp(top.stackSize);
  const location = IoGetNextIrpStackLocation(irp);
  location.majorFunction = IRP_MJ_SHUTDOWN;
  location.parameters = NO_PARAMETERS;
  return IopSendAndWait(top, irp);
}
