/**
 * Reading a disk's partition layout through IRPs (IoReadPartitionTable's I/O half).
 *
 * Everything goes to the top of the disk's stack as private IRPs PartMgr builds itself
 * (io/private-request.ts), so a filter on the disk sees the reads and a disk that pends works like
 * one that answers at once: IOCTL_DISK_GET_DRIVE_GEOMETRY (sector size), IOCTL_DISK_GET_LENGTH_INFO
 * (disk length), sector 0, then each extended boot record of the chain. The reads are
 * max(512, sector size) bytes, since the MBR layout needs 512.
 *
 * Failures: a failing IOCTL or sector 0 read fails the whole scan with that status; a failing EBR
 * read ends the chain with a reason in `skipped`, keeping what was found. When every request
 * completes at once the result is returned synchronously and no promise is created.
 */
import {
  DISK_GEOMETRY_SIZE,
  type DiskGeometry,
  GET_LENGTH_INFORMATION_SIZE,
  type GetLengthInformation,
} from '../../../base/disk-structures.ts';
import { IOCTL_DISK_GET_DRIVE_GEOMETRY, IOCTL_DISK_GET_LENGTH_INFO } from '../../../base/file-codes.ts';
import { IRP_MJ_DEVICE_CONTROL, IRP_MJ_READ } from '../../../base/irp-codes.ts';
import type { MaybePromise } from '../../../base/maybe-promise.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_DEVICE_DATA_ERROR,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import { statusName } from '../../../base/status-name.ts';
import { type DeviceObject, IoGetAttachedDevice, type Irp, sendPrivateRequest } from '../../../io/index.ts';
import { LayoutBuilder, type PartitionLayout } from './layout.ts';
import { MBR_SIZE } from './mbr.ts';

export interface ReadLayoutResult {
  status: NTSTATUS;
  layout: PartitionLayout | null;
}

/** Reads and validates the partition layout of `disk` (see layout.ts for the rules). */
export function IoReadPartitionLayout(disk: DeviceObject): MaybePromise<ReadLayoutResult> {
  const box: { result: ReadLayoutResult | null; wake: ((result: ReadLayoutResult) => void) | null } = {
    result: null,
    wake: null,
  };
  new LayoutReader(IoGetAttachedDevice(disk), (result) => {
    if (box.wake !== null) box.wake(result);
    else box.result = result;
  }).start();
  if (box.result !== null) return box.result;
  return new Promise<ReadLayoutResult>((resolve) => {
    box.wake = resolve;
  });
}

class LayoutReader {
  private sectorSize = 0;
  private builder: LayoutBuilder | null = null;

  constructor(
    private readonly target: DeviceObject,
    private readonly done: (result: ReadLayoutResult) => void,
  ) {}

  start(): void {
    this.control(IOCTL_DISK_GET_DRIVE_GEOMETRY, DISK_GEOMETRY_SIZE, (status, output) => {
      const geometry = output as DiskGeometry | null;
      const sectorSize = geometry?.bytesPerSector ?? 0;
      if (!NT_SUCCESS(status)) this.fail(status);
      else if (!Number.isInteger(sectorSize) || sectorSize <= 0) this.fail(STATUS_DEVICE_DATA_ERROR);
      else {
        this.sectorSize = sectorSize;
        this.control(
          IOCTL_DISK_GET_LENGTH_INFO,
          GET_LENGTH_INFORMATION_SIZE,
          (lengthStatus, lengthOutput) => {
            const length = (lengthOutput as GetLengthInformation | null)?.length ?? -1;
            if (!NT_SUCCESS(lengthStatus)) this.fail(lengthStatus);
            else if (!Number.isSafeInteger(length) || length < 0) this.fail(STATUS_DEVICE_DATA_ERROR);
            else {
              this.builder = new LayoutBuilder(sectorSize, length);
              this.readSector0();
            }
          },
        );
      }
    });
  }

  private readSector0(): void {
    this.read(0, (status, sector) => {
      if (!NT_SUCCESS(status)) {
        this.fail(status);
        return;
      }
      const firstEbr = this.builder!.addSector0(sector);
      if (firstEbr === null) this.finish();
      else this.readExtendedRecord(firstEbr);
    });
  }

  private readExtendedRecord(ebrSector: number): void {
    const builder = this.builder!;
    if (!builder.mayReadExtendedRecord(ebrSector)) {
      this.finish();
      return;
    }
    this.read(ebrSector, (status, sector) => {
      if (!NT_SUCCESS(status)) {
        builder.stopChain(ebrSector, `reading it failed with ${statusName(status)}; the chain ends here`);
        this.finish();
        return;
      }
      const next = builder.addExtendedRecord(ebrSector, sector);
      if (next === null) this.finish();
      else this.readExtendedRecord(next);
    });
  }

  private finish(): void {
    this.done({ status: STATUS_SUCCESS, layout: this.builder!.finish() });
  }

  private fail(status: NTSTATUS): void {
    this.done({ status, layout: null });
  }

  /** Reads the table sector at `sector` (in disk sectors); at least 512 bytes. */
  private read(sector: number, then: (status: NTSTATUS, data: Uint8Array) => void): void {
    const sectorSize = this.sectorSize;
    const length = Math.ceil(Math.max(MBR_SIZE, sectorSize) / sectorSize) * sectorSize;
    const buffer = new Uint8Array(length);
    sendPrivateRequest(
      this.target,
      {
        majorFunction: IRP_MJ_READ,
        parameters: { length, byteOffset: sector * sectorSize, key: 0 },
        userBuffer: buffer,
      },
      (irp: Irp) => {
        const status = irp.ioStatus.status;
        then(
          NT_SUCCESS(status) && irp.ioStatus.information < length ? STATUS_DEVICE_DATA_ERROR : status,
          buffer,
        );
      },
    );
  }

  private control(
    controlCode: number,
    outputBufferLength: number,
    then: (status: NTSTATUS, output: unknown) => void,
  ): void {
    sendPrivateRequest(
      this.target,
      {
        majorFunction: IRP_MJ_DEVICE_CONTROL,
        parameters: { controlCode, outputBufferLength, inputBufferLength: 0 },
      },
      (irp: Irp) => then(irp.ioStatus.status, irp.systemBuffer),
    );
  }
}
