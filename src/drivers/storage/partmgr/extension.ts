/**
 * PartMgr's per-device and per-driver state.
 *
 * A partition device's extension names its disk and the slice of it the partition covers; it never
 * changes after creation (a new table means deleting the partition devices and scanning again).
 * Each partition device holds one I/O reference on its disk (`DeviceObject.referenceCount`), the
 * way an open file object does, so the disk's own delete completes only after its partitions are
 * gone. The driver extension numbers the `\Device\HarddiskN` directories PartMgr creates for disks
 * that have none, and the `\Device\HarddiskVolumeM` links, and remembers each disk's partition set.
 */
import type { DeviceObject } from '../../../io/index.ts';
import type { PartitionSlot } from './layout.ts';

export class PartitionExtension {
  constructor(
    /** The whole-disk device; requests go to the top of its stack. */
    readonly disk: DeviceObject,
    readonly slot: PartitionSlot,
    /** `\Device\HarddiskN\PartitionK`. */
    readonly deviceName: string,
    /** `\Device\HarddiskVolumeM`, the link to this device. */
    readonly volumeName: string,
  ) {}

  get startingOffset(): number {
    return this.slot.startingOffset;
  }

  get partitionLength(): number {
    return this.slot.partitionLength;
  }
}

/** The partition devices of one disk and the names PartMgr made for them. */
export interface PartitionSet {
  /** `\Device\HarddiskN`. */
  readonly directory: string;
  /** True when PartMgr created the directory (a disk not named `…\Partition0`). */
  readonly createdDirectory: boolean;
  /** The `Partition0` link PartMgr made to such a disk, or null. */
  readonly partitionZeroLink: string | null;
  readonly devices: DeviceObject<PartitionExtension>[];
}

export interface PartMgrState {
  nextDiskNumber: number;
  nextVolumeNumber: number;
  /** Disks with partition devices, and disks being scanned (null until the devices exist). */
  readonly sets: Map<DeviceObject, PartitionSet | null>;
}

export function partitionExtension(deviceObject: DeviceObject): PartitionExtension | null {
  const extension = deviceObject.deviceExtension;
  return extension instanceof PartitionExtension ? extension : null;
}
