/**
 * FAT's I/O to its disk: IRPs the driver builds itself (FastFat's deviosup.c and
 * FatPerformDevIoCtrl), always to the top of the storage stack it mounted on.
 *
 * - Metadata reads (`read`, `deviceControl`) answer synchronously or post the request
 *   (irp-context.ts): when the disk pends, the read continues, its result is kept for the retry,
 *   and the request starts over. A failed read raises the disk's status; a read past the end of
 *   the disk raises STATUS_DISK_CORRUPT_ERROR (the volume claims space the disk does not have).
 * - Data and write-back transfers (`transfer`) send one IRP per extent and report once all have
 *   completed, with the first failure, possibly before returning. Every write forgets kept reads
 *   it overlaps, so a retry never sees sectors older than the last write.
 * All offsets and lengths are whole sectors of the disk.
 */
import { IRP_MJ_DEVICE_CONTROL, IRP_MJ_READ, IRP_MJ_WRITE } from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_DISK_CORRUPT_ERROR,
  STATUS_END_OF_FILE,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import { type DeviceObject, type Irp, sendPrivateRequest } from '../../../io/index.ts';
import { FatPostRequest, raise } from './irp-context.ts';

/** One extent of a transfer: `data.length` bytes at disk byte `offset`. */
export interface Extent {
  offset: number;
  data: Uint8Array;
}

interface KeptResult {
  status: NTSTATUS;
  data: Uint8Array | null;
  systemBuffer: unknown;
}

export class DiskContext {
  /** Results of pended reads, kept for the retry of the request that asked for them. */
  private readonly kept = new Map<string, KeptResult>();

  constructor(
    /** The top of the storage stack at mount time. */
    readonly storage: DeviceObject,
  ) {}

  /** Reads `length` bytes at `offset` now, or posts the request (FatPostRequest) when the disk pends. */
  read(offset: number, length: number): Uint8Array {
    const key = `r${offset}:${length}`;
    const kept = this.kept.get(key);
    if (kept !== undefined) {
      this.kept.delete(key);
      if (!NT_SUCCESS(kept.status)) raise(readFailure(kept.status));
      return kept.data!;
    }
    const buffer = new Uint8Array(length);
    let synchronous = true;
    let status: NTSTATUS | null = null;
    let resume: (() => void) | null = null;
    sendPrivateRequest(
      this.storage,
      { majorFunction: IRP_MJ_READ, parameters: { length, byteOffset: offset, key: 0 }, userBuffer: buffer },
      (irp) => {
        if (synchronous) {
          status = irp.ioStatus.status;
          return;
        }
        this.kept.set(key, { status: irp.ioStatus.status, data: buffer, systemBuffer: null });
        resume?.();
      },
    );
    synchronous = false;
    if (status === null) {
      throw new FatPostRequest((next) => {
        resume = next;
      });
    }
    if (!NT_SUCCESS(status)) raise(readFailure(status));
    return buffer;
  }

  /** Sends a METHOD_BUFFERED IOCTL without input; returns the status and output record, or posts. */
  deviceControl(controlCode: number, outputLength: number): { status: NTSTATUS; output: unknown } {
    const key = `c${controlCode}`;
    const kept = this.kept.get(key);
    if (kept !== undefined) {
      this.kept.delete(key);
      return { status: kept.status, output: kept.systemBuffer };
    }
    let synchronous = true;
    let answer: Irp | null = null;
    let resume: (() => void) | null = null;
    sendPrivateRequest(
      this.storage,
      {
        majorFunction: IRP_MJ_DEVICE_CONTROL,
        parameters: { controlCode, inputBufferLength: 0, outputBufferLength: outputLength },
      },
      (irp) => {
        if (synchronous) {
          answer = irp;
          return;
        }
        this.kept.set(key, { status: irp.ioStatus.status, data: null, systemBuffer: irp.systemBuffer });
        resume?.();
      },
    );
    synchronous = false;
    if (answer === null) {
      throw new FatPostRequest((next) => {
        resume = next;
      });
    }
    const irp = answer as Irp;
    return { status: irp.ioStatus.status, output: irp.systemBuffer };
  }

  /**
   * Reads or writes extents, one IRP each; `done(status)` runs once all completed (the first
   * failure, or success), possibly before this returns.
   */
  transfer(write: boolean, extents: readonly Extent[], done: (status: NTSTATUS) => void): void {
    let outstanding = extents.length + 1;
    let firstFailure: NTSTATUS = STATUS_SUCCESS;
    const finishOne = (status: NTSTATUS): void => {
      if (!NT_SUCCESS(status) && firstFailure === STATUS_SUCCESS) firstFailure = status;
      if (--outstanding === 0) done(firstFailure);
    };
    for (const extent of extents) {
      if (write) this.forget(extent.offset, extent.data.length);
      sendPrivateRequest(
        this.storage,
        {
          majorFunction: write ? IRP_MJ_WRITE : IRP_MJ_READ,
          parameters: { length: extent.data.length, byteOffset: extent.offset, key: 0 },
          userBuffer: extent.data,
        },
        (irp) => finishOne(irp.ioStatus.status),
      );
    }
    finishOne(STATUS_SUCCESS);
  }

  /** Drops kept reads that overlap a range about to be written. */
  private forget(offset: number, length: number): void {
    if (this.kept.size === 0) return;
    for (const key of [...this.kept.keys()]) {
      if (key[0] !== 'r') continue;
      const [start, size] = key.slice(1).split(':').map(Number) as [number, number];
      if (start < offset + length && offset < start + size) this.kept.delete(key);
    }
  }
}

/** A read beyond the disk means the volume describes space the disk lacks. */
function readFailure(status: NTSTATUS): NTSTATUS {
  return status === STATUS_INVALID_PARAMETER || status === STATUS_END_OF_FILE
    ? STATUS_DISK_CORRUPT_ERROR
    : status;
}
