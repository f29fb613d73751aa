/**
 * Writing the volume back to the media: IRP_MJ_FLUSH_BUFFERS and IRP_MJ_SHUTDOWN, and the
 * write-back that lock and dismount do first.
 *
 * A write-back serializes the whole tree (on-disk.ts) and writes it at offset 0 of the disk in one
 * IRP_MJ_WRITE. Nothing is written when nothing changed. The tree is captured before the write is
 * sent, so changes made while a pended write is in flight mark the volume dirty again; a failed
 * write leaves it dirty too. A flush on any open of the volume flushes the volume (MemFS has one
 * image). SHUTDOWN arrives on the control device in NT and flushes every mounted volume; on a
 * volume device it flushes that volume (src/io/fsrtl/flush.ts).
 */
import { IRP_MJ_WRITE } from '../../../base/irp-codes.ts';
import { NT_SUCCESS, type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  flushVolumeBuffers,
  IoGetCurrentIrpStackLocation,
  type Irp,
  sendPrivateRequest,
  shutdownVolumes,
} from '../../../io/index.ts';
import { vcbOfOpen } from './common.ts';
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
      parameters: { length: image.length, byteOffset: 0, key: 0 },
      userBuffer: image,
    },
    (irp) => {
      const status = irp.ioStatus.status;
      if (!NT_SUCCESS(status)) vcb.dirty = true;
      done(status);
    },
  );
}

export function MemFsFlushBuffers(_device: DeviceObject, irp: Irp): NTSTATUS {
  return flushVolumeBuffers(irp, vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject), flushVolume);
}

export function MemFsShutdown(device: DeviceObject, irp: Irp): NTSTATUS {
  if (device.deviceExtension instanceof MemFsControl)
    return shutdownVolumes(irp, (device.driverObject.driverExtension as MemFsData).volumes, flushVolume);
  const vcb = vcbOf(device);
  return shutdownVolumes(irp, vcb === null ? null : [vcb], flushVolume);
}
