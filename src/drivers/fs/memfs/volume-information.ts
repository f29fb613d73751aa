/**
 * IRP_MJ_QUERY_VOLUME_INFORMATION and IRP_MJ_SET_VOLUME_INFORMATION for MemFS.
 *
 * The records are MemFS's facts (MEMFS_VOLUME_FACTS below); the buffer rules are the I/O
 * library's (queryVolumeInformation). Sizes are in sectors (one sector per allocation unit): the
 * total is the media, the free part is what the serialized volume does not use yet, so "free" is
 * exactly what writes may still add. The label is at most 32 characters without control
 * characters (else STATUS_INVALID_VOLUME_LABEL) and is mirrored in the VPB. Unknown query classes
 * are STATUS_INVALID_INFO_CLASS; the only class that can be set is FileFsLabelInformation (others:
 * STATUS_INVALID_PARAMETER, as FastFat answers).
 */
import {
  FILE_CASE_PRESERVED_NAMES,
  FILE_READ_ONLY_VOLUME,
  FILE_UNICODE_ON_DISK,
} from '../../../base/information-classes.ts';
import {
  type NTSTATUS,
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
  fsDeviceInfoOf,
  IoGetCurrentIrpStackLocation,
  type Irp,
  isValidVolumeLabel,
  MAX_COMPONENT_LENGTH,
  queryVolumeInformation,
  requestedVolumeLabel,
  type VolumeFacts,
} from '../../../io/index.ts';
import { checkMounted, vcbOfOpen } from './common.ts';
import type { Vcb } from './structures.ts';

export const MEMFS_FILE_SYSTEM_NAME = 'MemFS';

const MEMFS_VOLUME_FACTS: VolumeFacts<Vcb> = {
  unsupportedClass: STATUS_INVALID_INFO_CLASS,
  volumeInfo: (vcb) => ({
    volumeCreationTime: vcb.volume.creationTime,
    volumeSerialNumber: vcb.volume.serialNumber,
    volumeLabel: vcb.volume.label,
    supportsObjects: false,
  }),
  sizeInfo: (vcb) => {
    const { capacityBytes, usedBytes } = vcb.volume;
    const free = Math.floor((capacityBytes - usedBytes) / vcb.sectorSize);
    return {
      totalAllocationUnits: Math.floor(capacityBytes / vcb.sectorSize),
      callerAvailableAllocationUnits: free,
      actualAvailableAllocationUnits: free,
      sectorsPerAllocationUnit: 1,
      bytesPerSector: vcb.sectorSize,
    };
  },
  deviceInfo: (vcb) => fsDeviceInfoOf(vcb.realDevice),
  attributeInfo: (vcb) => ({
    fileSystemAttributes:
      FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK | (vcb.readOnly ? FILE_READ_ONLY_VOLUME : 0),
    maximumComponentNameLength: MAX_COMPONENT_LENGTH,
    fileSystemName: MEMFS_FILE_SYSTEM_NAME,
  }),
};

export function MemFsQueryVolumeInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  return queryVolumeInformation(irp, MEMFS_VOLUME_FACTS, vcb);
}

export function MemFsSetVolumeInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const label = requestedVolumeLabel(irp);
  if (label === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (!isValidVolumeLabel(label)) return completeRequest(irp, STATUS_INVALID_VOLUME_LABEL);
  if (vcb.readOnly) return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED);
  vcb.volume.label = label;
  vcb.vpb.volumeLabel = label;
  vcb.dirty = true;
  return completeRequest(irp, STATUS_SUCCESS);
}
