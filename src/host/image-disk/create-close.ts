/**
 * IRP_MJ_CREATE, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_FLUSH_BUFFERS and IRP_MJ_SHUTDOWN for an image
 * disk.
 *
 * Creates: a disk whose image is closed is STATUS_NO_SUCH_DEVICE; otherwise the class driver's rule
 * (ClassCreateClose in the I/O library): only the device itself opens, a name below it is
 * STATUS_OBJECT_PATH_NOT_FOUND. Cleanup and close are ClassCreateClose's too (no per-open state).
 * Flush: fsync the descriptor when anything was written since the last one (nothing to do on a
 * read-only disk). Shutdown (a last-chance
 * notification, so it arrives after every file system wrote its last metadata): the same, and from
 * then on every write is followed by fsync, so nothing written after shutdown can be lost either.
 * A failing fsync is reported as its NTSTATUS; it never throws.
 */
import fs from 'node:fs';
import {
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_NO_SUCH_DEVICE,
  STATUS_SUCCESS,
} from '../../base/index.ts';
import { ClassCreateClose, completeRequest, type DeviceObject, type Irp } from '../../io/index.ts';
import { type ImageDiskExtension, imageDiskExtension } from './extension.ts';
import { hostErrorStatus } from './host-status.ts';

/** fsync when something was written since the last one. */
export function flushImage(disk: ImageDiskExtension): NTSTATUS {
  if (disk.fd === null) return STATUS_NO_SUCH_DEVICE;
  if (!disk.dirty) return STATUS_SUCCESS;
  try {
    fs.fsyncSync(disk.fd);
  } catch (error) {
    return hostErrorStatus(error);
  }
  disk.dirty = false;
  return STATUS_SUCCESS;
}

export function ImageDiskCreate(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const disk = imageDiskExtension(deviceObject);
  if (disk === null || disk.fd === null) return completeRequest(irp, STATUS_NO_SUCH_DEVICE, 0);
  return ClassCreateClose(deviceObject, irp);
}

export function ImageDiskFlush(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const disk = imageDiskExtension(deviceObject);
  if (disk === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
  return completeRequest(irp, flushImage(disk), 0);
}

export function ImageDiskShutdown(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const disk = imageDiskExtension(deviceObject);
  if (disk === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
  disk.writeThrough = true;
  return completeRequest(irp, flushImage(disk), 0);
}
