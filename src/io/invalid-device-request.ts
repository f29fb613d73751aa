/**
 * The I/O manager's default dispatch routine (IopInvalidDeviceRequest): every major function a
 * driver leaves unset completes with STATUS_INVALID_DEVICE_REQUEST.
 */

import type { NTSTATUS } from '../base/index.ts';
import { STATUS_INVALID_DEVICE_REQUEST } from '../base/index.ts';
import { IoCompleteRequest } from './complete-request.ts';
import type { DeviceObject } from './device-object.ts';
import type { Irp } from './irp.ts';

export function IopInvalidDeviceRequest(_deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  irp.ioStatus.status = STATUS_INVALID_DEVICE_REQUEST;
  irp.ioStatus.information = 0;
  IoCompleteRequest(irp);
  return STATUS_INVALID_DEVICE_REQUEST;
}
