/**
 * The rule that a dismounted volume serves nothing but cleanup and close (reference §5.4): every
 * other request on one of its file objects fails with STATUS_VOLUME_DISMOUNTED, as FastFat's
 * FatVerifyVcb and CDFS's CdVerifyVcb answer for a volume that is no longer mounted. A file object
 * belongs to the volume it was opened on even after its disk carries a new mount, so a file system
 * finds the volume through the file object, never through the device the request arrived at.
 */
import {
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
} from '../../base/index.ts';

/** STATUS_SUCCESS while the volume still serves requests. */
export function checkVolumeMounted(volume: { readonly dismounted: boolean }): NTSTATUS {
  return volume.dismounted ? STATUS_VOLUME_DISMOUNTED : STATUS_SUCCESS;
}

/**
 * The first check of a request on a file object, given the volume the file system decoded from it:
 * STATUS_INVALID_DEVICE_REQUEST when it is no open of one of its volumes (null), then the rule
 * above.
 */
export function checkVolumeOfOpen(volume: { readonly dismounted: boolean } | null): NTSTATUS {
  return volume === null ? STATUS_INVALID_DEVICE_REQUEST : checkVolumeMounted(volume);
}
