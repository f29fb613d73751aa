/**
 * IRP_MJ_FLUSH_BUFFERS for HostFS: fsync() of the open's host file (or directory), so what was
 * written is on the host's media when the request completes. HostFS itself keeps no cache, so a
 * flush has nothing of its own to write, and shutdown has nothing to flush.
 */
import * as fs from 'node:fs';
import { type NTSTATUS, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../base/index.ts';
import {
  completeRequest,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
} from '../../io/index.ts';
import { ccbOf, checkShare, fcbOf } from './common.ts';
import { ntStatusFromHostError } from './host-errors.ts';

export function HostFsFlushBuffers(_device: DeviceObject, irp: Irp): NTSTATUS {
  const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject;
  const fcb = fcbOf(fileObject);
  const ccb = ccbOf(fileObject);
  if (fcb === null || ccb === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const shared = checkShare(fcb);
  if (shared !== STATUS_SUCCESS) return completeRequest(irp, shared);
  const entry = ccb.entry;
  try {
    if (entry.kind === 'data') fs.fsyncSync(entry.fd);
    else if (fcb.kind === 'directory') {
      // O_PATH descriptors cannot be synced: open the directory itself for the call.
      const fd = fs.openSync(entry.path, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch (error) {
    return completeRequest(irp, ntStatusFromHostError(error));
  }
  return completeRequest(irp, STATUS_SUCCESS);
}
