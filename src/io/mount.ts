/**
 * Mounting volumes (IopMountVolume, IopCheckVpbMounted, IoVerifyVolume; reference §5).
 *
 * The walk: on the first open of an unmounted volume, go through the file system queue that matches
 * the storage device's type, head to tail, sending IRP_MN_MOUNT_VOLUME to the TOP of each control
 * device's stack, so that filters attached to file systems see every mount.
 * - STATUS_UNRECOGNIZED_VOLUME: try the next file system.
 * - STATUS_FS_DRIVER_REQUIRED (a recognizer): send it IRP_MN_LOAD_FILE_SYSTEM, then start over.
 * - a user-induced error (IoIsErrorUserInduced) completed with Information 1: stop, as ReactOS does.
 * - any (un)registration while a mount IRP was out (fsRegistrationOps changed): start over.
 * - RAW only when raw mount is allowed (an open of the volume itself); VPB_RAW_MOUNT sends the
 *   mount straight to RAW.
 * - a "total device failure" (any error other than a data error or UNRECOGNIZED) stops the walk
 *   when raw mount is not allowed, as FsRtlIsTotalDeviceFailure decides in ReactOS.
 * On success the I/O manager, not the file system, sets VPB_MOUNTED (D2) and fixes the volume
 * device's StackSize to storage top + 1 (D13).
 *
 * Synchronous mounts never create a promise. A mount that pends holds the storage device's
 * DeviceLock (a promise) until it finishes; other opens of that device wait on it, and so do
 * registrations that synchronize with mounts.
 */
import {
  DO_VERIFY_VOLUME,
  FILE_DEVICE_CD_ROM,
  FILE_DEVICE_DISK,
  FILE_DEVICE_VIRTUAL_DISK,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MN_LOAD_FILE_SYSTEM,
  IRP_MN_MOUNT_VOLUME,
  IRP_MN_VERIFY_VOLUME,
  IRP_MOUNT_COMPLETION,
  IRP_SYNCHRONOUS_PAGING_IO,
  isPromise,
  type MaybePromise,
  NT_SUCCESS,
  type NTSTATUS,
  SL_ALLOW_RAW_MOUNT,
  STATUS_ACCESS_DENIED,
  STATUS_CRC_ERROR,
  STATUS_DEVICE_DATA_ERROR,
  STATUS_DEVICE_DOES_NOT_EXIST,
  STATUS_DEVICE_NOT_READY,
  STATUS_FS_DRIVER_REQUIRED,
  STATUS_IO_TIMEOUT,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_NO_MEDIA_IN_DEVICE,
  STATUS_PENDING,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_MEDIA,
  STATUS_UNRECOGNIZED_VOLUME,
  STATUS_VERIFY_REQUIRED,
  STATUS_WRONG_VOLUME,
  VPB_LOCKED,
  VPB_MOUNTED,
  VPB_RAW_MOUNT,
  VPB_REMOVE_PENDING,
  whenReady,
} from '../base/index.ts';
import { IoCallDriver } from './call-driver.ts';
import type { DeviceObject } from './device-object.ts';
import { IoGetAttachedDevice } from './device-stack.ts';
import { isRawFileSystem } from './io-database.ts';
import { IoAllocateIrp, IoGetNextIrpStackLocation, type Irp } from './irp.ts';
import { NO_PARAMETERS } from './irp-parameters.ts';
import { Vpb } from './vpb.ts';

/** Sends an IRP the I/O manager built and returns its final status, now or later. */
function sendAndWait(device: DeviceObject, irp: Irp): MaybePromise<NTSTATUS> {
  const status = IoCallDriver(device, irp);
  if (status !== STATUS_PENDING) return irp.completed ? irp.ioStatus.status : status;
  if (irp.completed) return irp.ioStatus.status;
  return new Promise<NTSTATUS>((resolve) => {
    irp.onCompleted = (done) => resolve(done.ioStatus.status);
  });
}

function mountQueueFor(realDevice: DeviceObject): DeviceObject[] {
  const io = realDevice.system.io;
  switch (realDevice.deviceType) {
    case FILE_DEVICE_DISK:
    case FILE_DEVICE_VIRTUAL_DISK:
      return io.diskFileSystemQueue;
    case FILE_DEVICE_CD_ROM:
      return io.cdRomFileSystemQueue;
    default:
      return io.tapeFileSystemQueue;
  }
}

/** IoIsErrorUserInduced: the errors a user can fix (media missing, write-protected, changed). */
function isErrorUserInduced(status: NTSTATUS): boolean {
  return (
    status === STATUS_DEVICE_NOT_READY ||
    status === STATUS_IO_TIMEOUT ||
    status === STATUS_MEDIA_WRITE_PROTECTED ||
    status === STATUS_NO_MEDIA_IN_DEVICE ||
    status === STATUS_UNRECOGNIZED_MEDIA ||
    status === STATUS_VERIFY_REQUIRED ||
    status === STATUS_WRONG_VOLUME
  );
}

/** FsRtlIsTotalDeviceFailure: every error except data errors means the device itself failed. */
function isTotalDeviceFailure(status: NTSTATUS): boolean {
  return !NT_SUCCESS(status) && status !== STATUS_CRC_ERROR && status !== STATUS_DEVICE_DATA_ERROR;
}

/**
 * IopMountVolume: makes sure `realDevice`'s VPB is mounted. Returns STATUS_SUCCESS when it is
 * (already or now), else the status of the walk (STATUS_UNRECOGNIZED_VOLUME when nobody claimed it).
 */
export function IopMountVolume(realDevice: DeviceObject, allowRawMount: boolean): MaybePromise<NTSTATUS> {
  const io = realDevice.system.io;
  if (realDevice.deviceLock !== null) {
    return realDevice.deviceLock.then(() => IopMountVolume(realDevice, allowRawMount));
  }
  if (io.mountBlockers > 0) {
    return new Promise<void>((resolve) => io.mountUnblockWaiters.push(resolve)).then(() =>
      IopMountVolume(realDevice, allowRawMount),
    );
  }
  const vpb = realDevice.vpb;
  if (vpb === null) return STATUS_UNRECOGNIZED_VOLUME;
  if ((vpb.flags & VPB_REMOVE_PENDING) !== 0) return STATUS_DEVICE_DOES_NOT_EXIST;
  if ((vpb.flags & VPB_MOUNTED) !== 0) return STATUS_SUCCESS;
  realDevice.flags &= ~DO_VERIFY_VOLUME;
  const walk = new MountWalk(realDevice, vpb, allowRawMount);
  const result = walk.run(0);
  if (!isPromise(result)) return result;
  // The mount went asynchronous: hold the device lock until it settles.
  io.mountsInProgress++;
  const settled = result.finally(() => {
    realDevice.deviceLock = null;
    io.mountsInProgress--;
    if (io.mountsInProgress === 0) for (const wake of io.mountDrainWaiters.splice(0)) wake();
  });
  realDevice.deviceLock = settled.then(
    () => undefined,
    () => undefined,
  );
  return settled;
}

/** One walk of the queue; restarts from the head when the queue changes or a driver was loaded. */
class MountWalk {
  private opsAtSend = 0;
  private restarts = 0;

  constructor(
    private readonly realDevice: DeviceObject,
    private readonly vpb: Vpb,
    private readonly allowRawMount: boolean,
  ) {}

  run(start: number): MaybePromise<NTSTATUS> {
    const queue = mountQueueFor(this.realDevice);
    for (let index = start; index < queue.length; index++) {
      const cdo = queue[index]!;
      const isRaw = isRawFileSystem(cdo);
      if (isRaw && !this.allowRawMount) continue;
      if ((this.vpb.flags & VPB_RAW_MOUNT) !== 0 && !isRaw) continue;
      const result = this.tryFileSystem(cdo, isRaw);
      if (isPromise(result)) {
        return result.then((outcome) => {
          const next = this.afterTry(outcome, cdo);
          return next === CONTINUE ? this.run(index + 1) : next;
        });
      }
      const next = this.afterTry(result, cdo);
      if (next !== CONTINUE) return next;
    }
    return STATUS_UNRECOGNIZED_VOLUME;
  }

  /** Sends IRP_MN_MOUNT_VOLUME to the top of the file system's control device stack. */
  private tryFileSystem(cdo: DeviceObject, isRaw: boolean): MaybePromise<TryOutcome> {
    const storageTop = IoGetAttachedDevice(this.realDevice);
    const fsTop = IoGetAttachedDevice(cdo);
    const irp = IoAllocateIrp(storageTop.stackSize + fsTop.stackSize);
    irp.flags = IRP_MOUNT_COMPLETION | IRP_SYNCHRONOUS_PAGING_IO;
    const next = IoGetNextIrpStackLocation(irp);
    next.majorFunction = IRP_MJ_FILE_SYSTEM_CONTROL;
    next.minorFunction = IRP_MN_MOUNT_VOLUME;
    next.flags = this.allowRawMount ? SL_ALLOW_RAW_MOUNT : 0;
    next.parameters = { vpb: this.vpb, deviceObject: storageTop };
    this.opsAtSend = cdo.system.io.fsRegistrationOps;
    const status = sendAndWait(fsTop, irp);
    return whenReady(status, (final) => ({ status: final, information: irp.ioStatus.information, isRaw }));
  }

  /** Decides what a mount attempt means: a final status, CONTINUE with the next entry, or a restart. */
  private afterTry(outcome: TryOutcome, cdo: DeviceObject): MaybePromise<NTSTATUS> | typeof CONTINUE {
    const io = cdo.system.io;
    // The file system may have swapped the VPB (remount of a known volume): read it back from the device.
    const vpb = this.realDevice.vpb ?? this.vpb;
    if (NT_SUCCESS(outcome.status)) {
      const volume = vpb.deviceObject;
      if (volume === null) return STATUS_UNRECOGNIZED_VOLUME;
      vpb.flags |= VPB_MOUNTED | (outcome.isRaw ? VPB_RAW_MOUNT : 0);
      volume.stackSize = IoGetAttachedDevice(this.realDevice).stackSize + 1;
      volume.mountedVpb = vpb;
      io.emit({ kind: 'mounted', realDevice: this.realDevice, volumeDevice: volume });
      return STATUS_SUCCESS;
    }
    if (isErrorUserInduced(outcome.status) && outcome.information === 1) return outcome.status;
    if (io.fsRegistrationOps !== this.opsAtSend && this.restarts++ < MAX_RESTARTS) return this.run(0);
    if (outcome.status === STATUS_FS_DRIVER_REQUIRED && this.restarts++ < MAX_RESTARTS) {
      const loaded = this.loadFileSystem(cdo);
      return whenReady(loaded, () =>
        (this.realDevice.vpb?.flags ?? 0) & VPB_MOUNTED ? STATUS_SUCCESS : this.run(0),
      );
    }
    if (
      !this.allowRawMount &&
      outcome.status !== STATUS_UNRECOGNIZED_VOLUME &&
      isTotalDeviceFailure(outcome.status)
    ) {
      return outcome.status;
    }
    return CONTINUE;
  }

  /** IRP_MN_LOAD_FILE_SYSTEM to the top of the recognizer's control device stack (IopLoadFileSystemDriver). */
  private loadFileSystem(cdo: DeviceObject): MaybePromise<NTSTATUS> {
    const fsTop = IoGetAttachedDevice(cdo);
    const irp = IoAllocateIrp(fsTop.stackSize);
    const next = IoGetNextIrpStackLocation(irp);
    next.majorFunction = IRP_MJ_FILE_SYSTEM_CONTROL;
    next.minorFunction = IRP_MN_LOAD_FILE_SYSTEM;
    next.parameters = NO_PARAMETERS;
    return sendAndWait(fsTop, irp);
  }
}

/** Bound on walk restarts, so a recognizer that never loads anything cannot loop forever. */
const MAX_RESTARTS = 16;
const CONTINUE = -1 as const;

interface TryOutcome {
  status: NTSTATUS;
  information: number;
  isRaw: boolean;
}

/**
 * IopCheckVpbMounted: mounts the device's volume if needed and takes a VPB reference for the open.
 * A locked volume refuses every open with STATUS_ACCESS_DENIED.
 */
export function IopCheckVpbMounted(
  realDevice: DeviceObject,
  allowRawMount: boolean,
): MaybePromise<{ status: NTSTATUS; vpb: Vpb | null }> {
  const vpb = realDevice.vpb;
  if (vpb !== null && (vpb.flags & VPB_MOUNTED) !== 0 && realDevice.deviceLock === null) {
    return referenceMountedVpb(vpb);
  }
  return whenReady(IopMountVolume(realDevice, allowRawMount), (status) => {
    if (!NT_SUCCESS(status)) return { status, vpb: null };
    const mounted = realDevice.vpb;
    if (mounted === null || (mounted.flags & VPB_MOUNTED) === 0)
      return { status: STATUS_UNRECOGNIZED_VOLUME, vpb: null };
    return referenceMountedVpb(mounted);
  });
}

function referenceMountedVpb(vpb: Vpb): { status: NTSTATUS; vpb: Vpb | null } {
  if ((vpb.flags & VPB_LOCKED) !== 0) return { status: STATUS_ACCESS_DENIED, vpb: null };
  vpb.referenceCount++;
  return { status: STATUS_SUCCESS, vpb };
}

/**
 * IoVerifyVolume: asks the mounted file system whether the media is still its volume
 * (IRP_MN_VERIFY_VOLUME to the top of the volume stack). STATUS_WRONG_VOLUME, or no mounted volume
 * at all, gives the device a fresh VPB and mounts again; the result is that mount's status.
 */
export function IoVerifyVolume(deviceObject: DeviceObject, allowRawMount: boolean): MaybePromise<NTSTATUS> {
  const vpb = deviceObject.vpb;
  if (vpb === null) return STATUS_UNRECOGNIZED_VOLUME;
  // A VPB that ever had a volume device stays with that device (its open files still point at it);
  // the storage device gets a fresh one for the new mount, as IopCreateVpb does in ReactOS.
  const remount = (): MaybePromise<NTSTATUS> => {
    const current = deviceObject.vpb;
    if (current !== null && current.deviceObject !== null) deviceObject.vpb = new Vpb(deviceObject);
    return IopMountVolume(deviceObject, allowRawMount);
  };
  if ((vpb.flags & VPB_MOUNTED) === 0 || vpb.deviceObject === null) return remount();
  const top = IoGetAttachedDevice(vpb.deviceObject);
  const irp = IoAllocateIrp(top.stackSize);
  const next = IoGetNextIrpStackLocation(irp);
  next.majorFunction = IRP_MJ_FILE_SYSTEM_CONTROL;
  next.minorFunction = IRP_MN_VERIFY_VOLUME;
  next.flags = allowRawMount ? SL_ALLOW_RAW_MOUNT : 0;
  next.parameters = { vpb, deviceObject: IoGetAttachedDevice(deviceObject) };
  return whenReady(sendAndWait(top, irp), (status) => {
    if (status === STATUS_WRONG_VOLUME) {
      // The old VPB stays with its volume device (its open files fail from now on); mount afresh.
      vpb.flags &= ~VPB_MOUNTED;
      return remount();
    }
    deviceObject.flags &= ~DO_VERIFY_VOLUME;
    return status;
  });
}

export { sendAndWait as IopSendAndWait };
