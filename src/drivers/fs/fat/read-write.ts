/**
 * IRP_MJ_READ / IRP_MJ_WRITE for FAT (FastFat's read.c and write.c, non-cached).
 *
 * Files: a read at or past the end is STATUS_END_OF_FILE with nothing transferred; a read across
 * the end is cut short. A write at offset -1, or through a handle with FILE_APPEND_DATA but not
 * FILE_WRITE_DATA, appends. A write past the end extends the file: the clusters it needs are taken
 * first (STATUS_DISK_FULL, nothing changed, when they are not free), the gap reads as zeros
 * (data-io.ts), the entry gets the new size, the last-write time and ARCHIVE. FAT files end at
 * 4 GiB - 1: a write past that is STATUS_DISK_FULL, as FastFat answers. Directories cannot be read
 * or written (STATUS_INVALID_DEVICE_REQUEST). Synchronous file objects have their
 * CurrentByteOffset advanced.
 *
 * Volume opens: reads go to the disk; writes only through the handle that locked the volume.
 */
import { FILE_WRITE_DATA, FO_SYNCHRONOUS_IO } from '../../../base/file-codes.ts';
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

function validTransfer(offset: number, length: number, buffer: Uint8Array | null): boolean {
  return (
    Number.isSafeInteger(offset) && offset >= 0 && length >= 0 && buffer !== null && buffer.length >= length
  );
}

export function FatRead(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const fcb = fileObject.fsContext;
  if (!(fcb instanceof Fcb)) return volumeTransfer(irp, fileObject, false);
  const vcb = fcb.vcb;
  if (vcb.dismounted) return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
  const node = fcb.node;
  if (node.isDirectory) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const { byteOffset: offset, length } = location.parameters as ReadWriteParameters;
  const buffer = irp.userBuffer;
  if (!validTransfer(offset, length, buffer)) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  if (length === 0) return completeRequest(irp, STATUS_SUCCESS, 0);
  const size = node.fileSize;
  if (offset >= size) return completeRequest(irp, STATUS_END_OF_FILE, 0);
  const count = Math.min(length, size - offset);
  return fatFsdCall(irp, () => {
    const runs = loadChain(vcb, node);
    return completeWhenDone(irp, (finish) =>
      readFileData(vcb, runs, offset, count, buffer!, (status) => {
        if (NT_SUCCESS(status) && (fileObject.flags & FO_SYNCHRONOUS_IO) !== 0)
          fileObject.currentByteOffset = offset + count;
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
  if (node.isDirectory) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  if (!fileObject.writeAccess) return completeRequest(irp, STATUS_ACCESS_DENIED);
  if (vcb.readOnly) return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED);
  const parameters = location.parameters as ReadWriteParameters;
  let offset = parameters.byteOffset;
  const length = parameters.length;
  const buffer = irp.userBuffer;
  if (offset === -1 || (fileObject.grantedAccess & FILE_WRITE_DATA) === 0) offset = node.fileSize;
  if (!validTransfer(offset, length, buffer)) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const advance = (): void => {
    if ((fileObject.flags & FO_SYNCHRONOUS_IO) !== 0) fileObject.currentByteOffset = offset + length;
  };
  if (length === 0) {
    advance();
    return completeRequest(irp, STATUS_SUCCESS, 0);
  }
  if (offset + length > FAT_MAX_FILE_SIZE) return completeRequest(irp, STATUS_DISK_FULL);
  return fatFsdCall(irp, () =>
    completeWhenDone(irp, (finish) =>
      writeFileData(vcb, node, offset, buffer!, length, (status) => {
        if (NT_SUCCESS(status)) advance();
        finish(status, NT_SUCCESS(status) ? length : 0);
      }),
    ),
  );
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
