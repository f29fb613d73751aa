/**
 * IRP_MJ_READ for CDFS (CdCommonRead, CdNonCachedRead): file data from the disc into the caller's
 * buffer, and sector reads through a volume open.
 *
 * A file read maps the requested range onto the file's extents (extents.ts: multi-extent files,
 * interleaved extents) and reads each disc run straight into the caller's buffer (device-io.ts);
 * only a partial sector at either end of a run goes through a bounce buffer. The parameter,
 * end-of-file and file-position rules are every file system's (src/io/fsrtl/read-write-checks.ts).
 * Every run is checked against the disc first: a file whose extents reach past the end of the disc
 * (a truncated or damaged image) is STATUS_FILE_CORRUPT_ERROR and nothing is transferred.
 *
 * Volume opens read the disc itself: the request goes to the storage stack unchanged
 * (src/io/fsrtl/volume-transfer.ts).
 *
 * This is the hot path of the ISO read benchmark: when the disc completes at once, so does the read.
 */
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_FILE_CORRUPT_ERROR,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  STATUS_VOLUME_DISMOUNTED,
} from '../../../base/ntstatus.ts';
import {
  checkFileRead,
  completeRequest,
  completeWhenDone,
  type DeviceObject,
  type FileObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type ReadWriteParameters,
  updateFilePosition,
  volumeDasdTransfer,
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
  const parameters = location.parameters as ReadWriteParameters;
  const offset = parameters.byteOffset;
  const length = parameters.length;
  const buffer = irp.userBuffer;
  const size = node.size;
  const checked = checkFileRead(node.isDirectory, offset, length, buffer, size);
  if (checked !== STATUS_SUCCESS || length === 0) return completeRequest(irp, checked, 0);
  const count = Math.min(length, size - offset);
  const target = buffer!;
  const { blockSize, discBytes, ioSectorSize } = vcb.facts;
  // Runs as [disc offset, buffer offset, length] triples, all checked before any transfer.
  const runs: number[] = [];
  let outside = false;
  mapFileRange(node.extents, blockSize, offset, count, (disc, file, runLength) => {
    if (disc + runLength > discBytes) outside = true;
    runs.push(disc, file - offset, runLength);
  });
  if (outside) return completeRequest(irp, STATUS_FILE_CORRUPT_ERROR);
  return completeWhenDone(irp, (finish) => {
    const done = (status: NTSTATUS): void => {
      if (!NT_SUCCESS(status)) {
        finish(status, 0);
        return;
      }
      updateFilePosition(fileObject, offset + count);
      finish(STATUS_SUCCESS, count);
    };
    if (runs.length === 3) {
      readDiscInto(vcb.storage, ioSectorSize, runs[0]!, runs[2]!, target, runs[1]!, done);
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
          target,
          runs[3 * index + 1]!,
          next,
        ),
      done,
    );
  });
}

/** Sector reads through a volume open, passed to the disc. */
function volumeRead(irp: Irp, fileObject: FileObject): NTSTATUS {
  const vcb = fileObject.fsContext;
  if (!(vcb instanceof Vcb)) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  return volumeDasdTransfer(irp, vcb, fileObject, false);
}
