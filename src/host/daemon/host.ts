/**
 * A Strata host: one booted system plus what user mode keeps about it (drive letters and the disks
 * behind them). The daemon serves one over its socket; `strata --config` runs one in-process.
 *
 * Boot follows the configuration in a fixed order (config.ts): drivers, then filters, then volumes
 * (each mounted at once by opening its root, so filters registered for notifications attach), then
 * on-demand attachments. A step that fails stops the boot with a BootError naming it.
 *
 * Shutdown is the clean path a power-off takes: every volume is flushed and dismounted (file
 * systems write back; filters above hear FastIoDetachDevice as the volume devices go), then
 * NtShutdownSystem sends IRP_MJ_SHUTDOWN to whoever registered for it and to every file system,
 * then the host lets go of its disks. It runs once; later calls return the same report.
 */
import {
  createSystem,
  NtDeviceIoControlFile,
  NtFlushBuffersFile,
  NtFsControlFile,
  NtShutdownSystem,
} from '../../api/index.ts';
import {
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_LIST_DIRECTORY,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FSCTL_DISMOUNT_VOLUME,
  FSCTL_LOCK_VOLUME,
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_IMAGE_ALREADY_LOADED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_SUCCESS,
  SYNCHRONIZE,
  statusName,
  VPB_MOUNTED,
} from '../../base/index.ts';
import { memFsFormat } from '../../drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../drivers/storage/ramdisk/index.ts';
import { type DeviceObject, IoLoadDriver, IoRegisterDriverImage, type System } from '../../io/index.ts';
import type { Process } from '../../ob/index.ts';
import { parseStrataPath, parseVolumeName, type StrataPath, type VolumeSource } from '../control/index.ts';
import type { AttachMode, DriverCatalogue } from './catalogue.ts';
import type { RamDiskConfig, StrataConfig } from './config.ts';
import { NtStatusError } from './errors.ts';
import { NtFiles, SHARE_ALL } from './nt-files.ts';
import { TraceHub } from './trace.ts';

/** A drive letter and what is behind it. */
export interface VolumeRecord {
  letter: string;
  /** The device the letter links to. */
  device: DeviceObject;
  source: VolumeSource;
  hostPath: string | null;
  readOnly: boolean;
  /** For disks added at run time (`mount-image`): takes the disk out of the system. */
  eject: (() => void) | null;
}

export class BootError extends Error {
  override name = 'BootError';
}

export interface HostOptions {
  /** Where boot and shutdown progress goes (the daemon's log). */
  log?: (line: string) => void;
  /** A clock for the system (tests pass a deterministic one). */
  clock?: () => number;
}

export interface ShutdownReport {
  /** One line per step that did not simply succeed. */
  problems: string[];
}

export class StrataHost {
  readonly system: System;
  /** The host's own process: boot-time opens, attach commands, shutdown. */
  readonly process: Process;
  readonly files: NtFiles;
  readonly volumes = new Map<string, VolumeRecord>();
  readonly startedAt = new Date();
  readonly log: (line: string) => void;
  private shutdownReport: Promise<ShutdownReport> | null = null;

  private constructor(
    readonly config: StrataConfig,
    readonly catalogue: DriverCatalogue,
    options: HostOptions,
  ) {
    this.log = options.log ?? (() => {});
    this.system = createSystem(options.clock !== undefined ? { clock: options.clock } : {});
    this.process = this.system.createProcess('strata-host');
    this.files = new NtFiles(this.system, this.process);
    // Installing every image makes them loadable by service name (ZwLoadDriver); a filter built
    // per attach mode is installed in the mode the configuration asks for.
    for (const entry of catalogue.all()) {
      const configured = config.filters.find(
        (f) => f.driver.toUpperCase() === entry.module.manifest.name.toUpperCase(),
      );
      const mode = configured?.attach ?? entry.attach[0] ?? null;
      IoRegisterDriverImage(
        this.system,
        mode !== null && entry.moduleFor !== null ? entry.moduleFor(mode) : entry.module,
      );
      if (mode !== null) this.filterModes.set(entry.module.manifest.name.toUpperCase(), mode);
    }
    this.trace = new TraceHub(this);
  }

  /** How each filter attaches, by upper-case service name. */
  readonly filterModes = new Map<string, AttachMode>();
  readonly trace: TraceHub;

  /** Boots a system from a validated configuration. */
  static async boot(
    config: StrataConfig,
    catalogue: DriverCatalogue,
    options: HostOptions = {},
  ): Promise<StrataHost> {
    const host = new StrataHost(config, catalogue, options);
    const filtersToLoad = config.filters.map((f) => f.driver).filter((d) => !config.drivers.includes(d));
    for (const service of [...config.drivers, ...filtersToLoad]) {
      const status = host.loadDriver(service);
      if (!NT_SUCCESS(status))
        throw new BootError(`Loading the ${service} driver failed with ${statusName(status)}.`);
    }
    for (const disk of config.ramDisks) host.createRamDisk(disk);
    for (const letter of host.volumes.keys()) await host.mountAtBoot(letter);
    for (const filter of config.filters) {
      for (const letter of filter.volumes) {
        try {
          await host.attachOnDemand(filter.driver, letter);
        } catch (error) {
          throw new BootError(error instanceof Error ? error.message : String(error));
        }
      }
    }
    return host;
  }

  /** Loads a driver by service name; an already loaded one is success. */
  loadDriver(service: string): NTSTATUS {
    const { status } = IoLoadDriver(
      this.system,
      this.catalogue.get(service)?.module.manifest.name ?? service,
    );
    return status === STATUS_IMAGE_ALREADY_LOADED ? STATUS_SUCCESS : status;
  }

  private createRamDisk(disk: RamDiskConfig): void {
    const label = disk.label;
    const created = IoCreateRamDisk(this.system, {
      sizeBytes: disk.sizeBytes,
      sectorSize: disk.sectorSize,
      readOnly: disk.readOnly,
      ...(disk.format === 'memfs' ? { format: memFsFormat({ label }) } : {}),
    });
    if (!NT_SUCCESS(created.status) || created.deviceObject === null)
      throw new BootError(
        `Creating the RAM disk for ${disk.letter} failed with ${statusName(created.status)}.`,
      );
    this.addVolume({
      letter: disk.letter,
      device: created.deviceObject,
      source: 'ram-disk',
      hostPath: null,
      readOnly: disk.readOnly,
      eject: null,
    });
  }

  /** Links a drive letter to a device and remembers it. */
  addVolume(record: VolumeRecord): void {
    const status = this.system.ob.createSymbolicLink(`\\??\\${record.letter}`, record.device.deviceName!);
    if (!NT_SUCCESS(status))
      throw new BootError(
        `Linking ${record.letter} to ${record.device.deviceName} failed with ${statusName(status)}.`,
      );
    this.volumes.set(record.letter, record);
  }

  /** Removes a drive letter. */
  removeVolume(letter: string): void {
    this.system.ob.deleteSymbolicLink(`\\??\\${letter}`);
    this.volumes.delete(letter);
  }

  /** The first free letter from `start` on (D: upward by default). */
  freeLetter(start = 'D'): string | null {
    for (let code = start.charCodeAt(0); code <= 'Z'.charCodeAt(0); code++) {
      const letter = `${String.fromCharCode(code)}:`;
      if (!this.volumes.has(letter)) return letter;
    }
    return null;
  }

  /** Mounts a volume by opening its root; a volume no file system claims is logged, not fatal. */
  private async mountAtBoot(letter: string): Promise<void> {
    const root = parseStrataPath(`${letter}\\`)!;
    try {
      await this.files.withFile(
        root,
        {
          access: FILE_LIST_DIRECTORY | SYNCHRONIZE,
          options: FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
        },
        'mounting',
        () => undefined,
      );
    } catch (error) {
      this.log(`${letter} is not mounted: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Tells an on-demand filter to attach to (or detach from) a volume through its control device. */
  async attachOnDemand(service: string, volume: string, detach = false): Promise<void> {
    const entry = this.catalogue.get(service);
    const driver = entry?.module.manifest.name ?? service;
    const named = parseVolumeName(volume);
    const action = `${detach ? 'detaching' : 'attaching'} ${driver} ${detach ? 'from' : 'to'}`;
    if (named === null) throw new NtStatusError(STATUS_OBJECT_NAME_INVALID, action, volume);
    if (entry === undefined || entry.onDemand === null)
      throw new NtStatusError(STATUS_INVALID_DEVICE_REQUEST, action, named.display);
    const control: StrataPath = {
      letter: null,
      ntPath: entry.onDemand.controlDevice,
      display: entry.onDemand.controlDevice,
      inVolume: entry.onDemand.controlDevice,
    };
    const code = detach ? entry.onDemand.detachCode : entry.onDemand.attachCode;
    const input = entry.onDemand.input(named.ntName);
    await this.files.withFile(
      control,
      { access: FILE_GENERIC_READ, share: SHARE_ALL },
      `opening the control device of ${driver}:`,
      async (handle) => {
        const result = await NtDeviceIoControlFile(this.process, handle, code, input);
        if (!NT_SUCCESS(result.status)) throw new NtStatusError(result.status, action, named.display);
      },
    );
  }

  /** True when the device behind a letter has a mounted volume. */
  isMounted(record: VolumeRecord): boolean {
    const vpb = record.device.vpb;
    return vpb !== null && (vpb.flags & VPB_MOUNTED) !== 0 && vpb.deviceObject !== null;
  }

  /**
   * Flushes and dismounts one volume (FSCTL_LOCK_VOLUME, then FSCTL_DISMOUNT_VOLUME, as
   * `fsutil volume dismount` does). Returns the statuses for the log; a lock that fails (files
   * still open) does not stop the dismount, which NT allows regardless of other users.
   */
  async dismountVolume(
    record: VolumeRecord,
  ): Promise<{ flush: NTSTATUS; lock: NTSTATUS; dismount: NTSTATUS }> {
    const volume = parseStrataPath(record.letter)!;
    const path: StrataPath = { ...volume, ntPath: `\\??\\${record.letter}`, display: record.letter };
    const access = record.readOnly ? FILE_GENERIC_READ : FILE_GENERIC_READ | FILE_GENERIC_WRITE;
    return this.files.withFile(
      path,
      { access, share: FILE_SHARE_READ | FILE_SHARE_WRITE, options: FILE_SYNCHRONOUS_IO_NONALERT },
      'opening the volume',
      async (handle) => {
        const flush = record.readOnly ? STATUS_SUCCESS : await NtFlushBuffersFile(this.process, handle);
        const lock = (await NtFsControlFile(this.process, handle, FSCTL_LOCK_VOLUME)).status;
        const dismount = (await NtFsControlFile(this.process, handle, FSCTL_DISMOUNT_VOLUME)).status;
        return { flush, lock, dismount };
      },
    );
  }

  /** The clean stop (see the header). Idempotent. */
  shutdown(): Promise<ShutdownReport> {
    this.shutdownReport ??= this.runShutdown();
    return this.shutdownReport;
  }

  private async runShutdown(): Promise<ShutdownReport> {
    const problems: string[] = [];
    for (const record of this.volumes.values()) {
      if (!this.isMounted(record)) continue;
      try {
        const { flush, lock, dismount } = await this.dismountVolume(record);
        if (!NT_SUCCESS(flush)) problems.push(`Flushing ${record.letter} failed with ${statusName(flush)}.`);
        if (!NT_SUCCESS(lock))
          this.log(`${record.letter} could not be locked (${statusName(lock)}); dismounting anyway.`);
        if (!NT_SUCCESS(dismount))
          problems.push(`Dismounting ${record.letter} failed with ${statusName(dismount)}.`);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    const { status, records } = await NtShutdownSystem(this.system);
    if (!NT_SUCCESS(status)) {
      for (const r of records.filter((x) => !NT_SUCCESS(x.status)))
        problems.push(`IRP_MJ_SHUTDOWN to ${r.device.describe()} failed with ${statusName(r.status)}.`);
    }
    for (const record of this.volumes.values()) {
      try {
        record.eject?.();
      } catch (error) {
        problems.push(
          `Releasing ${record.letter}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    this.trace.dispose();
    for (const line of problems) this.log(line);
    return { problems };
  }
}
