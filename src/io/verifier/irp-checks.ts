/**
 * The verifier's IRP checks: every dispatch routine of every driver runs inside a wrapper that
 * watches the IRP protocol of reference §6.1–§6.2.
 *
 * - Frames: the wrapper pushes a frame (driver, IRP, its stack location) while the routine runs.
 *   The frame below on the stack with the same IRP is the caller that passed it down.
 * - Pending: a probe stands in the completion-routine slot of the routine's own stack location
 *   (calling the routine the driver above put there, if any, under its own invoke flags), so the
 *   verifier sees SL_PENDING_RETURNED for that location even when completion ran and cleared it
 *   before the routine returned. STATUS_PENDING needs the mark (made by the dispatch routine, or by
 *   its completion routine when PendingReturned is set: then checked when completion reaches the
 *   location), and a mark needs STATUS_PENDING. A driver that skipped its location shares it with the one below and answers
 *   for the mark there, as in NT.
 * - After pass-down: when the caller had set no completion routine on the callee's location, the
 *   IRP is snapshotted as the callee returns; if the caller's routine then changes the status,
 *   information, buffers, current location or its stack location before returning, that is a
 *   violation. (Reads cannot be seen; later asynchronous touches are not seen.)
 * - Completion: IoCompleteRequest tells the IRP's hook first; completing twice or with
 *   STATUS_PENDING is reported against the driver completing (the owner of the current location,
 *   or the innermost dispatch routine on the IRP), before the I/O manager's bug check.
 * - DO_DEVICE_INITIALIZING: a device attached during a dispatch routine must have the flag cleared
 *   when the routine returns.
 */
import {
  DO_DEVICE_INITIALIZING,
  IRP_MJ_NAMES,
  NT_SUCCESS,
  type NTSTATUS,
  SL_INVOKE_ON_CANCEL,
  SL_INVOKE_ON_ERROR,
  SL_INVOKE_ON_SUCCESS,
  SL_PENDING_RETURNED,
  STATUS_PENDING,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import type { DeviceObject } from '../device-object.ts';
import type { DriverDispatch, DriverObject } from '../driver-object.ts';
import type { IoCompletionRoutine, IoStackLocation, Irp, IrpVerifierHook } from '../irp.ts';
import type { VerifierRule } from './rules.ts';

const SL_INVOKE_ALL = SL_INVOKE_ON_SUCCESS | SL_INVOKE_ON_ERROR | SL_INVOKE_ON_CANCEL;

export interface Frame {
  readonly driver: DriverObject;
  readonly irp: Irp;
  readonly index: number;
  /** SL_PENDING_RETURNED as completion saw it at this frame's location, or null if not yet completed. */
  pendingAtCompletion: boolean | null;
  /** The IRP as the callee left it, when this frame passed it down without a completion routine. */
  handedOff: Snapshot | null;
  /** Devices attached while this frame ran, checked for DO_DEVICE_INITIALIZING at return. */
  attached: DeviceObject[] | null;
  /** Returned STATUS_PENDING before completion reached its location: the mark is checked then. */
  awaitingMark: boolean;
  /** The request as this frame saw it (`IRP_MJ_READ`): once completed, the IRP no longer says. */
  readonly irpName: string;
  readonly what: string;
}

interface Snapshot {
  status: number;
  information: number;
  currentLocation: number;
  userBuffer: unknown;
  systemBuffer: unknown;
  control: number;
  parameters: unknown;
  majorFunction: number;
  minorFunction: number;
}

function snapshot(irp: Irp, location: IoStackLocation): Snapshot {
  return {
    status: irp.ioStatus.status,
    information: irp.ioStatus.information,
    currentLocation: irp.currentLocation,
    userBuffer: irp.userBuffer,
    systemBuffer: irp.systemBuffer,
    control: location.control,
    parameters: location.parameters,
    majorFunction: location.majorFunction,
    minorFunction: location.minorFunction,
  };
}

function changedFields(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = [];
  for (const key of Object.keys(before) as Array<keyof Snapshot>)
    if (!Object.is(before[key], after[key])) changed.push(key);
  return changed;
}

/** What the probe in a location's completion slot remembers. */
interface Probe {
  readonly original: IoCompletionRoutine | null;
  readonly originalContext: unknown;
  readonly originalControl: number;
  readonly frames: Frame[];
}

export interface IrpCheckSink {
  /** `irp` is the IRP, or its name when the check ran after completion moved its location on. */
  report(rule: VerifierRule, driver: DriverObject | null, message: string, irp: Irp | string | null): void;
}

export function describeIrp(irp: Irp): string {
  const current = irp.currentLocation - 1;
  if (current < 0 || current >= irp.stackCount) return 'IRP';
  const location = irp.location(current);
  const major = IRP_MJ_NAMES[location.majorFunction] ?? `IRP_MJ_0x${location.majorFunction.toString(16)}`;
  return location.minorFunction === 0 ? major : `${major}/${location.minorFunction}`;
}

export class IrpChecks {
  readonly frames: Frame[] = [];
  /** The probe routines this verifier installed, to tell them from drivers' routines. */
  private readonly probeRoutines = new WeakSet<IoCompletionRoutine>();

  constructor(private readonly sink: IrpCheckSink) {}

  /** The innermost dispatch routine running, if any. */
  get currentFrame(): Frame | null {
    return this.frames[this.frames.length - 1] ?? null;
  }

  /** Wraps one dispatch routine of `driver`. */
  wrap(driver: DriverObject, original: DriverDispatch): DriverDispatch {
    const wrapped: DriverDispatch = (device, irp) => this.dispatch(driver, original, device, irp);
    return wrapped;
  }

  private hookFor(irp: Irp): IrpVerifierHook {
    const existing = irp.verifierState;
    if (existing !== null) return existing;
    let completedBy: string | null = null;
    let completedAs = 'IRP';
    const hook: IrpVerifierHook = {
      beforeComplete: (done) => {
        const current = done.currentLocation - 1;
        const owner =
          current >= 0 && current < done.stackCount
            ? (done.location(current).deviceObject?.driverObject ?? null)
            : null;
        const innermost = this.innermostFrameOf(done);
        if (done.completed || done.currentLocation > done.stackCount + 1) {
          this.sink.report(
            'irp-completed-twice',
            innermost?.driver ?? null,
            `${completedAs} completed again${completedBy === null ? '' : ` (it was completed by ${completedBy})`}`,
            completedAs,
          );
          return;
        }
        if (done.ioStatus.status === STATUS_PENDING) {
          this.sink.report(
            'completed-with-pending',
            innermost?.driver ?? owner,
            `${describeIrp(done)} completed with IoStatus.Status = STATUS_PENDING`,
            done,
          );
        }
        completedBy = (innermost?.driver ?? owner)?.driverName ?? completedBy;
        completedAs = describeIrp(done);
      },
    };
    irp.verifierState = hook;
    return hook;
  }

  private innermostFrameOf(irp: Irp): Frame | null {
    for (let i = this.frames.length - 1; i >= 0; i--) if (this.frames[i]!.irp === irp) return this.frames[i]!;
    return null;
  }

  /** Puts (or joins) the probe in the completion slot of the location at `index`. */
  private installProbe(location: IoStackLocation, frame: Frame): void {
    const routine = location.completionRoutine;
    if (routine !== null && this.probeRoutines.has(routine)) {
      (location.context as Probe).frames.push(frame);
      return;
    }
    const probe: Probe = {
      original: routine,
      originalContext: location.context,
      originalControl: location.control & SL_INVOKE_ALL,
      frames: [frame],
    };
    const probeRoutine: IoCompletionRoutine = (device, done, context) => {
      const p = context as Probe;
      for (const f of p.frames) {
        f.pendingAtCompletion = done.pendingReturned;
        if (f.awaitingMark && !done.pendingReturned) {
          f.awaitingMark = false;
          this.sink.report(
            'pending-not-marked',
            f.driver,
            `${f.what}: returned STATUS_PENDING, and neither the routine nor its completion routine marked the IRP pending`,
            f.irpName,
          );
        }
      }
      const success = NT_SUCCESS(done.ioStatus.status);
      const invoke =
        p.original !== null &&
        ((success && (p.originalControl & SL_INVOKE_ON_SUCCESS) !== 0) ||
          (!success && (p.originalControl & SL_INVOKE_ON_ERROR) !== 0) ||
          (done.cancel && (p.originalControl & SL_INVOKE_ON_CANCEL) !== 0));
      if (invoke) return p.original!(device, done, p.originalContext);
      // What IoCompleteRequest does for a location without a routine: carry the mark up.
      if (done.pendingReturned && done.currentLocation <= done.stackCount)
        done.location(done.currentLocation - 1).control |= SL_PENDING_RETURNED;
      return STATUS_SUCCESS;
    };
    this.probeRoutines.add(probeRoutine);
    location.completionRoutine = probeRoutine;
    location.context = probe;
    location.control |= SL_INVOKE_ALL;
  }

  private dispatch(driver: DriverObject, original: DriverDispatch, device: DeviceObject, irp: Irp): NTSTATUS {
    this.hookFor(irp);
    const index = irp.currentLocation - 1;
    const location = irp.location(index);
    const top = this.currentFrame;
    const caller = top !== null && top.irp === irp ? top : null;
    // The caller set a completion routine on our location only if it set up a new location for us.
    const callerHasRoutine =
      caller !== null &&
      caller.index !== index &&
      location.completionRoutine !== null &&
      !this.probeRoutines.has(location.completionRoutine);
    const irpName = describeIrpAt(irp, index);
    const frame: Frame = {
      driver,
      irp,
      index,
      pendingAtCompletion: null,
      handedOff: null,
      attached: null,
      awaitingMark: false,
      irpName,
      what: `${irpName} on ${device.describe()}`,
    };
    this.installProbe(location, frame);
    this.frames.push(frame);
    let status: NTSTATUS;
    try {
      status = original(device, irp);
    } finally {
      this.frames.pop();
    }
    if (caller !== null && !callerHasRoutine) {
      const callerIndex = caller.index;
      caller.handedOff = snapshot(irp, irp.location(Math.min(callerIndex, irp.stackCount - 1)));
    }
    this.afterDispatch(frame, status);
    return status;
  }

  private afterDispatch(frame: Frame, status: NTSTATUS): void {
    const { irp, driver, what, irpName } = frame;
    const marked =
      frame.pendingAtCompletion ?? (irp.location(frame.index).control & SL_PENDING_RETURNED) !== 0;
    if (status === STATUS_PENDING && !marked) {
      if (frame.pendingAtCompletion === null) {
        // Legal so far: its completion routine may still mark it (if (Irp->PendingReturned) ...).
        frame.awaitingMark = true;
      } else {
        this.sink.report(
          'pending-not-marked',
          driver,
          `${what}: returned STATUS_PENDING without IoMarkIrpPending`,
          irpName,
        );
      }
    } else if (status !== STATUS_PENDING && marked) {
      this.sink.report(
        'marked-pending-not-returned',
        driver,
        `${what}: the IRP was marked pending but the routine returned 0x${(status >>> 0).toString(16)}`,
        irpName,
      );
    }
    if (frame.handedOff !== null) {
      const now = snapshot(irp, irp.location(Math.min(frame.index, irp.stackCount - 1)));
      const changed = changedFields(frame.handedOff, now);
      if (changed.length > 0) {
        this.sink.report(
          'irp-touched-after-pass-down',
          driver,
          `${what}: changed ${changed.join(', ')} after IoCallDriver returned, with no completion routine`,
          irpName,
        );
      }
    }
    if (frame.attached !== null) {
      for (const attached of frame.attached) checkInitialized(this.sink, attached);
    }
  }
}

function describeIrpAt(irp: Irp, index: number): string {
  const location = irp.location(index);
  const major = IRP_MJ_NAMES[location.majorFunction] ?? `IRP_MJ_0x${location.majorFunction.toString(16)}`;
  return location.minorFunction === 0 ? major : `${major}/${location.minorFunction}`;
}

/** Reports a device still initializing once whoever attached it had the chance to clear the flag. */
export function checkInitialized(sink: IrpCheckSink, device: DeviceObject): void {
  if ((device.flags & DO_DEVICE_INITIALIZING) === 0 || device.deletePending || device.attachedTo === null)
    return;
  sink.report(
    'device-left-initializing',
    device.driverObject,
    `${device.describe()} is attached above ${device.attachedTo.describe()} with DO_DEVICE_INITIALIZING still set`,
    null,
  );
}
