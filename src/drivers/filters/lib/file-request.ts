/**
 * Requests a filter builds itself about a file object it sees, and sends to the device below it:
 * a query of file information, a read, a write (what FltQueryInformationFile, FltReadFile and
 * FltWriteFile do for minifilters; a legacy filter rolls its own IRP, as FileSpy's name lookup
 * does).
 *
 * The IRP is sized for the lower device, carries the file object in its first stack location, and
 * has a completion routine that hands the result on and returns STATUS_MORE_PROCESSING_REQUIRED:
 * the IRP belongs to the filter and never reaches an I/O manager completion step (§6.2). `done`
 * runs when it completes, possibly before the call returns. No promise is involved.
 */
import { IRP_MJ_QUERY_INFORMATION, IRP_MJ_READ, IRP_MJ_WRITE } from '../../../base/irp-codes.ts';
import { type NTSTATUS, STATUS_MORE_PROCESSING_REQUIRED } from '../../../base/ntstatus.ts';
import {
  type DeviceObject,
  type FileObject,
  IoAllocateIrp,
  IoCallDriver,
  IoGetNextIrpStackLocation,
  type IoParameters,
  IoSetCompletionRoutine,
  type Irp,
} from '../../../io/index.ts';

function sendFileRequest(
  lower: DeviceObject,
  fileObject: FileObject,
  majorFunction: number,
  parameters: IoParameters,
  userBuffer: Uint8Array | null,
  done: (irp: Irp) => void,
): void {
  const irp = IoAllocateIrp(lower.stackSize);
  irp.originalFileObject = fileObject;
  irp.process = null;
  irp.userBuffer = userBuffer;
  const location = IoGetNextIrpStackLocation(irp);
  location.majorFunction = majorFunction;
  location.fileObject = fileObject;
  location.parameters = parameters;
  IoSetCompletionRoutine(
    irp,
    (_device, finished): NTSTATUS => {
      done(finished);
      return STATUS_MORE_PROCESSING_REQUIRED;
    },
    null,
    true,
    true,
    true,
  );
  IoCallDriver(lower, irp);
}

/** IRP_MJ_QUERY_INFORMATION on `fileObject` below the filter; `done(status, record)`. */
export function queryInformationBelow<T>(
  lower: DeviceObject,
  fileObject: FileObject,
  fileInformationClass: number,
  length: number,
  done: (status: NTSTATUS, info: T | null) => void,
): void {
  sendFileRequest(
    lower,
    fileObject,
    IRP_MJ_QUERY_INFORMATION,
    { length, fileInformationClass },
    null,
    (irp) => done(irp.ioStatus.status, (irp.systemBuffer as T | null) ?? null),
  );
}

/** IRP_MJ_WRITE of `data` at `byteOffset` of `fileObject`, below the filter; `done(status, written)`. */
export function writeBelow(
  lower: DeviceObject,
  fileObject: FileObject,
  byteOffset: number,
  data: Uint8Array,
  done: (status: NTSTATUS, written: number) => void,
): void {
  sendFileRequest(lower, fileObject, IRP_MJ_WRITE, { length: data.length, byteOffset, key: 0 }, data, (irp) =>
    done(irp.ioStatus.status, irp.ioStatus.information),
  );
}

/** IRP_MJ_READ into `buffer` at `byteOffset` of `fileObject`, below the filter; `done(status, read)`. */
export function readBelow(
  lower: DeviceObject,
  fileObject: FileObject,
  byteOffset: number,
  buffer: Uint8Array,
  done: (status: NTSTATUS, read: number) => void,
): void {
  sendFileRequest(
    lower,
    fileObject,
    IRP_MJ_READ,
    { length: buffer.length, byteOffset, key: 0 },
    buffer,
    (irp) => done(irp.ioStatus.status, irp.ioStatus.information),
  );
}
