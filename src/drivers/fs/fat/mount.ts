/**
 * IRP_MN_MOUNT_VOLUME and IRP_MN_VERIFY_VOLUME for FAT (FastFat's FatMountVolume and
 * FatVerifyVolume).
 *
 * Mount asks the disk its sector size (IOCTL_DISK_GET_DRIVE_GEOMETRY), length and whether it is
 * writable, reads the boot sector and decides (volume-layout.ts): not FAT is
 * STATUS_UNRECOGNIZED_VOLUME and the I/O manager asks the next file system. A FAT volume then has
 * its first FAT read whole, its FSInfo read and checked (FAT32), and its root directory read; a
 * corrupt root refuses the mount. Only then is the volume device created (createVolumeDevice in
 * the I/O library), so a mount that fails or is retried after a pended read leaves nothing behind. The volume label is the root directory's
 * label entry, as Windows shows it. A write-protected disk, or a truncated image, mounts
 * read-only. The clean-shutdown bit as found is remembered: a volume mounted dirty stays dirty.
 *
 * Verify re-reads the boot sector: the same BPB (bytes 11 to the extended boot record) and serial
 * number mean the same volume, as FastFat compares them. The BPB's label field is not compared: a
 * label set on this volume changes it in memory before the write-back, and a verify must not take
 * that for another disk and drop what waits to be written.
 */
import { FILE_DEVICE_DISK_FILE_SYSTEM } from '../../../base/device-codes.ts';
import {
  DISK_GEOMETRY_SIZE,
  type DiskGeometry,
  GET_LENGTH_INFORMATION_SIZE,
} from '../../../base/disk-structures.ts';
import {
  IOCTL_DISK_GET_DRIVE_GEOMETRY,
  IOCTL_DISK_GET_LENGTH_INFO,
  IOCTL_DISK_IS_WRITABLE,
} from '../../../base/file-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  STATUS_WRONG_VOLUME,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  createVolumeDevice,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type MountVolumeParameters,
} from '../../../io/index.ts';
import type { CodePage } from './code-page.ts';
import { loadDirectory } from './directory-contents.ts';
import { DiskContext } from './disk-io.ts';
import { deleteVolumeIfUnused, dismountVolume } from './dismount.ts';
import { FatNode } from './fat-node.ts';
import { FatTable } from './fat-table.ts';
import { FatStatusError, fatFsdCall } from './irp-context.ts';
import { ATTR_DIRECTORY, readBootSector, readFsInfo } from './on-disk.ts';
import { type FatData, Vcb } from './structures.ts';
import { interpretBootSector, type VolumeLayout } from './volume-layout.ts';

interface DiskFacts {
  sectorSize: number;
  length: number;
  writeProtected: boolean;
}

function askDisk(disk: DiskContext): DiskFacts | null {
  const geometry = disk.deviceControl(IOCTL_DISK_GET_DRIVE_GEOMETRY, DISK_GEOMETRY_SIZE);
  const reported = NT_SUCCESS(geometry.status) ? (geometry.output as DiskGeometry | null)?.bytesPerSector : 0;
  const sectorSize = typeof reported === 'number' && reported > 0 ? reported : disk.storage.sectorSize || 512;
  const lengthAnswer = disk.deviceControl(IOCTL_DISK_GET_LENGTH_INFO, GET_LENGTH_INFORMATION_SIZE);
  const length = (lengthAnswer.output as { length?: unknown } | null)?.length;
  if (!NT_SUCCESS(lengthAnswer.status) || typeof length !== 'number') return null;
  const writable = disk.deviceControl(IOCTL_DISK_IS_WRITABLE, 0);
  return { sectorSize, length, writeProtected: writable.status === STATUS_MEDIA_WRITE_PROTECTED };
}

/** Reads the first sectors (at least 512 bytes), or null when the disk is too small or refuses. */
function readHead(disk: DiskContext, facts: DiskFacts): Uint8Array | null {
  const length = Math.ceil(512 / facts.sectorSize) * facts.sectorSize;
  if (facts.length < length) return null;
  try {
    return disk.read(0, length);
  } catch (error) {
    if (error instanceof FatStatusError) return null;
    throw error;
  }
}

/** Everything a volume needs, read and checked; raises on corruption, returns a status otherwise. */
function readVolume(
  disk: DiskContext,
  vpb: MountVolumeParameters['vpb'],
  codePage: CodePage,
): { status: NTSTATUS; vcb: Vcb | null } {
  const facts = askDisk(disk);
  if (facts === null) return { status: STATUS_UNRECOGNIZED_VOLUME, vcb: null };
  const head = readHead(disk, facts);
  if (head === null) return { status: STATUS_UNRECOGNIZED_VOLUME, vcb: null };
  const { status, layout } = interpretBootSector(readBootSector(head), facts.sectorSize, facts.length);
  if (layout === null) return { status, vcb: null };
  const fat = new FatTable(
    disk.read(layout.fatOffset, layout.fatBytes),
    layout.fatType,
    layout.clusterCount,
    layout.bytesPerSector,
  );
  const readOnly = facts.writeProtected || layout.truncated;
  const vcb = new Vcb(vpb, disk, layout, fat, codePage, readOnly, head.slice(0, layout.bytesPerSector));
  vcb.mountedDirty = !fat.isCleanShutdown();
  vcb.dirtyOnDisk = vcb.mountedDirty;
  readFsInfoSector(vcb, layout);
  const root = new FatNode(null, {
    name: new Uint8Array(11).fill(0x20),
    attributes: ATTR_DIRECTORY,
    ntByte: 0,
    creationTenths: 0,
    creationTime: 0,
    creationDate: 0,
    accessDate: 0,
    writeTime: 0,
    writeDate: 0,
    firstCluster: layout.rootCluster,
    fileSize: 0,
  });
  root.name = '\\';
  vcb.root = root;
  loadDirectory(vcb, root);
  return { status: STATUS_SUCCESS, vcb };
}

/** FAT32: the FSInfo sector, trusted for its next-free hint only when its signatures and values hold. */
function readFsInfoSector(vcb: Vcb, layout: VolumeLayout): void {
  if (layout.fatType !== 32 || layout.fsInfoSector === 0) return;
  const sector = vcb.disk.read(layout.fsInfoSector * layout.bytesPerSector, layout.bytesPerSector);
  vcb.fsInfoSector = sector;
  const info = readFsInfo(sector);
  const fat = vcb.fat;
  // The free count is never taken from FSInfo: the FAT was just counted. A stale FSInfo is
  // corrected by the first flush after a change to the allocation.
  if (info.valid && fat.isValidCluster(info.nextFree)) fat.nextFreeHint = info.nextFree;
}

function mountVolume(controlDevice: DeviceObject, parameters: MountVolumeParameters, vcb: Vcb): NTSTATUS {
  const facts = {
    deviceType: FILE_DEVICE_DISK_FILE_SYSTEM,
    sectorSize: vcb.layout.bytesPerSector,
    serialNumber: vcb.layout.serialNumber,
    label: vcb.label,
  };
  const data = controlDevice.driverObject.driverExtension as FatData;
  return createVolumeDevice(controlDevice, parameters, vcb, facts, data);
}

export function FatMountVolume(controlDevice: DeviceObject, irp: Irp): NTSTATUS {
  const parameters = IoGetCurrentIrpStackLocation(irp).parameters as MountVolumeParameters;
  const disk = new DiskContext(parameters.deviceObject);
  return fatFsdCall(irp, () => {
    const { codePage } = controlDevice.driverObject.driverExtension as FatData;
    const { status, vcb } = readVolume(disk, parameters.vpb, codePage);
    if (vcb === null) return completeRequest(irp, status);
    return completeRequest(irp, mountVolume(controlDevice, parameters, vcb));
  });
}

/** The BPB and the serial number of two boot sectors agree (FastFat's FatVerifyVolume checks). */
function isSameVolume(head: Uint8Array, mounted: Uint8Array, fat32: boolean): boolean {
  const ebr = fat32 ? 64 : 36;
  const same = (from: number, to: number): boolean => {
    for (let i = from; i < to; i++) if (head[i] !== mounted[i]) return false;
    return true;
  };
  return same(11, ebr) && same(ebr + 3, ebr + 7);
}

/** IRP_MN_VERIFY_VOLUME: is the disk still carrying this volume? */
export function FatVerifyVolume(vcb: Vcb, irp: Irp): NTSTATUS {
  const wrongVolume = (): NTSTATUS => {
    dismountVolume(vcb, false);
    deleteVolumeIfUnused(vcb);
    return completeRequest(irp, STATUS_WRONG_VOLUME);
  };
  if (vcb.dismounted) return wrongVolume();
  return fatFsdCall(irp, () => {
    const head = vcb.disk.read(0, vcb.bootSector.length);
    return isSameVolume(head, vcb.bootSector, vcb.layout.fatType === 32)
      ? completeRequest(irp, STATUS_SUCCESS)
      : wrongVolume();
  });
}
