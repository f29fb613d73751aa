/**
 * Loading and unloading drivers (IopLoadDriver / ZwLoadDriver / ZwUnloadDriver).
 *
 * A driver image is registered with the system under its service name; loading creates the driver
 * object, inserts it in `\FileSystem` or `\Driver`, and runs DriverEntry. Devices created during
 * DriverEntry have DO_DEVICE_INITIALIZING cleared when it returns (§3.3, §4.5). A DriverEntry that
 * fails leaves nothing behind: its devices are deleted and the driver object removed.
 * Unloading calls DriverUnload (drivers without one cannot be unloaded, as in NT) and removes the
 * driver object once it has no devices left.
 */
import {
  DO_DEVICE_INITIALIZING,
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_IMAGE_ALREADY_LOADED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from '../base/index.ts';
import { IoDeleteDevice } from './device-object.ts';
import { DRVO_INITIALIZED, DRVO_UNLOAD_INVOKED, type DriverModule, DriverObject } from './driver-object.ts';
import type { System } from './system.ts';

/** Makes a driver image loadable by name (installing its service). Replaces an image of the same name. */
export function IoRegisterDriverImage(system: System, module: DriverModule): void {
  system.io.driverImages.set(module.manifest.name.toUpperCase(), module);
}

/** The object directory a driver of this kind lives in. */
function driverDirectory(module: DriverModule): string {
  switch (module.manifest.kind) {
    case 'file-system':
    case 'recognizer':
    case 'legacy-filter':
    case 'minifilter':
      return '\\FileSystem';
    default:
      return '\\Driver';
  }
}

export interface LoadDriverResult {
  status: NTSTATUS;
  driverObject: DriverObject | null;
}

/**
 * Loads a driver: from a module directly, or by service name from the registered images
 * (ZwLoadDriver). A driver already loaded gives STATUS_IMAGE_ALREADY_LOADED and the loaded object.
 */
export function IoLoadDriver(system: System, moduleOrName: DriverModule | string): LoadDriverResult {
  let module: DriverModule | undefined;
  if (typeof moduleOrName === 'string') {
    module = system.io.driverImages.get(moduleOrName.toUpperCase());
    if (module === undefined) return { status: STATUS_OBJECT_NAME_NOT_FOUND, driverObject: null };
  } else {
    module = moduleOrName;
    IoRegisterDriverImage(system, module);
  }
  const key = module.manifest.name.toUpperCase();
  const existing = system.io.drivers.get(key);
  if (existing !== undefined) return { status: STATUS_IMAGE_ALREADY_LOADED, driverObject: existing };

  const driverName = `${driverDirectory(module)}\\${module.manifest.name}`;
  const driverObject = new DriverObject(system, driverName, module);
  const inserted = system.ob.insertObject(driverName, driverObject);
  if (inserted !== STATUS_SUCCESS) return { status: inserted, driverObject: null };
  system.io.drivers.set(key, driverObject);

  const previous = system.io.driverEntryRunning;
  system.io.driverEntryRunning = driverObject;
  if (system.io.hasListeners) system.io.emit({ kind: 'driver-entry', driver: driverObject, running: true });
  let status: NTSTATUS;
  try {
    status = module.DriverEntry(
      driverObject,
      `\\Registry\\Machine\\System\\CurrentControlSet\\Services\\${module.manifest.name}`,
    );
  } catch (error) {
    system.io.driverEntryRunning = previous;
    if (system.io.hasListeners)
      system.io.emit({ kind: 'driver-entry', driver: driverObject, running: false });
    discardDriver(driverObject);
    throw error;
  }
  system.io.driverEntryRunning = previous;
  if (system.io.hasListeners) system.io.emit({ kind: 'driver-entry', driver: driverObject, running: false });
  if (!NT_SUCCESS(status)) {
    discardDriver(driverObject);
    return { status, driverObject: null };
  }
  for (const device of driverObject.deviceObjects) {
    if (device.createdInDriverEntry) {
      device.flags &= ~DO_DEVICE_INITIALIZING;
      device.createdInDriverEntry = false;
    }
  }
  driverObject.flags |= DRVO_INITIALIZED;
  system.io.emit({ kind: 'driver-loaded', driver: driverObject });
  return { status: STATUS_SUCCESS, driverObject };
}

function discardDriver(driverObject: DriverObject): void {
  for (const device of [...driverObject.deviceObjects]) IoDeleteDevice(device);
  removeDriverObject(driverObject);
}

function removeDriverObject(driverObject: DriverObject): void {
  const system = driverObject.system;
  system.io.drivers.delete(driverObject.serviceName.toUpperCase());
  system.ob.removeObject(driverObject);
}

/**
 * Unloads a driver by service name (ZwUnloadDriver). Drivers without DriverUnload cannot be
 * unloaded (STATUS_INVALID_DEVICE_REQUEST). The driver object goes away once its devices are gone.
 */
export function IoUnloadDriver(system: System, serviceName: string): NTSTATUS {
  const driverObject = system.io.drivers.get(serviceName.toUpperCase());
  if (driverObject === undefined) return STATUS_OBJECT_NAME_NOT_FOUND;
  if (driverObject.driverUnload === null) return STATUS_INVALID_DEVICE_REQUEST;
  if ((driverObject.flags & DRVO_UNLOAD_INVOKED) !== 0) return STATUS_SUCCESS;
  driverObject.flags |= DRVO_UNLOAD_INVOKED;
  driverObject.driverUnload(driverObject);
  system.io.drivers.delete(serviceName.toUpperCase());
  if (driverObject.deviceObjects.length === 0) system.ob.removeObject(driverObject);
  system.io.emit({ kind: 'driver-unloaded', driver: driverObject });
  return STATUS_SUCCESS;
}
