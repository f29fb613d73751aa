/**
 * Drivers and views for the conformance suite (test/conformance): file systems and filters whose
 * every answer a test decides, logs that record the order things happened in, and short views of
 * queues and stacks to compare with exact expectations.
 *
 * Log lines: `<Fs>: mount <storage>` for IRP_MN_MOUNT_VOLUME at a file system, `<Fs>: <MJ> cdo|volume`
 * for other requests, `<Filter>: <MJ>[/<MN>]` when a filter passes a request down, `<Filter>: done
 * <MJ>` when its completion routine runs, `<Filter>: FastIoDetachDevice`.
 */
import assert from 'node:assert/strict';
import { createSystem, NtCreateFile, type NtCreateFileResult } from '../../src/api/index.ts';
import {
  DO_DEVICE_INITIALIZING,
  DO_LOW_PRIORITY_FILESYSTEM,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_OPEN,
  FILE_OPENED,
  IRP_MJ_CREATE,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_MAXIMUM_FUNCTION,
  IRP_MJ_NAMES,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
  IRP_MN_LOAD_FILE_SYSTEM,
  IRP_MN_MOUNT_VOLUME,
  IRP_MN_VERIFY_VOLUME,
  type NTSTATUS,
  STATUS_FS_DRIVER_REQUIRED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_PENDING,
  STATUS_SUCCESS,
} from '../../src/base/index.ts';
import {
  completeRequest,
  type DeviceObject,
  type DriverDispatch,
  type DriverInitialize,
  type DriverKind,
  type DriverModule,
  type DriverObject,
  type FsNotificationRoutine,
  IoAllocateIrp,
  IoCallDriver,
  IoCopyCurrentIrpStackLocationToNext,
  IoCreateDevice,
  IoGetAttachedDevice,
  IoGetCurrentIrpStackLocation,
  IoGetNextIrpStackLocation,
  IoLoadDriver,
  IoMarkIrpPending,
  IoRegisterFileSystem,
  IoSetCompletionRoutine,
  IoSkipCurrentIrpStackLocation,
  IoUnregisterFileSystem,
  type Irp,
  type MountVolumeParameters,
  type ReadWriteParameters,
  type System,
  type Vpb,
} from '../../src/io/index.ts';
import type { Process } from '../../src/ob/index.ts';
import { attachFilterDevice, detachingFastIo, toyStorageDriver } from './toy-drivers.ts';

export type Log = string[];

/** Sets the I/O status and completes the IRP: the I/O manager's `completeRequest`. */
export const completeIrp = completeRequest;

/** A driver image whose DriverEntry is `entry` (by default: succeed and do nothing). */
export function driverImage(
  name: string,
  kind: DriverKind = 'other',
  entry?: DriverInitialize,
): DriverModule {
  return {
    manifest: { name, kind, description: `conformance test driver ${name}` },
    DriverEntry: entry ?? (() => STATUS_SUCCESS),
  };
}

/** Loads a driver image and asserts it loaded. */
export function loadDriver(
  system: System,
  name: string,
  kind: DriverKind = 'other',
  entry?: DriverInitialize,
): DriverObject {
  const { status, driverObject } = IoLoadDriver(system, driverImage(name, kind, entry));
  assert.equal(status, STATUS_SUCCESS, `loading ${name}`);
  return driverObject!;
}

/** A device of its own driver `name` whose every major function runs `dispatch`. */
export function deviceWith(system: System, name: string, dispatch: DriverDispatch): DeviceObject {
  const driver = loadDriver(system, name, 'other', (self) => {
    for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) self.majorFunction[major] = dispatch;
    return STATUS_SUCCESS;
  });
  const { deviceObject } = IoCreateDevice(driver, null, null, FILE_DEVICE_DISK_FILE_SYSTEM, 0, false);
  return deviceObject!;
}

/** An IRP for `top` whose first location is set up as `major` (a read of 8 bytes by default). */
export function irpFor(top: DeviceObject, major = IRP_MJ_READ): Irp {
  const irp = IoAllocateIrp(top.stackSize);
  const first = IoGetNextIrpStackLocation(irp);
  first.majorFunction = major;
  first.parameters = { length: 8, byteOffset: 0, key: 0 };
  return irp;
}

/** A device's name, or its trace label when unnamed. */
export function label(device: DeviceObject): string {
  return device.deviceName ?? device.describe();
}

/** The labels of a queue or list, head first. */
export function labels(devices: readonly DeviceObject[]): string[] {
  return devices.map(label);
}

/** The stack `device` belongs to, top first, as the service names of the drivers. */
export function stackOf(device: DeviceObject): string[] {
  const names: string[] = [];
  for (let d: DeviceObject | null = IoGetAttachedDevice(device); d !== null; d = d.attachedTo)
    names.push(d.driverObject.serviceName);
  return names;
}

/** A notification routine that records `<tag> <cdo> TRUE|FALSE`. */
export function recorder(log: Log, tag: string): FsNotificationRoutine {
  return (cdo, fsActive) => log.push(`${tag} ${label(cdo)} ${fsActive ? 'TRUE' : 'FALSE'}`);
}

/** NtCreateFile that must not pend. */
export function openSync(
  system: System,
  process: Process,
  objectName: string,
  desiredAccess: number,
  extra: { shareAccess?: number; createDisposition?: number; createOptions?: number } = {},
): NtCreateFileResult {
  const result = NtCreateFile(system, process, {
    objectName,
    desiredAccess,
    createDisposition: extra.createDisposition ?? FILE_OPEN,
    shareAccess: extra.shareAccess ?? 0,
    createOptions: extra.createOptions ?? 0,
  });
  assert.ok(!(result instanceof Promise), `open ${objectName} pended`);
  return result;
}

/** What a scripted file system's mount handler gets: the request, and ways to answer it. */
export interface MountCall {
  readonly irp: Irp;
  /** The device of this file system the IRP reached (its control device). */
  readonly device: DeviceObject;
  readonly vpb: Vpb;
  /** Parameters.MountVolume.DeviceObject: the top of the storage stack. */
  readonly storage: DeviceObject;
  /** Creates an unnamed volume device, links the VPB and completes the IRP with success. */
  mount(options?: VolumeOptions): NTSTATUS;
  /** Completes the IRP with `status` and `information`. */
  fail(status: NTSTATUS, information?: number): NTSTATUS;
  /** Marks the IRP pending and returns STATUS_PENDING; finish it through `fs.pending`. */
  pend(): NTSTATUS;
}

export interface VolumeOptions {
  /** The StackSize the file system gives its volume device (default storage + 1, as FastFat does). */
  stackSize?: number;
  /** Leave DO_DEVICE_INITIALIZING set on the volume device. */
  keepInitializing?: boolean;
  /** Extra DO_* flags and characteristics for the volume device. */
  flags?: number;
  characteristics?: number;
}

/** A mount that pended: finish it from the test. */
export interface PendingMount {
  readonly irp: Irp;
  mount(options?: VolumeOptions): void;
  fail(status: NTSTATUS, information?: number): void;
}

export interface ScriptedFsOptions {
  /** FILE_DEVICE_DISK_FILE_SYSTEM by default. */
  deviceType?: number;
  /** Sets DO_LOW_PRIORITY_FILESYSTEM on the control device. */
  lowPriority?: boolean;
  /** Creates the control device without a name. */
  unnamed?: boolean;
  /** 'file-system' (default) or 'recognizer'; decides `\FileSystem\<name>`. */
  kind?: DriverKind;
  /** Skip IoRegisterFileSystem in DriverEntry. */
  register?: boolean;
  /** Decides each mount; default: mount. */
  mount?: (call: MountCall) => NTSTATUS;
  /** Handles IRP_MN_LOAD_FILE_SYSTEM (recognizers); default STATUS_INVALID_DEVICE_REQUEST. */
  load?: (fs: ScriptedFs, irp: Irp) => NTSTATUS;
  /** Handles IRP_MN_VERIFY_VOLUME on a volume; default success. */
  verify?: (fs: ScriptedFs, volume: DeviceObject, irp: Irp) => NTSTATUS;
  /** Answers any other request first; return null for the default (log and succeed). */
  request?: (device: DeviceObject, irp: Irp) => NTSTATUS | null;
}

export interface ScriptedFs {
  readonly name: string;
  driver: DriverObject;
  cdo: DeviceObject;
  /** Volume devices created by mounts, oldest first. */
  readonly volumes: DeviceObject[];
  /** Mounts that pended, oldest first. */
  readonly pending: PendingMount[];
}

/** The image of a scripted file system, for tests that load it later (a recognizer's job). */
export function scriptedFileSystemImage(
  name: string,
  log: Log,
  options: ScriptedFsOptions = {},
): { module: DriverModule; fs: () => ScriptedFs } {
  const fsType = options.deviceType ?? FILE_DEVICE_DISK_FILE_SYSTEM;
  let state: ScriptedFs | null = null;

  const createVolume = (fs: ScriptedFs, vpb: Vpb, storage: DeviceObject, o: VolumeOptions = {}) => {
    const { deviceObject } = IoCreateDevice(fs.driver, { storage, vpb }, null, fsType, 0, false);
    const volume = deviceObject!;
    volume.stackSize = o.stackSize ?? storage.stackSize + 1;
    volume.sectorSize = storage.sectorSize;
    volume.flags |= o.flags ?? 0;
    volume.characteristics |= o.characteristics ?? 0;
    if (!o.keepInitializing) volume.flags &= ~DO_DEVICE_INITIALIZING;
    vpb.deviceObject = volume;
    fs.volumes.push(volume);
    return volume;
  };

  const fileSystemControl = (device: DeviceObject, irp: Irp): NTSTATUS => {
    const fs = state!;
    const sp = IoGetCurrentIrpStackLocation(irp);
    if (device === fs.cdo && sp.minorFunction === IRP_MN_MOUNT_VOLUME) {
      const { vpb, deviceObject: storage } = sp.parameters as MountVolumeParameters;
      log.push(`${name}: mount ${label(vpb.realDevice)}`);
      const call: MountCall = {
        irp,
        device,
        vpb,
        storage,
        mount: (o) => {
          createVolume(fs, vpb, storage, o);
          return completeIrp(irp, STATUS_SUCCESS);
        },
        fail: (status, information = 0) => completeIrp(irp, status, information),
        pend: () => {
          IoMarkIrpPending(irp);
          fs.pending.push({
            irp,
            mount: (o) => {
              createVolume(fs, vpb, storage, o);
              completeIrp(irp, STATUS_SUCCESS);
            },
            fail: (status, information = 0) => {
              completeIrp(irp, status, information);
            },
          });
          return STATUS_PENDING;
        },
      };
      return (options.mount ?? ((c) => c.mount()))(call);
    }
    if (device === fs.cdo && sp.minorFunction === IRP_MN_LOAD_FILE_SYSTEM) {
      log.push(`${name}: load`);
      return options.load ? options.load(fs, irp) : completeIrp(irp, STATUS_INVALID_DEVICE_REQUEST);
    }
    if (device !== fs.cdo && sp.minorFunction === IRP_MN_VERIFY_VOLUME) {
      log.push(`${name}: verify volume`);
      return options.verify ? options.verify(fs, device, irp) : completeIrp(irp, STATUS_SUCCESS);
    }
    return request(device, irp);
  };

  const request = (device: DeviceObject, irp: Irp): NTSTATUS => {
    const fs = state!;
    const answered = options.request?.(device, irp) ?? null;
    if (answered !== null) return answered;
    const sp = IoGetCurrentIrpStackLocation(irp);
    log.push(`${name}: ${IRP_MJ_NAMES[sp.majorFunction]} ${device === fs.cdo ? 'cdo' : 'volume'}`);
    const information =
      sp.majorFunction === IRP_MJ_CREATE
        ? FILE_OPENED
        : sp.majorFunction === IRP_MJ_READ || sp.majorFunction === IRP_MJ_WRITE
          ? (sp.parameters as ReadWriteParameters).length
          : 0;
    return completeIrp(irp, STATUS_SUCCESS, information);
  };

  const module = driverImage(name, options.kind ?? 'file-system', (driver) => {
    const { status, deviceObject } = IoCreateDevice(
      driver,
      null,
      options.unnamed ? null : `\\Device\\${name}`,
      fsType,
      0,
      false,
    );
    if (status !== STATUS_SUCCESS) return status;
    const cdo = deviceObject!;
    if (options.lowPriority) cdo.flags |= DO_LOW_PRIORITY_FILESYSTEM;
    state = { name, driver, cdo, volumes: [], pending: [] };
    for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) driver.majorFunction[major] = request;
    driver.majorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = fileSystemControl;
    if (options.register !== false) IoRegisterFileSystem(cdo);
    return STATUS_SUCCESS;
  });
  return { module, fs: () => state! };
}

/** Loads a scripted file system now (its DriverEntry registers its control device). */
export function scriptedFileSystem(
  system: System,
  name: string,
  log: Log,
  options: ScriptedFsOptions = {},
): ScriptedFs {
  const image = scriptedFileSystemImage(name, log, options);
  assert.equal(IoLoadDriver(system, image.module).status, STATUS_SUCCESS);
  return image.fs();
}

/**
 * Fs_Rec as NT's recognizer works: claims every volume with STATUS_FS_DRIVER_REQUIRED and, on
 * IRP_MN_LOAD_FILE_SYSTEM, loads `real` and unregisters its own control device.
 */
export function loadingRecognizer(system: System, log: Log, real: DriverModule): ScriptedFs {
  return scriptedFileSystem(system, 'Fs_Rec', log, {
    kind: 'recognizer',
    mount: (call) => call.fail(STATUS_FS_DRIVER_REQUIRED),
    load: (self, irp) => {
      IoLoadDriver(system, real);
      IoUnregisterFileSystem(self.cdo);
      return completeIrp(irp, STATUS_SUCCESS);
    },
  });
}

export interface FilterDeviceExtension {
  lower: DeviceObject | null;
}

export interface RecordingFilterOptions {
  /** Copy the location down and set a completion routine (logs `done`), instead of skipping. */
  completion?: boolean;
  /** Called from the completion routine, before it propagates PendingReturned. */
  onComplete?: (irp: Irp) => void;
}

export interface RecordingFilter {
  driver: DriverObject;
  /** Creates an unattached, unnamed device of `deviceType` (DO_DEVICE_INITIALIZING cleared). */
  device(deviceType: number): DeviceObject;
  /** Creates an unnamed device of the target's type and attaches it; null when the attach fails. */
  attach(target: DeviceObject, clearInitializing?: boolean): DeviceObject | null;
}

/** A legacy filter that logs every request it passes down and detaches on FastIoDetachDevice. */
export function recordingFilter(
  system: System,
  name: string,
  log: Log,
  options: RecordingFilterOptions = {},
): RecordingFilter {
  const describe = (irp: Irp): string => {
    const sp = IoGetCurrentIrpStackLocation(irp);
    const major = IRP_MJ_NAMES[sp.majorFunction] ?? `0x${sp.majorFunction.toString(16)}`;
    if (sp.majorFunction !== IRP_MJ_FILE_SYSTEM_CONTROL) return major;
    const minor = [
      'IRP_MN_USER_FS_REQUEST',
      'IRP_MN_MOUNT_VOLUME',
      'IRP_MN_VERIFY_VOLUME',
      'IRP_MN_LOAD_FILE_SYSTEM',
    ];
    return `${major}/${minor[sp.minorFunction] ?? sp.minorFunction}`;
  };
  const dispatch = (device: DeviceObject, irp: Irp): NTSTATUS => {
    const what = describe(irp);
    log.push(`${name}: ${what}`);
    // Before an attach call returns (IoAttachDevice's temporary open), only the kernel's link is set.
    const lower = (device.deviceExtension as FilterDeviceExtension | null)?.lower ?? device.attachedTo!;
    if (!options.completion) {
      IoSkipCurrentIrpStackLocation(irp);
      return IoCallDriver(lower, irp);
    }
    IoCopyCurrentIrpStackLocationToNext(irp);
    IoSetCompletionRoutine(
      irp,
      (_device, done) => {
        log.push(`${name}: done ${what}`);
        options.onComplete?.(done);
        if (done.pendingReturned) IoMarkIrpPending(done);
        return STATUS_SUCCESS;
      },
      null,
      true,
      true,
      true,
    );
    return IoCallDriver(lower, irp);
  };
  const driver = loadDriver(system, name, 'legacy-filter', (self) => {
    for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) self.majorFunction[major] = dispatch;
    self.fastIoDispatch = detachingFastIo(name, log);
    return STATUS_SUCCESS;
  });
  return {
    driver,
    device(deviceType) {
      const { deviceObject } = IoCreateDevice<FilterDeviceExtension>(
        driver,
        { lower: null },
        null,
        deviceType,
        0,
        false,
      );
      deviceObject!.flags &= ~DO_DEVICE_INITIALIZING;
      return deviceObject!;
    },
    attach(target, clearInitializing = true) {
      return attachFilterDevice(driver, target, clearInitializing);
    },
  };
}

/** A booted system (RAW loaded unless `withoutRaw`) with a toy storage driver for disks of any type. */
export function toySystem(options: { withoutRaw?: boolean; blockLegacyFsFilters?: boolean } = {}) {
  const log: Log = [];
  const system = createSystem(options);
  const process = system.createProcess('test.exe');
  const storage = toyStorageDriver('Disk', log);
  const { driverObject } = IoLoadDriver(system, storage);
  const disk = (deviceType?: number): DeviceObject => storage.createDisk(driverObject!, deviceType);
  return { system, process, log, disk, storageDriver: driverObject! };
}
