/**
 * The I/O database of one system: what ReactOS keeps in globals under IopDatabaseResource.
 *
 * - four file system queues (disk, CD-ROM, tape, network) of control device objects, head first;
 *   RAW, registered at boot, stays last in the disk, CD-ROM and tape queues;
 * - the set of registered control devices (queued or, for other device types, not), so that a
 *   repeated or unmatched (un)registration changes nothing;
 * - the file system notification list, in registration order;
 * - `fsRegistrationOps`, bumped by every (un)registration so an in-flight mount notices (§5.3);
 * - loaded drivers by service name, and the driver images that can be loaded by name (the
 *   service database ZwLoadDriver consults);
 * - observers that hear about device and stack changes (traces, the verifier, the web console).
 *
 * JavaScript runs one thing at a time, so the exclusive database lock of NT is implicit; what
 * remains of it is the rule that mounts and registrations never interleave inside one walk.
 */
import type { DeviceObject } from './device-object.ts';
import type { DriverModule, DriverObject } from './driver-object.ts';
import type { FileObject } from './file-object.ts';
import type { System } from './system.ts';

/** DRIVER_FS_NOTIFICATION. */
export type FsNotificationRoutine = (deviceObject: DeviceObject, fsActive: boolean) => void;

export interface FsNotificationEntry {
  readonly driverObject: DriverObject;
  readonly routine: FsNotificationRoutine;
}

export type IoEvent =
  | { kind: 'device-created'; device: DeviceObject }
  | { kind: 'device-deleted'; device: DeviceObject }
  | { kind: 'attach' | 'detach'; lower: DeviceObject; upper: DeviceObject }
  | { kind: 'fs-registered' | 'fs-unregistered'; device: DeviceObject }
  | { kind: 'fs-notify'; driver: DriverObject; device: DeviceObject; fsActive: boolean; replay: boolean }
  /** The notification routine announced by the last 'fs-notify' returned. */
  | { kind: 'fs-notify-returned'; driver: DriverObject }
  /** A DriverEntry starts (`running`) or has returned. */
  | { kind: 'driver-entry'; driver: DriverObject; running: boolean }
  | { kind: 'mounted'; realDevice: DeviceObject; volumeDevice: DeviceObject }
  | { kind: 'driver-loaded' | 'driver-unloaded'; driver: DriverObject }
  | { kind: 'file-created'; fileObject: FileObject }
  | { kind: 'device-referenced' | 'device-dereferenced'; device: DeviceObject };

export type IoEventListener = (event: IoEvent) => void;

/** The service name of the RAW file system; its control devices are never replayed (§2.4). */
export const RAW_DRIVER_NAME = '\\FileSystem\\RAW';

export class IoDatabase {
  readonly diskFileSystemQueue: DeviceObject[] = [];
  readonly cdRomFileSystemQueue: DeviceObject[] = [];
  readonly tapeFileSystemQueue: DeviceObject[] = [];
  readonly networkFileSystemQueue: DeviceObject[] = [];
  /**
   * Every control device registered and not unregistered since, queued or not (a device of another
   * type is registered without a queue). Lets a repeated or unmatched (un)registration be ignored.
   */
  readonly registeredFileSystems = new Set<DeviceObject>();
  readonly fsNotifyList: FsNotificationEntry[] = [];
  fsRegistrationOps = 0;
  readonly driverImages = new Map<string, DriverModule>();
  readonly drivers = new Map<string, DriverObject>();
  /** The driver whose DriverEntry is running (devices it creates get DO_DEVICE_INITIALIZING cleared after). */
  driverEntryRunning: DriverObject | null = null;
  /** Mounts in flight (only asynchronous ones are ever observed here). */
  mountsInProgress = 0;
  /** Callers of IoRegisterFsRegistrationChangeMountAware(…, TRUE) waiting for mounts to drain. */
  readonly mountDrainWaiters: Array<() => void> = [];
  /** Registrations with SynchronizeWithMounts in progress: new mounts wait for them. */
  mountBlockers = 0;
  readonly mountUnblockWaiters: Array<() => void> = [];
  /** Devices registered with IoRegisterShutdownNotification, most recent first (shutdown.ts). */
  readonly shutdownNotifications: DeviceObject[] = [];
  /** Devices registered with IoRegisterLastChanceShutdownNotification, told after the file systems. */
  readonly lastChanceShutdownNotifications: DeviceObject[] = [];
  private readonly listeners: IoEventListener[] = [];
  /** The driver verifier of this system (io/verifier), when it was turned on; else null. */
  verifier: { onShutdown(): void } | null = null;

  constructor(
    readonly system: System,
    /** IoBlockLegacyFsFilters policy (§2.2). */
    public blockLegacyFsFilters: boolean,
  ) {}

  /** The four queues in the order ReactOS replays them: network, CD-ROM, disk, tape. */
  get replayOrder(): readonly DeviceObject[][] {
    return [
      this.networkFileSystemQueue,
      this.cdRomFileSystemQueue,
      this.diskFileSystemQueue,
      this.tapeFileSystemQueue,
    ];
  }

  addListener(listener: IoEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  emit(event: IoEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  deviceCreated(device: DeviceObject): void {
    if (this.listeners.length > 0) this.emit({ kind: 'device-created', device });
  }

  deviceDeleted(device: DeviceObject): void {
    if (this.listeners.length > 0) this.emit({ kind: 'device-deleted', device });
  }

  stackChanged(lower: DeviceObject, upper: DeviceObject, kind: 'attach' | 'detach'): void {
    if (this.listeners.length > 0) this.emit({ kind, lower, upper });
  }

  fileCreated(fileObject: FileObject): void {
    if (this.listeners.length > 0) this.emit({ kind: 'file-created', fileObject });
  }

  /** A routine handed out a referenced device pointer (IoGetAttachedDeviceReference and kin). */
  deviceReferenced(device: DeviceObject): void {
    if (this.listeners.length > 0) this.emit({ kind: 'device-referenced', device });
  }

  /** ObDereferenceObject dropped a reference on a device (whoever took it). */
  deviceDereferenced(device: DeviceObject): void {
    if (this.listeners.length > 0) this.emit({ kind: 'device-dereferenced', device });
  }
}

/** True for the control devices of the RAW file system. */
export function isRawFileSystem(deviceObject: DeviceObject): boolean {
  return deviceObject.driverObject.driverName === RAW_DRIVER_NAME;
}
