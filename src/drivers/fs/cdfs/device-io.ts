/**
 * Reading the disc: the IRPs CDFS sends to the storage stack (CdReadSectors and the non-cached read
 * path of deviosup.c), and the sequencing of reads that may complete now or later.
 *
 * Every request is a private IRP_MJ_READ (sendPrivateRequest) aligned to the storage device's
 * sector size. readDiscInto reads file data straight into the caller's buffer when the range is
 * aligned, and through a one-sector bounce buffer only for a partial first or last sector, so a
 * large read is one transfer whatever its size. When the disk completes at once, so does
 * everything here: callbacks run before the functions return and no promise is made.
 */
import { IRP_MJ_READ } from '../../../base/irp-codes.ts';
import { NT_SUCCESS, type NTSTATUS, STATUS_SUCCESS } from '../../../base/ntstatus.ts';
import { type DeviceObject, sendPrivateRequest } from '../../../io/index.ts';

/** Below this size an unaligned read goes through one bounce buffer instead of up to three IRPs. */
const SMALL_READ = 64 * 1024;

function roundDown(value: number, multiple: number): number {
  return value - (value % multiple);
}

function roundUp(value: number, multiple: number): number {
  const rest = value % multiple;
  return rest === 0 ? value : value + multiple - rest;
}

/** One aligned read into `target` (its whole length). */
function readAligned(
  storage: DeviceObject,
  offset: number,
  target: Uint8Array,
  done: (status: NTSTATUS) => void,
): void {
  sendPrivateRequest(
    storage,
    {
      majorFunction: IRP_MJ_READ,
      parameters: { length: target.length, byteOffset: offset, key: 0 },
      userBuffer: target,
    },
    (irp) => done(irp.ioStatus.status),
  );
}

/** Reads disc bytes [offset, offset + length) into a new buffer; `done` may run before this returns. */
export function readDisc(
  storage: DeviceObject,
  sectorSize: number,
  offset: number,
  length: number,
  done: (status: NTSTATUS, bytes: Uint8Array) => void,
): void {
  const start = roundDown(offset, sectorSize);
  const end = roundUp(offset + length, sectorSize);
  const buffer = new Uint8Array(end - start);
  readAligned(storage, start, buffer, (status) =>
    done(status, buffer.subarray(offset - start, offset - start + length)),
  );
}

/**
 * Reads disc bytes [offset, offset + length) into dest[destOffset...]. The aligned middle goes
 * directly into `dest`; a partial first or last sector goes through a bounce buffer.
 */
export function readDiscInto(
  storage: DeviceObject,
  sectorSize: number,
  offset: number,
  length: number,
  dest: Uint8Array,
  destOffset: number,
  done: (status: NTSTATUS) => void,
): void {
  if (length === 0) {
    done(STATUS_SUCCESS);
    return;
  }
  const head = offset % sectorSize;
  if (head === 0 && length % sectorSize === 0) {
    readAligned(storage, offset, dest.subarray(destOffset, destOffset + length), done);
    return;
  }
  if (length <= SMALL_READ) {
    readDisc(storage, sectorSize, offset, length, (status, bytes) => {
      if (NT_SUCCESS(status)) dest.set(bytes, destOffset);
      done(status);
    });
    return;
  }
  // Large and unaligned: bounce the partial sectors at each end, read the middle in place.
  const headBytes = head === 0 ? 0 : sectorSize - head;
  const middleStart = offset + headBytes;
  const middleLength = roundDown(length - headBytes, sectorSize);
  const tailStart = middleStart + middleLength;
  const tailBytes = offset + length - tailStart;
  const steps: Array<(next: (status: NTSTATUS) => void) => void> = [];
  if (headBytes > 0)
    steps.push((next) => readDiscInto(storage, sectorSize, offset, headBytes, dest, destOffset, next));
  steps.push((next) =>
    readAligned(
      storage,
      middleStart,
      dest.subarray(destOffset + headBytes, destOffset + headBytes + middleLength),
      next,
    ),
  );
  if (tailBytes > 0)
    steps.push((next) =>
      readDiscInto(
        storage,
        sectorSize,
        tailStart,
        tailBytes,
        dest,
        destOffset + headBytes + middleLength,
        next,
      ),
    );
  forEachAsync(steps.length, (index, next) => steps[index]!(next), done);
}

/**
 * Runs step(0), step(1), … one after the other; each calls `next` once, now or later. Stops at the
 * first status that is not a success and reports it; reports STATUS_SUCCESS after the last step.
 * Steps that complete at once run in a loop, not by recursion, so long sequences use no stack.
 */
export function forEachAsync(
  count: number,
  step: (index: number, next: (status: NTSTATUS) => void) => void,
  done: (status: NTSTATUS) => void,
): void {
  let index = 0;
  let running = false;
  let finishedInline = false;
  let stopped = false;
  const next = (status: NTSTATUS): void => {
    if (stopped) return;
    if (!NT_SUCCESS(status)) {
      stopped = true;
      done(status);
      return;
    }
    if (running) {
      finishedInline = true;
      return;
    }
    run();
  };
  const run = (): void => {
    running = true;
    while (!stopped && index < count) {
      finishedInline = false;
      step(index++, next);
      if (!finishedInline) {
        running = false;
        return; // went asynchronous (or stopped); `next` resumes the loop
      }
    }
    running = false;
    if (!stopped) {
      stopped = true;
      done(STATUS_SUCCESS);
    }
  };
  run();
}
