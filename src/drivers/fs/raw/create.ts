/**
 * IRP_MJ_CREATE for RAW (ReactOS RawCreate).
 *
 * On a control device (`\Device\RawDisk`, opened by filters that attach to RAW by name) any open of
 * the device itself succeeds. On a volume only the volume itself can be opened: RAW has no files,
 * so a name is STATUS_INVALID_PARAMETER; then the rules of every volume open (checkVolumeOpen:
 * FILE_DIRECTORY_FILE is STATUS_NOT_A_DIRECTORY, FILE_DELETE_ON_CLOSE STATUS_CANNOT_DELETE, a
 * disposition other than FILE_OPEN/FILE_OPEN_IF STATUS_ACCESS_DENIED); a locked or dismounted
 * volume refuses; share access is checked against the volume's. A create that fails on a volume
 * nobody has open dismounts it, so a RAW mount never outlives the open that caused it.
 */

import { VPB_LOCKED } from '../../../base/device-codes.ts';
import { FILE_OPENED } from '../../../base/file-codes.ts';
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
} from '../../../base/ntstatus.ts';
import {
  type CreateRequest,
  checkVolumeOpen,
  completeRequest,
  createRequestOf,
  type DeviceObject,
  dismountVolume,
  IoGetCurrentIrpStackLocation,
  type Irp,
  openVolumeFileObject,
} from '../../../io/index.ts';
import { RawControlDevice, type RawVcb, rawDeleteIfUnused, rawVcbOf } from './vcb.ts';

function openVolume(vcb: RawVcb, request: CreateRequest): NTSTATUS {
  if (vcb.dismounted) return STATUS_VOLUME_DISMOUNTED;
  if (request.fileObject.fileName !== '') return STATUS_INVALID_PARAMETER;
  const checked = checkVolumeOpen(request);
  if (checked !== STATUS_SUCCESS) return checked;
  if ((vcb.vpb.flags & VPB_LOCKED) !== 0) return STATUS_ACCESS_DENIED;
  return openVolumeFileObject(request, vcb, null);
}

export function RawCreate(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  if (device.deviceExtension instanceof RawControlDevice) {
    fileObject.fsContext = device.deviceExtension;
    return completeRequest(irp, STATUS_SUCCESS, FILE_OPENED);
  }
  const vcb = rawVcbOf(device);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const status = openVolume(vcb, createRequestOf(location));
  if (status === STATUS_SUCCESS) return completeRequest(irp, status, FILE_OPENED);
  if (vcb.openCount === 0) {
    dismountVolume(vcb, true);
    rawDeleteIfUnused(vcb);
  }
  return completeRequest(irp, status);
}
