/**
 * Small, fully controllable drivers for kernel tests: a storage driver, a file system that mounts
 * whatever its `recognizes` predicate accepts, and a pass-through legacy filter. Each records what
 * it saw in a shared log so tests can assert on order.
 */
import {
  DO_DEVICE_INITIALIZING,
  DO_LOW_PRIORITY_FILESYSTEM,
  FILE_DEVICE_DISK,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_OPENED,
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_MAXIMUM_FUNCTION,
  IRP_MJ_NAMES,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
  IRP_MN_MOUNT_VOLUME,
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
} from '../../src/base/index.ts';
import {
  completeRequest,
  type DeviceObject,
  type DriverModule,
  type DriverObject,
  type FastIoDispatch,
  IoAttachDeviceToDeviceStackSafe,
  IoCallDriver,
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

export type Log = string[];

const complete = completeRequest;

/** A filter's FastIoDetachDevice: logs `<name>: FastIoDetachDevice`, detaches and deletes its device. */
export function detachingFastIo(name: string, log: Log): FastIoDispatch {
  return {
    fastIoDetachDevice(source, target) {
      log.push(`${name}: FastIoDetachDevice`);
      IoDetachDevice(target);
      IoDeleteDevice(source);
    },
  };
}

/**
 * A filter device of `driver` (extension `{ lower }`) attached on top of `target`'s stack, or
 * null when the attach fails (the device is deleted again). `clearInitializing` false leaves
 * DO_DEVICE_INITIALIZING set, as a filter that is not done setting up would.
 */
export function attachFilterDevice(
  driver: DriverObject,
  target: DeviceObject,
  clearInitializing = true,
): DeviceObject | null {
  const { deviceObject } = IoCreateDevice<{ lower: DeviceObject | null }>(
    driver,
    { lower: null },
    null,
    target.deviceType,
    0,
    false,
  );
  const device = deviceObject!;
  const { status, attachedTo } = IoAttachDeviceToDeviceStackSafe(device, target);
  if (status !== STATUS_SUCCESS) {
    IoDeleteDevice(device);
    return null;
  }
  device.deviceExtension.lower = attachedTo;
  if (clearInitializing) device.flags &= ~DO_DEVICE_INITIALIZING;
  return device;
}

/** A disk driver whose devices answer create/close and read zeros; `\Device\<name>N`. */
export function toyStorageDriver(
  name: string,
  log: Log,
): DriverModule & { createDisk(driver: DriverObject, deviceType?: number): DeviceObject } {
  let count = 0;
  const createDisk = (driver: DriverObject, deviceType = FILE_DEVICE_DISK): DeviceObject => {
    const { deviceObject } = IoCreateDevice(
      driver,
      { bytes: new Uint8Array(4096) },
      `\\Device\\${name}${count++}`,
      deviceType,
      0,
      false,
    );
    deviceObject!.flags &= ~DO_DEVICE_INITIALIZING;
    deviceObject!.sectorSize = 512;
    return deviceObject!;
  };
  return {
    manifest: { name, kind: 'storage', description: 'toy disk' },
    createDisk,
    DriverEntry(driver) {
      driver.majorFunction[IRP_MJ_CREATE] = (_device, irp) => complete(irp, STATUS_SUCCESS, FILE_OPENED);
      driver.majorFunction[IRP_MJ_CLEANUP] = (_device, irp) => complete(irp, STATUS_SUCCESS);
      driver.majorFunction[IRP_MJ_CLOSE] = (_device, irp) => complete(irp, STATUS_SUCCESS);
      driver.majorFunction[IRP_MJ_READ] = (device, irp) => {
        log.push(`${name}: read ${device.describe()}`);
        const p = IoGetCurrentIrpStackLocation(irp).parameters as ReadWriteParameters;
        return complete(irp, STATUS_SUCCESS, p.length);
      };
      return STATUS_SUCCESS;
    },
  };
}

export interface ToyFileSystemOptions {
  deviceType?: number;
  lowPriority?: boolean;
  /** Decides whether the storage device holds this file system's format. Default: always. */
  recognizes?: (storage: DeviceObject) => boolean;
}

/** A file system: CDO `\Device\<name>`, mounts by predicate, completes every file request with success. */
export function toyFileSystem(
  name: string,
  log: Log,
  options: ToyFileSystemOptions = {},
): DriverModule & { cdo(): DeviceObject } {
  let controlDevice: DeviceObject | null = null;
  const fsType = options.deviceType ?? FILE_DEVICE_DISK_FILE_SYSTEM;
  return {
    manifest: { name, kind: 'file-system', description: 'toy file system' },
    cdo: () => controlDevice!,
    DriverEntry(driver) {
      const { deviceObject } = IoCreateDevice(driver, null, `\\Device\\${name}`, fsType, 0, false);
      controlDevice = deviceObject!;
      if (options.lowPriority) controlDevice.flags |= DO_LOW_PRIORITY_FILESYSTEM;
      driver.majorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = (device, irp) => {
        const sp = IoGetCurrentIrpStackLocation(irp);
        if (sp.minorFunction !== IRP_MN_MOUNT_VOLUME) return complete(irp, STATUS_INVALID_DEVICE_REQUEST);
        const { vpb, deviceObject: storage } = sp.parameters as MountVolumeParameters;
        log.push(`${name}: mount ${vpb.realDevice.describe()} via ${device.describe()}`);
        if (options.recognizes && !options.recognizes(vpb.realDevice))
          return complete(irp, STATUS_UNRECOGNIZED_VOLUME);
        const { deviceObject: vdo } = IoCreateDevice(driver, { storage }, null, fsType, 0, false);
        vdo!.stackSize = storage.stackSize + 1;
        vdo!.flags &= ~DO_DEVICE_INITIALIZING;
        vpb.deviceObject = vdo;
        return complete(irp, STATUS_SUCCESS);
      };
      const ok = (device: DeviceObject, irp: Irp): NTSTATUS => {
        const sp = IoGetCurrentIrpStackLocation(irp);
        log.push(
          `${name}: ${IRP_MJ_NAMES[sp.majorFunction]} on ${device === controlDevice ? 'cdo' : 'volume'}`,
        );
        const info =
          sp.majorFunction === IRP_MJ_CREATE
            ? FILE_OPENED
            : sp.majorFunction === IRP_MJ_WRITE
              ? (sp.parameters as ReadWriteParameters).length
              : 0;
        return complete(irp, STATUS_SUCCESS, info);
      };
      for (const major of [IRP_MJ_CREATE, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_READ, IRP_MJ_WRITE])
        driver.majorFunction[major] = ok;
      IoRegisterFileSystem(controlDevice);
      return STATUS_SUCCESS;
    },
  };
}

/** A pass-through legacy filter: every IRP skipped down; detaches on FastIoDetachDevice. */
export function toyPassThroughFilter(
  name: string,
  log: Log,
): DriverModule & {
  attach(driver: DriverObject, target: DeviceObject): DeviceObject | null;
  driver(): DriverObject;
} {
  let self: DriverObject | null = null;
  const attach = (driver: DriverObject, target: DeviceObject): DeviceObject | null =>
    attachFilterDevice(driver, target);
  return {
    manifest: { name, kind: 'legacy-filter', description: 'toy pass-through filter' },
    attach,
    driver: () => self!,
    DriverEntry(driver) {
      self = driver;
      for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) {
        driver.majorFunction[major] = (device, irp) => {
          const ext = device.deviceExtension as { lower: DeviceObject | null };
          log.push(`${name}: ${IRP_MJ_NAMES[IoGetCurrentIrpStackLocation(irp).majorFunction]}`);
          IoSkipCurrentIrpStackLocation(irp);
          return IoCallDriver(ext.lower!, irp);
        };
      }
      driver.fastIoDispatch = detachingFastIo(name, log);
      return STATUS_SUCCESS;
    },
  };
}
