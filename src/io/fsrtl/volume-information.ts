/**
 * Answering IRP_MJ_QUERY_VOLUME_INFORMATION from the facts a file system knows about a volume, and
 * reading the label of an IRP_MJ_SET_VOLUME_INFORMATION request: the common half of FastFat's
 * FatCommonQueryVolumeInfo / FatCommonSetVolumeInfo, CDFS's CdCommonQueryVolInfo and rawfs's
 * RawQueryVolumeInformation (which record a class is made of, how the caller's buffer bounds it).
 * NT's I/O manager makes the length check itself (IopQueryFsOperationLength); Strata's drivers
 * make it, so it lives here once.
 *
 * Rules: a `length` below the fixed part of the class's structure is STATUS_INFO_LENGTH_MISMATCH
 * and nothing is returned; a label or file system name that does not fit is cut to whole UTF-16
 * units and the status is STATUS_BUFFER_OVERFLOW (a warning: the record is still returned);
 * IoStatus.Information is the byte count of the C structure (fixed part plus the name as
 * returned). FileFsSizeInformation reports the caller-available units of the full-size record. A
 * number that is no FS_INFORMATION_CLASS is STATUS_INVALID_INFO_CLASS, the I/O manager's answer; a
 * class the file system does not answer gets `facts.unsupportedClass` (drivers differ on purpose:
 * MemFS, FAT, HostFS and RAW answer STATUS_INVALID_INFO_CLASS, CDFS STATUS_INVALID_PARAMETER).
 *
 * Invariant: a fact function runs only once the buffer was checked to hold its record, so a
 * refused query costs nothing (HostFS asks the host only then); the record it returns is new, and
 * is the one the IRP carries back.
 */
import {
  FILE_FS_ATTRIBUTE_INFORMATION_SIZE,
  FILE_FS_DEVICE_INFORMATION_SIZE,
  FILE_FS_FULL_SIZE_INFORMATION_SIZE,
  FILE_FS_SIZE_INFORMATION_SIZE,
  FILE_FS_VOLUME_INFORMATION_SIZE,
  type FileFsAttributeInfo,
  FileFsAttributeInformation,
  type FileFsDeviceInfo,
  FileFsDeviceInformation,
  type FileFsFullSizeInfo,
  FileFsFullSizeInformation,
  FileFsLabelInformation,
  FileFsMaximumInformation,
  type FileFsSizeInfo,
  FileFsSizeInformation,
  type FileFsVolumeInfo,
  FileFsVolumeInformation,
  type NTSTATUS,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_INVALID_INFO_CLASS,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import { completeRequest } from '../complete-request.ts';
import type { DeviceObject } from '../device-object.ts';
import { IoGetCurrentIrpStackLocation, type Irp } from '../irp.ts';
import type { VolumeInformationParameters } from '../irp-parameters.ts';
import { fitNameInBuffer } from './information-buffer.ts';

/** What a file system knows about a mounted volume `V`, one record a function. */
export interface VolumeFacts<V> {
  /** The status for a class this file system does not answer. */
  readonly unsupportedClass: NTSTATUS;
  /** FileFsVolumeInformation, with the whole label. */
  volumeInfo(volume: V): FileFsVolumeInfo;
  /**
   * FileFsFullSizeInformation, in allocation units; null: both size classes are answered by the
   * driver itself before it comes here (RAW asks its disk, which may pend).
   */
  readonly sizeInfo: ((volume: V) => FileFsFullSizeInfo) | null;
  deviceInfo(volume: V): FileFsDeviceInfo;
  /** FileFsAttributeInformation, with the whole file system name. */
  attributeInfo(volume: V): FileFsAttributeInfo;
}

/**
 * True for a class of FS_INFORMATION_CLASS. NT's I/O manager refuses any other with
 * STATUS_INVALID_INFO_CLASS before a file system sees it, so every Strata file system answers so.
 */
export function isFsInformationClass(fsInformationClass: number): boolean {
  return (
    Number.isInteger(fsInformationClass) &&
    fsInformationClass >= FileFsVolumeInformation &&
    fsInformationClass < FileFsMaximumInformation
  );
}

/** The fixed part of a volume information class's structure; 0 for a class this file does not know. */
export function fsInformationLength(fsInformationClass: number): number {
  switch (fsInformationClass) {
    case FileFsVolumeInformation:
      return FILE_FS_VOLUME_INFORMATION_SIZE;
    case FileFsSizeInformation:
      return FILE_FS_SIZE_INFORMATION_SIZE;
    case FileFsFullSizeInformation:
      return FILE_FS_FULL_SIZE_INFORMATION_SIZE;
    case FileFsDeviceInformation:
      return FILE_FS_DEVICE_INFORMATION_SIZE;
    case FileFsAttributeInformation:
      return FILE_FS_ATTRIBUTE_INFORMATION_SIZE;
    default:
      return 0;
  }
}

/**
 * FileFsDeviceInformation for a volume mounted on `device`: its type and characteristics, as
 * FastFat's FatQueryFsDeviceInfo and rawfs's RawQueryFsDeviceInfo report them.
 */
export function fsDeviceInfoOf(device: DeviceObject): FileFsDeviceInfo {
  return { deviceType: device.deviceType, characteristics: device.characteristics };
}

/**
 * Puts the record of a size class (FileFsSizeInformation or FileFsFullSizeInformation) into the
 * IRP's buffer and returns its byte count; the caller checked the length.
 */
export function setFsSizeInformation(
  irp: Irp,
  fsInformationClass: number,
  sizes: FileFsFullSizeInfo,
): number {
  if (fsInformationClass === FileFsFullSizeInformation) {
    irp.systemBuffer = sizes;
    return FILE_FS_FULL_SIZE_INFORMATION_SIZE;
  }
  const info: FileFsSizeInfo = {
    totalAllocationUnits: sizes.totalAllocationUnits,
    availableAllocationUnits: sizes.callerAvailableAllocationUnits,
    sectorsPerAllocationUnit: sizes.sectorsPerAllocationUnit,
    bytesPerSector: sizes.bytesPerSector,
  };
  irp.systemBuffer = info;
  return FILE_FS_SIZE_INFORMATION_SIZE;
}

/**
 * Completes a query-volume-information IRP (its current stack location gives the class and the
 * length) with the record `facts` describe for `volume`.
 */
export function queryVolumeInformation<V>(irp: Irp, facts: VolumeFacts<V>, volume: V): NTSTATUS {
  const { fsInformationClass, length } = IoGetCurrentIrpStackLocation(irp)
    .parameters as VolumeInformationParameters;
  switch (fsInformationClass) {
    case FileFsVolumeInformation: {
      if (length < FILE_FS_VOLUME_INFORMATION_SIZE) break;
      const info = facts.volumeInfo(volume);
      const { name, overflow } = fitNameInBuffer(info.volumeLabel, length, FILE_FS_VOLUME_INFORMATION_SIZE);
      info.volumeLabel = name;
      irp.systemBuffer = info;
      const status = overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(irp, status, FILE_FS_VOLUME_INFORMATION_SIZE + 2 * name.length);
    }
    case FileFsSizeInformation:
    case FileFsFullSizeInformation: {
      const sizeInfo = facts.sizeInfo;
      if (sizeInfo === null) return completeRequest(irp, facts.unsupportedClass);
      if (length < fsInformationLength(fsInformationClass)) break;
      const information = setFsSizeInformation(irp, fsInformationClass, sizeInfo(volume));
      return completeRequest(irp, STATUS_SUCCESS, information);
    }
    case FileFsDeviceInformation:
      if (length < FILE_FS_DEVICE_INFORMATION_SIZE) break;
      irp.systemBuffer = facts.deviceInfo(volume);
      return completeRequest(irp, STATUS_SUCCESS, FILE_FS_DEVICE_INFORMATION_SIZE);
    case FileFsAttributeInformation: {
      if (length < FILE_FS_ATTRIBUTE_INFORMATION_SIZE) break;
      const info = facts.attributeInfo(volume);
      const fixed = FILE_FS_ATTRIBUTE_INFORMATION_SIZE;
      const { name, overflow } = fitNameInBuffer(info.fileSystemName, length, fixed);
      info.fileSystemName = name;
      irp.systemBuffer = info;
      const status = overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
      return completeRequest(irp, status, fixed + 2 * name.length);
    }
    default:
      return completeRequest(
        irp,
        isFsInformationClass(fsInformationClass) ? facts.unsupportedClass : STATUS_INVALID_INFO_CLASS,
      );
  }
  return completeRequest(irp, STATUS_INFO_LENGTH_MISMATCH);
}

/**
 * The label an IRP_MJ_SET_VOLUME_INFORMATION request asks for, or null when the request is not a
 * FileFsLabelInformation record with a string label: FastFat answers every other class, and a
 * malformed record, with STATUS_INVALID_PARAMETER. Whether the label is valid is the file
 * system's rule (its on-disk format decides).
 */
export function requestedVolumeLabel(irp: Irp): string | null {
  const { fsInformationClass } = IoGetCurrentIrpStackLocation(irp).parameters as VolumeInformationParameters;
  if (fsInformationClass !== FileFsLabelInformation) return null;
  const label = (irp.systemBuffer as { volumeLabel?: unknown } | null)?.volumeLabel;
  return typeof label === 'string' ? label : null;
}
