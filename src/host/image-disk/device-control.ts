/**
 * IRP_MJ_DEVICE_CONTROL for an image disk: the IOCTLs file systems and PartMgr ask.
 *
 * Disks (disk.sys's set): IOCTL_DISK_GET_DRIVE_GEOMETRY, IOCTL_DISK_GET_LENGTH_INFO,
 * IOCTL_DISK_IS_WRITABLE, IOCTL_DISK_GET_PARTITION_INFO(_EX) (the whole disk, partition 0) and
 * IOCTL_DISK_CHECK_VERIFY / IOCTL_STORAGE_CHECK_VERIFY (an image never changes media).
 * CD-ROMs answer all of those too, as cdrom.sys does, plus IOCTL_CDROM_GET_DRIVE_GEOMETRY,
 * IOCTL_CDROM_READ_TOC (one data track from sector 0, then the lead-out) and
 * IOCTL_CDROM_CHECK_VERIFY. METHOD_BUFFERED: the answer goes into `irp.systemBuffer`, and an output
 * buffer shorter than the C structure is STATUS_BUFFER_TOO_SMALL (completeDiskIoctl). Other codes are
 * STATUS_INVALID_DEVICE_REQUEST.
 *
 * Geometry is invented, as for any image: a disk reports FixedMedia with 255 heads and 63 sectors per
 * track (the usual LBA translation); a CD-ROM reports RemovableMedia with 64 tracks per cylinder and
 * 32 sectors per track, the values cdrom.sys uses. Cylinders are rounded down, so cylinders ×
 * tracks × sectors never exceeds the disk; IOCTL_DISK_GET_LENGTH_INFO gives the exact length.
 */
import {
  AUDIO_DATA_TRACK,
  CDROM_LEAD_OUT_TRACK,
  CDROM_TOC_HEADER_SIZE,
  CDROM_TOC_SIZE,
  CDROM_TRACK_DATA_SIZE,
  type CdromToc,
  DISK_GEOMETRY_SIZE,
  type DiskGeometry,
  FixedMedia,
  GET_LENGTH_INFORMATION_SIZE,
  type GetLengthInformation,
  IOCTL_CDROM_CHECK_VERIFY,
  IOCTL_CDROM_GET_DRIVE_GEOMETRY,
  IOCTL_CDROM_READ_TOC,
  IOCTL_DISK_CHECK_VERIFY,
  IOCTL_DISK_GET_DRIVE_GEOMETRY,
  IOCTL_DISK_GET_LENGTH_INFO,
  IOCTL_DISK_GET_PARTITION_INFO,
  IOCTL_DISK_GET_PARTITION_INFO_EX,
  IOCTL_DISK_IS_WRITABLE,
  IOCTL_STORAGE_CHECK_VERIFY,
  type NTSTATUS,
  PARTITION_ENTRY_UNUSED,
  RemovableMedia,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NO_SUCH_DEVICE,
  STATUS_SUCCESS,
  type TrackData,
} from '../../base/index.ts';
import {
  type ControlParameters,
  completeDiskIoctl,
  completePartitionInfoIoctl,
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type MbrPartitionFacts,
} from '../../io/index.ts';
import { type ImageDiskExtension, imageDiskExtension } from './extension.ts';

/** The geometry an image disk reports (see the header). */
export function imageDiskGeometry(
  disk: Pick<ImageDiskExtension, 'length' | 'sectorSize' | 'mediaType'>,
): DiskGeometry {
  const cdrom = disk.mediaType === 'cdrom';
  const tracksPerCylinder = cdrom ? 64 : 255;
  const sectorsPerTrack = cdrom ? 32 : 63;
  return {
    cylinders: Math.floor(disk.length / (disk.sectorSize * tracksPerCylinder * sectorsPerTrack)),
    mediaType: cdrom ? RemovableMedia : FixedMedia,
    tracksPerCylinder,
    sectorsPerTrack,
    bytesPerSector: disk.sectorSize,
  };
}

/** The whole disk as IOCTL_DISK_GET_PARTITION_INFO reports it: partition 0, unused type. */
function wholeDisk(disk: Pick<ImageDiskExtension, 'length'>): MbrPartitionFacts {
  return {
    startingOffset: 0,
    partitionLength: disk.length,
    hiddenSectors: 0,
    partitionNumber: 0,
    partitionType: PARTITION_ENTRY_UNUSED,
    bootIndicator: false,
  };
}

/** A logical block address as a CD minutes/seconds/frames address (150 frames of lead-in). */
function msf(lba: number): [number, number, number, number] {
  const frames = lba + 150;
  return [0, Math.floor(frames / (75 * 60)), Math.floor(frames / 75) % 60, frames % 75];
}

/** The table of contents of a one-track data disc covering the image. */
export function imageDiskToc(disk: Pick<ImageDiskExtension, 'length'>): CdromToc {
  const blocks = Math.floor(disk.length / 2048);
  const trackData: TrackData[] = [
    { control: AUDIO_DATA_TRACK, adr: 1, trackNumber: 1, address: msf(0) },
    { control: AUDIO_DATA_TRACK, adr: 1, trackNumber: CDROM_LEAD_OUT_TRACK, address: msf(blocks) },
  ];
  return { length: 2 + trackData.length * CDROM_TRACK_DATA_SIZE, firstTrack: 1, lastTrack: 1, trackData };
}

export function ImageDiskDeviceControl(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const disk = imageDiskExtension(deviceObject);
  if (disk === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
  if (disk.fd === null) return completeRequest(irp, STATUS_NO_SUCH_DEVICE, 0);
  const { controlCode, outputBufferLength } = IoGetCurrentIrpStackLocation(irp)
    .parameters as ControlParameters;
  const cdrom = disk.mediaType === 'cdrom';
  switch (controlCode) {
    case IOCTL_DISK_GET_DRIVE_GEOMETRY:
      return completeDiskIoctl(irp, outputBufferLength, DISK_GEOMETRY_SIZE, imageDiskGeometry(disk));
    case IOCTL_DISK_GET_LENGTH_INFO: {
      const info: GetLengthInformation = { length: disk.length };
      return completeDiskIoctl(irp, outputBufferLength, GET_LENGTH_INFORMATION_SIZE, info);
    }
    case IOCTL_DISK_IS_WRITABLE:
      return completeRequest(irp, disk.readOnly ? STATUS_MEDIA_WRITE_PROTECTED : STATUS_SUCCESS, 0);
    case IOCTL_DISK_GET_PARTITION_INFO:
    case IOCTL_DISK_GET_PARTITION_INFO_EX:
      return completePartitionInfoIoctl(irp, controlCode, outputBufferLength, wholeDisk(disk), false);
    case IOCTL_DISK_CHECK_VERIFY:
    case IOCTL_STORAGE_CHECK_VERIFY:
      return completeRequest(irp, STATUS_SUCCESS, 0);
    case IOCTL_CDROM_GET_DRIVE_GEOMETRY:
      if (!cdrom) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
      return completeDiskIoctl(irp, outputBufferLength, DISK_GEOMETRY_SIZE, imageDiskGeometry(disk));
    case IOCTL_CDROM_READ_TOC: {
      if (!cdrom) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
      const toc = imageDiskToc(disk);
      const returned = CDROM_TOC_HEADER_SIZE + toc.trackData.length * CDROM_TRACK_DATA_SIZE;
      return completeDiskIoctl(irp, outputBufferLength, CDROM_TOC_SIZE, toc, returned);
    }
    case IOCTL_CDROM_CHECK_VERIFY:
      return completeRequest(irp, cdrom ? STATUS_SUCCESS : STATUS_INVALID_DEVICE_REQUEST, 0);
    default:
      return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
  }
}
