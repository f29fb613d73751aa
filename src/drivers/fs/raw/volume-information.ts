/**
 * IRP_MJ_QUERY_VOLUME_INFORMATION for RAW (ReactOS RawQueryVolumeInformation).
 *
 * RAW knows nothing about the media but its size, which it asks the disk for
 * (IOCTL_DISK_GET_LENGTH_INFO) on every query, so a resized disk shows at once. The whole volume
 * counts as allocated: RAW has no free space. The file system name is "RAW". Unknown classes are
 * STATUS_INVALID_INFO_CLASS; setting volume information is not supported.
 */

import { IOCTL_DISK_GET_LENGTH_INFO } from '../../../base/file-codes.ts';
import {
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
import { IRP_MJ_DEVICE_CONTROL } from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_INFO_CLASS,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  completeWhenDone,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  sendPrivateRequest,
  type VolumeInformationParameters,
} from '../../../io/index.ts';
import { type RawVcb, rawVcbOf } from './vcb.ts';

/** Asks the disk for its length, then answers the size class from it. */
function querySize(vcb: RawVcb, irp: Irp, infoClass: number): NTSTATUS {
  const bytesPerSector = vcb.volumeDevice.sectorSize;
  return completeWhenDone(irp, (finish) => {
    sendPrivateRequest(
      vcb.storage,
      {
        majorFunction: IRP_MJ_DEVICE_CONTROL,
        parameters: { controlCode: IOCTL_DISK_GET_LENGTH_INFO, inputBufferLength: 0, outputBufferLength: 8 },
      },
      (done) => {
        const answer = done.systemBuffer as { length?: unknown } | null;
        if (!NT_SUCCESS(done.ioStatus.status) || typeof answer?.length !== 'number') {
          finish(NT_SUCCESS(done.ioStatus.status) ? STATUS_INVALID_DEVICE_REQUEST : done.ioStatus.status, 0);
          return;
        }
        const units = Math.floor(answer.length / bytesPerSector);
        if (infoClass === FileFsSizeInformation) {
          const info: FileFsSizeInfo = {
            totalAllocationUnits: units,
            availableAllocationUnits: 0,
            sectorsPerAllocationUnit: 1,
            bytesPerSector,
          };
          irp.systemBuffer = info;
          finish(STATUS_SUCCESS, 24);
        } else {
          const info: FileFsFullSizeInfo = {
            totalAllocationUnits: units,
            callerAvailableAllocationUnits: 0,
            actualAvailableAllocationUnits: 0,
            sectorsPerAllocationUnit: 1,
            bytesPerSector,
          };
          irp.systemBuffer = info;
          finish(STATUS_SUCCESS, 32);
        }
      },
    );
  });
}

export function RawQueryVolumeInformation(device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = rawVcbOf(device);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  if (vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  const { fsInformationClass } = IoGetCurrentIrpStackLocation(irp).parameters as VolumeInformationParameters;
  switch (fsInformationClass) {
    case FileFsVolumeInformation: {
      const info: FileFsVolumeInfo = {
        volumeCreationTime: 0,
        volumeSerialNumber: vcb.vpb.serialNumber,
        volumeLabel: '',
        supportsObjects: false,
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, 18);
    }
    case FileFsSizeInformation:
    case FileFsFullSizeInformation:
      return querySize(vcb, irp, fsInformationClass);
    case FileFsDeviceInformation: {
      const info: FileFsDeviceInfo = {
        deviceType: vcb.realDevice.deviceType,
        characteristics: vcb.realDevice.characteristics,
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, 8);
    }
    case FileFsAttributeInformation: {
      const info: FileFsAttributeInfo = {
        fileSystemAttributes: 0,
        maximumComponentNameLength: 0,
        fileSystemName: 'RAW',
      };
      irp.systemBuffer = info;
      return completeRequest(irp, STATUS_SUCCESS, 12 + 2 * info.fileSystemName.length);
    }
    default:
      return completeRequest(irp, STATUS_INVALID_INFO_CLASS);
  }
}
