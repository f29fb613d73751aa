/**
 * FSCTL_FAT_FORMAT_VOLUME: formatting a disk through FAT's control device, with IRPs (what
 * format.com does through the file system's format library; Strata's private control code).
 *
 * The request goes to an open of `\Fat` (FILE_WRITE_ACCESS in the code) with the input record
 * `{ target: '\\Device\\RamDisk1', options?: FatFormatOptions }`. FAT opens the target the way
 * IoGetDeviceObjectPointer does with FILE_READ_ATTRIBUTES, which mounts nothing, asks the disk its
 * sector size and length, plans the format (format.ts: the same parameters as mkfs.fat) and writes
 * the boot area, the FATs and the root directory, zeros included, through IRPs to the top of the
 * disk's stack; the data area is not touched. A target that has a mounted volume, another open, or
 * partition devices on it is STATUS_DEVICE_BUSY (dismount, close or remove them first), a name that is not a device STATUS_OBJECT_NAME_NOT_FOUND
 * or the lookup's status, a bad record STATUS_INVALID_PARAMETER; the next open of the disk mounts
 * the new volume.
 */
import { VPB_MOUNTED } from '../../../base/device-codes.ts';
import {
  DISK_GEOMETRY_SIZE,
  type DiskGeometry,
  GET_LENGTH_INFORMATION_SIZE,
} from '../../../base/disk-structures.ts';
import {
  CTL_CODE,
  FILE_READ_ATTRIBUTES,
  FILE_WRITE_ACCESS,
  IOCTL_DISK_GET_DRIVE_GEOMETRY,
  IOCTL_DISK_GET_LENGTH_INFO,
  METHOD_BUFFERED,
} from '../../../base/file-codes.ts';
import { isPromise } from '../../../base/maybe-promise.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_DEVICE_BUSY,
  STATUS_INVALID_PARAMETER,
  STATUS_PENDING,
} from '../../../base/ntstatus.ts';
import {
  completeRequest,
  type DeviceObject,
  type DeviceObjectPointer,
  IoGetDeviceObjectPointer,
  IoMarkIrpPending,
  type Irp,
} from '../../../io/index.ts';
import { ObDereferenceObject } from '../../../ob/index.ts';
import { DiskContext, type Extent } from './disk-io.ts';
import { type FatFormatOptions, type FatFormatPlan, planFatFormat } from './format.ts';
import { fatFsdCall } from './irp-context.ts';

/** Strata's private FSCTL: format the disk named in the input record as FAT. */
export const FSCTL_FAT_FORMAT_VOLUME = CTL_CODE(0x09, 0xf00, METHOD_BUFFERED, FILE_WRITE_ACCESS);

export interface FatFormatRequest {
  /** The disk (or partition) to format, e.g. `\Device\RamDisk1` or `\Device\Harddisk0\Partition1`. */
  target: string;
  options?: FatFormatOptions;
}

const ZERO_CHUNK = 1 << 20;

function formatExtents(plan: FatFormatPlan): Extent[] {
  const extents: Extent[] = [];
  let zeros: Uint8Array | null = null;
  for (const region of plan.regions) {
    const head = new Uint8Array(Math.min(region.length, Math.max(region.data.length, 512)));
    head.set(region.data.subarray(0, head.length));
    extents.push({ offset: region.offset, data: head });
    for (let at = head.length; at < region.length; at += ZERO_CHUNK) {
      zeros ??= new Uint8Array(ZERO_CHUNK);
      extents.push({
        offset: region.offset + at,
        data: zeros.subarray(0, Math.min(ZERO_CHUNK, region.length - at)),
      });
    }
  }
  return extents;
}

/**
 * A target someone else depends on: a mounted volume, or any I/O reference besides this request's
 * own open and a device attached above it — another open, or partition devices, which each hold a
 * reference on their disk (formatting a whole disk would overwrite their partition table).
 */
function isInUse(target: DeviceObject): boolean {
  if (target.vpb !== null && (target.vpb.flags & VPB_MOUNTED) !== 0) return true;
  const attachedAbove = target.attachedDevice !== null ? 1 : 0;
  return target.referenceCount - attachedAbove > 1;
}

function formatOpened(irp: Irp, opened: DeviceObjectPointer, options: FatFormatOptions): NTSTATUS {
  const fileObject = opened.fileObject;
  const release = (): void => {
    if (fileObject !== null) ObDereferenceObject(fileObject);
  };
  if (!NT_SUCCESS(opened.status) || fileObject === null || opened.deviceObject === null) {
    release();
    return completeRequest(irp, opened.status);
  }
  if (isInUse(fileObject.deviceObject)) {
    release();
    return completeRequest(irp, STATUS_DEVICE_BUSY);
  }
  const disk = new DiskContext(opened.deviceObject);
  return fatFsdCall(irp, () => {
    const geometry = disk.deviceControl(IOCTL_DISK_GET_DRIVE_GEOMETRY, DISK_GEOMETRY_SIZE);
    const sectorSize = NT_SUCCESS(geometry.status)
      ? ((geometry.output as DiskGeometry | null)?.bytesPerSector ?? 512)
      : opened.deviceObject!.sectorSize || 512;
    const length = disk.deviceControl(IOCTL_DISK_GET_LENGTH_INFO, GET_LENGTH_INFORMATION_SIZE);
    const bytes = (length.output as { length?: unknown } | null)?.length;
    if (!NT_SUCCESS(length.status) || typeof bytes !== 'number') {
      release();
      return completeRequest(irp, NT_SUCCESS(length.status) ? STATUS_INVALID_PARAMETER : length.status);
    }
    const { status: planned, plan } = planFatFormat(bytes, { ...options, sectorSize });
    if (plan === null) {
      release();
      return completeRequest(irp, planned);
    }
    let done = false;
    let finalStatus: NTSTATUS = STATUS_PENDING;
    disk.transfer(true, formatExtents(plan), (written) => {
      release();
      done = true;
      finalStatus = written;
      completeRequest(irp, written);
    });
    if (done) return finalStatus;
    IoMarkIrpPending(irp);
    return STATUS_PENDING;
  });
}

/** FSCTL_FAT_FORMAT_VOLUME on a control device open. */
export function formatThroughControlDevice(device: DeviceObject, irp: Irp): NTSTATUS {
  const request = irp.systemBuffer as Partial<FatFormatRequest> | null;
  if (request === null || typeof request !== 'object' || typeof request.target !== 'string')
    return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const options = request.options ?? {};
  if (typeof options !== 'object' || options === null) return completeRequest(irp, STATUS_INVALID_PARAMETER);
  const opened = IoGetDeviceObjectPointer(device.system, request.target, FILE_READ_ATTRIBUTES);
  if (!isPromise(opened)) return formatOpened(irp, opened, options);
  IoMarkIrpPending(irp);
  opened.then((result) => formatOpened(irp, result, options));
  return STATUS_PENDING;
}
