/**
 * IRP_MJ_READ for CDFS (CdCommonRead, CdNonCachedRead): file data from the disc into the caller's
 * buffer, and sector reads through a volume open.
 *
 * A file read maps the requested range onto the file's extents (extents.ts: multi-extent files,
 * interleaved extents) and reads each disc run straight into the caller's buffer (device-io.ts);
 * only a partial sector at either end of a run goes through a bounce buffer. A read at or past the
 * end of file is STATUS_END_OF_FILE with nothing transferred; one crossing it is cut short. Every
 * run is checked against the disc first: a file whose extents reach past the end of the disc (a
 * truncated or damaged image) is STATUS_FILE_CORRUPT_ERROR and nothing is transferred. Directories
 * cannot be read (STATUS_INVALID_DEVICE_REQUEST). For synchronous file objects the current byte
 * offset moves past the data, as NT file systems do.
 *
 * Volume opens read the disc itself: the request goes to the storage stack unchanged.
 *
 * This is the hot path of the ISO read benchmark: when the disc completes at once, so does the read.
 */
import { FO_SYNCHRONOUS_IO } from '../../../base/file-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_END_OF_FILE,
  STATUS_FILE_CORRUPT_ERROR,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  completeWhenDone,
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

import { forEachAsync, readDiscInto } from './device-io.ts';
import { mapFileRange } from './extents.ts';
import { Fcb, Vcb } from './structures.ts';

export function CdfsRead(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const fcb = fileObject.fsContext;
  if (!(fcb instanceof Fcb)) return volumeRead(irp, fileObject);
  const vcb = fcb.vcb;
  if (vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
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
  const { blockSize, discBytes, ioSectorSize } = vcb.facts;
  // Runs as [disc offset, buffer offset, length] triples, all checked before any transfer.
  const runs: number[] = [];
  let outside = false;
  mapFileRange(node.extents, blockSize, offset, count, (disc, file, runLength) => {
    if (disc + runLength > discBytes) outside = true;
    runs.push(disc, file - offset, runLength);
  });
  if (outside) return completeRequest(irp, STATUS_FILE_CORRUPT_ERROR);
  const synchronous = (fileObject.flags & FO_SYNCHRONOUS_IO) !== 0;
  return completeWhenDone(irp, (finish) => {
    const done = (status: NTSTATUS): void => {
      if (!NT_SUCCESS(status)) {
        finish(status, 0);
        return;
      }
      if (synchronous) fileObject.currentByteOffset = offset + count;
      finish(STATUS_SUCCESS, count);
    };
    if (runs.length === 3) {
      readDiscInto(vcb.storage, ioSectorSize, runs[0]!, runs[2]!, buffer, runs[1]!, done);
      return;
    }
    forEachAsync(
      runs.length / 3,
      (index, next) =>
        readDiscInto(
          vcb.storage,
          ioSectorSize,
          runs[3 * index]!,
          runs[3 * index + 2]!,
          buffer,
          runs[3 * index + 1]!,
          next,
        ),
      done,
    );
  });
}

function volumeReadCompleted(_device: DeviceObject | null, irp: Irp, _context: unknown): NTSTATUS {
  if (irp.pendingReturned) IoMarkIrpPending(irp);
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  if (NT_SUCCESS(irp.ioStatus.status) && (fileObject.flags & FO_SYNCHRONOUS_IO) !== 0) {
    fileObject.currentByteOffset =
      (location.parameters as ReadWriteParameters).byteOffset + irp.ioStatus.information;
  }
  return STATUS_SUCCESS;
}

/** Sector reads through a volume open, passed to the disc. */
function volumeRead(irp: Irp, fileObject: FileObject): NTSTATUS {
  const vcb = fileObject.fsContext;
  if (!(vcb instanceof Vcb)) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  IoCopyCurrentIrpStackLocationToNext(irp);
  IoSetCompletionRoutine(irp, volumeReadCompleted, null, true, true, true);
  return IoCallDriver(vcb.storage, irp);
}
