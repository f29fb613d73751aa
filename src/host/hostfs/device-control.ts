/**
 * IRP_MJ_DEVICE_CONTROL for HostFS: the share-management IOCTLs of control-codes.ts, accepted on
 * an open of the control device only. On files and directories device controls mean nothing to
 * HostFS (STATUS_INVALID_DEVICE_REQUEST).
 */
import {
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  type ControlParameters,
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
} from '../../io/index.ts';

import {
  type HostFsShareOptions,
  IOCTL_HOSTFS_ADD_SHARE,
  IOCTL_HOSTFS_QUERY_SHARES,
  IOCTL_HOSTFS_REMOVE_SHARE,
} from './control-codes.ts';
import { addShare, listShares, removeShare } from './shares.ts';
import { HostFsControl, type HostFsData } from './structures.ts';

export function HostFsDeviceControl(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  if (!(location.fileObject?.fsContext instanceof HostFsControl))
    return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const data = device.driverObject.driverExtension as HostFsData;
  const { controlCode } = location.parameters as ControlParameters;
  const input = irp.systemBuffer;
  switch (controlCode) {
    case IOCTL_HOSTFS_ADD_SHARE:
      return completeRequest(irp, addShare(data, input as HostFsShareOptions));
    case IOCTL_HOSTFS_REMOVE_SHARE: {
      if (typeof input !== 'object' || input === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
      return completeRequest(irp, removeShare(data, (input as { name?: unknown }).name));
    }
    case IOCTL_HOSTFS_QUERY_SHARES: {
      const shares = listShares(data);
      irp.systemBuffer = shares;
      return completeRequest(irp, STATUS_SUCCESS, shares.length);
    }
    default:
      return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  }
}
