/**
 * The end of a FAT volume (reference §5.4; FastFat's FatCheckForDismount and FatDeleteVcb), by the
 * rules every disk file system shares (dismountVolume in the I/O library's volume-lock.ts,
 * deleteVolumeDeviceIfUnused in volume-device.ts).
 *
 * Dismount takes the volume off its disk at once: the old VPB loses VPB_MOUNTED and any lock, the
 * disk gets a fresh VPB (so the next open mounts again and reads what was written back), and the
 * VCB is marked dismounted so every later request on its file objects, except cleanup and close,
 * fails with STATUS_VOLUME_DISMOUNTED. Writing the metadata back first is the caller's business
 * (fsctl.ts, flush.ts). The volume device lives until its last file object closes; then it is
 * deleted, and filters attached above it hear FastIoDetachDevice. With no volume left the driver
 * may be unloaded again (FatData keeps the list).
 */
import { deleteVolumeDeviceIfUnused } from '../../../io/index.ts';
import type { FatData, Vcb } from './structures.ts';

export { dismountVolume } from '../../../io/index.ts';

/** Deletes the volume device of a dismounted volume nobody has open any more. */
export function deleteVolumeIfUnused(vcb: Vcb): void {
  const device = vcb.volumeDevice;
  // A VCB whose mount failed before its device was created has nothing to delete.
  if (device !== undefined) deleteVolumeDeviceIfUnused(vcb, device.driverObject.driverExtension as FatData);
}
