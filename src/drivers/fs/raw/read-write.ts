/**
 * IRP_MJ_READ, IRP_MJ_WRITE and IRP_MJ_DEVICE_CONTROL on a RAW volume: straight to the storage
 * stack (ReactOS RawReadWriteDeviceControl).
 *
 * RAW copies its stack location to the next one and calls the storage top it mounted on; the disk
 * enforces alignment and bounds. Its completion routine propagates the pending flag and, for a
 * synchronous file object, advances CurrentByteOffset by what was transferred, as a file system does.
 */
import { FO_SYNCHRONOUS_IO } from '../../../base/file-codes.ts';
import { IRP_MJ_READ, IRP_MJ_WRITE } from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
} from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  IoCallDriver,
  IoCompleteRequest,
  IoCopyCurrentIrpStackLocationToNext,
  IoGetCurrentIrpStackLocation,
  IoMarkIrpPending,
  IoSetCompletionRoutine,
  type Irp,
  type ReadWriteParameters,
} from '../../../io/index.ts';
import { rawVcbOf } from './vcb.ts';

function rawTransferCompleted(_device: DeviceObject | null, irp: Irp, _context: unknown): NTSTATUS {
  if (irp.pendingReturned) IoMarkIrpPending(irp);
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject;
  if (
    NT_SUCCESS(irp.ioStatus.status) &&
    fileObject !== null &&
    (fileObject.flags & FO_SYNCHRONOUS_IO) !== 0 &&
    (location.majorFunction === IRP_MJ_READ || location.majorFunction === IRP_MJ_WRITE)
  ) {
    fileObject.currentByteOffset =
      (location.parameters as ReadWriteParameters).byteOffset + irp.ioStatus.information;
  }
  return STATUS_SUCCESS;
}

export function RawReadWriteDeviceControl(device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = rawVcbOf(device);
  let status: NTSTATUS = STATUS_SUCCESS;
  if (vcb === null) status = STATUS_INVALID_DEVICE_REQUEST;
  else if (vcb.dismounted) status = STATUS_VOLUME_DISMOUNTED;
  if (status !== STATUS_SUCCESS || vcb === null) {
    irp.ioStatus.status = status;
    irp.ioStatus.information = 0;
    IoCompleteRequest(irp);
    return status;
  }
  IoCopyCurrentIrpStackLocationToNext(irp);
  IoSetCompletionRoutine(irp, rawTransferCompleted, null, true, true, true);
  return IoCallDriver(vcb.storage, irp);
}
