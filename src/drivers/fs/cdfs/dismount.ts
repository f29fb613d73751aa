/**
 * Taking a CDFS volume down (CdDismountVolume, CdCheckForDismount): marking it dismounted, giving
 * the disc a fresh VPB, and deleting the volume device once no file object refers to it.
 *
 * A dismounted volume answers everything but cleanup and close with STATUS_VOLUME_DISMOUNTED; its
 * volume device goes with its last close, after which filters above it hear FastIoDetachDevice.
 * Nothing is ever written back: the media is read-only. With no volume left the driver may unload.
 */
import { VPB_LOCKED, VPB_MOUNTED } from '../../../base/device-codes.ts';
import { deleteVolumeDeviceIfUnused, Vpb } from '../../../io/index.ts';
import type { CdfsData, Vcb } from './structures.ts';

/** Marks the volume dismounted; with `replaceVpb`, also gives the disc a fresh VPB (not during verify, where the I/O manager does it). */
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
  deleteVolumeDeviceIfUnused(vcb, vcb.volumeDevice.driverObject.driverExtension as CdfsData);
}
