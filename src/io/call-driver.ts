/**
 * IoCallDriver (IofCallDriver): hand an IRP to the driver of a device.
 *
 * Moves the IRP to the next stack location, records the device there, and calls the driver's
 * dispatch routine for that location's major function. Running out of stack locations is the
 * NO_MORE_IRP_STACK_LOCATIONS bug check (reference §6.1). A major function beyond
 * IRP_MJ_MAXIMUM_FUNCTION has no dispatch slot: it gets the I/O manager's default routine
 * (STATUS_INVALID_DEVICE_REQUEST) instead of a crash. This is the hot path: no allocation.
 */

import type { NTSTATUS } from '../base/index.ts';
import { KeBugCheckEx, NO_MORE_IRP_STACK_LOCATIONS } from '../base/index.ts';
import type { DeviceObject } from './device-object.ts';
import { IopInvalidDeviceRequest } from './invalid-device-request.ts';
import type { Irp } from './irp.ts';

export function IoCallDriver(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const location = irp.currentLocation - 1;
  if (location <= 0) {
    KeBugCheckEx(
      NO_MORE_IRP_STACK_LOCATIONS,
      `IRP sent to ${deviceObject.describe()} has no stack location left (stack count ${irp.stackCount})`,
      irp,
    );
  }
  irp.currentLocation = location;
  const stackLocation = irp.location(location - 1);
  stackLocation.deviceObject = deviceObject;
  const dispatch = deviceObject.driverObject.majorFunction[stackLocation.majorFunction];
  return (dispatch ?? IopInvalidDeviceRequest)(deviceObject, irp);
}
