import { FSCTL_GET_REPARSE_POINT } from '../../../base/file-codes.ts';
import {
  IRP_MN_MOUNT_VOLUME,
  IRP_MN_USER_FS_REQUEST,
  IRP_MN_VERIFY_VOLUME,
} from '../../../base/irp-codes.ts';
import {
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_NOT_A_REPARSE_POINT,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  type ControlParameters,
  completeRequest,
  completeSymbolicLinkReparsePoint,
  type DeviceObject,
  type FileObject,
  IoDeleteDevice,
  IoGetCurrentIrpStackLocation,
  IoUnregisterFileSystem,
  type Irp,
  passDeviceControlToDisk,
  volumeUserFsRequest,
} from '../../../io/index.ts';
import { ObDereferenceObject } from '../../../ob/index.ts';
import { checkMounted, fcbOf, vcbOfOpen } from './common.ts';
import { CdfsMountVolume, CdfsVerifyVolume } from './mount.ts';
import { CdfsControl, type CdfsData, type Vcb, vcbOf } from './structures.ts';

function getReparsePoint(fileObject: FileObject, irp: Irp, outputLength: number): NTSTATUS {
  const target = fcbOf(fileObject)?.node.symlinkTarget ?? null;
  if (target === null) return completeRequest(irp, STATUS_NOT_A_REPARSE_POINT);
  return completeSymbolicLinkReparsePoint(irp, target, outputLength);
}

function userFsRequest(vcb: Vcb, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const { controlCode, outputBufferLength } = location.parameters as ControlParameters;
  if (controlCode === FSCTL_GET_REPARSE_POINT)
    return getReparsePoint(location.fileObject!, irp, outputBufferLength);
  // A read-only disc has nothing to write back before a lock or a dismount.
  return volumeUserFsRequest(vcb, irp, null);
}

export function CdfsFileSystemControl(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const minor = location.minorFunction;
  if (device.deviceExtension instanceof CdfsControl) {
    return minor === IRP_MN_MOUNT_VOLUME
      ? CdfsMountVolume(device, irp)
      : completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  }
  if (minor === IRP_MN_VERIFY_VOLUME) {
    const vcb = vcbOf(device);
    return vcb === null ? completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST) : CdfsVerifyVolume(vcb, irp);
  }
  if (minor !== IRP_MN_USER_FS_REQUEST) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const vcb = vcbOfOpen(location.fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  return userFsRequest(vcb, irp);
}

export function CdfsDeviceControl(_device: DeviceObject, irp: Irp): NTSTATUS {
  return passDeviceControlToDisk(vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject), irp);
}

/** Takes the control devices out of the queues and deletes them (what DriverUnload also does). */
export function removeControlDevices(data: CdfsData): void {
  for (const cdo of data.controlDevices.splice(0)) {
    IoUnregisterFileSystem(cdo);
    ObDereferenceObject(cdo);
    IoDeleteDevice(cdo);
  }
}

export function CdfsShutdown(device: DeviceObject, irp: Irp): NTSTATUS {
  const data = device.driverObject.driverExtension as CdfsData;
  if (device.deviceExtension instanceof CdfsControl) {
    data.shutdown = true;
    removeControlDevices(data);
  }
  return completeRequest(irp, STATUS_SUCCESS);
}
