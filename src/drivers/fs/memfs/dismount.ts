/**
 * The end of a MemFS volume (reference §5.4).
 *
 * Dismount takes the volume off its disk at once: the old VPB loses VPB_MOUNTED and any lock, the
 * disk gets a fresh VPB (so the next open mounts again and reads what was written back), and the
 * VCB is marked dismounted so every later request on its file objects, except cleanup and close,
 * fails with STATUS_VOLUME_DISMOUNTED. The volume device lives until its last file object closes;
 * then it is deleted, and filters attached above it hear FastIoDetachDevice from the I/O manager.
 * With no volume left the driver may be unloaded again.
 */
import { VPB_LOCKED, VPB_MOUNTED } from '../../../base/device-codes.ts';
import { deleteVolumeDeviceIfUnused, Vpb } from '../../../io/index.ts';
import type { MemFsData, Vcb } from './structures.ts';

/** Marks the volume dismounted; with `replaceVpb`, also gives the disk a fresh VPB (not during verify, where the I/O manager does it). */
export function dismountVolume(vcb: Vcb, replaceVpb: boolean): void {
  if (vcb.dismounted) return;
  vcb.dismounted = true;
  vcb.lockedBy = null;
  vcb.vpb.flags &= ~(VPB_MOUNTED | VPB_LOCKED);
  const realDevice = vcb.realDevice;
  if (replaceVpb && realDevice.vpb === vcb.vpb) realDevice.vpb = new Vpb(realDevice);
}

/** Deletes the volume device of a dismounted volume nobody has open any more. */
export function deleteVolumeIfUnused(vcb: Vcb): void {
  deleteVolumeDeviceIfUnused(vcb, vcb.volumeDevice.driverObject.driverExtension as MemFsData);
}
