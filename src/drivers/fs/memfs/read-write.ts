/**
 * IRP_MJ_READ / IRP_MJ_WRITE for MemFS.
 *
 * Files: the data is copied between the node's buffer and the caller's (`irp.userBuffer`), one
 * `set` each way, no allocation but the view. A read at or past the end is STATUS_END_OF_FILE with
 * nothing transferred; a read crossing the end is cut short. A write extends the file (the gap
 * reads as zeros) unless that would overfill the media (STATUS_DISK_FULL, nothing written); offset
 * -1, or a handle with FILE_APPEND_DATA but not FILE_WRITE_DATA, writes at the end. Directories
 * cannot be read or written (STATUS_INVALID_DEVICE_REQUEST). For synchronous file objects the file
 * system advances CurrentByteOffset, as NT file systems do.
 *
 * Volume opens: reads go to the disk (the media as last written back); writes only through the
 * handle that locked the volume, since MemFS would otherwise overwrite them at its next write-back.
 *
 * This is the hot path of the read benchmark: keep it to a few branches.
 */
import { FILE_ATTRIBUTE_ARCHIVE, FILE_WRITE_DATA, FO_SYNCHRONOUS_IO } from '../../../base/file-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_DISK_FULL,
  STATUS_END_OF_FILE,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  type FileObject,
  IoCallDriver,
  IoCopyCurrentIrpStackLocationToNext,
  IoGetCurrentIrpStackLocation,
  IoMarkIrpPending,
  IoSetCompletionRoutine,
  type Irp,
  type ReadWriteParameters,
} from '../../../io/index.ts';

import { Fcb, Vcb } from './structures.ts';

export function MemFsRead(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const fcb = fileObject.fsContext;
  if (!(fcb instanceof Fcb)) return volumeTransfer(irp, fileObject, false);
  if (fcb.vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  const node = fcb.node;
  if (node.isDirectory) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const parameters = location.parameters as ReadWriteParameters;
  const offset = parameters.byteOffset;
  const length = parameters.length;
  const buffer = irp.userBuffer;
  if (
    !Number.isSafeInteger(offset) ||
    offset < 0 ||
    !(length >= 0) ||
    buffer === null ||
    buffer.length < length
  )
    return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (length === 0) return completeRequest(irp, STATUS_SUCCESS, 0);
  const size = node.size;
  if (offset >= size) return completeRequest(irp, STATUS_END_OF_FILE, 0);
  const count = Math.min(length, size - offset);
  buffer.set(node.data.subarray(offset, offset + count), 0);
  if ((fileObject.flags & FO_SYNCHRONOUS_IO) !== 0) fileObject.currentByteOffset = offset + count;
  return completeRequest(irp, STATUS_SUCCESS, count);
}

export function MemFsWrite(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const fcb = fileObject.fsContext;
  if (!(fcb instanceof Fcb)) return volumeTransfer(irp, fileObject, true);
  const vcb = fcb.vcb;
  if (vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  const node = fcb.node;
  if (node.isDirectory) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  if (!fileObject.writeAccess) return completeRequest(irp, STATUS_ACCESS_DENIED);
  if (vcb.readOnly) return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED);
  const parameters = location.parameters as ReadWriteParameters;
  let offset = parameters.byteOffset;
  const length = parameters.length;
  const buffer = irp.userBuffer;
  if (offset === -1 || (fileObject.grantedAccess & FILE_WRITE_DATA) === 0) offset = node.size;
  if (
    !Number.isSafeInteger(offset) ||
    offset < 0 ||
    !(length >= 0) ||
    buffer === null ||
    buffer.length < length
  )
    return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (length > 0) {
    if (!Number.isSafeInteger(offset + length) || !vcb.volume.write(node, offset, buffer, length))
      return completeRequest(irp, STATUS_DISK_FULL);
    node.lastWriteTime = node.changeTime = vcb.realDevice.system.now();
    node.attributes |= FILE_ATTRIBUTE_ARCHIVE;
    vcb.dirty = true;
  }
  if ((fileObject.flags & FO_SYNCHRONOUS_IO) !== 0) fileObject.currentByteOffset = offset + length;
  return completeRequest(irp, STATUS_SUCCESS, length);
}

function volumeTransferCompleted(_device: DeviceObject | null, irp: Irp, _context: unknown): NTSTATUS {
  if (irp.pendingReturned) IoMarkIrpPending(irp);
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  if (NT_SUCCESS(irp.ioStatus.status) && (fileObject.flags & FO_SYNCHRONOUS_IO) !== 0) {
    fileObject.currentByteOffset =
      (location.parameters as ReadWriteParameters).byteOffset + irp.ioStatus.information;
  }
  return STATUS_SUCCESS;
}

/** Sector I/O through a volume open, passed to the disk. */
function volumeTransfer(irp: Irp, fileObject: FileObject, write: boolean): NTSTATUS {
  const vcb = fileObject.fsContext;
  if (!(vcb instanceof Vcb)) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  if (write && vcb.lockedBy !== fileObject) return completeRequest(irp, STATUS_ACCESS_DENIED);
  IoCopyCurrentIrpStackLocationToNext(irp);
  IoSetCompletionRoutine(irp, volumeTransferCompleted, null, true, true, true);
  return IoCallDriver(vcb.storage, irp);
}
