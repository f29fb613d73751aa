/**
 * Reads and writes through an open of the volume itself (DASD access: FastFat's UserVolumeOpen
 * branch of FatCommonRead/Write, CDFS's CdVolumeDasdIo): the request goes to the storage stack the
 * volume mounted on, unchanged, and the disk enforces alignment and bounds.
 *
 * Rules: a dismounted volume refuses (STATUS_VOLUME_DISMOUNTED); a write must come from the file
 * object that locked the volume (STATUS_ACCESS_DENIED otherwise), since the file system's own
 * write-back would overwrite it; on completion a synchronous file object's position moves past
 * what the disk transferred.
 */
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
} from '../../base/index.ts';
import { IoCallDriver } from '../call-driver.ts';
import { completeRequest } from '../complete-request.ts';
import type { DeviceObject } from '../device-object.ts';
import type { FileObject } from '../file-object.ts';
import {
  IoCopyCurrentIrpStackLocationToNext,
  IoGetCurrentIrpStackLocation,
  IoMarkIrpPending,
  IoSetCompletionRoutine,
  type Irp,
} from '../irp.ts';
import type { ReadWriteParameters } from '../irp-parameters.ts';
import { updateFilePosition } from './read-write-checks.ts';

/** What a DASD transfer needs of a volume (its VCB). */
export interface DasdVolume {
  readonly dismounted: boolean;
  /** The file object holding FSCTL_LOCK_VOLUME, if any. */
  readonly lockedBy: FileObject | null;
  /** The top of the storage stack at mount time. */
  readonly storage: DeviceObject;
}

function dasdTransferCompleted(_device: DeviceObject | null, irp: Irp, _context: unknown): NTSTATUS {
  if (irp.pendingReturned) IoMarkIrpPending(irp);
  if (NT_SUCCESS(irp.ioStatus.status)) {
    const location = IoGetCurrentIrpStackLocation(irp);
    const { byteOffset } = location.parameters as ReadWriteParameters;
    updateFilePosition(location.fileObject!, byteOffset + irp.ioStatus.information);
  }
  return STATUS_SUCCESS;
}

/** Passes a read (`write` false) or write through the volume open `fileObject` to the disk. */
export function volumeDasdTransfer(
  irp: Irp,
  volume: DasdVolume,
  fileObject: FileObject,
  write: boolean,
): NTSTATUS {
  if (volume.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  if (write && volume.lockedBy !== fileObject) return completeRequest(irp, STATUS_ACCESS_DENIED);
  IoCopyCurrentIrpStackLocationToNext(irp);
  IoSetCompletionRoutine(irp, dasdTransferCompleted, null, true, true, true);
  return IoCallDriver(volume.storage, irp);
}
