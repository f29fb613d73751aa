/**
 * Moving file data between the caller's buffer and the clusters of a file (FastFat's
 * FatNonCachedIo and FatMultipleAsync, without a cache: FAT data goes straight to the disk).
 *
 * A transfer is cut at cluster-run boundaries only: each run of contiguous clusters is one IRP,
 * straight from or into the caller's buffer. Sectors the caller covers only in part go through a
 * one-sector buffer: for reads the sector is read and the part copied out; for writes the old
 * sector is read first (before anything changes, as irp-context.ts requires) and merged.
 *
 * FAT has no valid-data length: bytes past the end of file may be anything on disk. So a write or
 * an extension past the end of file writes zeros over the gap between the old end and the new
 * data, and whatever part of a merged sector lies past the old end becomes zeros too: a file never
 * shows stale disk contents, now or after a remount.
 */
import type { NTSTATUS } from '../../../base/ntstatus.ts';
import type { ClusterRuns } from './cluster-runs.ts';
import type { Extent } from './disk-io.ts';
import type { Vcb } from './structures.ts';
import { clusterOffset } from './volume-layout.ts';

/** A sector-aligned piece of a file to write: `data` at file offset `fileOffset`. */
export interface Piece {
  fileOffset: number;
  data: Uint8Array;
}

const ZERO_CHUNK = 1 << 20;

/** Calls `visit(diskOffset, bufferOffset, length)` for the disk extents of file bytes [fileOffset, fileOffset + length). */
export function mapFileRange(
  vcb: Vcb,
  runs: ClusterRuns,
  fileOffset: number,
  length: number,
  visit: (diskOffset: number, bufferOffset: number, length: number) => void,
): void {
  if (length <= 0) return;
  const clusterSize = vcb.clusterSize;
  const end = fileOffset + length;
  const firstIndex = Math.floor(fileOffset / clusterSize);
  const lastIndex = Math.floor((end - 1) / clusterSize);
  let index = firstIndex;
  runs.forEachExtent(firstIndex, lastIndex - firstIndex + 1, (cluster, count) => {
    const runStart = index * clusterSize;
    const from = Math.max(runStart, fileOffset);
    const to = Math.min(runStart + count * clusterSize, end);
    visit(clusterOffset(vcb.layout, cluster) + (from - runStart), from - fileOffset, to - from);
    index += count;
  });
}

/** Disk byte offset of a file byte inside the allocation. */
export function diskOffsetOf(vcb: Vcb, runs: ClusterRuns, fileOffset: number): number {
  const clusterSize = vcb.clusterSize;
  return (
    clusterOffset(vcb.layout, runs.clusterAt(Math.floor(fileOffset / clusterSize))) +
    (fileOffset % clusterSize)
  );
}

/**
 * Reads file bytes [offset, offset + count) into `buffer` (all inside the file's allocation);
 * `done(status)` runs when the data is there, possibly before this returns.
 */
export function readFileData(
  vcb: Vcb,
  runs: ClusterRuns,
  offset: number,
  count: number,
  buffer: Uint8Array,
  done: (status: NTSTATUS) => void,
): void {
  const sectorSize = vcb.sectorSize;
  const end = offset + count;
  const extents: Extent[] = [];
  const bounces: Array<{ sector: Uint8Array; from: number; to: number; at: number }> = [];
  const bounce = (sectorStart: number): void => {
    const sector = new Uint8Array(sectorSize);
    mapFileRange(vcb, runs, sectorStart, sectorSize, (disk) => extents.push({ offset: disk, data: sector }));
    const from = Math.max(offset, sectorStart);
    const to = Math.min(end, sectorStart + sectorSize);
    bounces.push({ sector, from: from - sectorStart, to: to - sectorStart, at: from - offset });
  };
  let alignedStart = Math.ceil(offset / sectorSize) * sectorSize;
  const alignedEnd = Math.floor(end / sectorSize) * sectorSize;
  if (alignedStart > alignedEnd) {
    // Inside one sector.
    bounce(Math.floor(offset / sectorSize) * sectorSize);
    alignedStart = alignedEnd;
  } else {
    if (offset % sectorSize !== 0) bounce(alignedStart - sectorSize);
    if (end % sectorSize !== 0) bounce(alignedEnd);
  }
  mapFileRange(vcb, runs, alignedStart, alignedEnd - alignedStart, (disk, at, length) => {
    const target = alignedStart - offset + at;
    extents.push({ offset: disk, data: buffer.subarray(target, target + length) });
  });
  vcb.disk.transfer(false, extents, (status) => {
    for (const { sector, from, to, at } of bounces) buffer.set(sector.subarray(from, to), at);
    done(status);
  });
}

/** Sectors of a write the caller covers only in part (file offsets): they are merged, not sent as they are. */
function partialSectors(oldSize: number, offset: number, length: number, sectorSize: number): Set<number> {
  const writeStart = Math.min(offset, oldSize);
  const end = offset + length;
  const sectors = new Set<number>();
  if (end <= writeStart) return sectors;
  const down = (value: number): number => Math.floor(value / sectorSize) * sectorSize;
  if (writeStart % sectorSize !== 0) sectors.add(down(writeStart));
  if (end % sectorSize !== 0) sectors.add(down(end));
  if (offset > writeStart && offset % sectorSize !== 0) sectors.add(down(offset));
  return sectors;
}

/**
 * The partial sectors of a write that hold old bytes to keep (file offsets): the caller reads them
 * before changing anything and hands them to planWrite.
 */
export function sectorsToMerge(
  oldSize: number,
  offset: number,
  length: number,
  sectorSize: number,
): number[] {
  const writeStart = Math.min(offset, oldSize);
  const end = offset + length;
  return [...partialSectors(oldSize, offset, length, sectorSize)].filter(
    (start) => start < oldSize && (start < writeStart || (end < start + sectorSize && end < oldSize)),
  );
}

/**
 * Plans the sector-aligned pieces that write `data` at `offset` into a file whose old size is
 * `oldSize`: the gap [oldSize, offset) becomes zeros, partial sectors are merged with `oldSectors`
 * (file offset → old sector bytes, for the sectors sectorsToMerge named) and bytes past the old
 * end in them become zeros. Full data sectors are views of `data`; nothing is copied for them.
 */
export function planWrite(
  oldSize: number,
  offset: number,
  data: Uint8Array,
  length: number,
  sectorSize: number,
  oldSectors: ReadonlyMap<number, Uint8Array>,
): Piece[] {
  const writeStart = Math.min(offset, oldSize);
  const end = offset + length;
  const pieces: Piece[] = [];
  if (end <= writeStart) return pieces;
  const down = (value: number): number => Math.floor(value / sectorSize) * sectorSize;
  const up = (value: number): number => Math.ceil(value / sectorSize) * sectorSize;
  for (const start of partialSectors(oldSize, offset, length, sectorSize)) {
    const sector = new Uint8Array(sectorSize);
    const old = oldSectors.get(start);
    if (old !== undefined) sector.set(old.subarray(0, Math.max(0, Math.min(sectorSize, oldSize - start))));
    const dataFrom = Math.max(offset, start);
    const dataTo = Math.min(end, start + sectorSize);
    // Gap bytes in this sector are zero already: the copy of old data stopped at the old end.
    if (dataTo > dataFrom) sector.set(data.subarray(dataFrom - offset, dataTo - offset), dataFrom - start);
    pieces.push({ fileOffset: start, data: sector });
  }
  if (offset > writeStart) {
    const zeroFrom = up(writeStart);
    const zeroTo = down(offset);
    if (zeroTo > zeroFrom) {
      const zeros = new Uint8Array(Math.min(zeroTo - zeroFrom, ZERO_CHUNK));
      for (let at = zeroFrom; at < zeroTo; at += zeros.length)
        pieces.push({ fileOffset: at, data: zeros.subarray(0, Math.min(zeros.length, zeroTo - at)) });
    }
  }
  const dataFrom = up(offset);
  const dataTo = down(end);
  if (dataTo > dataFrom)
    pieces.push({ fileOffset: dataFrom, data: data.subarray(dataFrom - offset, dataTo - offset) });
  return pieces;
}

/** The disk extents of write pieces (each split at cluster-run boundaries). */
export function pieceExtents(vcb: Vcb, runs: ClusterRuns, pieces: readonly Piece[]): Extent[] {
  const extents: Extent[] = [];
  for (const piece of pieces) {
    mapFileRange(vcb, runs, piece.fileOffset, piece.data.length, (disk, at, length) => {
      extents.push({ offset: disk, data: piece.data.subarray(at, at + length) });
    });
  }
  return extents;
}
