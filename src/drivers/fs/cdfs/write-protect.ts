/**
 * The write paths of a read-only file system: IRP_MJ_WRITE, IRP_MJ_SET_INFORMATION and
 * IRP_MJ_SET_VOLUME_INFORMATION for CDFS (write.c, CdCommonSetInfo; CDFS has no set-volume
 * routine at all).
 *
 * Anything that would change a file, a directory or the label is STATUS_MEDIA_WRITE_PROTECTED and
 * changes nothing. What changes nothing succeeds, as on any file system: setting the file position,
 * a basic-information record of zeros (or -1), the size a file already has, clearing a delete
 * disposition. A record no file system would take (src/io/fsrtl's rules: a time that is not a
 * number, attributes a file cannot have, a size that is not one, a size for a directory, unknown
 * disposition flags, a label request without a label) is STATUS_INVALID_PARAMETER, as a
 * write-protected MemFS or FAT volume answers it. Unknown classes, and set-information on a volume
 * open, are STATUS_INVALID_PARAMETER as in CDFS.
 *
 * Writes through a volume open go to the disc only from the handle that locked the volume (a tool
 * patching an image on purpose, which the disc itself may still refuse); any other volume write is
 * STATUS_MEDIA_WRITE_PROTECTED, so an unlocked handle can never change the media under the mount.
 */
import { FO_SYNCHRONOUS_IO } from '../../../base/file-codes.ts';
import {
  FILE_DISPOSITION_DELETE,
  FileAllocationInformation,
  FileBasicInformation,
  FileDispositionInformation,
  FileDispositionInformationEx,
  FileEndOfFileInformation,
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
  dispositionFlags,
  IoCallDriver,
  IoCopyCurrentIrpStackLocationToNext,
  IoGetCurrentIrpStackLocation,
  IoMarkIrpPending,
  IoSetCompletionRoutine,
  type Irp,
  isFileSize,
  type ReadWriteParameters,
  readBasicInformation,
  requestedVolumeLabel,
  type SetFileParameters,
  setFilePosition,
  setInformationRecord,
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

/**
 * What a set-information record would do to the file: STATUS_SUCCESS when nothing would change,
 * STATUS_MEDIA_WRITE_PROTECTED when something would, STATUS_INVALID_PARAMETER for a bad record.
 */
function refusalOf(fcb: Fcb, infoClass: number, info: Record<string, unknown>): NTSTATUS {
  const node = fcb.node;
  let changes: boolean;
  switch (infoClass) {
    case FileBasicInformation: {
      const change = readBasicInformation(info, node.isDirectory);
      if (change.status !== STATUS_SUCCESS) return change.status;
      changes =
        change.creationTime !== null ||
        change.lastAccessTime !== null ||
        change.lastWriteTime !== null ||
        change.changeTime !== null ||
        change.fileAttributes !== 0;
      break;
    }
    case FileEndOfFileInformation:
      if (node.isDirectory || !isFileSize(info.endOfFile)) return STATUS_INVALID_PARAMETER;
      changes = info.endOfFile !== node.size;
      break;
    case FileAllocationInformation:
      if (node.isDirectory || !isFileSize(info.allocationSize)) return STATUS_INVALID_PARAMETER;
      // Allocation at or above the size is what the disc already holds; below it truncates.
      changes = info.allocationSize < node.size;
      break;
    case FileDispositionInformation:
    case FileDispositionInformationEx: {
      const flags = dispositionFlags(infoClass, info);
      if (flags < 0) return STATUS_INVALID_PARAMETER;
      changes = (flags & FILE_DISPOSITION_DELETE) !== 0;
      break;
    }
    case FileRenameInformation:
    case FileLinkInformation:
      changes = true;
      break;
    default:
      return STATUS_INVALID_PARAMETER;
  }
  return changes ? STATUS_MEDIA_WRITE_PROTECTED : STATUS_SUCCESS;
}

export function CdfsSetInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const vcb = vcbOfOpen(fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  const fcb = fcbOf(fileObject);
  const info = setInformationRecord(irp);
  if (fcb === null || info === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const { fileInformationClass } = location.parameters as SetFileParameters;
  if (fileInformationClass === FilePositionInformation)
    return completeRequest(irp, setFilePosition(fileObject, info));
  return completeRequest(irp, refusalOf(fcb, fileInformationClass, info));
}

export function CdfsSetVolumeInformation(_device: DeviceObject, irp: Irp): NTSTATUS {
  const vcb = vcbOfOpen(IoGetCurrentIrpStackLocation(irp).fileObject);
  if (vcb === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const mounted = checkMounted(vcb);
  if (mounted !== STATUS_SUCCESS) return completeRequest(irp, mounted);
  // Read as every file system reads the record: only a well-formed label request meets the disc.
  if (requestedVolumeLabel(irp) === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED);
}
