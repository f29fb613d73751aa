/**
 * Minimal drivers for measuring the I/O manager itself: a file system whose volume completes every
 * request at once, and a pass-through legacy filter that skips its stack location and calls down
 * (the cheapest correct filter, as sfilter's default dispatch is).
 */
import {
  DO_DEVICE_INITIALIZING,
  FILE_DEVICE_DISK,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_OPENED,
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_MAXIMUM_FUNCTION,
  IRP_MJ_READ,
  IRP_MN_MOUNT_VOLUME,
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
} from '../../src/base/index.ts';
import {
  type DeviceObject,
  type DriverModule,
  type DriverObject,
  IoAttachDeviceToDeviceStackSafe,
  IoCallDriver,
  IoCompleteRequest,
  IoCreateDevice,
  IoDeleteDevice,
  IoDetachDevice,
  IoGetCurrentIrpStackLocation,
  IoRegisterFileSystem,
  IoSkipCurrentIrpStackLocation,
  type Irp,
  type MountVolumeParameters,
  type ReadWriteParameters,
} from '../../src/io/index.ts';

function complete(irp: Irp, status: NTSTATUS, information: number): NTSTATUS {
  irp.ioStatus.status = status;
  irp.ioStatus.information = information;
  IoCompleteRequest(irp);
  return status;
}

export const nullDiskDriver: DriverModule & { createDisk(driver: DriverObject): DeviceObject } = {
  manifest: { name: 'NullDisk', kind: 'storage', description: 'a disk that holds nothing' },
  createDisk(driver) {
    const { deviceObject } = IoCreateDevice(driver, null, '\\Device\\NullDisk0', FILE_DEVICE_DISK, 0, false);
    deviceObject!.flags &= ~DO_DEVICE_INITIALIZING;
    return deviceObject!;
  },
  DriverEntry(driver) {
    driver.majorFunction[IRP_MJ_CREATE] = (_d, irp) => complete(irp, STATUS_SUCCESS, FILE_OPENED);
    driver.majorFunction[IRP_MJ_CLEANUP] = (_d, irp) => complete(irp, STATUS_SUCCESS, 0);
    driver.majorFunction[IRP_MJ_CLOSE] = (_d, irp) => complete(irp, STATUS_SUCCESS, 0);
    return STATUS_SUCCESS;
  },
};

export const nullFileSystemDriver: DriverModule = {
  manifest: {
    name: 'NullFs',
    kind: 'file-system',
    description: 'a file system whose requests all succeed at once',
  },
  DriverEntry(driver) {
    const { deviceObject: cdo } = IoCreateDevice(
      driver,
      null,
      '\\Device\\NullFs',
      FILE_DEVICE_DISK_FILE_SYSTEM,
      0,
      false,
    );
    driver.majorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = (_d, irp) => {
      const sp = IoGetCurrentIrpStackLocation(irp);
      if (sp.minorFunction !== IRP_MN_MOUNT_VOLUME) return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
      const { vpb, deviceObject: storage } = sp.parameters as MountVolumeParameters;
      const { deviceObject: vdo } = IoCreateDevice(
        driver,
        null,
        null,
        FILE_DEVICE_DISK_FILE_SYSTEM,
        0,
        false,
      );
      vdo!.stackSize = storage.stackSize + 1;
      vdo!.flags &= ~DO_DEVICE_INITIALIZING;
      vpb.deviceObject = vdo;
      return complete(irp, STATUS_SUCCESS, 0);
    };
    driver.majorFunction[IRP_MJ_CREATE] = (_d, irp) => complete(irp, STATUS_SUCCESS, FILE_OPENED);
    driver.majorFunction[IRP_MJ_CLEANUP] = (_d, irp) => complete(irp, STATUS_SUCCESS, 0);
    driver.majorFunction[IRP_MJ_CLOSE] = (_d, irp) => complete(irp, STATUS_SUCCESS, 0);
    driver.majorFunction[IRP_MJ_READ] = (_d, irp) =>
      complete(
        irp,
        STATUS_SUCCESS,
        (IoGetCurrentIrpStackLocation(irp).parameters as ReadWriteParameters).length,
      );
    IoRegisterFileSystem(cdo!);
    return STATUS_SUCCESS;
  },
};

interface FilterExtension {
  lower: DeviceObject | null;
}

function passThrough(device: DeviceObject, irp: Irp): NTSTATUS {
  IoSkipCurrentIrpStackLocation(irp);
  return IoCallDriver((device.deviceExtension as FilterExtension).lower!, irp);
}

/** A pass-through filter driver named `name`; `attach` puts one of its devices on top of a stack. */
export function passThroughFilterDriver(
  name: string,
): DriverModule & { attach(driver: DriverObject, target: DeviceObject): DeviceObject } {
  return {
    manifest: { name, kind: 'legacy-filter', description: 'pass-through legacy filter' },
    attach(driver, target) {
      const { deviceObject } = IoCreateDevice<FilterExtension>(
        driver,
        { lower: null },
        null,
        target.deviceType,
        0,
        false,
      );
      const { attachedTo } = IoAttachDeviceToDeviceStackSafe(deviceObject!, target);
      deviceObject!.deviceExtension.lower = attachedTo;
      deviceObject!.flags &= ~DO_DEVICE_INITIALIZING;
      return deviceObject!;
    },
    DriverEntry(driver) {
      for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++)
        driver.majorFunction[major] = passThrough;
      driver.fastIoDispatch = {
        fastIoDetachDevice(source, target) {
          IoDetachDevice(target);
          IoDeleteDevice(source);
        },
      };
      return STATUS_SUCCESS;
    },
  };
}
