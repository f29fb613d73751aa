/**
 * IRP_MJ_FLUSH_BUFFERS for the RAM disk: the media is memory, so there is nothing to write back
 * and a flush always succeeds. (Create, cleanup and close are the class driver's ClassCreateClose.)
 */
import { type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import { completeRequest, type DeviceObject, type Irp } from '../../../io/index.ts';

export function RamDiskFlush(_deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  return completeRequest(irp, STATUS_SUCCESS, 0);
}
