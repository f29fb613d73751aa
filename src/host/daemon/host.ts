/**
 * A Strata host: one booted system plus what user mode keeps about it (drive letters and the disks
 * and shares behind them, volumes.ts). The daemon serves one over its socket; `strata --config`
 * runs one in-process.
 *
 * Boot follows the configuration in a fixed order (config.ts): drivers, then filters, then volumes
 * (RAM disks, images, shares; each mounted at once by opening its root, so filters registered for
 * notifications attach), then on-demand attachments. A step that fails stops the boot with a
 * BootError naming it; what was attached by then is released.
 *
 * Shutdown is the clean path a power-off takes: every mounted volume is flushed and dismounted
 * (file systems write back; filters above hear FastIoDetachDevice as the volume devices go), then
 * NtShutdownSystem sends IRP_MJ_SHUTDOWN to whoever registered for it (image disks fsync) and to
 * every file system, then the host releases its images and shares. It runs once; later calls
 * return the same report.
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
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  SYNCHRONIZE,
  statusName,
  VPB_MOUNTED,
} from '../../base/index.ts';
import {
  formatViolation,
  IoLoadDriver,
  IoRegisterDriverImage,
  type System,
  type VerifierViolation,
} from '../../io/index.ts';
import type { Process } from '../../ob/index.ts';
import { parseStrataPath, parseVolumeName, type StrataPath } from '../control/index.ts';
import { HostFsQueryShares } from '../hostfs/index.ts';
import type { AttachMode, AttachOptions, DriverCatalogue } from './catalogue.ts';
import type { StrataConfig } from './config.ts';
import { NtStatusError } from './errors.ts';
import { NtFiles, SHARE_ALL } from './nt-files.ts';
import { TraceHub } from './trace.ts';
import {
  addShare,
  attachImage,
  createRamDisk,
  giveLetters,
  type VolumeRecord,
  VolumeTable,
} from './volumes.ts';

export type { VolumeRecord } from './volumes.ts';

/** A volume of an image that no file system mounted (it was given no letter). */
export interface UnmountedVolume {
  /** The volume's device: `\\Device\\HarddiskVolume2`. */
  device: string;
  status: string;
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
  readonly volumes: VolumeTable;
  readonly startedAt = new Date();
  readonly log: (line: string) => void;
  /** How each filter attaches, by upper-case service name. */
  readonly filterModes = new Map<string, AttachMode>();
  readonly trace: TraceHub;
  /** What the driver verifier found, when the configuration turned it on. */
  readonly violations: VerifierViolation[] = [];
  private shutdownReport: Promise<ShutdownReport> | null = null;

  private constructor(
    readonly config: StrataConfig,
    readonly catalogue: DriverCatalogue,
    options: HostOptions,
  ) {
    this.log = options.log ?? (() => {});
    this.system = createSystem({
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ...(config.verifier
        ? {
            verify: {
              mode: 'collect' as const,
              onViolation: (violation: VerifierViolation) => {
                this.violations.push(violation);
                this.log(`Driver Verifier: ${formatViolation(violation)}`);
              },
            },
          }
        : {}),
    });
    this.process = this.system.createProcess('strata-host');
    this.files = new NtFiles(this.system, this.process);
    this.volumes = new VolumeTable(this.system);
    // Installing every image makes them loadable by service name (ZwLoadDriver); a filter built
    // per attach mode is installed in the mode the configuration asks for.
    for (const entry of catalogue.all()) {
      const name = entry.module.manifest.name;
      const configured = config.filters.find((f) => f.driver.toUpperCase() === name.toUpperCase());
      const mode = configured?.attach ?? entry.attach[0] ?? null;
      IoRegisterDriverImage(
        this.system,
        mode !== null && entry.moduleFor !== null ? entry.moduleFor(mode) : entry.module,
      );
      if (mode !== null) this.filterModes.set(name.toUpperCase(), mode);
    }
    this.trace = new TraceHub(this);
  }

  /** Boots a system from a validated configuration. */
  static async boot(
    config: StrataConfig,
    catalogue: DriverCatalogue,
    options: HostOptions = {},
  ): Promise<StrataHost> {
    const host = new StrataHost(config, catalogue, options);
    try {
      await host.bootSteps();
    } catch (error) {
      await host.shutdown();
      throw error instanceof BootError
        ? error
        : new BootError(error instanceof Error ? error.message : String(error));
    }
    return host;
  }

  private async bootSteps(): Promise<void> {
    const { config } = this;
    const filtersToLoad = config.filters.map((f) => f.driver).filter((d) => !config.drivers.includes(d));
    for (const service of [...config.drivers, ...filtersToLoad]) {
      const status = this.loadDriver(service);
      if (!NT_SUCCESS(status))
        throw new BootError(`Loading the ${service} driver failed with ${statusName(status)}.`);
    }
    for (const disk of config.ramDisks) createRamDisk(this.system, this.volumes, disk);
    for (const image of config.images) attachImage(this.system, this.volumes, image);
    for (const share of config.shares) addShare(this.system, this.volumes, share);
    for (const letter of this.volumes.letters()) await this.mount(letter);
    for (const filter of config.filters) {
      const key = filter.key === null ? undefined : Uint8Array.from(Buffer.from(filter.key, 'hex'));
      for (const letter of filter.volumes)
        await this.attachOnDemand(filter.driver, letter, false, key !== undefined ? { key } : {});
    }
  }

  /** Loads a driver by service name; an already loaded one is success. */
  loadDriver(service: string): NTSTATUS {
    const { status } = IoLoadDriver(
      this.system,
      this.catalogue.get(service)?.module.manifest.name ?? service,
    );
    return status === STATUS_IMAGE_ALREADY_LOADED ? STATUS_SUCCESS : status;
  }

  /** Mounts a volume by opening its root; a volume no file system claims is logged, not fatal. */
  async mount(letter: string): Promise<void> {
    const failure = await this.tryMount(letter);
    if (failure !== null) this.log(`${letter} is not mounted: ${failure.message}`);
  }

  /** Mounts a volume by opening its root; returns why it did not mount, or null. */
  async tryMount(letter: string): Promise<NtStatusError | null> {
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
      return null;
    } catch (error) {
      if (error instanceof NtStatusError) return error;
      throw error;
    }
  }

  /**
   * Attaches an image at run time (`mount-image`) and mounts its volumes. A volume no file system
   * mounts loses its letter at once (a letter that leads nowhere helps nobody) and is reported in
   * `unmounted`; when none mounts, the image is released and the request fails, so nothing stays
   * attached and the file is free again.
   *
   * An image still attached (another partition of it kept its letter when one was dismounted) is
   * not opened a second time, which its file's sharing would refuse: the volumes of it that have
   * no letter get one and mount again. When every one of them has a letter, that is the answer.
   */
  async mountImage(
    path: string,
    letter: string | null,
    readOnly: boolean,
    mediaType: 'disk' | 'cdrom' | null = null,
  ): Promise<{ letters: string[]; unmounted: UnmountedVolume[] }> {
    if (letter !== null && this.volumes.has(letter))
      throw new NtStatusError(
        STATUS_INVALID_PARAMETER,
        'giving the image the letter',
        letter,
        'the letter is taken',
      );
    const already = this.volumes.imageAt(path);
    if (already !== null && readOnly && !already.readOnly)
      throw new NtStatusError(
        STATUS_SHARING_VIOLATION,
        'attaching the image',
        path,
        `it is attached read-write already, as ${this.volumes.lettersOf(already.disk).join(', ')}; dismount those first to attach it read-only`,
      );
    const attached =
      already === null
        ? attachImage(this.system, this.volumes, { path, letter, readOnly, mediaType })
        : giveLetters(this.volumes, already, letter);
    if (already !== null && attached.length === 0)
      throw new NtStatusError(
        STATUS_SHARING_VIOLATION,
        'attaching the image',
        path,
        `it is mounted already, as ${this.volumes.lettersOf(already.disk).join(', ')}`,
      );
    const letters: string[] = [];
    const unmounted: UnmountedVolume[] = [];
    const failures: NtStatusError[] = [];
    for (const l of attached) {
      const failure = await this.tryMount(l);
      if (failure === null) {
        letters.push(l);
        continue;
      }
      failures.push(failure);
      unmounted.push({ device: this.volumes.get(l)!.target, status: statusName(failure.status) });
    }
    for (const l of attached) if (!letters.includes(l)) this.volumes.remove(l);
    if (letters.length === 0) {
      const status = failures[0]?.status ?? STATUS_UNRECOGNIZED_VOLUME;
      const held = already === null ? [] : this.volumes.lettersOf(already.disk);
      const outcome =
        held.length === 0
          ? 'nothing was mounted and the file was let go'
          : `nothing more was mounted; the image stays attached for ${held.join(', ')}`;
      throw new NtStatusError(
        status,
        'mounting the image',
        path,
        status === STATUS_UNRECOGNIZED_VOLUME ? `no file system recognized it; ${outcome}` : outcome,
      );
    }
    return { letters, unmounted };
  }

  /** Tells a filter to attach to (or detach from) a volume through its control device. */
  async attachOnDemand(
    service: string,
    volume: string,
    detach = false,
    options: AttachOptions = {},
  ): Promise<void> {
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
    const input = entry.onDemand.input(named.ntName, options);
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

  /** True when the volume behind a letter is mounted (a share: while it is shared). */
  isMounted(record: VolumeRecord): boolean {
    if (record.share !== null)
      return HostFsQueryShares(this.system).some((s) => s.name.toUpperCase() === record.share!.toUpperCase());
    const vpb = record.device.vpb;
    return vpb !== null && (vpb.flags & VPB_MOUNTED) !== 0 && vpb.deviceObject !== null;
  }

  /**
   * Flushes and dismounts one volume (FSCTL_LOCK_VOLUME, then FSCTL_DISMOUNT_VOLUME, as
   * `fsutil volume dismount` does). Returns the statuses; a lock that fails (files still open)
   * does not stop the dismount, which NT allows regardless of other users. A filter that makes
   * the volume read-only (ReadOnly) refuses the open for writing: then the volume is opened for
   * reading, without the flush, since the lock and the dismount write back what waits anyway.
   */
  async dismountVolume(
    record: VolumeRecord,
  ): Promise<{ flush: NTSTATUS; lock: NTSTATUS; dismount: NTSTATUS }> {
    const path: StrataPath = {
      letter: record.letter,
      ntPath: `\\??\\${record.letter}`,
      display: record.letter,
      inVolume: '\\',
    };
    const dismountFrom = (writable: boolean) =>
      this.files.withFile(
        path,
        {
          access: writable ? FILE_GENERIC_READ | FILE_GENERIC_WRITE : FILE_GENERIC_READ,
          share: FILE_SHARE_READ | FILE_SHARE_WRITE,
          options: FILE_SYNCHRONOUS_IO_NONALERT,
        },
        'opening the volume',
        async (handle) => {
          const flush = writable ? await NtFlushBuffersFile(this.process, handle) : STATUS_SUCCESS;
          const lock = (await NtFsControlFile(this.process, handle, FSCTL_LOCK_VOLUME)).status;
          const dismount = (await NtFsControlFile(this.process, handle, FSCTL_DISMOUNT_VOLUME)).status;
          return { flush, lock, dismount };
        },
      );
    if (record.readOnly) return dismountFrom(false);
    try {
      return await dismountFrom(true);
    } catch (error) {
      if (!(error instanceof NtStatusError) || error.status !== STATUS_MEDIA_WRITE_PROTECTED) throw error;
      return dismountFrom(false);
    }
  }

  /** The clean stop (see the header). Idempotent. */
  shutdown(): Promise<ShutdownReport> {
    this.shutdownReport ??= this.runShutdown();
    return this.shutdownReport;
  }

  private async runShutdown(): Promise<ShutdownReport> {
    const problems: string[] = [];
    for (const record of this.volumes.values()) {
      // Shares have nothing to dismount: HostFS writes through to the host at once.
      if (record.share !== null || !this.isMounted(record)) continue;
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
    for (const letter of this.volumes.letters()) {
      try {
        this.volumes.remove(letter);
      } catch (error) {
        problems.push(`Releasing ${letter}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.trace.dispose();
    for (const line of problems) this.log(line);
    return { problems };
  }
}
