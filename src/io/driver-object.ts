/**
 * Driver objects (DRIVER_OBJECT) and the shape of a driver image.
 *
 * A driver is a module exporting `DriverEntry` and a manifest. Loading it creates a DriverObject
 * named `\FileSystem\<name>` (file systems, recognizers and file system filters) or `\Driver\<name>`
 * (everything else) and runs DriverEntry. Every slot of `majorFunction` starts as the I/O manager's
 * default, which completes the IRP with STATUS_INVALID_DEVICE_REQUEST. `deviceObjects` lists the
 * driver's devices newest first, as the DeviceObject chain does in NT.
 */

import type { NTSTATUS } from '../base/index.ts';
import { IRP_MJ_MAXIMUM_FUNCTION } from '../base/index.ts';
import { KernelObject, type ObjectType } from '../ob/index.ts';
import type { DeviceObject } from './device-object.ts';
import { IopInvalidDeviceRequest } from './invalid-device-request.ts';
import type { Irp } from './irp.ts';
import type { System } from './system.ts';

/** A dispatch routine: handles one IRP for one device, returns its status or STATUS_PENDING. */
export type DriverDispatch = (deviceObject: DeviceObject, irp: Irp) => NTSTATUS;

/** DRIVER_INITIALIZE. */
export type DriverInitialize = (driverObject: DriverObject, registryPath: string) => NTSTATUS;

/** DRIVER_UNLOAD. */
export type DriverUnload = (driverObject: DriverObject) => void;

/** FAST_IO_DISPATCH: only the entry points Strata calls. */
export interface FastIoDispatch {
  /** Called when `targetDevice`, which `sourceDevice` is attached to, is being deleted. */
  fastIoDetachDevice?(sourceDevice: DeviceObject, targetDevice: DeviceObject): void;
}

export type DriverKind = 'storage' | 'file-system' | 'recognizer' | 'legacy-filter' | 'minifilter' | 'other';

/** What a driver says about itself, the way an INF and its service key would. */
export interface DriverManifest {
  /** The service name: `MemFs`, `RamDisk`, `SFilter`. */
  readonly name: string;
  readonly kind: DriverKind;
  readonly description: string;
}

/** A loadable driver image. */
export interface DriverModule {
  readonly manifest: DriverManifest;
  readonly DriverEntry: DriverInitialize;
}

// DRIVER_OBJECT.Flags
export const DRVO_UNLOAD_INVOKED = 0x00000001;
export const DRVO_LEGACY_DRIVER = 0x00000002;
export const DRVO_BUILTIN_DRIVER = 0x00000004;
export const DRVO_INITIALIZED = 0x00000010;

export const DriverObjectType: ObjectType = { name: 'Driver' };

export class DriverObject extends KernelObject {
  readonly type = DriverObjectType;
  readonly majorFunction: DriverDispatch[] = new Array<DriverDispatch>(IRP_MJ_MAXIMUM_FUNCTION + 1).fill(
    IopInvalidDeviceRequest,
  );
  fastIoDispatch: FastIoDispatch | null = null;
  driverUnload: DriverUnload | null = null;
  /** The driver's devices, newest first. */
  readonly deviceObjects: DeviceObject[] = [];
  flags = DRVO_LEGACY_DRIVER;
  /** Free for the driver's own state (NT drivers keep it in globals; Strata has none). */
  driverExtension: unknown = null;

  constructor(
    readonly system: System,
    /** Full object name: `\FileSystem\MemFs`. */
    readonly driverName: string,
    readonly module: DriverModule,
  ) {
    super();
  }

  get serviceName(): string {
    return this.module.manifest.name;
  }
}
