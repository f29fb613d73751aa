/**
 * The volume's dirty state (FastFat's FatMarkVolume with VolumeDirty / VolumeClean).
 *
 * The first change to a clean volume clears the clean-shutdown bit in FAT[1] of every FAT copy
 * and writes that FAT sector at once, so a crash before the next flush leaves a volume that
 * chkdsk and fsck.fat know to check. A flush that wrote everything sets the bit again (flush.ts),
 * unless the volume was already dirty when it was mounted: then it stays dirty for chkdsk. FAT12
 * has no such bit; its dirty state lives only in memory.
 *
 * Checks for every change: `checkChangeAllowed` refuses changes on a read-only volume with
 * STATUS_MEDIA_WRITE_PROTECTED, before anything is touched.
 */
import { STATUS_MEDIA_WRITE_PROTECTED } from '../../../base/ntstatus.ts';
import type { Extent } from './disk-io.ts';
import { raise } from './irp-context.ts';
import type { Vcb } from './structures.ts';

export function checkChangeAllowed(vcb: Vcb): void {
  if (vcb.readOnly) raise(STATUS_MEDIA_WRITE_PROTECTED);
}

/** The FAT sector holding entry 1, in every copy, as extents to write. */
export function fatHeadExtents(vcb: Vcb): Extent[] {
  const { fatOffset, fatBytes, numberOfFats, bytesPerSector } = vcb.layout;
  const head = vcb.fat.bytes.subarray(0, bytesPerSector);
  const extents: Extent[] = [];
  for (let copy = 0; copy < numberOfFats; copy++)
    extents.push({ offset: fatOffset + copy * fatBytes, data: head });
  return extents;
}

/** Called before every change to the volume's metadata. */
export function noteVolumeChange(vcb: Vcb): void {
  if (vcb.dirtyOnDisk) return;
  vcb.dirtyOnDisk = true;
  if (!vcb.fat.setCleanShutdown(false)) return;
  // The sector goes out now; a failure only means the mark did not land, which the next flush repeats.
  vcb.disk.transfer(true, fatHeadExtents(vcb), () => {});
}
