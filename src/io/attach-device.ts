/**
 * IoAttachDevice: attach a device to the stack of a device known by name (reference §4.2).
 *
 * The name is opened with FILE_READ_ATTRIBUTES only, so a volume name does not mount a file system:
 * the device lands on the storage stack. The source goes on the top of the stack the open reached
 * (IoGetRelatedDeviceObject of the temporary file object), with the usual attach rules. The
 * temporary open is then dropped, and because its IRP_MJ_CLEANUP and IRP_MJ_CLOSE go to the top of
 * the stack, the newly attached device receives them before this returns: its dispatch routines
 * must be in place. Windows writes the caller's AttachedDevice before that happens; here the result
 * comes back only afterwards, so during those two requests the driver finds its lower device in
 * `sourceDevice.attachedTo` (set by the attach). Returns the device attached to, or null on failure.
 */
import {
  FILE_READ_ATTRIBUTES,
  type MaybePromise,
  NT_SUCCESS,
  type NTSTATUS,
  whenReady,
} from '../base/index.ts';
import { ObDereferenceObject } from '../ob/index.ts';
import type { DeviceObject } from './device-object.ts';
import { IoGetDeviceObjectPointer } from './device-object-pointer.ts';
import { IoAttachDeviceToDeviceStackSafe } from './device-stack.ts';

export interface AttachDeviceResult {
  status: NTSTATUS;
  /** The device the source was attached to (the previous top), or null. */
  attachedDevice: DeviceObject | null;
}

export function IoAttachDevice(
  sourceDevice: DeviceObject,
  targetDevice: string,
): MaybePromise<AttachDeviceResult> {
  const opened = IoGetDeviceObjectPointer(sourceDevice.system, targetDevice, FILE_READ_ATTRIBUTES);
  return whenReady(opened, ({ status, fileObject, deviceObject }) => {
    if (!NT_SUCCESS(status) || fileObject === null || deviceObject === null) {
      return { status, attachedDevice: null };
    }
    const attached = IoAttachDeviceToDeviceStackSafe(sourceDevice, deviceObject);
    ObDereferenceObject(fileObject);
    return { status: attached.status, attachedDevice: attached.attachedTo };
  });
}
