/**
 * IRP_MJ_QUERY_VOLUME_INFORMATION for RAW (ReactOS RawQueryVolumeInformation).
 *
 * RAW knows nothing about the media but its size, which it asks the disk for
 * (IOCTL_DISK_GET_LENGTH_INFO) on every query, so a resized disk shows at once. The whole volume
 * counts as allocated: RAW has no free space. The label is empty, the serial number the VPB's
 * (0), the device the disk's, the file system name "RAW" with no attributes. The buffer rules are
 * every file system's (queryVolumeInformation: a buffer below the fixed record is
 * STATUS_INFO_LENGTH_MISMATCH, checked before the disk is asked). Unknown classes are
 * STATUS_INVALID_INFO_CLASS; setting volume information is not supported.
 */
import { IOCTL_DISK_GET_LENGTH_INFO } from '../../../base/file-codes.ts';
import { FileFsFullSizeInformation, FileFsSizeInformation } from '../../../base/information-classes.ts';
import { IRP_MJ_DEVICE_CONTROL } from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_INFO_CLASS,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  completeWhenDone,
  type DeviceObject,
  fsDeviceInfoOf,
  fsInformationLength,
  IoGetCurrentIrpStackLocation,
  type Irp,
  queryVolumeInformation,
  sendPrivateRequest,
  setFsSizeInformation,
  type VolumeFacts,
  type VolumeInformationParameters,
} from '../../../io/index.ts';
import { type RawVcb, rawVcbOf } from './vcb.ts';

const RAW_VOLUME_FACTS: VolumeFacts<RawVcb> = {
  unsupportedClass: STATUS_INVALID_INFO_CLASS,
  volumeInfo: (vcb) => ({
    volumeCreationTime: 0,
    volumeSerialNumber: vcb.vpb.serialNumber,
    volumeLabel: '',
    supportsObjects: false,
  }),
  // The size classes need the disk (querySize below).
  sizeInfo: null,
  deviceInfo: (vcb) => fsDeviceInfoOf(vcb.realDevice),
  attributeInfo: () => ({ fileSystemAttributes: 0, maximumComponentNameLength: 0, fileSystemName: 'RAW' }),
};

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
        const information = setFsSizeInformation(irp, infoClass, {
          totalAllocationUnits: units,
          callerAvailableAllocationUnits: 0,
          actualAvailableAllocationUnits: 0,
          sectorsPerAllocationUnit: 1,
          bytesPerSector,
        });
        finish(STATUS_SUCCESS, information);
      },
    );
  });
}

export function RawQueryVolumeInformation(device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = rawVcbOf(device);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  if (vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  const { fsInformationClass, length } = IoGetCurrentIrpStackLocation(irp)
    .parameters as VolumeInformationParameters;
  if (fsInformationClass !== FileFsSizeInformation && fsInformationClass !== FileFsFullSizeInformation)
    return queryVolumeInformation(irp, RAW_VOLUME_FACTS, vcb);
  if (length < fsInformationLength(fsInformationClass))
    return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
  return querySize(vcb, irp, fsInformationClass);
}
