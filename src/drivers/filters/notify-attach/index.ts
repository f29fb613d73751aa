/**
 * NotifyAttach: the smallest faithful notification-driven legacy filter (the sfilter pattern,
 * reference §3.1, §5.5).
 *
 * - DriverEntry registers for file system notifications. Every file system reported active gets a
 *   filter device on its control device (recognizers, `\FileSystem\Fs_Rec`, are skipped) and on
 *   each volume it already has mounted, found with IoEnumerateDeviceObjectList the way sfilter's
 *   SfEnumerateFileSystemVolumes does (reference §4.6); every file system reported inactive loses
 *   the control device filter.
 * - Because it sits on the control devices, every IRP_MN_MOUNT_VOLUME passes through it. It saves
 *   the VPB's real device before passing the IRP down, and in the completion routine attaches a
 *   new filter device to the volume that was just mounted.
 * - On FastIoDetachDevice (the device below is being deleted) it detaches and deletes its device.
 * Everything else passes through untouched.
 */
import {
  DO_BUFFERED_IO,
  DO_DEVICE_INITIALIZING,
  DO_DIRECT_IO,
  FILE_DEVICE_SECURE_OPEN,
} from '../../../base/device-codes.ts';
import {
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_MAXIMUM_FUNCTION,
  IRP_MN_MOUNT_VOLUME,
} from '../../../base/irp-codes.ts';
import { NT_SUCCESS, type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  type DriverModule,
  type DriverObject,
  IoAttachDeviceToDeviceStackSafe,
  IoCallDriver,
  IoCopyCurrentIrpStackLocationToNext,
  IoCreateDevice,
  IoDeleteDevice,
  IoDetachDevice,
  IoEnumerateDeviceObjectList,
  IoGetCurrentIrpStackLocation,
  IoGetDiskDeviceObject,
  IoMarkIrpPending,
  IoRegisterFsRegistrationChange,
  IoSetCompletionRoutine,
  IoSkipCurrentIrpStackLocation,
  IoUnregisterFsRegistrationChange,
  type Irp,
  type MountVolumeParameters,
} from '../../../io/index.ts';
import { ObDereferenceObject } from '../../../ob/index.ts';

const FS_RECOGNIZER_DRIVER = '\\FileSystem\\Fs_Rec';

interface FilterExtension {
  /** The device directly below (what IoAttachDeviceToDeviceStackSafe returned). */
  lower: DeviceObject | null;
  /** True on filter devices attached to file system control devices, false on volumes. */
  onControlDevice: boolean;
}

interface MountContext {
  realDevice: DeviceObject;
  driver: DriverObject;
}

function extensionOf(device: DeviceObject): FilterExtension {
  return device.deviceExtension as FilterExtension;
}

/** Creates an unnamed filter device shaped like `target` and attaches it to the top of target's stack. */
function attachFilterDevice(
  driver: DriverObject,
  target: DeviceObject,
  onControlDevice: boolean,
): DeviceObject | null {
  const { deviceObject } = IoCreateDevice<FilterExtension>(
    driver,
    { lower: null, onControlDevice },
    null,
    target.deviceType,
    0,
    false,
  );
  if (deviceObject === null) return null;
  // Copied before attaching so an IRP arriving at once sees the right flags (sfilter does the same).
  deviceObject.flags |= target.flags & (DO_BUFFERED_IO | DO_DIRECT_IO);
  if (onControlDevice) deviceObject.characteristics |= target.characteristics & FILE_DEVICE_SECURE_OPEN;
  const { status, attachedTo } = IoAttachDeviceToDeviceStackSafe(deviceObject, target);
  if (!NT_SUCCESS(status)) {
    IoDeleteDevice(deviceObject);
    return null;
  }
  deviceObject.deviceExtension.lower = attachedTo;
  deviceObject.flags &= ~DO_DEVICE_INITIALIZING;
  return deviceObject;
}

/** Is one of our devices somewhere in the stack that `device` belongs to? */
function alreadyAttached(driver: DriverObject, device: DeviceObject): boolean {
  for (let d: DeviceObject | null = device; d !== null; d = d.attachedDevice)
    if (d.driverObject === driver) return true;
  return false;
}

function passThrough(device: DeviceObject, irp: Irp): NTSTATUS {
  IoSkipCurrentIrpStackLocation(irp);
  return IoCallDriver(extensionOf(device).lower!, irp);
}

function fileSystemControl(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  if (!extensionOf(device).onControlDevice || location.minorFunction !== IRP_MN_MOUNT_VOLUME)
    return passThrough(device, irp);
  // Save the real device now: a file system that remounts a known volume may swap the VPB.
  const { vpb } = location.parameters as MountVolumeParameters;
  const context: MountContext = { realDevice: vpb.realDevice, driver: device.driverObject };
  IoCopyCurrentIrpStackLocationToNext(irp);
  IoSetCompletionRoutine(irp, mountCompletion, context, true, true, true);
  return IoCallDriver(extensionOf(device).lower!, irp);
}

function mountCompletion(_device: DeviceObject | null, irp: Irp, context: unknown): NTSTATUS {
  const { realDevice, driver } = context as MountContext;
  if (irp.pendingReturned) IoMarkIrpPending(irp);
  const volume = realDevice.vpb?.deviceObject ?? null;
  if (NT_SUCCESS(irp.ioStatus.status) && volume !== null && !alreadyAttached(driver, volume)) {
    attachFilterDevice(driver, volume, false);
  }
  return STATUS_SUCCESS;
}

/**
 * Attaches to the volumes a file system mounted before we heard of it: its unnamed devices of the
 * control device's type that have a disk behind them (named ones are other control devices).
 */
function attachToMountedVolumes(driver: DriverObject, cdo: DeviceObject): void {
  const fileSystem = cdo.driverObject;
  // Ask for the count first, then for the list, as callers of the C routine size their buffer.
  const { actualNumberDeviceObjects } = IoEnumerateDeviceObjectList(fileSystem, 0);
  const { status, devices } = IoEnumerateDeviceObjectList(fileSystem, actualNumberDeviceObjects);
  if (!NT_SUCCESS(status)) return;
  for (const device of devices) {
    if (
      device !== cdo &&
      device.deviceName === null &&
      device.deviceType === cdo.deviceType &&
      !alreadyAttached(driver, device)
    ) {
      const { diskDeviceObject } = IoGetDiskDeviceObject(device);
      if (diskDeviceObject !== null) {
        attachFilterDevice(driver, device, false);
        ObDereferenceObject(diskDeviceObject);
      }
    }
    ObDereferenceObject(device);
  }
}

function onFileSystemChange(driver: DriverObject, cdo: DeviceObject, fsActive: boolean): void {
  if (cdo.driverObject.driverName === FS_RECOGNIZER_DRIVER) return;
  if (fsActive) {
    if (!alreadyAttached(driver, cdo)) attachFilterDevice(driver, cdo, true);
    attachToMountedVolumes(driver, cdo);
    return;
  }
  // Find our device in the control device's chain, detach it from what it sits on, delete it.
  for (let d: DeviceObject | null = cdo.attachedDevice; d !== null; d = d.attachedDevice) {
    if (d.driverObject === driver) {
      IoDetachDevice(extensionOf(d).lower!);
      IoDeleteDevice(d);
      return;
    }
  }
}

export const notifyAttachDriver: DriverModule = {
  manifest: {
    name: 'NotifyAttach',
    kind: 'legacy-filter',
    description:
      'Attaches to every file system and every volume as it mounts, via file system notifications.',
  },
  DriverEntry(driver) {
    for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) driver.majorFunction[major] = passThrough;
    driver.majorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = fileSystemControl;
    driver.fastIoDispatch = {
      fastIoDetachDevice(source, target) {
        IoDetachDevice(target);
        IoDeleteDevice(source);
      },
    };
    const routine = (cdo: DeviceObject, fsActive: boolean): void => onFileSystemChange(driver, cdo, fsActive);
    driver.driverExtension = routine;
    driver.driverUnload = (self) => {
      IoUnregisterFsRegistrationChange(self, routine);
      for (const device of [...self.deviceObjects]) {
        const lower = extensionOf(device).lower;
        if (lower !== null) IoDetachDevice(lower);
        IoDeleteDevice(device);
      }
    };
    return IoRegisterFsRegistrationChange(driver, routine);
  },
};
