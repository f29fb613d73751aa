/**
 * IRP_MJ_QUERY_VOLUME_INFORMATION for CDFS (CdCommonQueryVolInfo).
 *
 * As CDFS answers: the label and serial number of the mount (Joliet descriptor when there is one),
 * the volume's size in 2048-byte sectors with nothing free, the device type FILE_DEVICE_CD_ROM, the
 * file system name "CDFS", FILE_READ_ONLY_VOLUME and FILE_CASE_SENSITIVE_SEARCH with
 * FILE_UNICODE_ON_DISK on Joliet, and a longest name of 110 characters on Joliet and 221 on plain
 * ISO 9660. A Rock Ridge mount reports what POSIX names allow instead: case-preserved Unicode names
 * of up to 255 characters, and reparse points (its symbolic links). The volume creation time is the
 * descriptor's creation date. Unknown classes are STATUS_INVALID_PARAMETER, as in CDFS. Setting
 * anything is write-protect.ts's business.
 */
import { FILE_DEVICE_CD_ROM } from '../../../base/device-codes.ts';
import {
  FILE_CASE_PRESERVED_NAMES,
  FILE_CASE_SENSITIVE_SEARCH,
  FILE_FS_ATTRIBUTE_INFORMATION_SIZE,
  FILE_FS_DEVICE_INFORMATION_SIZE,
  FILE_FS_FULL_SIZE_INFORMATION_SIZE,
  FILE_FS_SIZE_INFORMATION_SIZE,
  FILE_FS_VOLUME_INFORMATION_SIZE,
  FILE_READ_ONLY_VOLUME,
  FILE_SUPPORTS_REPARSE_POINTS,
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
} from '../../../base/information-classes.ts';
import {
  type NTSTATUS,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type VolumeInformationParameters,
} from '../../../io/index.ts';
import { checkMounted, vcbOfOpen } from './common.ts';
import { LOGICAL_SECTOR_SIZE } from './on-disk.ts';
import type { Vcb } from './structures.ts';

export const CDFS_FILE_SYSTEM_NAME = 'CDFS';

function attributeInfo(vcb: Vcb, length: number): { info: FileFsAttributeInfo; overflow: boolean } {
  const { nameSet } = vcb.facts;
  let attributes = FILE_CASE_SENSITIVE_SEARCH | FILE_READ_ONLY_VOLUME;
  let longest = 221;
  if (nameSet === 'joliet') {
    attributes |= FILE_UNICODE_ON_DISK;
    longest = 110;
  } else if (nameSet === 'rock-ridge') {
    attributes |= FILE_UNICODE_ON_DISK | FILE_CASE_PRESERVED_NAMES | FILE_SUPPORTS_REPARSE_POINTS;
    longest = 255;
  }
  const room = Math.floor((length - FILE_FS_ATTRIBUTE_INFORMATION_SIZE) / 2);
  const name = CDFS_FILE_SYSTEM_NAME.slice(0, room);
  return {
    info: { fileSystemAttributes: attributes, maximumComponentNameLength: longest, fileSystemName: name },
    overflow: name.length < CDFS_FILE_SYSTEM_NAME.length,
  };
}

function query(vcb: Vcb, irp: Irp, infoClass: number, length: number): NTSTATUS {
  const facts = vcb.facts;
  const totalSectors = Math.floor((facts.volumeBlocks * facts.blockSize) / LOGICAL_SECTOR_SIZE);
  switch (infoClass) {
    case FileFsVolumeInformation: {
      if (length < FILE_FS_VOLUME_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const room = Math.floor((length - FILE_FS_VOLUME_INFORMATION_SIZE) / 2);
      const label = facts.label.slice(0, room);
      const info: FileFsVolumeInfo = {
        volumeCreationTime: facts.creationTime,
        volumeSerialNumber: facts.serialNumber,
        volumeLabel: label,
        supportsObjects: false,
      };
      irp.systemBuffer = info;
      const status = label.length < facts.label.length ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(irp, status, FILE_FS_VOLUME_INFORMATION_SIZE + 2 * label.length);
    }
    case FileFsSizeInformation: {
      if (length < FILE_FS_SIZE_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const info: FileFsSizeInfo = {
        totalAllocationUnits: totalSectors,
        availableAllocationUnits: 0,
        sectorsPerAllocationUnit: 1,
        bytesPerSector: LOGICAL_SECTOR_SIZE,
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, FILE_FS_SIZE_INFORMATION_SIZE);
    }
    case FileFsFullSizeInformation: {
      if (length < FILE_FS_FULL_SIZE_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const info: FileFsFullSizeInfo = {
        totalAllocationUnits: totalSectors,
        callerAvailableAllocationUnits: 0,
        actualAvailableAllocationUnits: 0,
        sectorsPerAllocationUnit: 1,
        bytesPerSector: LOGICAL_SECTOR_SIZE,
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, FILE_FS_FULL_SIZE_INFORMATION_SIZE);
    }
    case FileFsDeviceInformation: {
      if (length < FILE_FS_DEVICE_INFORMATION_SIZE) return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const info: FileFsDeviceInfo = {
        deviceType: FILE_DEVICE_CD_ROM,
        characteristics: vcb.storage.characteristics,
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, FILE_FS_DEVICE_INFORMATION_SIZE);
    }
    case FileFsAttributeInformation: {
      if (length < FILE_FS_ATTRIBUTE_INFORMATION_SIZE)
        return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
      const { info, overflow } = attributeInfo(vcb, length);
      irp.systemBuffer = info;
      const status = overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(
        irp,
        status,
        FILE_FS_ATTRIBUTE_INFORMATION_SIZE + 2 * info.fileSystemName.length,
      );
    }
    default:
      return completeRequest(irp, STATUS_INVALID_PARAMETER);
  }
}

export function CdfsQueryVolumeInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const vcb = vcbOfOpen(location.fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const { fsInformationClass, length } = location.parameters as VolumeInformationParameters;
  return query(vcb, irp, fsInformationClass, length);
}
