/**
 * Writing the volume back to the media: IRP_MJ_FLUSH_BUFFERS and IRP_MJ_SHUTDOWN, and the
 * write-back that lock and dismount do first.
 *
 * A write-back serializes the whole tree (on-disk.ts) and writes it at offset 0 of the disk in one
 * IRP_MJ_WRITE. Nothing is written when nothing changed. The tree is captured before the write is
 * sent, so changes made while a pended write is in flight mark the volume dirty again; a failed
 * write leaves it dirty too. A flush on any open of the volume flushes the volume (MemFS has one
 * image). SHUTDOWN arrives on the control device in NT and flushes every mounted volume; on a
 * volume device it flushes that volume.
 */
import { IRP_MJ_WRITE } from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  completeWhenDone,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  sendPrivateRequest,
} from '../../../io/index.ts';
import { checkMounted, vcbOfOpen } from './common.ts';
import { serializeVolume } from './on-disk.ts';
import { MemFsControl, type MemFsData, type Vcb, vcbOf } from './structures.ts';

/** Writes the volume back if it changed; `done` runs with the outcome, possibly before this returns. */
export function flushVolume(vcb: Vcb, done: (status: NTSTATUS) => void): void {
  if (!vcb.dirty || vcb.readOnly) {
    done(STATUS_SUCCESS);
    return;
  }
  const image = serializeVolume(vcb.volume, vcb.sectorSize);
  vcb.dirty = false;
  sendPrivateRequest(
    vcb.storage,
    {
      majorFunction: IRP_MJ_WRITE,
      parameters: { byteOffset: 0, length: image.length, key: 0 },
      userBuffer: image,
    },
    (irp) => {
      const status = irp.ioStatus.status;
      if (!NT_SUCCESS(status)) vcb.dirty = true;
      done(status);
    },
  );
}

/** Flushes volumes one after the other; reports the first failure, or success. */
function flushAll(volumes: Vcb[], done: (status: NTSTATUS) => void): void {
  let firstFailure: NTSTATUS = STATUS_SUCCESS;
  let index = 0;
  const next = (): void => {
    while (index < volumes.length) {
      const vcb = volumes[index++]!;
      if (vcb.dismounted) continue;
      let synchronous = true;
      let finished = false;
      flushVolume(vcb, (status) => {
        if (!NT_SUCCESS(status) && firstFailure === STATUS_SUCCESS) firstFailure = status;
        finished = true;
        if (!synchronous) next();
      });
      synchronous = false;
      if (!finished) return; // continues from the completion
    }
    done(firstFailure);
  };
  next();
}

export function MemFsFlushBuffers(_device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  return completeWhenDone(irp, (finish) => flushVolume(vcb, (status) => finish(status, 0)));
}

export function MemFsShutdown(device: DeviceObject, irp: Irp): NTSTATUS {
  let volumes: Vcb[];
  if (device.deviceExtension instanceof MemFsControl) {
    volumes = [...(device.driverObject.driverExtension as MemFsData).volumes];
  } else {
    const vcb = vcbOf(device);
    if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
    volumes = [vcb];
  }
  return completeWhenDone(irp, (finish) => flushAll(volumes, (status) => finish(status, 0)));
}
