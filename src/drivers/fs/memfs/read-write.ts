/**
 * IRP_MJ_READ / IRP_MJ_WRITE for MemFS.
 *
 * Files: the data is copied between the node's buffer and the caller's (`irp.userBuffer`), one
 * `set` each way, no allocation but the view. The parameter, end-of-file, append and file-position
 * rules are every file system's (src/io/fsrtl/read-write-checks.ts). A write extends the file (the
 * gap reads as zeros) unless that would overfill the media (STATUS_DISK_FULL, nothing written).
 *
 * Volume opens: reads go to the disk (the media as last written back); writes only through the
 * handle that locked the volume, since MemFS would otherwise overwrite them at its next write-back
 * (src/io/fsrtl/volume-transfer.ts).
 *
 * This is the hot path of the read benchmark: keep it to a few branches.
 */
import { FILE_ATTRIBUTE_ARCHIVE } from '../../../base/file-codes.ts';
import {
  type NTSTATUS,
  STATUS_DISK_FULL,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
} from '../../../base/ntstatus.ts';
import {
  checkFileRead,
  checkFileWrite,
  completeRequest,
  type DeviceObject,
  type FileObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  isValidTransfer,
  type ReadWriteParameters,
  updateFilePosition,
  volumeDasdTransfer,
  writesToEndOfFile,
} from '../../../io/index.ts';

import { Fcb, Vcb } from './structures.ts';

export function MemFsRead(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const fcb = fileObject.fsContext;
  if (!(fcb instanceof Fcb)) return volumeTransfer(irp, fileObject, false);
  if (fcb.vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  const node = fcb.node;
  const parameters = location.parameters as ReadWriteParameters;
  const offset = parameters.byteOffset;
  const length = parameters.length;
  const buffer = irp.userBuffer;
  const size = node.size;
  const status = checkFileRead(node.isDirectory, offset, length, buffer, size);
  if (status !== STATUS_SUCCESS || length === 0) return completeRequest(irp, status, 0);
  const count = Math.min(length, size - offset);
  buffer!.set(node.data.subarray(offset, offset + count), 0);
  updateFilePosition(fileObject, offset + count);
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
  const checked = checkFileWrite(fileObject, node.isDirectory, vcb.readOnly);
  if (checked !== STATUS_SUCCESS) return completeRequest(irp, checked);
  const parameters = location.parameters as ReadWriteParameters;
  const length = parameters.length;
  const buffer = irp.userBuffer;
  const offset = writesToEndOfFile(fileObject, parameters.byteOffset) ? node.size : parameters.byteOffset;
  if (!isValidTransfer(offset, length, buffer)) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (length > 0) {
    // The media's end, not a caller's mistake: MemFS stores files up to 2^53 bytes.
    if (!Number.isSafeInteger(offset + length) || !vcb.volume.write(node, offset, buffer!, length))
      return completeRequest(irp, STATUS_DISK_FULL);
    node.lastWriteTime = node.changeTime = vcb.realDevice.system.now();
    node.attributes |= FILE_ATTRIBUTE_ARCHIVE;
    vcb.dirty = true;
  }
  updateFilePosition(fileObject, offset + length);
  return completeRequest(irp, STATUS_SUCCESS, length);
}

/** Sector I/O through a volume open, passed to the disk. */
function volumeTransfer(irp: Irp, fileObject: FileObject, write: boolean): NTSTATUS {
  const vcb = fileObject.fsContext;
  if (!(vcb instanceof Vcb)) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  return volumeDasdTransfer(irp, vcb, fileObject, write);
}
