/**
 * Notification-driven attachment: the sfilter pattern (reference §3.1, §4.6, §5.5, §8).
 *
 * - The file system notification routine attaches a filter device to each file system's control
 *   device reported active (skipping drivers named `\FileSystem\Fs_Rec` unless the filter asks to
 *   see recognizers), then to the volumes that file system had already mounted
 *   (IoEnumerateDeviceObjectList + IoGetDiskDeviceObject, skipping named devices and devices that
 *   already carry the filter). A file system reported inactive loses the filter device.
 * - RAW is never reported, so DriverEntry attaches to `\Device\RawDisk` and `\Device\RawCdRom` by
 *   name (IoGetDeviceObjectPointer) and runs the same routine on them.
 * - On the control-device filter, IRP_MN_MOUNT_VOLUME: save Vpb->RealDevice, pre-create the volume
 *   filter device, pass the request down and, once it is back, re-read RealDevice->Vpb (a file
 *   system may have swapped it) and attach to the new volume device unless already there.
 * - IRP_MN_LOAD_FILE_SYSTEM (seen only when attached to a recognizer): detach from the recognizer
 *   before passing it down; on success or STATUS_IMAGE_ALREADY_LOADED delete the filter device,
 *   otherwise attach it again.
 * Differences from sfilter: no attach retries (Strata file systems clear DO_DEVICE_INITIALIZING
 * before publishing the volume device, so a retry could never succeed later), and post-processing
 * runs as passDownThenPostProcess describes.
 */
import {
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_DEVICE_NETWORK_FILE_SYSTEM,
} from '../../../base/device-codes.ts';
import { FILE_READ_ATTRIBUTES } from '../../../base/file-codes.ts';
import { IRP_MN_LOAD_FILE_SYSTEM, IRP_MN_MOUNT_VOLUME } from '../../../base/irp-codes.ts';
import { whenReady } from '../../../base/maybe-promise.ts';
import { NT_SUCCESS, type NTSTATUS, STATUS_IMAGE_ALREADY_LOADED } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  type DriverObject,
  IoCallDriver,
  IoDeleteDevice,
  IoDetachDevice,
  IoEnumerateDeviceObjectList,
  IoGetCurrentIrpStackLocation,
  IoGetDeviceObjectPointer,
  IoGetDiskDeviceObject,
  IoSkipCurrentIrpStackLocation,
  type Irp,
  type MountVolumeParameters,
} from '../../../io/index.ts';
import { ObDereferenceObject } from '../../../ob/index.ts';
import {
  attachFilterDevice,
  createAndAttachFilterDevice,
  createFilterDevice,
  filterExtension,
  findFilterDevice,
  ROLE_FILE_SYSTEM,
  ROLE_VOLUME,
} from './filter-device.ts';
import { type LegacyFilterState, legacyFilterState } from './legacy-filter-state.ts';
import { passDownThenPostProcess } from './post-process.ts';

/** The driver object name of the file system recognizer (§3.1: filters skip it). */
export const FS_RECOGNIZER_DRIVER_NAME = '\\FileSystem\\Fs_Rec';

/** RAW's control devices, attached to by name because RAW is never reported (§8). */
export const RAW_CONTROL_DEVICE_NAMES = ['\\Device\\RawDisk', '\\Device\\RawCdRom'] as const;

function isFileSystemDeviceType(deviceType: number): boolean {
  return (
    deviceType === FILE_DEVICE_DISK_FILE_SYSTEM ||
    deviceType === FILE_DEVICE_CD_ROM_FILE_SYSTEM ||
    deviceType === FILE_DEVICE_NETWORK_FILE_SYSTEM
  );
}

/** The DRIVER_FS_NOTIFICATION routine (SfFsNotification). */
export function filterFsNotification(driver: DriverObject, cdo: DeviceObject, fsActive: boolean): void {
  if (fsActive) attachToFileSystemDevice(driver, cdo);
  else detachFromFileSystemDevice(driver, cdo);
}

/** SfAttachToFileSystemDevice: filter the control device, then the volumes it already mounted. */
export function attachToFileSystemDevice(driver: DriverObject, cdo: DeviceObject): void {
  const state = legacyFilterState(driver);
  if (!isFileSystemDeviceType(cdo.deviceType)) return;
  if (
    cdo.driverObject.driverName.toUpperCase() === FS_RECOGNIZER_DRIVER_NAME.toUpperCase() &&
    !state.options.attachToRecognizers
  ) {
    return;
  }
  if (findFilterDevice(driver, cdo) === null) {
    const { status } = createAndAttachFilterDevice(driver, cdo, ROLE_FILE_SYSTEM, 'notification');
    if (!NT_SUCCESS(status)) return;
  }
  enumerateFileSystemVolumes(driver, state, cdo);
}

/** SfDetachFromFileSystemDevice: find our device in the control device's chain, detach and delete it. */
export function detachFromFileSystemDevice(driver: DriverObject, cdo: DeviceObject): void {
  for (let d: DeviceObject | null = cdo.attachedDevice; d !== null; d = d.attachedDevice) {
    if (d.driverObject === driver) {
      IoDetachDevice(d.attachedTo!);
      IoDeleteDevice(d);
      return;
    }
  }
}

/** SfEnumerateFileSystemVolumes: attach to every volume the file system mounted before we heard of it. */
function enumerateFileSystemVolumes(driver: DriverObject, state: LegacyFilterState, cdo: DeviceObject): void {
  const fileSystem = cdo.driverObject;
  // Ask for the count, then for the list, as callers of the C routine size their buffer.
  const { actualNumberDeviceObjects } = IoEnumerateDeviceObjectList(fileSystem, 0);
  const { status, devices } = IoEnumerateDeviceObjectList(fileSystem, actualNumberDeviceObjects);
  if (!NT_SUCCESS(status)) return;
  for (const device of devices) {
    if (
      device !== cdo &&
      device.deviceType === cdo.deviceType &&
      device.deviceName === null &&
      findFilterDevice(driver, device) === null
    ) {
      const { diskDeviceObject } = IoGetDiskDeviceObject(device);
      if (diskDeviceObject !== null) {
        attachToVolume(driver, state, device, diskDeviceObject, null);
        ObDereferenceObject(diskDeviceObject);
      }
    }
    ObDereferenceObject(device);
  }
}

/** Attaches a (pre-created or new) volume filter device to `volume`'s stack and tells the filter. */
function attachToVolume(
  driver: DriverObject,
  state: LegacyFilterState,
  volume: DeviceObject,
  realDevice: DeviceObject,
  preCreated: DeviceObject | null,
): void {
  const device = preCreated ?? createFilterDevice(driver, volume, ROLE_VOLUME, 'notification');
  if (device === null) return;
  const extension = filterExtension(device);
  extension.realDevice = realDevice;
  const volumeState = state.definition.createVolumeState?.(state, device, null) ?? null;
  if (typeof volumeState === 'number') {
    IoDeleteDevice(device);
    return;
  }
  extension.volume = volumeState;
  if (!NT_SUCCESS(attachFilterDevice(device, volume))) {
    IoDeleteDevice(device);
    return;
  }
  state.definition.volumeAttached?.(state, device);
}

/** Attaches to RAW's control devices by name (they are never reported by notifications). */
export function attachToRawFileSystems(driver: DriverObject): void {
  for (const name of RAW_CONTROL_DEVICE_NAMES) {
    const opened = IoGetDeviceObjectPointer(driver.system, name, FILE_READ_ATTRIBUTES);
    whenReady(opened, ({ status, fileObject, deviceObject }) => {
      if (NT_SUCCESS(status) && deviceObject !== null) attachToFileSystemDevice(driver, deviceObject);
      // Dereferencing the file object also drops the device reference (§3.3).
      if (fileObject !== null) ObDereferenceObject(fileObject);
    });
  }
}

/** IRP_MJ_FILE_SYSTEM_CONTROL on a filter device above a file system's control device. */
export function fileSystemDeviceControl(device: DeviceObject, irp: Irp): NTSTATUS {
  const minor = IoGetCurrentIrpStackLocation(irp).minorFunction;
  if (minor === IRP_MN_MOUNT_VOLUME) return mountVolume(device, irp);
  if (minor === IRP_MN_LOAD_FILE_SYSTEM) return loadFileSystem(device, irp);
  IoSkipCurrentIrpStackLocation(irp);
  return IoCallDriver(filterExtension(device).lower!, irp);
}

/** SfFsControlMountVolume. */
function mountVolume(device: DeviceObject, irp: Irp): NTSTATUS {
  const driver = device.driverObject;
  const state = legacyFilterState(driver);
  const { vpb } = IoGetCurrentIrpStackLocation(irp).parameters as MountVolumeParameters;
  // The file system may replace the VPB (a remount of a known volume): keep the real device now.
  const realDevice = vpb.realDevice;
  // Devices cannot be created at completion time in NT; create it before the mount.
  const preCreated = createFilterDevice(driver, device, ROLE_VOLUME, 'notification');
  return passDownThenPostProcess(filterExtension(device).lower!, irp, (_irp, done) => {
    const mounted = realDevice.vpb?.deviceObject ?? null;
    if (preCreated !== null) {
      if (NT_SUCCESS(irp.ioStatus.status) && mounted !== null && findFilterDevice(driver, mounted) === null) {
        attachToVolume(driver, state, mounted, realDevice, preCreated);
      } else {
        IoDeleteDevice(preCreated);
      }
    }
    done();
  });
}

/** SfFsControlLoadFileSystem: leave the recognizer before it loads the real file system. */
function loadFileSystem(device: DeviceObject, irp: Irp): NTSTATUS {
  const recognizer = filterExtension(device).lower!;
  IoDetachDevice(recognizer);
  return passDownThenPostProcess(recognizer, irp, (_irp, done) => {
    const status = irp.ioStatus.status;
    if (NT_SUCCESS(status) || status === STATUS_IMAGE_ALREADY_LOADED) {
      IoDeleteDevice(device);
    } else if (!NT_SUCCESS(attachFilterDevice(device, recognizer))) {
      IoDeleteDevice(device);
    }
    done();
  });
}
