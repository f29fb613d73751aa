/**
 * Dispatch routines of a partition device: a window onto a slice of its disk.
 *
 * - Reads and writes are bounds-checked against the partition (a transfer that does not fit
 *   entirely inside it is STATUS_INVALID_PARAMETER and the disk is never asked) and forwarded to the
 *   top of the disk's stack with the offset moved by the partition's start; the disk checks
 *   alignment, write protection and the media itself.
 * - IOCTL_DISK_GET_LENGTH_INFO and IOCTL_DISK_GET_PARTITION_INFO(_EX) are answered here, for the
 *   partition; every other IOCTL (geometry, IS_WRITABLE, …) and IRP_MJ_FLUSH_BUFFERS go to the disk
 *   unchanged, so geometry is the whole disk's, as a partition reports it in Windows.
 * - Creates, cleanups and closes are the class driver's (ClassCreateClose in the I/O library): the
 *   device itself opens; a name below it is STATUS_OBJECT_PATH_NOT_FOUND.
 * Forwarding reuses the caller's IRP (no allocation beyond the copied parameters); only an IRP built
 * for a shorter stack than the disk's current one (a filter attached to the disk after the partition
 * appeared) is carried by a private IRP instead. Nothing here pends by itself: a disk that answers
 * at once keeps the whole path synchronous.
 */
import { GET_LENGTH_INFORMATION_SIZE, type GetLengthInformation } from '../../../base/disk-structures.ts';
import {
  IOCTL_DISK_GET_LENGTH_INFO,
  IOCTL_DISK_GET_PARTITION_INFO,
  IOCTL_DISK_GET_PARTITION_INFO_EX,
} from '../../../base/file-codes.ts';
import {
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
} from '../../../base/ntstatus.ts';
import {
  type ControlParameters,
  completeDiskIoctl,
  completePartitionInfoIoctl,
  completeRequest,
  completeWhenDone,
  type DeviceObject,
  IoCallDriver,
  IoCopyCurrentIrpStackLocationToNext,
  IoGetAttachedDevice,
  IoGetCurrentIrpStackLocation,
  IoGetNextIrpStackLocation,
  IoSkipCurrentIrpStackLocation,
  type Irp,
  isTransferInRange,
  type ReadWriteParameters,
  sendPrivateRequest,
} from '../../../io/index.ts';
import { type PartitionExtension, partitionExtension } from './extension.ts';

export function PartitionReadWrite(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const partition = partitionExtension(deviceObject);
  if (partition === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
  const { byteOffset, length } = IoGetCurrentIrpStackLocation(irp).parameters as ReadWriteParameters;
  if (!isTransferInRange(byteOffset, length, partition.partitionLength))
    return completeRequest(irp, STATUS_INVALID_PARAMETER, 0);
  return forward(partition, irp, partition.startingOffset);
}

export function PartitionDeviceControl(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const partition = partitionExtension(deviceObject);
  if (partition === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
  const { controlCode, outputBufferLength } = IoGetCurrentIrpStackLocation(irp)
    .parameters as ControlParameters;
  const slot = partition.slot;
  switch (controlCode) {
    case IOCTL_DISK_GET_LENGTH_INFO: {
      const info: GetLengthInformation = { length: slot.partitionLength };
      return completeDiskIoctl(irp, outputBufferLength, GET_LENGTH_INFORMATION_SIZE, info);
    }
    case IOCTL_DISK_GET_PARTITION_INFO:
    case IOCTL_DISK_GET_PARTITION_INFO_EX:
      return completePartitionInfoIoctl(irp, controlCode, outputBufferLength, slot, true);
    default:
      return forward(partition, irp, null);
  }
}

/** IRP_MJ_FLUSH_BUFFERS: the disk decides what flushing means. */
export function PartitionFlush(deviceObject: DeviceObject, irp: Irp): NTSTATUS {
  const partition = partitionExtension(deviceObject);
  if (partition === null) return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
  return forward(partition, irp, null);
}

/**
 * Passes the IRP to the top of the disk's stack. `offsetShift` moves a read/write's byte offset by
 * the partition start; null passes the stack location unchanged.
 */
function forward(partition: PartitionExtension, irp: Irp, offsetShift: number | null): NTSTATUS {
  const target = IoGetAttachedDevice(partition.disk);
  if (offsetShift === null && irp.currentLocation >= target.stackSize) {
    IoSkipCurrentIrpStackLocation(irp);
    return IoCallDriver(target, irp);
  }
  if (offsetShift !== null && irp.currentLocation - 1 >= target.stackSize) {
    IoCopyCurrentIrpStackLocationToNext(irp);
    (IoGetNextIrpStackLocation(irp).parameters as ReadWriteParameters).byteOffset += offsetShift;
    return IoCallDriver(target, irp);
  }
  return forwardInPrivateIrp(target, irp, offsetShift);
}

function forwardInPrivateIrp(target: DeviceObject, irp: Irp, offsetShift: number | null): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  const parameters =
    offsetShift === null
      ? location.parameters
      : {
          ...(location.parameters as ReadWriteParameters),
          byteOffset: (location.parameters as ReadWriteParameters).byteOffset + offsetShift,
        };
  return completeWhenDone(irp, (finish) =>
    sendPrivateRequest(
      target,
      {
        majorFunction: location.majorFunction,
        parameters,
        userBuffer: irp.userBuffer,
        systemBuffer: irp.systemBuffer,
      },
      (done) => {
        irp.systemBuffer = done.systemBuffer;
        finish(done.ioStatus.status, done.ioStatus.information);
      },
    ),
  );
}
