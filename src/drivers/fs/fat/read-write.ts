/**
 * IRP_MJ_READ / IRP_MJ_WRITE for FAT (FastFat's read.c and write.c, non-cached).
 *
 * Files: the parameter, end-of-file, append and file-position rules are every file system's
 * (src/io/fsrtl/read-write-checks.ts). A write past the end extends the file: the clusters it
 * needs are taken first (STATUS_DISK_FULL, nothing changed, when they are not free), the gap reads
 * as zeros (data-io.ts), the entry gets the new size, the last-write time and ARCHIVE. FAT files
 * end at 4 GiB - 1: a write past that is STATUS_DISK_FULL, as FastFat answers.
 *
 * Volume opens: reads go to the disk; writes only through the handle that locked the volume
 * (src/io/fsrtl/volume-transfer.ts).
 */
import {
  NT_SUCCESS,
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
  completeWhenDone,
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
import { checkWritable, clustersFor, growChain, loadChain } from './allocation.ts';
import { diskOffsetOf, pieceExtents, planWrite, readFileData, sectorsToMerge } from './data-io.ts';
import { rewriteEntry } from './directory-entries.ts';
import type { FatNode } from './fat-node.ts';
import { fatFsdCall } from './irp-context.ts';
import { ATTR_ARCHIVE } from './on-disk.ts';
import { Fcb, Vcb } from './structures.ts';
import { noteVolumeChange } from './volume-state.ts';

/** The largest FAT file: the size field is 32 bits. */
export const FAT_MAX_FILE_SIZE = 0xffffffff;

export function FatRead(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const fcb = fileObject.fsContext;
  if (!(fcb instanceof Fcb)) return volumeTransfer(irp, fileObject, false);
  const vcb = fcb.vcb;
  if (vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  const node = fcb.node;
  const { byteOffset: offset, length } = location.parameters as ReadWriteParameters;
  const buffer = irp.userBuffer;
  const size = node.fileSize;
  const checked = checkFileRead(node.isDirectory, offset, length, buffer, size);
  if (checked !== STATUS_SUCCESS || length === 0) return completeRequest(irp, checked, 0);
  const count = Math.min(length, size - offset);
  return fatFsdCall(irp, () => {
    const runs = loadChain(vcb, node);
    return completeWhenDone(irp, (finish) =>
      readFileData(vcb, runs, offset, count, buffer!, (status) => {
        if (NT_SUCCESS(status)) updateFilePosition(fileObject, offset + count);
        finish(status, NT_SUCCESS(status) ? count : 0);
      }),
    );
  });
}

/**
 * Writes `length` bytes of `data` at `offset` (extending the file, zeroing any gap), or, with
 * length 0 and `offset` past the end, only extends it with zeros. `done` runs when the data is on
 * disk. Raises (nothing changed) when the chain is corrupt, the disk full or a merge read fails.
 */
export function writeFileData(
  vcb: Vcb,
  node: FatNode,
  offset: number,
  data: Uint8Array,
  length: number,
  done: (status: NTSTATUS) => void,
): void {
  const runs = loadChain(vcb, node);
  checkWritable(vcb, node);
  const oldSize = node.fileSize;
  const sectorSize = vcb.sectorSize;
  // Reads first: nothing may change before the last read that could pend.
  const oldSectors = new Map<number, Uint8Array>();
  for (const start of sectorsToMerge(oldSize, offset, length, sectorSize))
    oldSectors.set(start, vcb.disk.read(diskOffsetOf(vcb, runs, start), sectorSize));
  const end = offset + length;
  growChain(vcb, node, clustersFor(vcb, Math.max(end, oldSize)));
  noteVolumeChange(vcb);
  const pieces = planWrite(oldSize, offset, data, length, sectorSize, oldSectors);
  if (end > oldSize) node.fileSize = end;
  node.stampWrite(vcb.realDevice.system.now());
  node.attributes |= ATTR_ARCHIVE;
  rewriteEntry(vcb, node);
  vcb.disk.transfer(true, pieceExtents(vcb, runs, pieces), done);
}

export function FatWrite(_device: DeviceObject, irp: Irp): NTSTATUS {
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
  const offset = writesToEndOfFile(fileObject, parameters.byteOffset) ? node.fileSize : parameters.byteOffset;
  if (!isValidTransfer(offset, length, buffer)) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (length === 0) {
    updateFilePosition(fileObject, offset);
    return completeRequest(irp, STATUS_SUCCESS, 0);
  }
  if (offset + length > FAT_MAX_FILE_SIZE) return completeRequest(irp, STATUS_DISK_FULL);
  return fatFsdCall(irp, () =>
    completeWhenDone(irp, (finish) =>
      writeFileData(vcb, node, offset, buffer!, length, (status) => {
        if (NT_SUCCESS(status)) updateFilePosition(fileObject, offset + length);
        finish(status, NT_SUCCESS(status) ? length : 0);
      }),
    ),
  );
}

/** Sector I/O through a volume open, passed to the disk. */
function volumeTransfer(irp: Irp, fileObject: FileObject, write: boolean): NTSTATUS {
  const vcb = fileObject.fsContext;
  if (!(vcb instanceof Vcb)) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  return volumeDasdTransfer(irp, vcb, fileObject, write);
}
