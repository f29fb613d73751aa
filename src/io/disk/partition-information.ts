/**
 * IOCTL_DISK_GET_PARTITION_INFO and IOCTL_DISK_GET_PARTITION_INFO_EX, answered from what a disk
 * knows of one MBR partition (disk.sys's DiskIoctlGetPartitionInfo / DiskIoctlGetPartitionInfoEx):
 * both records carry the same facts, the EX one with the MBR fields in its `mbr` part. A whole disk
 * answers as partition 0 of type PARTITION_ENTRY_UNUSED, not recognized. RewritePartition is
 * always false (nothing here writes a partition table). The output buffer rule is
 * completeDiskIoctl's.
 */

import type { NTSTATUS } from '../../base/index.ts';
import {
  IOCTL_DISK_GET_PARTITION_INFO_EX,
  PARTITION_INFORMATION_EX_SIZE,
  PARTITION_INFORMATION_SIZE,
  PARTITION_STYLE_MBR,
  type PartitionInformation,
  type PartitionInformationEx,
} from '../../base/index.ts';
import type { Irp } from '../irp.ts';
import { completeDiskIoctl } from './ioctl-output.ts';

/** What both records report of a partition (a PartMgr slot has these fields). */
export interface MbrPartitionFacts {
  readonly startingOffset: number;
  readonly partitionLength: number;
  readonly hiddenSectors: number;
  readonly partitionNumber: number;
  readonly partitionType: number;
  readonly bootIndicator: boolean;
}

/**
 * Completes IOCTL_DISK_GET_PARTITION_INFO or, for `controlCode` IOCTL_DISK_GET_PARTITION_INFO_EX,
 * its EX form.
 */
export function completePartitionInfoIoctl(
  irp: Irp,
  controlCode: number,
  outputBufferLength: number,
  partition: MbrPartitionFacts,
  recognizedPartition: boolean,
): NTSTATUS {
  if (controlCode === IOCTL_DISK_GET_PARTITION_INFO_EX) {
    const info: PartitionInformationEx = {
      partitionStyle: PARTITION_STYLE_MBR,
      startingOffset: partition.startingOffset,
      partitionLength: partition.partitionLength,
      partitionNumber: partition.partitionNumber,
      rewritePartition: false,
      mbr: {
        partitionType: partition.partitionType,
        bootIndicator: partition.bootIndicator,
        recognizedPartition,
        hiddenSectors: partition.hiddenSectors,
      },
    };
    return completeDiskIoctl(irp, outputBufferLength, PARTITION_INFORMATION_EX_SIZE, info);
  }
  const info: PartitionInformation = {
    startingOffset: partition.startingOffset,
    partitionLength: partition.partitionLength,
    hiddenSectors: partition.hiddenSectors,
    partitionNumber: partition.partitionNumber,
    partitionType: partition.partitionType,
    bootIndicator: partition.bootIndicator,
    recognizedPartition,
    rewritePartition: false,
  };
  return completeDiskIoctl(irp, outputBufferLength, PARTITION_INFORMATION_SIZE, info);
}
