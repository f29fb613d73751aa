/**
 * IRP_MJ_READ / IRP_MJ_WRITE for HostFS: positioned reads and writes on the open's own host
 * descriptor, synchronous (fs.readSync / fs.writeSync), straight into and out of the caller's
 * buffer — nothing is cached and no file is ever read whole, so what Strata writes the host sees
 * at once, and the reverse.
 *
 * The parameter, end-of-file, append and file-position rules are every file system's
 * (src/io/fsrtl/read-write-checks.ts); the end of file is the host's, found by the read coming up
 * short, and an append writes at the host's current end of file. A write past the end extends the
 * file (the gap reads as zeros). Directories cannot be read or written
 * (STATUS_INVALID_DEVICE_REQUEST); a link opened as itself has no data (reads: end of file). If
 * the host disk fills in the middle of a write, the bytes already written stay and the status is
 * STATUS_DISK_FULL.
 */
import * as fs from 'node:fs';
import {
  type NTSTATUS,
  STATUS_ACCESS_DENIED,
  STATUS_END_OF_FILE,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import {
  checkFileRead,
  checkFileWrite,
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  isValidTransfer,
  type ReadWriteParameters,
  updateFilePosition,
  writesToEndOfFile,
} from '../../io/index.ts';
import { checkShare } from './common.ts';
import { ntStatusFromHostError } from './host-errors.ts';
import { Ccb, Fcb } from './structures.ts';

export function HostFsRead(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const fcb = fileObject.fsContext;
  const ccb = fileObject.fsContext2;
  if (!(fcb instanceof Fcb) || !(ccb instanceof Ccb))
    return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const shared = checkShare(fcb);
  if (shared !== STATUS_SUCCESS) return completeRequest(irp, shared);
  const { byteOffset: offset, length } = location.parameters as ReadWriteParameters;
  const buffer = irp.userBuffer;
  // The end of file is the host's, found when the read comes up short.
  const checked = checkFileRead(fcb.kind === 'directory', offset, length, buffer, Number.POSITIVE_INFINITY);
  if (checked !== STATUS_SUCCESS || length === 0) return completeRequest(irp, checked, 0);
  if (fcb.kind === 'link') return completeRequest(irp, STATUS_END_OF_FILE, 0);
  const entry = ccb.entry;
  if (entry.kind !== 'data') return completeRequest(irp, STATUS_ACCESS_DENIED);
  let total = 0;
  try {
    while (total < length) {
      const count = fs.readSync(entry.fd, buffer!, total, length - total, offset + total);
      if (count === 0) break;
      total += count;
    }
  } catch (error) {
    return completeRequest(irp, ntStatusFromHostError(error));
  }
  if (total === 0) return completeRequest(irp, STATUS_END_OF_FILE, 0);
  updateFilePosition(fileObject, offset + total);
  return completeRequest(irp, STATUS_SUCCESS, total);
}

export function HostFsWrite(_device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const fileObject = location.fileObject!;
  const fcb = fileObject.fsContext;
  const ccb = fileObject.fsContext2;
  if (!(fcb instanceof Fcb) || !(ccb instanceof Ccb))
    return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  const shared = checkShare(fcb);
  if (shared !== STATUS_SUCCESS) return completeRequest(irp, shared);
  const checked = checkFileWrite(fileObject, fcb.kind === 'directory', false);
  if (checked !== STATUS_SUCCESS) return completeRequest(irp, checked);
  const entry = ccb.entry;
  // A read-only share refuses as a server does (share permissions), not as read-only media.
  if (fcb.share.readOnly || entry.kind !== 'data') return completeRequest(irp, STATUS_ACCESS_DENIED);
  const parameters = location.parameters as ReadWriteParameters;
  const length = parameters.length;
  const buffer = irp.userBuffer;
  let offset = parameters.byteOffset;
  let total = 0;
  try {
    if (writesToEndOfFile(fileObject, offset)) offset = fs.fstatSync(entry.fd).size;
    if (!isValidTransfer(offset, length, buffer) || !Number.isSafeInteger(offset + length))
      return completeRequest(irp, STATUS_INVALID_PARAMETER);
    while (total < length) total += fs.writeSync(entry.fd, buffer!, total, length - total, offset + total);
  } catch (error) {
    return completeRequest(irp, ntStatusFromHostError(error), 0);
  }
  updateFilePosition(fileObject, offset + length);
  return completeRequest(irp, STATUS_SUCCESS, length);
}
