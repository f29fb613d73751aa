/**
 * The life of a mounted volume's device, from the file system's side (reference §5.2, §5.4):
 * FastFat's FatMountVolume / CDFS's CdMountVolume creating it, FatDeleteVcb / CdDeleteVcb
 * deleting it, and the rule Strata's disk file systems add: a driver may unload only while it has
 * no volume device (its DriverUnload is taken away with the first and put back with the last).
 *
 * Creation, in FastFat's order: IoCreateDevice of an unnamed device of the file system's type,
 * whose extension is the VCB; StackSize (storage top + 1) and SectorSize set before
 * DO_DEVICE_INITIALIZING is cleared, because a filter attaching at once copies them; then the
 * VPB's DeviceObject, serial number and label. VPB_MOUNTED is the I/O manager's to set (D2).
 * Deletion: only of a dismounted volume nobody has open any more; filters attached above hear
 * FastIoDetachDevice from the I/O manager.
 */
import { DO_DEVICE_INITIALIZING, NT_SUCCESS, type NTSTATUS, STATUS_SUCCESS } from '../../base/index.ts';
import { type DeviceObject, IoCreateDevice, IoDeleteDevice } from '../device-object.ts';
import type { DriverUnload } from '../driver-object.ts';
import type { MountVolumeParameters } from '../irp-parameters.ts';

/** The volumes a disk file system has mounted, kept on its driver object (MemFsData, FatData, ...). */
export interface MountedVolumes<V> {
  /** Mounted volumes whose volume device still exists. */
  readonly volumes: Set<V>;
  /** The driver's DriverUnload, installed only while `volumes` is empty. */
  readonly unload: DriverUnload;
}

/** What the volume device needs of a VCB: the device is its to keep, and its state decides deletion. */
export interface VolumeOfDevice {
  /** Set by createVolumeDevice; a VCB whose device was never created has none. */
  volumeDevice?: DeviceObject;
  readonly dismounted: boolean;
  /** File objects opened on the volume and not yet closed. */
  readonly openCount: number;
}

/** What the new device and the VPB take from the mount. */
export interface VolumeDeviceFacts {
  /** FILE_DEVICE_DISK_FILE_SYSTEM, FILE_DEVICE_CD_ROM_FILE_SYSTEM, ...: the control device's kind. */
  readonly deviceType: number;
  readonly sectorSize: number;
  readonly serialNumber: number;
  readonly label: string;
}

/**
 * Creates the volume device for `vcb` on the storage device and VPB of a mount request and links
 * it to the VPB. With `mounted`, the volume joins the driver's list and the driver stops being
 * unloadable (RAW, which never unloads, keeps no list).
 */
export function createVolumeDevice<V extends VolumeOfDevice>(
  controlDevice: DeviceObject,
  parameters: MountVolumeParameters,
  vcb: V,
  facts: VolumeDeviceFacts,
  mounted: MountedVolumes<V> | null,
): NTSTATUS {
  const driver = controlDevice.driverObject;
  const created = IoCreateDevice(driver, vcb, null, facts.deviceType, 0, false);
  if (!NT_SUCCESS(created.status) || created.deviceObject === null) return created.status;
  const volumeDevice = created.deviceObject;
  vcb.volumeDevice = volumeDevice;
  volumeDevice.stackSize = parameters.deviceObject.stackSize + 1;
  volumeDevice.sectorSize = facts.sectorSize;
  volumeDevice.flags &= ~DO_DEVICE_INITIALIZING;
  const vpb = parameters.vpb;
  vpb.deviceObject = volumeDevice;
  vpb.serialNumber = facts.serialNumber;
  vpb.volumeLabel = facts.label;
  if (mounted !== null) {
    mounted.volumes.add(vcb);
    driver.driverUnload = null;
  }
  return STATUS_SUCCESS;
}

/**
 * Deletes the volume device of a dismounted volume nobody has open any more; with no volume left,
 * the driver may be unloaded again.
 */
export function deleteVolumeDeviceIfUnused<V extends VolumeOfDevice>(
  vcb: V,
  mounted: MountedVolumes<V>,
): void {
  const device = vcb.volumeDevice;
  if (device === undefined || !vcb.dismounted || vcb.openCount > 0 || device.deletePending) return;
  mounted.volumes.delete(vcb);
  IoDeleteDevice(device);
  if (mounted.volumes.size === 0) device.driverObject.driverUnload = mounted.unload;
}
