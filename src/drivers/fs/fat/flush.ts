/**
 * Write-back of FAT metadata: IRP_MJ_FLUSH_BUFFERS and IRP_MJ_SHUTDOWN, and the flush that lock,
 * dismount and verify do first (FastFat's FatFlushVolume, FatFlushFat, FatFlushDirentForFile).
 *
 * File data never waits here: writes send it to the disk at once (read-write.ts). What waits in
 * memory is metadata: dirty directory units, dirty FAT sectors, FSInfo and the boot sector (after
 * a label change). A flush writes them in one batch, FAT sectors to every FAT copy, then, once
 * that batch succeeded and nothing changed meanwhile, sets the clean-shutdown bit again and
 * writes the first FAT sector of each copy: after a flush, dismount or shutdown the volume is
 * clean for chkdsk and fsck.fat. A failed write keeps the metadata dirty and reports the status.
 * Nothing is written when nothing changed, and never on a read-only volume. Which volumes a flush
 * or a shutdown writes back is every file system's rule (src/io/fsrtl/flush.ts).
 */
import { NT_SUCCESS, type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  flushVolumeBuffers,
  IoGetCurrentIrpStackLocation,
  type Irp,
  shutdownVolumes,
} from '../../../io/index.ts';
import { vcbOfOpen } from './common.ts';
import type { DirectoryContents } from './directory-contents.ts';
import { takeDirtyExtents } from './directory-entries.ts';
import type { Extent } from './disk-io.ts';
import { writeFsInfo } from './on-disk.ts';
import { FatControl, type FatData, type Vcb, vcbOf } from './structures.ts';
import { fatHeadExtents } from './volume-state.ts';

/** FAT sectors as extents into every copy, contiguous sectors merged. */
function fatExtents(vcb: Vcb, sectors: readonly number[]): Extent[] {
  const { fatOffset, fatBytes, numberOfFats, bytesPerSector } = vcb.layout;
  const extents: Extent[] = [];
  let i = 0;
  while (i < sectors.length) {
    let j = i + 1;
    while (j < sectors.length && sectors[j] === sectors[j - 1]! + 1) j++;
    const first = sectors[i]!;
    const data = vcb.fat.bytes.subarray(first * bytesPerSector, (sectors[j - 1]! + 1) * bytesPerSector);
    for (let copy = 0; copy < numberOfFats; copy++)
      extents.push({ offset: fatOffset + copy * fatBytes + first * bytesPerSector, data });
    i = j;
  }
  return extents;
}

/** True when metadata waits in memory. */
export function hasPendingMetadata(vcb: Vcb): boolean {
  return vcb.dirtyDirectories.size > 0 || vcb.fat.hasDirtySectors || vcb.fsInfoDirty || vcb.bootSectorDirty;
}

/** Writes the metadata back; `done` runs with the outcome, possibly before this returns. */
export function flushVolume(vcb: Vcb, done: (status: NTSTATUS) => void): void {
  if (vcb.readOnly) {
    done(STATUS_SUCCESS);
    return;
  }
  const extents: Extent[] = [];
  const directories: Array<{ contents: DirectoryContents; units: number[] }> = [];
  for (const contents of vcb.dirtyDirectories) {
    directories.push({ contents, units: [...contents.dirtyUnits] });
    extents.push(...takeDirtyExtents(vcb, contents));
  }
  vcb.dirtyDirectories.clear();
  const fatSectors = vcb.fat.takeDirtySectors();
  extents.push(...fatExtents(vcb, fatSectors));
  const layout = vcb.layout;
  const fsInfoWritten = vcb.fsInfoDirty && vcb.fsInfoSector !== null;
  if (fsInfoWritten) {
    writeFsInfo(vcb.fsInfoSector!, vcb.fat.freeCount, vcb.fat.nextFreeHint);
    extents.push({ offset: layout.fsInfoSector * layout.bytesPerSector, data: vcb.fsInfoSector! });
  }
  vcb.fsInfoDirty = false;
  const bootWritten = vcb.bootSectorDirty;
  if (bootWritten) {
    extents.push({ offset: 0, data: vcb.bootSector });
    const backup = layout.backupBootSector;
    if (backup !== 0 && backup < layout.reservedSectors)
      extents.push({ offset: backup * layout.bytesPerSector, data: vcb.bootSector });
    vcb.bootSectorDirty = false;
  }
  const markClean = vcb.dirtyOnDisk && !vcb.mountedDirty && vcb.unlinkedInUse.size === 0;
  if (extents.length === 0 && !markClean) {
    done(STATUS_SUCCESS);
    return;
  }
  vcb.disk.transfer(true, extents, (status) => {
    if (!NT_SUCCESS(status)) {
      // Keep everything dirty so the next flush tries again.
      for (const { contents, units } of directories) {
        for (const unit of units) contents.dirtyUnits.add(unit);
        vcb.dirtyDirectories.add(contents);
      }
      vcb.fat.restoreDirtySectors(fatSectors);
      if (fsInfoWritten) vcb.fsInfoDirty = true;
      if (bootWritten) vcb.bootSectorDirty = true;
      done(status);
      return;
    }
    // Changes made while a pended batch was out keep the volume dirty until they are flushed too.
    if (!markClean || hasPendingMetadata(vcb) || vcb.unlinkedInUse.size > 0 || vcb.dismounted) {
      done(STATUS_SUCCESS);
      return;
    }
    vcb.fat.setCleanShutdown(true);
    vcb.fat.takeDirtySectors();
    vcb.dirtyOnDisk = false;
    vcb.disk.transfer(true, fatHeadExtents(vcb), (cleanStatus) => {
      if (!NT_SUCCESS(cleanStatus)) vcb.dirtyOnDisk = true;
      done(cleanStatus);
    });
  });
}

export function FatFlushBuffers(_device: DeviceObject, irp: Irp): NTSTATUS {
  return flushVolumeBuffers(irp, vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject), flushVolume);
}

/** IRP_MJ_SHUTDOWN: on a control device every mounted volume is written back; on a volume, that one. */
export function FatShutdown(device: DeviceObject, irp: Irp): NTSTATUS {
  if (device.deviceExtension instanceof FatControl)
    return shutdownVolumes(irp, (device.driverObject.driverExtension as FatData).volumes, flushVolume);
  const vcb = vcbOf(device);
  return shutdownVolumes(irp, vcb === null ? null : [vcb], flushVolume);
}
