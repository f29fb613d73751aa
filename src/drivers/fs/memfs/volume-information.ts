/**
 * IRP_MJ_QUERY_VOLUME_INFORMATION and IRP_MJ_SET_VOLUME_INFORMATION for MemFS.
 *
 * Sizes are in sectors (one sector per allocation unit): the total is the media, the free part is
 * what the serialized volume does not use yet, so "free" is exactly what writes may still add. The
 * label is at most 32 characters without control characters (else STATUS_INVALID_VOLUME_LABEL) and
 * is mirrored in the VPB. Unknown query classes are STATUS_INVALID_INFO_CLASS; the only class that
 * can be set is FileFsLabelInformation (others: STATUS_INVALID_PARAMETER, as FastFat answers).
 */
import {
  FILE_CASE_PRESERVED_NAMES,
  FILE_FS_ATTRIBUTE_INFORMATION_SIZE,
  FILE_FS_DEVICE_INFORMATION_SIZE,
  FILE_FS_FULL_SIZE_INFORMATION_SIZE,
  FILE_FS_SIZE_INFORMATION_SIZE,
  FILE_FS_VOLUME_INFORMATION_SIZE,
  FILE_READ_ONLY_VOLUME,
  FILE_UNICODE_ON_DISK,
  type FileFsAttributeInfo,
  FileFsAttributeInformation,
  type FileFsDeviceInfo,
  FileFsDeviceInformation,
  type FileFsFullSizeInfo,
  FileFsFullSizeInformation,
  FileFsLabelInformation,
  type FileFsSizeInfo,
  FileFsSizeInformation,
  type FileFsVolumeInfo,
  FileFsVolumeInformation,
} from '../../../base/information-classes.ts';
import {
  type NTSTATUS,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_VOLUME_LABEL,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  isValidVolumeLabel,
  MAX_COMPONENT_LENGTH,
  type VolumeInformationParameters,
} from '../../../io/index.ts';
import { checkMounted, vcbOfOpen } from './common.ts';
import type { Vcb } from './structures.ts';

export const MEMFS_FILE_SYSTEM_NAME = 'MemFS';

function query(vcb: Vcb, irp: Irp, infoClass: number, length: number): NTSTATUS {
  const volume = vcb.volume;
  const sectorSize = vcb.sectorSize;
  const total = Math.floor(volume.capacityBytes / sectorSize);
  const free = Math.floor((volume.capacityBytes - volume.usedBytes) / sectorSize);
  switch (infoClass) {
    case FileFsVolumeInformation: {
      if (length < FILE_FS_VOLUME_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const room = Math.floor((length - FILE_FS_VOLUME_INFORMATION_SIZE) / 2);
      const label = volume.label.slice(0, room);
      const info: FileFsVolumeInfo = {
        volumeCreationTime: volume.creationTime,
        volumeSerialNumber: volume.serialNumber,
        volumeLabel: label,
        supportsObjects: false,
      };
      irp.systemBuffer = info;
      const status = label.length < volume.label.length ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(irp, status, FILE_FS_VOLUME_INFORMATION_SIZE + 2 * label.length);
    }
    case FileFsSizeInformation: {
      if (length < FILE_FS_SIZE_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const info: FileFsSizeInfo = {
        totalAllocationUnits: total,
        availableAllocationUnits: free,
        sectorsPerAllocationUnit: 1,
        bytesPerSector: sectorSize,
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, FILE_FS_SIZE_INFORMATION_SIZE);
    }
    case FileFsFullSizeInformation: {
      if (length < FILE_FS_FULL_SIZE_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const info: FileFsFullSizeInfo = {
        totalAllocationUnits: total,
        callerAvailableAllocationUnits: free,
        actualAvailableAllocationUnits: free,
        sectorsPerAllocationUnit: 1,
        bytesPerSector: sectorSize,
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, FILE_FS_FULL_SIZE_INFORMATION_SIZE);
    }
    case FileFsDeviceInformation: {
      if (length < FILE_FS_DEVICE_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const info: FileFsDeviceInfo = {
        deviceType: vcb.realDevice.deviceType,
        characteristics: vcb.realDevice.characteristics,
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, FILE_FS_DEVICE_INFORMATION_SIZE);
    }
    case FileFsAttributeInformation: {
      if (length < FILE_FS_ATTRIBUTE_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const room = Math.floor((length - FILE_FS_ATTRIBUTE_INFORMATION_SIZE) / 2);
      const name = MEMFS_FILE_SYSTEM_NAME.slice(0, room);
      const info: FileFsAttributeInfo = {
        fileSystemAttributes:
          FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK | (vcb.readOnly ? FILE_READ_ONLY_VOLUME : 0),
        maximumComponentNameLength: MAX_COMPONENT_LENGTH,
        fileSystemName: name,
      };
      irp.systemBuffer = info;
      const status = name.length < MEMFS_FILE_SYSTEM_NAME.length ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(irp, status, FILE_FS_ATTRIBUTE_INFORMATION_SIZE + 2 * name.length);
    }
    default:
      return completeRequest(irp, STATUS_INVALID_INFO_CLASS);
  }
}

export function MemFsQueryVolumeInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const vcb = vcbOfOpen(location.fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const { fsInformationClass, length } = location.parameters as VolumeInformationParameters;
  return query(vcb, irp, fsInformationClass, length);
}

export function MemFsSetVolumeInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const vcb = vcbOfOpen(location.fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const { fsInformationClass } = location.parameters as VolumeInformationParameters;
  if (fsInformationClass !== FileFsLabelInformation) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const info = irp.systemBuffer as { volumeLabel?: unknown } | null;
  const label = info?.volumeLabel;
  if (typeof label !== 'string') return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (!isValidVolumeLabel(label)) return completeRequest(irp, STATUS_INVALID_VOLUME_LABEL);
  if (vcb.readOnly) return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED);
  vcb.volume.label = label;
  vcb.vpb.volumeLabel = label;
  vcb.dirty = true;
  return completeRequest(irp, STATUS_SUCCESS);
}
