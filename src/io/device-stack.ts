/**
 * Device stacks: attaching, detaching and walking (reference §4.1–§4.4, §4.6).
 *
 * A stack is the chain base → attachedDevice → … → top. Attaching always lands on the current top
 * (IoGetAttachedDevice of the target), gives the new device StackSize = lower + 1 and copies the
 * lower device's alignment and sector size. It fails while the top is still initializing or is
 * being deleted. Detaching clears the one link between a device and the one above it; whatever is
 * attached higher stays attached to the detached device (no splicing, D11).
 */
import {
  DO_DEVICE_INITIALIZING,
  DOE_DELETE_PENDING,
  DOE_REMOVE_PENDING,
  DOE_REMOVE_PROCESSED,
  DOE_START_PENDING,
  DOE_UNLOAD_PENDING,
  type NTSTATUS,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_PARAMETER,
  STATUS_NO_SUCH_DEVICE,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
  VPB_MOUNTED,
} from '../base/index.ts';
import { ObReferenceObject } from '../ob/index.ts';
import { type DeviceObject, IopCompleteDeleteIfUnreferenced } from './device-object.ts';
import type { DriverObject } from './driver-object.ts';
import type { FileObject } from './file-object.ts';

const ATTACH_BLOCKING_FLAGS =
  DOE_UNLOAD_PENDING | DOE_DELETE_PENDING | DOE_REMOVE_PENDING | DOE_REMOVE_PROCESSED;

/** IoGetAttachedDevice: the top of the stack `deviceObject` is in, without a reference. */
export function IoGetAttachedDevice(deviceObject: DeviceObject): DeviceObject {
  let device = deviceObject;
  while (device.attachedDevice !== null) device = device.attachedDevice;
  return device;
}

/** IoGetAttachedDeviceReference: the top of the stack, referenced. */
export function IoGetAttachedDeviceReference(deviceObject: DeviceObject): DeviceObject {
  const top = IoGetAttachedDevice(deviceObject);
  ObReferenceObject(top);
  top.system.io.deviceReferenced(top);
  return top;
}

/**
 * IoGetLowerDeviceObject: the device directly below, referenced; null at the bottom or when the
 * lower device is being unloaded, deleted or removed (documented behaviour, not ReactOS's, D8).
 */
export function IoGetLowerDeviceObject(deviceObject: DeviceObject): DeviceObject | null {
  const lower = deviceObject.attachedTo;
  if (lower === null) return null;
  if ((lower.extensionFlags & ATTACH_BLOCKING_FLAGS) !== 0) return null;
  ObReferenceObject(lower);
  lower.system.io.deviceReferenced(lower);
  return lower;
}

/** IoGetDeviceAttachmentBaseRef: the bottom of the stack, referenced (the device itself when unattached). */
export function IoGetDeviceAttachmentBaseRef(deviceObject: DeviceObject): DeviceObject {
  let device = deviceObject;
  while (device.attachedTo !== null) device = device.attachedTo;
  ObReferenceObject(device);
  device.system.io.deviceReferenced(device);
  return device;
}

/** The bottom of the stack without a reference (IopGetDeviceAttachmentBase). */
export function IopGetDeviceAttachmentBase(deviceObject: DeviceObject): DeviceObject {
  let device = deviceObject;
  while (device.attachedTo !== null) device = device.attachedTo;
  return device;
}

export interface AttachResult {
  status: NTSTATUS;
  /** The device actually attached to: the target's top at the time of the call. */
  attachedTo: DeviceObject | null;
}

/**
 * IoAttachDeviceToDeviceStackSafe: attaches `sourceDevice` to the top of `targetDevice`'s stack and
 * returns the device it landed on. STATUS_NO_SUCH_DEVICE when the top is initializing or going away.
 */
export function IoAttachDeviceToDeviceStackSafe(
  sourceDevice: DeviceObject,
  targetDevice: DeviceObject,
): AttachResult {
  const attachedTo = IopAttachDeviceToDeviceStack(sourceDevice, targetDevice);
  return attachedTo === null
    ? { status: STATUS_NO_SUCH_DEVICE, attachedTo: null }
    : { status: STATUS_SUCCESS, attachedTo };
}

/** IoAttachDeviceToDeviceStack: as the Safe form, returning the previous top or null. */
export function IoAttachDeviceToDeviceStack(
  sourceDevice: DeviceObject,
  targetDevice: DeviceObject,
): DeviceObject | null {
  return IopAttachDeviceToDeviceStack(sourceDevice, targetDevice);
}

function IopAttachDeviceToDeviceStack(source: DeviceObject, target: DeviceObject): DeviceObject | null {
  const top = IoGetAttachedDevice(target);
  if ((top.flags & DO_DEVICE_INITIALIZING) !== 0) return null;
  if ((top.extensionFlags & ATTACH_BLOCKING_FLAGS) !== 0) return null;
  if (source === top || source.attachedTo !== null || source.deletePending) return null;
  // Both links are written together: no IRP can reach `source` before it knows its lower device.
  top.attachedDevice = source;
  source.attachedTo = top;
  source.stackSize = top.stackSize + 1;
  source.alignmentRequirement = top.alignmentRequirement;
  source.sectorSize = top.sectorSize;
  source.extensionFlags |= top.extensionFlags & DOE_START_PENDING;
  top.referenceCount++;
  source.system.io.stackChanged(top, source, 'attach');
  return top;
}

/**
 * IoDetachDevice: `targetDevice` is the lower device the caller attached to. Clears the link above
 * it and drops the reference the attach took; a delete-pending target with no references left
 * finishes deleting. Devices attached above the caller are left where they are.
 */
export function IoDetachDevice(targetDevice: DeviceObject): void {
  const upper = targetDevice.attachedDevice;
  if (upper === null) return;
  targetDevice.attachedDevice = null;
  upper.attachedTo = null;
  if (targetDevice.referenceCount > 0) targetDevice.referenceCount--;
  targetDevice.system.io.stackChanged(targetDevice, upper, 'detach');
  IopCompleteDeleteIfUnreferenced(targetDevice);
}

export interface EnumerateResult {
  status: NTSTATUS;
  devices: DeviceObject[];
  /** How many devices the driver has (ActualNumberDeviceObjects). */
  actualNumberDeviceObjects: number;
}

/**
 * IoEnumerateDeviceObjectList: every device on the driver's list (CDOs and VDOs alike), each
 * referenced. A device IoDeleteDevice marked delete-pending stays on that list until its last
 * reference goes (ReactOS unlinks it in IopUnloadDevice), so it is listed too; attaching to it
 * fails, and IoGetDiskDeviceObject no longer maps it. With `listSize` smaller than the count it
 * returns STATUS_BUFFER_TOO_SMALL and the count only (ReactOS; see docs/deviations.md), which is
 * how callers size the buffer; pass Infinity to get them all at once.
 */
export function IoEnumerateDeviceObjectList(
  driverObject: DriverObject,
  listSize = Number.POSITIVE_INFINITY,
): EnumerateResult {
  const listed = driverObject.deviceObjects.slice();
  if (listed.length > listSize) {
    return { status: STATUS_BUFFER_TOO_SMALL, devices: [], actualNumberDeviceObjects: listed.length };
  }
  for (const device of listed) {
    ObReferenceObject(device);
    device.system.io.deviceReferenced(device);
  }
  return { status: STATUS_SUCCESS, devices: listed, actualNumberDeviceObjects: listed.length };
}

/**
 * IoGetDiskDeviceObject: the storage device behind a mounted volume device, referenced.
 * STATUS_INVALID_PARAMETER for a device that is not a volume device; STATUS_VOLUME_DISMOUNTED when
 * its VPB no longer maps it.
 */
export function IoGetDiskDeviceObject(fileSystemDeviceObject: DeviceObject): {
  status: NTSTATUS;
  diskDeviceObject: DeviceObject | null;
} {
  const vpb = fileSystemDeviceObject.mountedVpb;
  if (vpb === null) return { status: STATUS_INVALID_PARAMETER, diskDeviceObject: null };
  if (vpb.deviceObject !== fileSystemDeviceObject || (vpb.flags & VPB_MOUNTED) === 0)
    return { status: STATUS_VOLUME_DISMOUNTED, diskDeviceObject: null };
  ObReferenceObject(vpb.realDevice);
  vpb.realDevice.system.io.deviceReferenced(vpb.realDevice);
  return { status: STATUS_SUCCESS, diskDeviceObject: vpb.realDevice };
}

/**
 * IoGetRelatedDeviceObject: where IRPs for a file object go. The top of the mounted volume's stack
 * when the file was opened through a VPB, else the top of the device's own stack.
 */
export function IoGetRelatedDeviceObject(fileObject: FileObject): DeviceObject {
  const vpb = fileObject.vpb;
  if (vpb !== null && vpb.deviceObject !== null) return IoGetAttachedDevice(vpb.deviceObject);
  return IoGetAttachedDevice(fileObject.deviceObject);
}
