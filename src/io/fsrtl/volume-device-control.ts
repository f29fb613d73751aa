/**
 * IRP_MJ_DEVICE_CONTROL through a handle on a mounted volume (or on a file of it): passed
 * untouched to the top of the storage stack the volume mounted on, as FastFat's
 * FatCommonDeviceControl and CDFS's CdCommonDevControl do, so a volume handle can ask the disk its
 * geometry, length or write protection. The file system adds nothing: its own stack location is
 * skipped, and the disk completes the IRP.
 *
 * Rules: a request whose file object is not an open of this file system (`volume` null) is
 * STATUS_INVALID_DEVICE_REQUEST; a dismounted volume refuses with STATUS_VOLUME_DISMOUNTED, like
 * every request but cleanup and close.
 */
import { type NTSTATUS, STATUS_INVALID_DEVICE_REQUEST, STATUS_VOLUME_DISMOUNTED } from '../../base/index.ts';
import { IoCallDriver } from '../call-driver.ts';
import { completeRequest } from '../complete-request.ts';
import type { DeviceObject } from '../device-object.ts';
import { IoSkipCurrentIrpStackLocation, type Irp } from '../irp.ts';

/** What the pass-down needs of a volume (its VCB). */
export interface VolumeOnDisk {
  /** The top of the storage stack at mount time: where the volume's own I/O goes. */
  readonly storage: DeviceObject;
  readonly dismounted: boolean;
}

export function passDeviceControlToDisk(volume: VolumeOnDisk | null, irp: Irp): NTSTATUS {
  if (volume === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  if (volume.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  IoSkipCurrentIrpStackLocation(irp);
  return IoCallDriver(volume.storage, irp);
}
