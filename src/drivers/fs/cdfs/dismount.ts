/**
 * Taking a CDFS volume down (CdDismountVolume, CdCheckForDismount), by the rules every disk file
 * system shares (dismountVolume in the I/O library's volume-lock.ts, deleteVolumeDeviceIfUnused in
 * volume-device.ts): marking it dismounted, giving the disc a fresh VPB, and deleting the volume
 * device once no file object refers to it.
 *
 * A dismounted volume answers everything but cleanup and close with STATUS_VOLUME_DISMOUNTED; its
 * volume device goes with its last close, after which filters above it hear FastIoDetachDevice.
 * Nothing is ever written back: the media is read-only. With no volume left the driver may unload
 * (CdfsData keeps the list).
 */
import { deleteVolumeDeviceIfUnused } from '../../../io/index.ts';
import type { CdfsData, Vcb } from './structures.ts';

export { dismountVolume } from '../../../io/index.ts';

/** Deletes the volume device of a dismounted volume nobody has open any more. */
export function deleteVolumeIfUnused(vcb: Vcb): void {
  deleteVolumeDeviceIfUnused(vcb, vcb.volumeDevice.driverObject.driverExtension as CdfsData);
}
