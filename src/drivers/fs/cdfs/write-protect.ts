/**
 * The write paths of a read-only file system: IRP_MJ_WRITE, IRP_MJ_SET_INFORMATION and
 * IRP_MJ_SET_VOLUME_INFORMATION for CDFS (write.c, CdCommonSetInfo; CDFS has no set-volume
 * routine at all).
 *
 * Anything that would change a file, a directory or the label is STATUS_MEDIA_WRITE_PROTECTED and
 * changes nothing. What changes nothing succeeds, as on any file system: setting the file position,
 * a basic-information record of zeros, the size a file already has, clearing a delete disposition.
 * Unknown classes, and set-information on a volume open, are STATUS_INVALID_PARAMETER as in CDFS.
 *
 * Writes through a volume open go to the disc only from the handle that locked the volume (a tool
 * patching an image on purpose, which the disc itself may still refuse); any other volume write is
 * STATUS_MEDIA_WRITE_PROTECTED, so an unlocked handle can never change the media under the mount.
 */
import { FO_SYNCHRONOUS_IO } from '../../../base/file-codes.ts';
import {
  FileAllocationInformation,
  FileBasicInformation,
  FileDispositionInformation,
  FileDispositionInformationEx,
  FileEndOfFileInformation,
  FileFsLabelInformation,
  FileLinkInformation,
  FilePositionInformation,
  FileRenameInformation,
} from '../../../base/information-classes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  IoCallDriver,
  IoCopyCurrentIrpStackLocationToNext,
  IoGetCurrentIrpStackLocation,
  IoMarkIrpPending,
  IoSetCompletionRoutine,
  type Irp,
  type ReadWriteParameters,
  type SetFileParameters,
  type VolumeInformationParameters,
} from '../../../io/index.ts';
import { checkMounted, fcbOf, vcbOfOpen } from './common.ts';
import { type Fcb, Vcb } from './structures.ts';

function volumeWriteCompleted(_device: DeviceObject | null, irp: Irp, _context: unknown): NTSTATUS {
  if (irp.pendingReturned) IoMarkIrpPending(irp);
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  if (NT_SUCCESS(irp.ioStatus.status) && (fileObject.flags & FO_SYNCHRONOUS_IO) !== 0) {
    fileObject.currentByteOffset =
      (location.parameters as ReadWriteParameters).byteOffset + irp.ioStatus.information;
  }
  return STATUS_SUCCESS;
}

export function CdfsWrite(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject!;
  const context = fileObject.fsContext;
  const vcb = vcbOfOpen(fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  if (vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  if (!(context instanceof Vcb) || vcb.lockedBy !== fileObject)
    return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED);
  IoCopyCurrentIrpStackLocationToNext(irp);
  IoSetCompletionRoutine(irp, volumeWriteCompleted, null, true, true, true);
  return IoCallDriver(vcb.storage, irp);
}

function isZeroOrAbsent(value: unknown): boolean {
  return value === undefined || value === 0 || value === -1;
}

/** Whether a set-information record would change anything on the file. */
function wouldChange(fcb: Fcb, infoClass: number, info: Record<string, unknown>): boolean | null {
  const node = fcb.node;
  switch (infoClass) {
    case FileBasicInformation:
      return !(
        isZeroOrAbsent(info.creationTime) &&
        isZeroOrAbsent(info.lastAccessTime) &&
        isZeroOrAbsent(info.lastWriteTime) &&
        isZeroOrAbsent(info.changeTime) &&
        (info.fileAttributes === undefined || info.fileAttributes === 0)
      );
    case FileEndOfFileInformation:
      return node.isDirectory || info.endOfFile !== node.size;
    case FileAllocationInformation:
      return node.isDirectory || typeof info.allocationSize !== 'number' || info.allocationSize < node.size;
    case FileDispositionInformation:
      return info.deleteFile !== false;
    case FileDispositionInformationEx:
      return typeof info.flags !== 'number' || (info.flags & 1) !== 0;
    case FileRenameInformation:
    case FileLinkInformation:
      return true;
    default:
      return null;
  }
}

export function CdfsSetInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const vcb = vcbOfOpen(fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const fcb = fcbOf(fileObject);
  const info = irp.systemBuffer;
  if (fcb === null || typeof info !== 'object' || info === null)
    return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const { fileInformationClass } = location.parameters as SetFileParameters;
  if (fileInformationClass === FilePositionInformation) {
    const offset = (info as { currentByteOffset?: unknown }).currentByteOffset;
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0)
      return completeRequest(irp, STATUS_INVALID_PARAMETER);
    fileObject.currentByteOffset = offset;
    return completeRequest(irp, STATUS_SUCCESS);
  }
  const changes = wouldChange(fcb, fileInformationClass, info as Record<string, unknown>);
  if (changes === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  return completeRequest(irp, changes ? STATUS_MEDIA_WRITE_PROTECTED : STATUS_SUCCESS);
}

export function CdfsSetVolumeInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const vcb = vcbOfOpen(location.fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const { fsInformationClass } = location.parameters as VolumeInformationParameters;
  if (fsInformationClass !== FileFsLabelInformation) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED);
}
