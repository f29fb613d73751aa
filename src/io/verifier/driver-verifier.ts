/**
 * The driver verifier of one system (Driver Verifier's I/O verification, reference §2–§6).
 *
 * Turned on per system (`createSystem({ verify: true })`, or IoInitializeDriverVerifier on a bare
 * System) before drivers load. It wraps the dispatch routines of every driver loaded (when its
 * DriverEntry returns) and listens to the I/O manager's events; with it off nothing is wrapped and
 * the only cost left on the hot path is IoCompleteRequest's test of `irp.verifierState`.
 *
 * Every violation becomes a VerifierViolation naming the rule and the driver. In 'collect' mode
 * (the default) violations are kept in `violations` and given to `onViolation`, and the system
 * carries on; in 'bugcheck' mode the verifier also raises DRIVER_VERIFIER_DETECTED_VIOLATION
 * (a BugCheckError) at the point of detection. Completing an IRP twice or with STATUS_PENDING stays
 * a bug check in both modes (the I/O manager raises it right after the verifier reports).
 *
 * Object rules, from the I/O manager's events:
 * - IoRegisterFileSystem by a filter; a file system control device without a name;
 * - a filter attaching a named device; a device left DO_DEVICE_INITIALIZING after it was attached
 *   (checked when the dispatch routine that attached it returns, or at the end of the current turn
 *   for attaches from DriverEntry, notifications and completion routines);
 * - at unload: devices still attached, notification routines still registered, and leaks;
 * - leaks (at unload of the driver, and at shutdown for all): kernel file objects the driver opened
 *   and never dereferenced; referenced device pointers it obtained whose references were not
 *   returned. Attribution uses the driver whose code runs (the innermost dispatch routine,
 *   DriverEntry or notification routine); a device reference is leaked when the driver took more
 *   than it returned while its code ran and the device's pointer count is still above what it was
 *   before the driver's first reference (docs/verifier.md).
 */
import {
  BugCheckError,
  DO_DEVICE_INITIALIZING,
  DRIVER_VERIFIER_DETECTED_VIOLATION,
} from '../../base/index.ts';
import type { DeviceObject } from '../device-object.ts';
import type { DriverObject } from '../driver-object.ts';
import type { FileObject } from '../file-object.ts';
import type { IoEvent } from '../io-database.ts';
import type { Irp } from '../irp.ts';
import type { System } from '../system.ts';
import { checkInitialized, describeIrp, IrpChecks } from './irp-checks.ts';
import { VERIFIER_RULES, type VerifierRule, type VerifierViolation } from './rules.ts';

export type VerifierMode = 'collect' | 'bugcheck';

export interface VerifierOptions {
  /** 'collect' (default): record and carry on; 'bugcheck': also throw at the violation. */
  mode?: VerifierMode;
  /** Called with each violation as it is found. */
  onViolation?: (violation: VerifierViolation) => void;
}

interface DeviceReferenceLedger {
  /** References the driver took on the device. */
  taken: number;
  /** Dereferences of the device while the driver's code ran. */
  returned: number;
  /** The device's pointer count before the driver's first reference. */
  baseline: number;
}

const FILTER_KINDS = new Set(['legacy-filter', 'minifilter']);

export class DriverVerifier {
  readonly violations: VerifierViolation[] = [];
  readonly mode: VerifierMode;
  private readonly irpChecks: IrpChecks;
  private readonly wrapped = new WeakSet<DriverObject>();
  /**
   * DriverEntry and notification routines running now, innermost last, each with the number of
   * dispatch frames open when it began: a dispatch routine entered after it is nested inside it.
   */
  private readonly running: Array<{ driver: DriverObject; frames: number }> = [];
  private readonly openedFiles = new Map<DriverObject, FileObject[]>();
  private readonly deviceReferences = new Map<DriverObject, Map<DeviceObject, DeviceReferenceLedger>>();
  private readonly reported = new WeakSet<object>();
  private readonly pendingInitializationChecks: DeviceObject[] = [];
  private readonly stopListening: () => void;

  constructor(
    readonly system: System,
    private readonly options: VerifierOptions = {},
  ) {
    this.mode = options.mode ?? 'collect';
    this.irpChecks = new IrpChecks({
      report: (rule, driver, message, irp) => this.report(rule, driver, message, irp),
    });
    for (const driver of system.io.drivers.values()) this.wrapDriver(driver);
    this.stopListening = system.io.addListener((event) => this.onEvent(event));
    system.io.verifier = this;
  }

  /** Stops verifying new drivers and events (dispatch routines already wrapped stay wrapped). */
  dispose(): void {
    this.stopListening();
    if (this.system.io.verifier === this) this.system.io.verifier = null;
  }

  /** Records a violation (and raises the bug check in 'bugcheck' mode). */
  report(rule: VerifierRule, driver: DriverObject | null, message: string, irp: Irp | string | null): void {
    const violation: VerifierViolation = {
      sequence: this.violations.length + 1,
      rule,
      section: VERIFIER_RULES[rule].section,
      driver: driver?.driverName ?? '(unknown driver)',
      message,
      irp: irp === null || typeof irp === 'string' ? irp : describeIrp(irp),
    };
    this.violations.push(violation);
    this.options.onViolation?.(violation);
    if (this.mode === 'bugcheck') {
      throw new BugCheckError(
        DRIVER_VERIFIER_DETECTED_VIOLATION,
        `${violation.driver} broke ${rule} (${violation.section}): ${message}`,
        [violation],
      );
    }
  }

  /**
   * The driver whose code runs now: the innermost of its dispatch routines, DriverEntry and
   * notification routines (a filter's notification routine called from a file system's DriverEntry
   * is the filter's code, not the file system's).
   */
  private runningDriver(): DriverObject | null {
    const routine = this.running[this.running.length - 1];
    const frames = this.irpChecks.frames.length;
    if (routine !== undefined && routine.frames >= frames) return routine.driver;
    return this.irpChecks.currentFrame?.driver ?? routine?.driver ?? null;
  }

  private wrapDriver(driver: DriverObject): void {
    if (this.wrapped.has(driver)) return;
    this.wrapped.add(driver);
    const table = driver.majorFunction;
    for (let major = 0; major < table.length; major++)
      table[major] = this.irpChecks.wrap(driver, table[major]!);
  }

  private onEvent(event: IoEvent): void {
    switch (event.kind) {
      case 'driver-loaded':
        this.wrapDriver(event.driver);
        return;
      case 'fs-notify':
        this.running.push({ driver: event.driver, frames: this.irpChecks.frames.length });
        return;
      case 'fs-notify-returned':
        this.running.pop();
        return;
      case 'driver-entry':
        if (event.running) this.running.push({ driver: event.driver, frames: this.irpChecks.frames.length });
        else this.running.pop();
        return;
      case 'fs-registered':
        this.onFileSystemRegistered(event.device);
        return;
      case 'attach':
        this.onAttach(event.upper);
        return;
      case 'file-created':
        if (event.fileObject.process === null) this.noteFileObject(event.fileObject);
        return;
      case 'device-referenced':
        this.noteDeviceReference(event.device);
        return;
      case 'device-dereferenced':
        this.noteDeviceDereference(event.device);
        return;
      case 'driver-unloaded':
        this.onUnload(event.driver);
        return;
      default:
        return;
    }
  }

  private onFileSystemRegistered(cdo: DeviceObject): void {
    const driver = cdo.driverObject;
    const kind = driver.module.manifest.kind;
    if (FILTER_KINDS.has(kind)) {
      this.report(
        'filter-registered-file-system',
        driver,
        `IoRegisterFileSystem(${cdo.describe()}) from a ${kind}`,
        null,
      );
    } else if (cdo.deviceName === null) {
      this.report(
        'unnamed-file-system-control-device',
        driver,
        `IoRegisterFileSystem(${cdo.describe()}): the control device has no name`,
        null,
      );
    }
  }

  private onAttach(upper: DeviceObject): void {
    const driver = upper.driverObject;
    if (FILTER_KINDS.has(driver.module.manifest.kind) && upper.deviceName !== null) {
      this.report(
        'named-filter-device',
        driver,
        `${upper.deviceName} was attached above ${upper.attachedTo?.describe() ?? '?'}`,
        null,
      );
    }
    if ((upper.flags & DO_DEVICE_INITIALIZING) === 0 || upper.createdInDriverEntry) return;
    const frame = this.irpChecks.currentFrame;
    if (frame !== null) {
      frame.attached ??= [];
      frame.attached.push(upper);
      return;
    }
    // Attached from DriverEntry, a notification or a completion routine: check once this turn ends.
    this.pendingInitializationChecks.push(upper);
    if (this.pendingInitializationChecks.length === 1) {
      queueMicrotask(() => {
        for (const device of this.pendingInitializationChecks.splice(0)) this.checkInitialized(device);
      });
    }
  }

  private checkInitialized(device: DeviceObject): void {
    checkInitialized(
      { report: (rule, driver, message, irp) => this.report(rule, driver, message, irp) },
      device,
    );
  }

  private noteFileObject(fileObject: FileObject): void {
    const driver = this.runningDriver();
    if (driver === null) return;
    let list = this.openedFiles.get(driver);
    if (list === undefined) {
      list = [];
      this.openedFiles.set(driver, list);
    }
    // A long-running system opens and closes many: keep only those still open once the list grows.
    if (list.length >= 64) {
      const open = list.filter((f) => !f.closed);
      list.length = 0;
      list.push(...open);
    }
    list.push(fileObject);
  }

  private noteDeviceReference(device: DeviceObject): void {
    const driver = this.runningDriver();
    if (driver === null) return;
    let ledger = this.deviceReferences.get(driver);
    if (ledger === undefined) {
      ledger = new Map();
      this.deviceReferences.set(driver, ledger);
    }
    const entry = ledger.get(device);
    // The routine has already taken its reference: the baseline is one less.
    if (entry === undefined) ledger.set(device, { taken: 1, returned: 0, baseline: device.pointerCount - 1 });
    else entry.taken++;
  }

  private noteDeviceDereference(device: DeviceObject): void {
    const driver = this.runningDriver();
    if (driver === null) return;
    const entry = this.deviceReferences.get(driver)?.get(device);
    if (entry !== undefined) entry.returned++;
  }

  private onUnload(driver: DriverObject): void {
    for (const device of driver.deviceObjects) {
      if (device.attachedTo !== null && !device.deleteCompleted) {
        this.report(
          'unload-with-attached-devices',
          driver,
          `${device.describe()} is still attached above ${device.attachedTo.describe()}`,
          null,
        );
      }
    }
    const registered = this.system.io.fsNotifyList.filter((entry) => entry.driverObject === driver).length;
    if (registered > 0) {
      this.report(
        'unload-with-notifications',
        driver,
        `${registered} file system notification routine(s) still registered`,
        null,
      );
    }
    this.checkLeaks(driver);
  }

  private checkLeaks(driver: DriverObject): void {
    for (const fileObject of this.openedFiles.get(driver) ?? []) {
      if (fileObject.closed || this.reported.has(fileObject)) continue;
      this.reported.add(fileObject);
      this.report(
        'leaked-file-object',
        driver,
        `the file object for ${fileObject.deviceObject.describe()}${fileObject.fileName === '' ? '' : `\\${fileObject.fileName.replace(/^\\/, '')}`} was never dereferenced`,
        null,
      );
    }
    this.openedFiles.delete(driver);
    for (const [device, entry] of this.deviceReferences.get(driver) ?? []) {
      // What the driver did not give back itself, and what the device still holds beyond its
      // count before the driver's first reference: a reference the driver returned is not a leak
      // because someone else (the file system's own, taken later) keeps one, and a reference
      // returned on its behalf (by a completion routine of another driver) is not one either.
      const outstanding = Math.min(entry.taken - entry.returned, device.pointerCount - entry.baseline);
      if (outstanding <= 0 || this.reported.has(device)) continue;
      this.reported.add(device);
      this.report(
        'leaked-device-reference',
        driver,
        `${Math.min(outstanding, entry.taken)} of ${entry.taken} reference(s) taken on ${device.describe()} were not returned`,
        null,
      );
    }
    this.deviceReferences.delete(driver);
  }

  /** Called by NtShutdownSystem once every driver has had its shutdown request: the leak audit. */
  onShutdown(): void {
    for (const driver of [...this.openedFiles.keys(), ...this.deviceReferences.keys()])
      this.checkLeaks(driver);
  }
}

/** Turns the driver verifier on for `system`: every driver loaded from now on is verified. */
export function IoInitializeDriverVerifier(system: System, options: VerifierOptions = {}): DriverVerifier {
  const existing = system.io.verifier;
  if (existing instanceof DriverVerifier) return existing;
  return new DriverVerifier(system, options);
}
