/**
 * IRP_MJ_FLUSH_BUFFERS and IRP_MJ_SHUTDOWN for a file system that keeps a volume's changes in
 * memory and writes them back (FastFat's FatCommonFlushBuffers and FatCommonShutdown):
 *
 * - a flush through any open of a volume (a file or the volume itself) writes that volume back;
 *   a dismounted volume answers STATUS_VOLUME_DISMOUNTED;
 * - shutdown on the file system's control device writes back every volume it has mounted, one
 *   after the other, skipping those dismounted meanwhile, and reports the first failure (the
 *   volumes after it are still written back); on a volume device, that volume.
 *
 * The write-back itself is the file system's (VolumeWriteBack); it may pend, and the request
 * then completes when the last write does.
 */
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import { completeRequest } from '../complete-request.ts';
import type { Irp } from '../irp.ts';
import { completeWhenDone } from '../private-request.ts';
import { checkVolumeOfOpen } from './mounted-volume.ts';
import type { VolumeWriteBack } from './volume-lock.ts';

/** What a flush needs of a volume (its VCB). */
export interface FlushableVolume {
  readonly dismounted: boolean;
}

/** Writes back `volumes` in turn; `done` gets the first failure, or success. */
export function flushVolumes<V extends FlushableVolume>(
  volumes: readonly V[],
  writeBack: VolumeWriteBack<V>,
  done: (status: NTSTATUS) => void,
): void {
  let firstFailure: NTSTATUS = STATUS_SUCCESS;
  let index = 0;
  const next = (): void => {
    while (index < volumes.length) {
      const volume = volumes[index++]!;
      if (volume.dismounted) continue;
      let synchronous = true;
      let finished = false;
      writeBack(volume, (status) => {
        if (!NT_SUCCESS(status) && firstFailure === STATUS_SUCCESS) firstFailure = status;
        finished = true;
        if (!synchronous) next();
      });
      synchronous = false;
      if (!finished) return; // the write-back pended; its completion goes on with the next volume
    }
    done(firstFailure);
  };
  next();
}

/** IRP_MJ_FLUSH_BUFFERS on an open of `volume` (null: not an open of this file system's). */
export function flushVolumeBuffers<V extends FlushableVolume>(
  irp: Irp,
  volume: V | null,
  writeBack: VolumeWriteBack<V>,
): NTSTATUS {
  const mounted = checkVolumeOfOpen(volume);
  if (mounted !== STATUS_SUCCESS || volume === null) return completeRequest(irp, mounted);
  return completeWhenDone(irp, (finish) => writeBack(volume, (status) => finish(status, 0)));
}

/**
 * IRP_MJ_SHUTDOWN: writes back `volumes` (every mounted volume for the control device, the
 * volume's own for a volume device; null for a device that is neither).
 */
export function shutdownVolumes<V extends FlushableVolume>(
  irp: Irp,
  volumes: Iterable<V> | null,
  writeBack: VolumeWriteBack<V>,
): NTSTATUS {
  if (volumes === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  // A copy: a write-back may end in a dismount that takes the volume out of the driver's set.
  const list = [...volumes];
  return completeWhenDone(irp, (finish) => flushVolumes(list, writeBack, (status) => finish(status, 0)));
}
