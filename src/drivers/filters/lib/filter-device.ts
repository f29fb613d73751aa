/**
 * Filter device objects: creating one shaped like its target, attaching it, finding it again in a
 * stack, and taking it off (reference §3.3, §3.4, §4.1, §4.4).
 *
 * Rules kept here, for every sample filter:
 * - filter devices are never named and take the device type of the stack they join (§3.3);
 * - DO_BUFFERED_IO / DO_DIRECT_IO are copied from the device attached to, and FILE_DEVICE_SECURE_OPEN
 *   too when that is a file system's control device, before the attach call so an IRP arriving at
 *   once sees them (sfilter does the same);
 * - attaching uses IoAttachDeviceToDeviceStackSafe and records the device actually attached to
 *   (AttachedToDeviceObject) in the extension; DO_DEVICE_INITIALIZING is cleared right after, or
 *   nobody could attach above;
 * - detaching is IoDetachDevice(lower) then IoDeleteDevice(own); `lower` stays in the extension so
 *   a device still attached above a detached one can keep passing requests through (no splicing).
 *
 * The extension is the driver's per-device record: its role tells the dispatch routines which of
 * the three kinds of device an IRP arrived on (§3.5).
 */
import {
  DO_BUFFERED_IO,
  DO_DEVICE_INITIALIZING,
  DO_DIRECT_IO,
  FILE_DEVICE_SECURE_OPEN,
} from '../../../base/device-codes.ts';
import { NT_SUCCESS, type NTSTATUS, STATUS_INSUFFICIENT_RESOURCES } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  type DriverObject,
  IoAttachDeviceToDeviceStackSafe,
  IoCreateDevice,
  IoDeleteDevice,
  IoDetachDevice,
  IoGetAttachedDevice,
} from '../../../io/index.ts';
import type { AttachReason } from './protocol.ts';

/** The filter's own control device: never attached, completes everything itself. */
export const ROLE_CONTROL = 0;
/** A filter device above a file system's control device: sees mounts and file system loads. */
export const ROLE_FILE_SYSTEM = 1;
/** A filter device above a volume device: sees every file request of the volume. */
export const ROLE_VOLUME = 2;
export type FilterRole = typeof ROLE_CONTROL | typeof ROLE_FILE_SYSTEM | typeof ROLE_VOLUME;

export interface FilterDeviceExtension<TVolume = unknown> {
  role: FilterRole;
  /** AttachedToDeviceObject: the device directly below, where requests go. Null on the control device. */
  lower: DeviceObject | null;
  /** For volume filters: the storage device under the volume (Vpb.RealDevice). */
  realDevice: DeviceObject | null;
  attachedBy: AttachReason;
  /** The filter's own per-volume state (spy's logging switch, crypt's key), or null. */
  volume: TVolume | null;
}

export function filterExtension<TVolume = unknown>(device: DeviceObject): FilterDeviceExtension<TVolume> {
  return device.deviceExtension as FilterDeviceExtension<TVolume>;
}

/**
 * IoCreateDevice for a filter device that will join `target`'s stack: unnamed, same device type,
 * no characteristics. Not attached yet (sfilter pre-creates devices for mounts this way).
 */
export function createFilterDevice<TVolume>(
  driver: DriverObject,
  target: DeviceObject,
  role: FilterRole,
  attachedBy: AttachReason,
  volume: TVolume | null = null,
): DeviceObject<FilterDeviceExtension<TVolume>> | null {
  const { deviceObject } = IoCreateDevice<FilterDeviceExtension<TVolume>>(
    driver,
    { role, lower: null, realDevice: null, attachedBy, volume },
    null,
    target.deviceType,
    0,
    false,
  );
  return deviceObject;
}

/**
 * Attaches an already created filter device to the top of `target`'s stack, with the flag and
 * characteristics propagation of §3.3, and clears DO_DEVICE_INITIALIZING. On failure the device
 * is left unattached (the caller decides whether to delete it).
 */
export function attachFilterDevice(filterDevice: DeviceObject, target: DeviceObject): NTSTATUS {
  const top = IoGetAttachedDevice(target);
  filterDevice.flags |= top.flags & (DO_BUFFERED_IO | DO_DIRECT_IO);
  if (filterExtension(filterDevice).role === ROLE_FILE_SYSTEM)
    filterDevice.characteristics |= top.characteristics & FILE_DEVICE_SECURE_OPEN;
  const { status, attachedTo } = IoAttachDeviceToDeviceStackSafe(filterDevice, target);
  if (!NT_SUCCESS(status)) return status;
  filterExtension(filterDevice).lower = attachedTo;
  filterDevice.flags &= ~DO_DEVICE_INITIALIZING;
  return status;
}

/** Creates a filter device and attaches it to `target`'s stack; deletes it again if the attach fails. */
export function createAndAttachFilterDevice<TVolume>(
  driver: DriverObject,
  target: DeviceObject,
  role: FilterRole,
  attachedBy: AttachReason,
  volume: TVolume | null = null,
): { status: NTSTATUS; device: DeviceObject | null } {
  const device = createFilterDevice(driver, target, role, attachedBy, volume);
  if (device === null) return { status: STATUS_INSUFFICIENT_RESOURCES, device: null };
  const status = attachFilterDevice(device, target);
  if (!NT_SUCCESS(status)) {
    IoDeleteDevice(device);
    return { status, device: null };
  }
  return { status, device };
}

/**
 * The driver's device in the stack `device` belongs to, or null (SfIsAttachedToDevice: from the top
 * of the stack down to the bottom).
 */
export function findFilterDevice(driver: DriverObject, device: DeviceObject): DeviceObject | null {
  for (let d: DeviceObject | null = IoGetAttachedDevice(device); d !== null; d = d.attachedTo)
    if (d.driverObject === driver) return d;
  return null;
}

/** Takes a filter device off its stack and deletes it (SfDetachFromFileSystemDevice, FastIoDetachDevice). */
export function detachAndDeleteFilterDevice(filterDevice: DeviceObject): void {
  const lower = filterDevice.attachedTo;
  if (lower !== null) IoDetachDevice(lower);
  IoDeleteDevice(filterDevice);
}
