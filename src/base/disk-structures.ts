/**
 * The records disk and CD-ROM IOCTLs carry (ntdddisk.h, ntddcdrm.h), and MBR partition types.
 *
 * Like the information classes, these travel as structured records in `Irp.systemBuffer`, with
 * the WDK field names in camelCase; offsets and lengths are byte counts as numbers. The `*_SIZE`
 * constants are the sizes of the C structures, so a driver can refuse an output buffer that is too
 * short (STATUS_BUFFER_TOO_SMALL) exactly as disk.sys and cdrom.sys do.
 */

// MEDIA_TYPE
export const RemovableMedia = 11;
export const FixedMedia = 12;

/** DISK_GEOMETRY (IOCTL_DISK_GET_DRIVE_GEOMETRY, IOCTL_CDROM_GET_DRIVE_GEOMETRY). */
export interface DiskGeometry {
  cylinders: number;
  mediaType: number;
  tracksPerCylinder: number;
  sectorsPerTrack: number;
  bytesPerSector: number;
}
export const DISK_GEOMETRY_SIZE = 24;

/** GET_LENGTH_INFORMATION (IOCTL_DISK_GET_LENGTH_INFO). */
export interface GetLengthInformation {
  length: number;
}
export const GET_LENGTH_INFORMATION_SIZE = 8;

// PARTITION_STYLE
export const PARTITION_STYLE_MBR = 0;
export const PARTITION_STYLE_GPT = 1;
export const PARTITION_STYLE_RAW = 2;

// MBR partition types (PARTITION_INFORMATION.PartitionType).
export const PARTITION_ENTRY_UNUSED = 0x00;
export const PARTITION_FAT_12 = 0x01;
export const PARTITION_FAT_16 = 0x04;
export const PARTITION_EXTENDED = 0x05;
export const PARTITION_HUGE = 0x06;
export const PARTITION_IFS = 0x07;
export const PARTITION_FAT32 = 0x0b;
export const PARTITION_FAT32_XINT13 = 0x0c;
export const PARTITION_XINT13 = 0x0e;
export const PARTITION_XINT13_EXTENDED = 0x0f;
export const PARTITION_LINUX_EXTENDED = 0x85;
export const PARTITION_LINUX = 0x83;
/** The single entry of a GPT disk's protective MBR (EFI_PMBR_OSTYPE_EFI). */
export const PARTITION_GPT_PROTECTIVE = 0xee;

/**
 * IsContainerPartition: an extended partition whose space holds a chain of extended boot records.
 * Windows knows 0x05 and 0x0F; Linux also treats 0x85 as one, and so does Strata.
 */
export function IsContainerPartition(partitionType: number): boolean {
  return (
    partitionType === PARTITION_EXTENDED ||
    partitionType === PARTITION_XINT13_EXTENDED ||
    partitionType === PARTITION_LINUX_EXTENDED
  );
}

/** PARTITION_INFORMATION (IOCTL_DISK_GET_PARTITION_INFO). */
export interface PartitionInformation {
  startingOffset: number;
  partitionLength: number;
  hiddenSectors: number;
  partitionNumber: number;
  partitionType: number;
  bootIndicator: boolean;
  recognizedPartition: boolean;
  rewritePartition: boolean;
}
export const PARTITION_INFORMATION_SIZE = 32;

/** PARTITION_INFORMATION_EX (IOCTL_DISK_GET_PARTITION_INFO_EX), MBR flavour. */
export interface PartitionInformationEx {
  partitionStyle: number;
  startingOffset: number;
  partitionLength: number;
  partitionNumber: number;
  rewritePartition: boolean;
  mbr: {
    partitionType: number;
    bootIndicator: boolean;
    recognizedPartition: boolean;
    hiddenSectors: number;
  };
}
export const PARTITION_INFORMATION_EX_SIZE = 144;

/** TRACK_DATA: one entry of a CD-ROM table of contents; `address` is MSF (0, minutes, seconds, frames). */
export interface TrackData {
  control: number;
  adr: number;
  trackNumber: number;
  address: [number, number, number, number];
}

/** CDROM_TOC (IOCTL_CDROM_READ_TOC). */
export interface CdromToc {
  /** Bytes of TOC data after the Length field, as the drive reports it. */
  length: number;
  firstTrack: number;
  lastTrack: number;
  trackData: TrackData[];
}
/** sizeof(CDROM_TOC): a header and MAXIMUM_NUMBER_TRACKS (100) track entries. */
export const CDROM_TOC_SIZE = 804;
/** The smallest buffer that holds the header and one track (CDROM_TOC_SIZE is what callers pass). */
export const CDROM_TOC_HEADER_SIZE = 4;
export const CDROM_TRACK_DATA_SIZE = 8;
/** The track number of the lead-out entry that closes every TOC. */
export const CDROM_LEAD_OUT_TRACK = 0xaa;
/** TRACK_DATA.Control for a data track (AUDIO_DATA_TRACK bit). */
export const AUDIO_DATA_TRACK = 0x04;
