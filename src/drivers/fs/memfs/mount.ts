/**
 * IRP_MN_MOUNT_VOLUME and IRP_MN_VERIFY_VOLUME for MemFS: recognising a MemFS disk.
 *
 * Mount asks the disk (the storage top the I/O manager passed) for its length and whether it is
 * writable, reads the superblock, then the whole image, and rebuilds the tree. Each step is an IRP
 * MemFS builds itself; if the disk pends one, the mount IRP is marked pending and completed from
 * the last step's completion, so a slow disk mounts exactly like a fast one.
 *
 * Outcomes: foreign media (no magic, unknown version, too small) → STATUS_UNRECOGNIZED_VOLUME, and
 * the I/O manager asks the next file system; damaged MemFS media → STATUS_DISK_CORRUPT_ERROR; a
 * disk that fails a read → its status. On success: an unnamed volume device whose extension is the
 * VCB, StackSize and SectorSize set before DO_DEVICE_INITIALIZING is cleared (a filter attaching at
 * once copies them), then the VPB's DeviceObject, serial number and label (createVolumeDevice in
 * the I/O library, shared by every disk file system). VPB_MOUNTED is the I/O manager's to set (D2).
 *
 * Verify re-reads the superblock: the same serial number means the same volume.
 */
import { FILE_DEVICE_DISK_FILE_SYSTEM } from '../../../base/device-codes.ts';
import { IOCTL_DISK_GET_LENGTH_INFO, IOCTL_DISK_IS_WRITABLE } from '../../../base/file-codes.ts';
import { IRP_MJ_DEVICE_CONTROL, IRP_MJ_READ } from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_END_OF_FILE,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
  STATUS_WRONG_VOLUME,
} from '../../../base/ntstatus.ts';
import {
  completeWhenDone,
  createVolumeDevice,
  type DeviceObject,
  IoGetCurrentIrpStackLocation,
  type Irp,
  type MountVolumeParameters,
  sendPrivateRequest,
} from '../../../io/index.ts';
import { deleteVolumeIfUnused, dismountVolume } from './dismount.ts';
import { deserializeVolume, readSuperblock } from './on-disk.ts';
import { type MemFsData, Vcb } from './structures.ts';
import { type MemVolume, NODE_RECORD_SIZE, SUPERBLOCK_SIZE } from './tree.ts';

type Finish = (status: NTSTATUS, information: number) => void;

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** A read failure of the media: out of range means the media is too small to be ours. */
function readFailure(status: NTSTATUS): NTSTATUS {
  return status === STATUS_INVALID_PARAMETER || status === STATUS_END_OF_FILE
    ? STATUS_UNRECOGNIZED_VOLUME
    : status;
}

function readMedia(
  storage: DeviceObject,
  length: number,
  done: (status: NTSTATUS, bytes: Uint8Array) => void,
): void {
  const buffer = new Uint8Array(length);
  sendPrivateRequest(
    storage,
    { majorFunction: IRP_MJ_READ, parameters: { length, byteOffset: 0, key: 0 }, userBuffer: buffer },
    (irp) => done(irp.ioStatus.status, buffer),
  );
}

function deviceControl(storage: DeviceObject, controlCode: number, done: (irp: Irp) => void): void {
  sendPrivateRequest(
    storage,
    {
      majorFunction: IRP_MJ_DEVICE_CONTROL,
      parameters: { controlCode, inputBufferLength: 0, outputBufferLength: 8 },
    },
    done,
  );
}

/** The sector size MemFS uses on a disk: the disk's, or 512 when it does not say. */
function sectorSizeOf(storage: DeviceObject): number {
  return storage.sectorSize > 0 ? storage.sectorSize : 512;
}

function mountVolume(
  controlDevice: DeviceObject,
  parameters: MountVolumeParameters,
  volume: MemVolume,
  readOnly: boolean,
): NTSTATUS {
  const { vpb, deviceObject: storage } = parameters;
  const sectorSize = sectorSizeOf(storage);
  const vcb = new Vcb(vpb, storage, volume, sectorSize, readOnly);
  const facts = {
    deviceType: FILE_DEVICE_DISK_FILE_SYSTEM,
    sectorSize,
    serialNumber: volume.serialNumber,
    label: volume.label,
  };
  const data = controlDevice.driverObject.driverExtension as MemFsData;
  return createVolumeDevice(controlDevice, parameters, vcb, facts, data);
}

function mount(controlDevice: DeviceObject, parameters: MountVolumeParameters, finish: Finish): void {
  const storage = parameters.deviceObject;
  const sectorSize = sectorSizeOf(storage);
  deviceControl(storage, IOCTL_DISK_GET_LENGTH_INFO, (lengthIrp) => {
    const answer = lengthIrp.systemBuffer as { length?: unknown } | null;
    if (!NT_SUCCESS(lengthIrp.ioStatus.status) || typeof answer?.length !== 'number') {
      finish(STATUS_UNRECOGNIZED_VOLUME, 0);
      return;
    }
    // Whole sectors only: the image is written in whole sectors and must fit.
    const capacity = Math.floor(answer.length / sectorSize) * sectorSize;
    if (capacity < SUPERBLOCK_SIZE + NODE_RECORD_SIZE) {
      finish(STATUS_UNRECOGNIZED_VOLUME, 0);
      return;
    }
    deviceControl(storage, IOCTL_DISK_IS_WRITABLE, (writableIrp) => {
      const readOnly = writableIrp.ioStatus.status === STATUS_MEDIA_WRITE_PROTECTED;
      readMedia(storage, roundUp(SUPERBLOCK_SIZE, sectorSize), (headStatus, head) => {
        if (!NT_SUCCESS(headStatus)) {
          finish(readFailure(headStatus), 0);
          return;
        }
        const { status, superblock } = readSuperblock(head, capacity);
        if (superblock === null) {
          finish(status, 0);
          return;
        }
        const imageEnd = roundUp(SUPERBLOCK_SIZE + superblock.imageLength, sectorSize);
        readMedia(storage, imageEnd, (imageStatus, image) => {
          if (!NT_SUCCESS(imageStatus)) {
            finish(readFailure(imageStatus), 0);
            return;
          }
          const loaded = deserializeVolume(image, superblock, capacity);
          if (loaded.volume === null) {
            finish(loaded.status, 0);
            return;
          }
          finish(mountVolume(controlDevice, parameters, loaded.volume, readOnly), 0);
        });
      });
    });
  });
}

export function MemFsMountVolume(controlDevice: DeviceObject, irp: Irp): NTSTATUS {
  const parameters = IoGetCurrentIrpStackLocation(irp).parameters as MountVolumeParameters;
  return completeWhenDone(irp, (finish) => mount(controlDevice, parameters, finish));
}

/** IRP_MN_VERIFY_VOLUME on a volume device: is the disk still carrying this volume? */
export function MemFsVerifyVolume(vcb: Vcb, irp: Irp): NTSTATUS {
  const storage =
    (IoGetCurrentIrpStackLocation(irp).parameters as MountVolumeParameters).deviceObject ?? vcb.storage;
  return completeWhenDone(irp, (finish) => {
    const wrongVolume = (): void => {
      // The I/O manager gives the disk a new VPB and mounts again; this volume only winds down.
      dismountVolume(vcb, false);
      deleteVolumeIfUnused(vcb);
      finish(STATUS_WRONG_VOLUME, 0);
    };
    if (vcb.dismounted) {
      wrongVolume();
      return;
    }
    readMedia(storage, roundUp(SUPERBLOCK_SIZE, vcb.sectorSize), (status, head) => {
      if (!NT_SUCCESS(status)) {
        finish(status, 0);
        return;
      }
      const read = readSuperblock(head, vcb.volume.capacityBytes);
      if (read.superblock === null || read.superblock.serialNumber !== vcb.volume.serialNumber) wrongVolume();
      else finish(STATUS_SUCCESS, 0);
    });
  });
}
