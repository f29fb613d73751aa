/**
 * IRP_MJ_QUERY_VOLUME_INFORMATION for CDFS (CdCommonQueryVolInfo).
 *
 * As CDFS answers: the label and serial number of the mount (Joliet descriptor when there is one),
 * the volume's size in 2048-byte sectors with nothing free, the device type FILE_DEVICE_CD_ROM, the
 * file system name "CDFS", FILE_READ_ONLY_VOLUME and FILE_CASE_SENSITIVE_SEARCH with
 * FILE_UNICODE_ON_DISK on Joliet, and a longest name of 110 characters on Joliet and 221 on plain
 * ISO 9660. A Rock Ridge mount reports what POSIX names allow instead: case-preserved Unicode names
 * of up to 255 characters, and reparse points (its symbolic links). The volume creation time is the
 * descriptor's creation date. Classes CDFS does not answer are STATUS_INVALID_PARAMETER, as in
 * CDFS (a number that is no class at all is STATUS_INVALID_INFO_CLASS, the I/O manager's answer).
 * The records are CDFS_VOLUME_FACTS below; the buffer rules (short buffers, cut names) are the I/O
 * library's queryVolumeInformation. Setting anything is write-protect.ts's business.
 */
import { FILE_DEVICE_CD_ROM } from '../../../base/device-codes.ts';
import {
  FILE_CASE_PRESERVED_NAMES,
  FILE_CASE_SENSITIVE_SEARCH,
  FILE_READ_ONLY_VOLUME,
  FILE_SUPPORTS_REPARSE_POINTS,
  FILE_UNICODE_ON_DISK,
  type FileFsAttributeInfo,
} from '../../../base/information-classes.ts';
import {
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  queryVolumeInformation,
  type VolumeFacts,
} from '../../../io/index.ts';
import { checkMounted, vcbOfOpen } from './common.ts';
import { LOGICAL_SECTOR_SIZE } from './on-disk.ts';
import type { Vcb } from './structures.ts';

export const CDFS_FILE_SYSTEM_NAME = 'CDFS';

function attributeInfo(vcb: Vcb): FileFsAttributeInfo {
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
  return {
    fileSystemAttributes: attributes,
    maximumComponentNameLength: longest,
    fileSystemName: CDFS_FILE_SYSTEM_NAME,
  };
}

const CDFS_VOLUME_FACTS: VolumeFacts<Vcb> = {
  unsupportedClass: STATUS_INVALID_PARAMETER,
  volumeInfo: ({ facts }) => ({
    volumeCreationTime: facts.creationTime,
    volumeSerialNumber: facts.serialNumber,
    volumeLabel: facts.label,
    supportsObjects: false,
  }),
  sizeInfo: ({ facts }) => ({
    totalAllocationUnits: Math.floor((facts.volumeBlocks * facts.blockSize) / LOGICAL_SECTOR_SIZE),
    callerAvailableAllocationUnits: 0,
    actualAvailableAllocationUnits: 0,
    sectorsPerAllocationUnit: 1,
    bytesPerSector: LOGICAL_SECTOR_SIZE,
  }),
  deviceInfo: (vcb) => ({ deviceType: FILE_DEVICE_CD_ROM, characteristics: vcb.storage.characteristics }),
  attributeInfo,
};

export function CdfsQueryVolumeInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  return queryVolumeInformation(irp, CDFS_VOLUME_FACTS, vcb);
}
