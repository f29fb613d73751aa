/**
 * Creating and deleting a disk's partition devices and their names.
 *
 * Names, as the volume stack of Windows shows them:
 * - the disk's directory `\Device\HarddiskN`: the one the disk already lives in when it is named
 *   `\Device\HarddiskN\Partition0` (image disks), otherwise a new directory with a `Partition0`
 *   symbolic link to the disk (a RAM disk, `\Device\RamDisk0`); N skips names already taken;
 * - `\Device\HarddiskN\PartitionK` (K ≥ 1): the partition device, FILE_DEVICE_DISK, so it has a
 *   VPB and mounts file systems; it copies the disk's FILE_READ_ONLY_DEVICE and
 *   FILE_REMOVABLE_MEDIA characteristics and its sector size;
 * - `\Device\HarddiskVolumeM` → `\Device\HarddiskN\PartitionK`: M counts per system from 1,
 *   skipping names already taken.
 * A failure half way leaves nothing behind. Deleting removes the names at once; each device goes
 * when its last reference does, and then returns its reference on the disk (index.ts).
 */
import {
  DO_DEVICE_INITIALIZING,
  FILE_DEVICE_DISK,
  FILE_READ_ONLY_DEVICE,
  FILE_REMOVABLE_MEDIA,
} from '../../../base/device-codes.ts';
import { NT_SUCCESS, type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  type DriverObject,
  IoCreateDevice,
  IoDeleteDevice,
  IoGetAttachedDevice,
} from '../../../io/index.ts';
import { ObjectDirectory } from '../../../ob/index.ts';
import { PartitionExtension, type PartitionSet, type PartMgrState } from './extension.ts';
import type { PartitionLayout, PartitionSlot } from './layout.ts';

/** What the caller learns about each partition device. */
export interface PartitionDevice extends PartitionSlot {
  readonly deviceObject: DeviceObject<PartitionExtension>;
  /** `\Device\HarddiskN\PartitionK`. */
  readonly deviceName: string;
  /** `\Device\HarddiskVolumeM`. */
  readonly volumeName: string;
}

export interface CreatedPartitions {
  status: NTSTATUS;
  devices: PartitionDevice[];
}

export function partMgrState(driverObject: DriverObject): PartMgrState {
  if (driverObject.driverExtension === null) {
    const state: PartMgrState = { nextDiskNumber: 0, nextVolumeNumber: 1, sets: new Map() };
    driverObject.driverExtension = state;
  }
  return driverObject.driverExtension as PartMgrState;
}

/** Creates the devices and names for every partition of `layout` on `disk`. */
export function createPartitionDevices(
  driverObject: DriverObject,
  disk: DeviceObject,
  layout: PartitionLayout,
): CreatedPartitions {
  const state = partMgrState(driverObject);
  const ob = driverObject.system.ob;
  const home = diskDirectory(driverObject, disk);
  const set: PartitionSet = { ...home, devices: [] };
  const created: PartitionDevice[] = [];
  const stackSize = IoGetAttachedDevice(disk).stackSize + 1;
  const characteristics = disk.characteristics & (FILE_READ_ONLY_DEVICE | FILE_REMOVABLE_MEDIA);
  for (const slot of layout.partitions) {
    const deviceName = `${home.directory}\\Partition${slot.partitionNumber}`;
    const volumeName = nextFreeName(
      driverObject,
      () => `\\Device\\HarddiskVolume${state.nextVolumeNumber++}`,
    );
    const extension = new PartitionExtension(disk, slot, deviceName, volumeName);
    const result = IoCreateDevice(
      driverObject,
      extension,
      deviceName,
      FILE_DEVICE_DISK,
      characteristics,
      false,
    );
    const device = result.deviceObject;
    if (!NT_SUCCESS(result.status) || device === null) {
      deleteSet(driverObject, set);
      return { status: result.status, devices: [] };
    }
    // From here the device holds its disk reference; deleting it (deleteSet) gives it back.
    disk.referenceCount++;
    set.devices.push(device);
    const linked = ob.createSymbolicLink(volumeName, deviceName);
    if (!NT_SUCCESS(linked)) {
      deleteSet(driverObject, set);
      return { status: linked, devices: [] };
    }
    device.sectorSize = layout.sectorSize;
    device.alignmentRequirement = disk.alignmentRequirement;
    device.stackSize = stackSize;
    device.flags &= ~DO_DEVICE_INITIALIZING;
    created.push({ ...slot, deviceObject: device, deviceName, volumeName });
  }
  state.sets.set(disk, set);
  return { status: STATUS_SUCCESS, devices: created };
}

/** Removes a disk's partition devices and the names PartMgr made for it. */
export function deletePartitionDevices(driverObject: DriverObject, disk: DeviceObject): boolean {
  const state = partMgrState(driverObject);
  const set = state.sets.get(disk);
  if (set === undefined || set === null) return false;
  state.sets.delete(disk);
  deleteSet(driverObject, set);
  return true;
}

function deleteSet(driverObject: DriverObject, set: PartitionSet): void {
  const ob = driverObject.system.ob;
  for (const device of set.devices) {
    ob.deleteSymbolicLink(device.deviceExtension.volumeName);
    IoDeleteDevice(device);
  }
  set.devices.length = 0;
  if (set.partitionZeroLink !== null) ob.deleteSymbolicLink(set.partitionZeroLink);
  if (set.createdDirectory) {
    const directory = ob.lookupNoParse(set.directory);
    if (directory instanceof ObjectDirectory && directory.entries.size === 0) ob.removeObject(directory);
  }
}

/** The directory the disk's partitions go in (see the header). */
function diskDirectory(driverObject: DriverObject, disk: DeviceObject): Omit<PartitionSet, 'devices'> {
  const ob = driverObject.system.ob;
  const name = disk.deviceName;
  const match = name === null ? null : /^(\\.+)\\Partition0$/i.exec(name);
  if (match !== null && ob.lookupNoParse(match[1]!) instanceof ObjectDirectory) {
    return { directory: match[1]!, createdDirectory: false, partitionZeroLink: null };
  }
  const state = partMgrState(driverObject);
  const directory = nextFreeName(driverObject, () => `\\Device\\Harddisk${state.nextDiskNumber++}`);
  ob.createDirectory(directory);
  let partitionZeroLink: string | null = null;
  if (name !== null && NT_SUCCESS(ob.createSymbolicLink(`${directory}\\Partition0`, name))) {
    partitionZeroLink = `${directory}\\Partition0`;
  }
  return { directory, createdDirectory: true, partitionZeroLink };
}

/** The first name from `next` that nothing in the namespace uses yet. */
function nextFreeName(driverObject: DriverObject, next: () => string): string {
  const ob = driverObject.system.ob;
  for (;;) {
    const name = next();
    if (ob.lookupNoParse(name) === undefined) return name;
  }
}
