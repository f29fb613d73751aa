/**
 * IoRegisterFileSystem / IoUnregisterFileSystem (reference §1).
 *
 * Registering puts a file system's control device into the queue for its device type: at the head,
 * or, with DO_LOW_PRIORITY_FILESYSTEM, just before RAW (which registered at boot and stays last).
 * Then the registration counter is bumped, DO_DEVICE_INITIALIZING is cleared, every notification
 * routine hears (cdo, TRUE), and the control device gains an I/O reference. Unregistering removes
 * it, notifies (cdo, FALSE), bumps the counter and drops the reference. Neither touches volumes
 * that are already mounted: they keep working through their VPBs.
 *
 * A device of any other type is not queued (the documented "not registered"), but, as in ReactOS,
 * the notification routines are still called; see docs/deviations.md.
 *
 * Registering a device that is already registered, or unregistering one that is not, does nothing:
 * no notification, no counter bump, no reference taken or dropped (Windows would corrupt its list
 * or underflow the count; see docs/deviations.md).
 */
import {
  DO_DEVICE_INITIALIZING,
  DO_LOW_PRIORITY_FILESYSTEM,
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_DEVICE_NETWORK_FILE_SYSTEM,
  FILE_DEVICE_TAPE_FILE_SYSTEM,
} from '../base/index.ts';
import type { DeviceObject } from './device-object.ts';
import { IopDereferenceDeviceObject } from './device-object.ts';
import { IopNotifyFileSystemChange } from './fs-notification.ts';
import { type IoDatabase, isRawFileSystem } from './io-database.ts';

/** The queue a control device of this type belongs in, or null when it has none. */
export function fileSystemQueueFor(io: IoDatabase, deviceType: number): DeviceObject[] | null {
  switch (deviceType) {
    case FILE_DEVICE_DISK_FILE_SYSTEM:
      return io.diskFileSystemQueue;
    case FILE_DEVICE_CD_ROM_FILE_SYSTEM:
      return io.cdRomFileSystemQueue;
    case FILE_DEVICE_TAPE_FILE_SYSTEM:
      return io.tapeFileSystemQueue;
    case FILE_DEVICE_NETWORK_FILE_SYSTEM:
      return io.networkFileSystemQueue;
    default:
      return null;
  }
}

/** IoRegisterFileSystem. */
export function IoRegisterFileSystem(deviceObject: DeviceObject): void {
  const io = deviceObject.system.io;
  if (io.registeredFileSystems.has(deviceObject)) return;
  io.registeredFileSystems.add(deviceObject);
  const queue = fileSystemQueueFor(io, deviceObject.deviceType);
  if (queue !== null) {
    if ((deviceObject.flags & DO_LOW_PRIORITY_FILESYSTEM) !== 0) {
      // Next-to-last: before RAW when RAW is queued (it always is after boot), else at the tail.
      const last = queue[queue.length - 1];
      if (last !== undefined && isRawFileSystem(last) && !isRawFileSystem(deviceObject)) {
        queue.splice(queue.length - 1, 0, deviceObject);
      } else {
        queue.push(deviceObject);
      }
    } else if (isRawFileSystem(deviceObject)) {
      queue.push(deviceObject);
    } else {
      queue.unshift(deviceObject);
    }
  }
  io.fsRegistrationOps++;
  deviceObject.flags &= ~DO_DEVICE_INITIALIZING;
  io.emit({ kind: 'fs-registered', device: deviceObject });
  IopNotifyFileSystemChange(deviceObject, true);
  deviceObject.referenceCount++;
}

/** IoUnregisterFileSystem. Does nothing to volumes already mounted. */
export function IoUnregisterFileSystem(deviceObject: DeviceObject): void {
  const io = deviceObject.system.io;
  if (!io.registeredFileSystems.delete(deviceObject)) return;
  const queue = fileSystemQueueFor(io, deviceObject.deviceType);
  if (queue !== null) {
    const index = queue.indexOf(deviceObject);
    if (index >= 0) queue.splice(index, 1);
  }
  io.emit({ kind: 'fs-unregistered', device: deviceObject });
  IopNotifyFileSystemChange(deviceObject, false);
  io.fsRegistrationOps++;
  IopDereferenceDeviceObject(deviceObject);
}

/** True when the control device is registered (and so in its queue, when its type has one). */
export function isFileSystemRegistered(deviceObject: DeviceObject): boolean {
  return deviceObject.system.io.registeredFileSystems.has(deviceObject);
}
