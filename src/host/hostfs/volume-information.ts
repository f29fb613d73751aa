/**
 * IRP_MJ_QUERY_VOLUME_INFORMATION for HostFS: what a redirector reports about a share.
 *
 * The label is the share name; the serial number is the host device number of the share's root
 * (low 32 bits); the creation time is the root's. Sizes come from statfs() of the host file system
 * holding the root, in its blocks: total, free for this user (caller-available) and free overall.
 * The device is a remote disk (FILE_DEVICE_DISK with FILE_REMOTE_DEVICE, plus
 * FILE_READ_ONLY_DEVICE on a read-only share). The file system is "HostFS": case-preserving,
 * Unicode, not case-sensitive (HostFS looks names up case-insensitively), 255-character names.
 * Control-device opens have no volume (STATUS_INVALID_PARAMETER). Setting volume information is not
 * offered (the I/O manager's default, STATUS_INVALID_DEVICE_REQUEST).
 */
import * as fs from 'node:fs';
import {
  FILE_CASE_PRESERVED_NAMES,
  FILE_DEVICE_DISK,
  FILE_DEVICE_IS_MOUNTED,
  FILE_FS_ATTRIBUTE_INFORMATION_SIZE,
  FILE_FS_DEVICE_INFORMATION_SIZE,
  FILE_FS_FULL_SIZE_INFORMATION_SIZE,
  FILE_FS_SIZE_INFORMATION_SIZE,
  FILE_FS_VOLUME_INFORMATION_SIZE,
  FILE_READ_ONLY_DEVICE,
  FILE_READ_ONLY_VOLUME,
  FILE_REMOTE_DEVICE,
  FILE_UNICODE_ON_DISK,
  type FileFsAttributeInfo,
  FileFsAttributeInformation,
  type FileFsDeviceInfo,
  FileFsDeviceInformation,
  type FileFsFullSizeInfo,
  FileFsFullSizeInformation,
  type FileFsSizeInfo,
  FileFsSizeInformation,
  type FileFsVolumeInfo,
  FileFsVolumeInformation,
  type NTSTATUS,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  completeRequest,
  type DeviceObject,
  fitNameInBuffer,
  IoGetCurrentIrpStackLocation,
  type Irp,
  MAX_COMPONENT_LENGTH,
  type VolumeInformationParameters,
} from '../../io/index.ts';
import { creationTimeOf } from './attributes.ts';
import { checkShare, fcbOf } from './common.ts';
import { ntStatusFromHostError } from './host-errors.ts';
import type { Share } from './structures.ts';

export const HOSTFS_FILE_SYSTEM_NAME = 'HostFS';

interface Sizes {
  total: number;
  callerFree: number;
  free: number;
  sectorsPerUnit: number;
  bytesPerSector: number;
}

function sizes(share: Share): Sizes {
  const stat = fs.statfsSync(share.root.path);
  // Report 512-byte sectors when the block size allows, as NT volumes do.
  const sectorsPerUnit = stat.bsize % 512 === 0 ? stat.bsize / 512 : 1;
  return {
    total: stat.blocks,
    callerFree: stat.bavail,
    free: stat.bfree,
    sectorsPerUnit,
    bytesPerSector: stat.bsize / sectorsPerUnit,
  };
}

function query(share: Share, irp: Irp, infoClass: number, length: number): NTSTATUS {
  switch (infoClass) {
    case FileFsVolumeInformation: {
      if (length < FILE_FS_VOLUME_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const root = share.namespace.stat(share.root);
      const { name: label, overflow } = fitNameInBuffer(share.name, length, FILE_FS_VOLUME_INFORMATION_SIZE);
      const info: FileFsVolumeInfo = {
        volumeCreationTime: creationTimeOf(root),
        volumeSerialNumber: root.dev >>> 0,
        volumeLabel: label,
        supportsObjects: false,
      };
      irp.systemBuffer = info;
      const status = overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(irp, status, FILE_FS_VOLUME_INFORMATION_SIZE + 2 * label.length);
    }
    case FileFsSizeInformation: {
      if (length < FILE_FS_SIZE_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const s = sizes(share);
      const info: FileFsSizeInfo = {
        totalAllocationUnits: s.total,
        availableAllocationUnits: s.callerFree,
        sectorsPerAllocationUnit: s.sectorsPerUnit,
        bytesPerSector: s.bytesPerSector,
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, FILE_FS_SIZE_INFORMATION_SIZE);
    }
    case FileFsFullSizeInformation: {
      if (length < FILE_FS_FULL_SIZE_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const s = sizes(share);
      const info: FileFsFullSizeInfo = {
        totalAllocationUnits: s.total,
        callerAvailableAllocationUnits: s.callerFree,
        actualAvailableAllocationUnits: s.free,
        sectorsPerAllocationUnit: s.sectorsPerUnit,
        bytesPerSector: s.bytesPerSector,
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, FILE_FS_FULL_SIZE_INFORMATION_SIZE);
    }
    case FileFsDeviceInformation: {
      if (length < FILE_FS_DEVICE_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const info: FileFsDeviceInfo = {
        deviceType: FILE_DEVICE_DISK,
        characteristics:
          FILE_REMOTE_DEVICE | FILE_DEVICE_IS_MOUNTED | (share.readOnly ? FILE_READ_ONLY_DEVICE : 0),
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, FILE_FS_DEVICE_INFORMATION_SIZE);
    }
    case FileFsAttributeInformation: {
      if (length < FILE_FS_ATTRIBUTE_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const fitted = fitNameInBuffer(HOSTFS_FILE_SYSTEM_NAME, length, FILE_FS_ATTRIBUTE_INFORMATION_SIZE);
      const name = fitted.name;
      const info: FileFsAttributeInfo = {
        fileSystemAttributes:
          FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK | (share.readOnly ? FILE_READ_ONLY_VOLUME : 0),
        maximumComponentNameLength: MAX_COMPONENT_LENGTH,
        fileSystemName: name,
      };
      irp.systemBuffer = info;
      const status = fitted.overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(irp, status, FILE_FS_ATTRIBUTE_INFORMATION_SIZE + 2 * name.length);
    }
    default:
      return completeRequest(irp, STATUS_INVALID_INFO_CLASS);
  }
}

export function HostFsQueryVolumeInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fcb = fcbOf(location.fileObject);
  if (fcb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const shared = checkShare(fcb);
  if (shared !== STATUS_SUCCESS) return completeRequest(irp, shared);
  const { fsInformationClass, length } = location.parameters as VolumeInformationParameters;
  try {
    return query(fcb.share, irp, fsInformationClass, length);
  } catch (error) {
    return completeRequest(irp, ntStatusFromHostError(error));
  }
}
