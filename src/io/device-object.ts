/**
 * Device objects (DEVICE_OBJECT): IoCreateDevice and IoDeleteDevice.
 *
 * Invariants (reference §4.5):
 * - a new device has StackSize 1, ReferenceCount 0, no attachments, and DO_DEVICE_INITIALIZING set
 *   (plus DO_DEVICE_HAS_NAME when named, DO_EXCLUSIVE when asked); the I/O manager clears the flag
 *   for devices created inside DriverEntry, everyone else clears it themselves;
 * - disk, virtual disk, CD-ROM and tape devices get a VPB at creation;
 * - `attachedDevice` points up the stack, `attachedTo` down (ReactOS keeps the latter in the
 *   device object extension); detaching never splices (§4.4);
 * - IoDeleteDevice withdraws any shutdown registration, removes the name at once and marks the device delete-pending; the device leaves
 *   its driver's list when its I/O reference count is zero (now or later).
 */
import {
  DO_DEVICE_HAS_NAME,
  DO_DEVICE_INITIALIZING,
  DO_EXCLUSIVE,
  DOE_DELETE_PENDING,
  FILE_DEVICE_CD_ROM,
  FILE_DEVICE_DISK,
  FILE_DEVICE_TAPE,
  FILE_DEVICE_VIRTUAL_DISK,
  type NTSTATUS,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_SUCCESS,
} from '../base/index.ts';
import { KernelObject } from '../ob/index.ts';
import type { DriverObject } from './driver-object.ts';
import { DeviceObjectType } from './object-types.ts';
import { IoUnregisterShutdownNotification } from './shutdown.ts';
import type { System } from './system.ts';
import { Vpb } from './vpb.ts';

export class DeviceObject<TExtension = unknown> extends KernelObject {
  readonly type = DeviceObjectType;
  flags: number;
  characteristics: number;
  stackSize = 1;
  alignmentRequirement = 0;
  sectorSize = 0;
  /** The I/O reference count (DEVICE_OBJECT.ReferenceCount): open file objects and registrations. */
  referenceCount = 0;
  /** The device attached directly above this one, or null at the top of the stack. */
  attachedDevice: DeviceObject | null = null;
  /** The device this one is attached to (DEVOBJ_EXTENSION.AttachedTo), or null at the bottom. */
  attachedTo: DeviceObject | null = null;
  /** DOE_* flags of the device object extension. */
  extensionFlags = 0;
  /** The VPB of a storage device that can hold a volume (disk, virtual disk, CD-ROM, tape). */
  vpb: Vpb | null;
  /** For a volume device object: the VPB it was mounted through (DEVOBJ_EXTENSION.Vpb). */
  mountedVpb: Vpb | null = null;
  /** Held while an asynchronous mount runs on this storage device (the DeviceLock event of NT). */
  deviceLock: Promise<void> | null = null;
  /** True while DriverEntry of the owning driver is running and created this device. */
  createdInDriverEntry = false;
  /**
   * True once a pending delete has finished and the device left its driver's list. Distinct from
   * the object header's `deleted`, which tracks pointer references (ObDereferenceObject), not the
   * I/O reference count that gates IoDeleteDevice.
   */
  deleteCompleted = false;

  constructor(
    readonly system: System,
    readonly driverObject: DriverObject,
    /** Full name (`\Device\RamDisk0`) or null for an unnamed device. */
    readonly deviceName: string | null,
    readonly deviceType: number,
    characteristics: number,
    exclusive: boolean,
    readonly deviceExtension: TExtension,
  ) {
    super();
    this.characteristics = characteristics;
    this.flags =
      DO_DEVICE_INITIALIZING |
      (exclusive ? DO_EXCLUSIVE : 0) |
      (deviceName !== null ? DO_DEVICE_HAS_NAME : 0);
    this.vpb = deviceTypeHasVpb(deviceType) ? new Vpb(this) : null;
  }

  /** True once IoDeleteDevice has been called on it. */
  get deletePending(): boolean {
    return (this.extensionFlags & DOE_DELETE_PENDING) !== 0;
  }

  /** A short label for traces: the name, or `<driver> #n` for unnamed devices. */
  describe(): string {
    if (this.deviceName !== null) return this.deviceName;
    const list = this.driverObject.deviceObjects;
    const index = list.indexOf(this);
    return `${this.driverObject.driverName} (unnamed #${index < 0 ? '?' : list.length - index})`;
  }
}

function deviceTypeHasVpb(deviceType: number): boolean {
  return (
    deviceType === FILE_DEVICE_DISK ||
    deviceType === FILE_DEVICE_VIRTUAL_DISK ||
    deviceType === FILE_DEVICE_CD_ROM ||
    deviceType === FILE_DEVICE_TAPE
  );
}

export interface CreateDeviceResult<TExtension> {
  status: NTSTATUS;
  deviceObject: DeviceObject<TExtension> | null;
}

/**
 * IoCreateDevice. The extension is any value the driver wants on the device (NT's
 * DeviceExtensionSize bytes). Named devices are inserted into the namespace; a name that exists
 * fails with STATUS_OBJECT_NAME_COLLISION.
 */
export function IoCreateDevice<TExtension>(
  driverObject: DriverObject,
  deviceExtension: TExtension,
  deviceName: string | null,
  deviceType: number,
  deviceCharacteristics: number,
  exclusive: boolean,
): CreateDeviceResult<TExtension> {
  const system = driverObject.system;
  if (deviceName !== null && (deviceName.length === 0 || deviceName[0] !== '\\')) {
    return { status: STATUS_OBJECT_NAME_INVALID, deviceObject: null };
  }
  if (!Number.isInteger(deviceType) || deviceType < 0 || deviceType > 0xffff) {
    return { status: STATUS_INVALID_PARAMETER, deviceObject: null };
  }
  const device = new DeviceObject<TExtension>(
    system,
    driverObject,
    deviceName,
    deviceType,
    deviceCharacteristics,
    exclusive,
    deviceExtension,
  );
  if (deviceName !== null) {
    const status = system.ob.insertObject(deviceName, device);
    if (status !== STATUS_SUCCESS) return { status, deviceObject: null };
  }
  device.createdInDriverEntry = system.io.driverEntryRunning === driverObject;
  driverObject.deviceObjects.unshift(device);
  system.io.deviceCreated(device);
  return { status: STATUS_SUCCESS, deviceObject: device };
}

/**
 * IoDeleteDevice. The name goes at once; the device is marked delete-pending; a device attached
 * above it hears FastIoDetachDevice so it can detach (reference §3.4, §5.4); the device leaves its
 * driver's list once its reference count is zero. Calling it twice is a no-op the verifier reports.
 */
export function IoDeleteDevice(deviceObject: DeviceObject): void {
  if (deviceObject.deletePending) return;
  const system = deviceObject.system;
  deviceObject.extensionFlags |= DOE_DELETE_PENDING;
  IoUnregisterShutdownNotification(deviceObject);
  if (deviceObject.deviceName !== null) system.ob.removeObject(deviceObject);
  const upper = deviceObject.attachedDevice;
  if (upper !== null) {
    const detach = upper.driverObject.fastIoDispatch?.fastIoDetachDevice;
    if (detach !== undefined) detach.call(upper.driverObject.fastIoDispatch, upper, deviceObject);
  }
  IopCompleteDeleteIfUnreferenced(deviceObject);
}

/** Finishes a pending delete once nothing references the device (IopCompleteUnloadOrDelete). */
export function IopCompleteDeleteIfUnreferenced(deviceObject: DeviceObject): void {
  if (!deviceObject.deletePending || deviceObject.referenceCount > 0 || deviceObject.deleteCompleted) return;
  deviceObject.deleteCompleted = true;
  const list = deviceObject.driverObject.deviceObjects;
  const index = list.indexOf(deviceObject);
  if (index >= 0) list.splice(index, 1);
  deviceObject.system.io.deviceDeleted(deviceObject);
}

/** Drops one I/O reference and completes a pending delete when it was the last (IopDereferenceDeviceObject). */
export function IopDereferenceDeviceObject(deviceObject: DeviceObject): void {
  if (deviceObject.referenceCount > 0) deviceObject.referenceCount--;
  if (deviceObject.referenceCount === 0) IopCompleteDeleteIfUnreferenced(deviceObject);
}
