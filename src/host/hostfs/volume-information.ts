/**
 * IRP_MJ_QUERY_VOLUME_INFORMATION for HostFS: what a redirector reports about a share.
 *
 * The label is the share name; the serial number is the host device number of the share's root
 * (low 32 bits); the creation time is the root's. Sizes come from statfs() of the host file system
 * holding the root, in its blocks: total, free for this user (caller-available) and free overall.
 * The device is a remote disk (FILE_DEVICE_DISK with FILE_REMOTE_DEVICE, plus
 * FILE_READ_ONLY_DEVICE on a read-only share). The file system is "HostFS": case-preserving,
 * Unicode, not case-sensitive (HostFS looks names up case-insensitively), 255-character names.
 * Control-device opens have no volume (STATUS_INVALID_PARAMETER); unknown classes are
 * STATUS_INVALID_INFO_CLASS. The records are HOSTFS_VOLUME_FACTS below, asked of the host only once
 * the buffer holds them; the buffer rules are the I/O library's queryVolumeInformation. Setting
 * volume information is not offered (the I/O manager's default, STATUS_INVALID_DEVICE_REQUEST).
 */
import * as fs from 'node:fs';
import {
  FILE_CASE_PRESERVED_NAMES,
  FILE_DEVICE_DISK,
  FILE_DEVICE_IS_MOUNTED,
  FILE_READ_ONLY_DEVICE,
  FILE_READ_ONLY_VOLUME,
  FILE_REMOTE_DEVICE,
  FILE_UNICODE_ON_DISK,
  type FileFsFullSizeInfo,
  type FileFsVolumeInfo,
  type NTSTATUS,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  MAX_COMPONENT_LENGTH,
  queryVolumeInformation,
  type VolumeFacts,
} from '../../io/index.ts';
import { creationTimeOf } from './attributes.ts';
import { checkShare, fcbOf } from './common.ts';
import { ntStatusFromHostError } from './host-errors.ts';
import type { Share } from './structures.ts';

export const HOSTFS_FILE_SYSTEM_NAME = 'HostFS';

function volumeInfo(share: Share): FileFsVolumeInfo {
  const root = share.namespace.stat(share.root);
  return {
    volumeCreationTime: creationTimeOf(root),
    volumeSerialNumber: root.dev >>> 0,
    volumeLabel: share.name,
    supportsObjects: false,
  };
}

function sizeInfo(share: Share): FileFsFullSizeInfo {
  const stat = fs.statfsSync(share.root.path);
  // Report 512-byte sectors when the block size allows, as NT volumes do.
  const sectorsPerUnit = stat.bsize % 512 === 0 ? stat.bsize / 512 : 1;
  return {
    totalAllocationUnits: stat.blocks,
    callerAvailableAllocationUnits: stat.bavail,
    actualAvailableAllocationUnits: stat.bfree,
    sectorsPerAllocationUnit: sectorsPerUnit,
    bytesPerSector: stat.bsize / sectorsPerUnit,
  };
}

const HOSTFS_VOLUME_FACTS: VolumeFacts<Share> = {
  unsupportedClass: STATUS_INVALID_INFO_CLASS,
  volumeInfo,
  sizeInfo,
  deviceInfo: (share) => ({
    deviceType: FILE_DEVICE_DISK,
    characteristics:
      FILE_REMOTE_DEVICE | FILE_DEVICE_IS_MOUNTED | (share.readOnly ? FILE_READ_ONLY_DEVICE : 0),
  }),
  attributeInfo: (share) => ({
    fileSystemAttributes:
      FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK | (share.readOnly ? FILE_READ_ONLY_VOLUME : 0),
    maximumComponentNameLength: MAX_COMPONENT_LENGTH,
    fileSystemName: HOSTFS_FILE_SYSTEM_NAME,
  }),
};

export function HostFsQueryVolumeInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fcb = fcbOf(IoGetCurrentIrpStackLocation(irp).fileObject);
  if (fcb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const shared = checkShare(fcb);
  if (shared !== STATUS_SUCCESS) return completeRequest(irp, shared);
  try {
    return queryVolumeInformation(irp, HOSTFS_VOLUME_FACTS, fcb.share);
  } catch (error) {
    // Only the host calls of the fact functions throw, before anything completed the IRP.
    return completeRequest(irp, ntStatusFromHostError(error));
  }
}
