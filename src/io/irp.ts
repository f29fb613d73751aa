/**
 * I/O request packets (IRP) and their stack locations, with the WDK macros that move between them.
 *
 * Layout follows NT: `stack[0]` belongs to the lowest driver, `stack[stackCount - 1]` to the first
 * driver called. `currentLocation` is 1-based and starts at stackCount + 1 (no current location);
 * IoCallDriver decrements it, IoSkipCurrentIrpStackLocation increments it, completion walks it back
 * up. So the current location is `stack[currentLocation - 1]` and the next-lower one
 * `stack[currentLocation - 2]` (reference §6.1).
 *
 * Strata additions: `completed` marks the end of completion processing (stage 2), and
 * `onCompleted` is the requester's wake-up (the user event of NT), called once, at stage 2.
 *
 * Stack locations are created on first use (`irp.location(i)`): a filter that skips its location
 * never touches the one below it, so a pass-through filter costs no allocation. Observable
 * behaviour is NT's: a location nobody has set up reads as zeroed.
 */

import type { NTSTATUS } from '../base/index.ts';
import {
  IRP_MJ_CREATE,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
  SL_INVOKE_ON_CANCEL,
  SL_INVOKE_ON_ERROR,
  SL_INVOKE_ON_SUCCESS,
  SL_PENDING_RETURNED,
} from '../base/index.ts';
import type { Process } from '../ob/index.ts';
import type { DeviceObject } from './device-object.ts';
import type { FileObject } from './file-object.ts';
import {
  type CreateParameters,
  type IoParameters,
  NO_PARAMETERS,
  type ReadWriteParameters,
} from './irp-parameters.ts';

/** What the driver verifier hangs on an IRP it watches (io/verifier): told before each completion. */
export interface IrpVerifierHook {
  beforeComplete(irp: Irp): void;
}

/** IO_COMPLETION_ROUTINE: `deviceObject` is the device of the driver that set the routine (null for the originator). */
export type IoCompletionRoutine = (deviceObject: DeviceObject | null, irp: Irp, context: unknown) => NTSTATUS;

/** DRIVER_CANCEL. */
export type DriverCancel = (deviceObject: DeviceObject | null, irp: Irp) => void;

export class IoStatusBlock {
  status: NTSTATUS = 0;
  information = 0;
}

export class IoStackLocation {
  majorFunction = 0;
  minorFunction = 0;
  flags = 0;
  control = 0;
  parameters: IoParameters = NO_PARAMETERS;
  deviceObject: DeviceObject | null = null;
  fileObject: FileObject | null = null;
  completionRoutine: IoCompletionRoutine | null = null;
  context: unknown = null;
}

export type ProcessorMode = 'KernelMode' | 'UserMode';

export class Irp {
  /** Stack locations by 0-based index; holes are locations not used yet (use `location()`). */
  private readonly stack: Array<IoStackLocation | undefined>;
  readonly stackCount: number;
  currentLocation: number;
  readonly ioStatus = new IoStatusBlock();
  pendingReturned = false;
  cancel = false;
  cancelRoutine: DriverCancel | null = null;
  flags = 0;
  requestorMode: ProcessorMode = 'KernelMode';
  /** Data buffer of reads and writes (the caller's memory: direct I/O). */
  userBuffer: Uint8Array | null = null;
  /** Structured input or output (METHOD_BUFFERED semantics): information records, control buffers. */
  systemBuffer: unknown = null;
  /** Tail.Overlay.OriginalFileObject and Tail.Overlay.Thread's process. */
  originalFileObject: FileObject | null = null;
  process: Process | null = null;
  /** Set once completion processing has run to the top (stage 2). */
  completed = false;
  /** Called once at stage 2; the I/O manager uses it to wake a caller that got STATUS_PENDING. */
  onCompleted: ((irp: Irp) => void) | null = null;
  /** The driver verifier's view of this IRP, set when a verified driver first sees it; else null. */
  verifierState: IrpVerifierHook | null = null;

  constructor(stackSize: number) {
    this.stackCount = stackSize;
    this.currentLocation = stackSize + 1;
    this.stack = new Array<IoStackLocation | undefined>(stackSize);
  }

  /** The stack location at 0-based `index` (0 is the lowest driver's), created on first use. */
  location(index: number): IoStackLocation {
    // Kept small so that it inlines into every caller; the first use takes the slow path.
    const existing = this.stack[index];
    return existing !== undefined ? existing : this.createLocation(index);
  }

  private createLocation(index: number): IoStackLocation {
    if (!(index >= 0 && index < this.stackCount)) {
      throw new RangeError(`IRP stack location ${index} is outside 0..${this.stackCount - 1}`);
    }
    const created = new IoStackLocation();
    this.stack[index] = created;
    return created;
  }
}

/** IoAllocateIrp: an IRP with `stackSize` locations, none current. */
export function IoAllocateIrp(stackSize: number): Irp {
  if (!Number.isInteger(stackSize) || stackSize < 1 || stackSize > 255) {
    throw new RangeError(`IoAllocateIrp: stack size ${stackSize} is outside 1..255`);
  }
  return new Irp(stackSize);
}

/** IoGetCurrentIrpStackLocation. */
export function IoGetCurrentIrpStackLocation(irp: Irp): IoStackLocation {
  return irp.location(irp.currentLocation - 1);
}

/** IoGetNextIrpStackLocation: the location the next-lower driver will own. */
export function IoGetNextIrpStackLocation(irp: Irp): IoStackLocation {
  if (irp.currentLocation < 2)
    throw new RangeError('IoGetNextIrpStackLocation: the IRP has no lower stack location');
  return irp.location(irp.currentLocation - 2);
}

/** IoSkipCurrentIrpStackLocation: the next driver reuses the current location as is. */
export function IoSkipCurrentIrpStackLocation(irp: Irp): void {
  irp.currentLocation++;
}

/** IoSetNextIrpStackLocation: makes the next location current (used by drivers that call themselves). */
export function IoSetNextIrpStackLocation(irp: Irp): void {
  irp.currentLocation--;
}

/**
 * IoCopyCurrentIrpStackLocationToNext: everything up to the completion routine is copied and the
 * next location's Control is cleared. The lower driver gets its own parameter record, as the C
 * union is copied by value, so it may change it without touching the caller's.
 */
export function IoCopyCurrentIrpStackLocationToNext(irp: Irp): void {
  const index = irp.currentLocation - 1;
  if (index < 1)
    throw new RangeError('IoCopyCurrentIrpStackLocationToNext: the IRP has no lower stack location');
  const current = irp.location(index);
  const next = irp.location(index - 1);
  const majorFunction = current.majorFunction;
  next.majorFunction = majorFunction;
  next.minorFunction = current.minorFunction;
  next.flags = current.flags;
  next.control = 0;
  next.parameters = copyParameters(majorFunction, current.parameters);
  next.deviceObject = current.deviceObject;
  next.fileObject = current.fileObject;
  next.completionRoutine = null;
  next.context = null;
}

/**
 * Creates, reads and writes, the requests that cross filters most often, are copied by their known
 * shape (the fields of their C union member); a spread of an arbitrary record costs several times
 * more. Other requests copy every own field.
 */
function copyParameters(majorFunction: number, parameters: IoParameters): IoParameters {
  if (parameters === NO_PARAMETERS) return NO_PARAMETERS;
  if (majorFunction === IRP_MJ_READ || majorFunction === IRP_MJ_WRITE) {
    const transfer = parameters as ReadWriteParameters;
    return { length: transfer.length, byteOffset: transfer.byteOffset, key: transfer.key };
  }
  if (majorFunction === IRP_MJ_CREATE) {
    const create = parameters as CreateParameters;
    return {
      desiredAccess: create.desiredAccess,
      options: create.options,
      fileAttributes: create.fileAttributes,
      shareAccess: create.shareAccess,
    };
  }
  return { ...parameters };
}

/** IoSetCompletionRoutine: on the next location, invoked per the three flags. */
export function IoSetCompletionRoutine(
  irp: Irp,
  routine: IoCompletionRoutine,
  context: unknown,
  invokeOnSuccess: boolean,
  invokeOnError: boolean,
  invokeOnCancel: boolean,
): void {
  const next = IoGetNextIrpStackLocation(irp);
  next.completionRoutine = routine;
  next.context = context;
  next.control =
    (invokeOnSuccess ? SL_INVOKE_ON_SUCCESS : 0) |
    (invokeOnError ? SL_INVOKE_ON_ERROR : 0) |
    (invokeOnCancel ? SL_INVOKE_ON_CANCEL : 0);
}

/** IoMarkIrpPending: the current driver will return STATUS_PENDING. */
export function IoMarkIrpPending(irp: Irp): void {
  IoGetCurrentIrpStackLocation(irp).control |= SL_PENDING_RETURNED;
}

/** IoSetCancelRoutine: swaps the cancel routine, returning the previous one. */
export function IoSetCancelRoutine(irp: Irp, routine: DriverCancel | null): DriverCancel | null {
  const previous = irp.cancelRoutine;
  irp.cancelRoutine = routine;
  return previous;
}
