/**
 * IRP_MJ_SHUTDOWN for RAW, as ReactOS's RawShutdown does it: RAW takes its three control devices
 * out of the file system queues and deletes them. Mounted RAW volumes hold nothing to write back.
 * After this the system has no file system of last resort, which is right for a system going down.
 */
import { type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  IoCompleteRequest,
  IoDeleteDevice,
  IoUnregisterFileSystem,
  type Irp,
} from '../../../io/index.ts';
import { RawControlDevice } from './vcb.ts';

export function RawShutdown(device: DeviceObject, irp: Irp): NTSTATUS {
  const controlDevices = device.driverObject.deviceObjects.filter(
    (candidate) => candidate.deviceExtension instanceof RawControlDevice && !candidate.deletePending,
  );
  for (const cdo of controlDevices) {
    IoUnregisterFileSystem(cdo);
    IoDeleteDevice(cdo);
  }
  irp.ioStatus.status = STATUS_SUCCESS;
  irp.ioStatus.information = 0;
  IoCompleteRequest(irp);
  return STATUS_SUCCESS;
}
