/**
 * File data layout: the extents of a file (one per directory record; several when the records
 * carry the multi-extent flag, ISO 9660 level 3 and files of 4 GiB or more), interleaving inside
 * an extent (file unit size and gap, in logical blocks), and the mapping of a byte range of the
 * file to byte ranges of the disc. CDFS's allocation support (CdAddAllocationFromDirent,
 * CdLookupAllocation) without its MCB.
 *
 * Invariants: a file's size is the sum of its extents' lengths; extents are taken in directory
 * order; an interleaved extent stores `unit` blocks of data then skips `gap` blocks, so a run never
 * crosses a unit boundary. mapFileRange reports runs in file order and never beyond the file size.
 */

export interface Extent {
  /** First logical block of the extent's data. */
  readonly block: number;
  /** Bytes of file data in this extent. */
  readonly length: number;
  /** Interleaving file unit size in blocks, or 0. */
  readonly unitBlocks: number;
  /** Interleaving gap in blocks. */
  readonly gapBlocks: number;
}

export function fileSizeOf(extents: readonly Extent[]): number {
  let size = 0;
  for (const extent of extents) size += extent.length;
  return size;
}

/** A piece of a mapped range: `length` bytes at disc byte `discOffset` are file bytes from `fileOffset`. */
export type RunVisitor = (discOffset: number, fileOffset: number, length: number) => void;

/**
 * Maps file bytes [offset, offset + length) to disc byte runs, calling `visit` for each, in file
 * order. The caller bounds the range by the file size. Adjacent pieces that are contiguous on the
 * disc (consecutive extents, or units with no gap) come out as one run.
 */
export function mapFileRange(
  extents: readonly Extent[],
  blockSize: number,
  offset: number,
  length: number,
  visit: RunVisitor,
): void {
  let pendingDisc = -1;
  let pendingFile = 0;
  let pendingLength = 0;
  const emit = (disc: number, file: number, count: number): void => {
    if (pendingLength > 0 && pendingDisc + pendingLength === disc) {
      pendingLength += count;
      return;
    }
    if (pendingLength > 0) visit(pendingDisc, pendingFile, pendingLength);
    pendingDisc = disc;
    pendingFile = file;
    pendingLength = count;
  };
  let extentStart = 0;
  const end = offset + length;
  for (const extent of extents) {
    const extentEnd = extentStart + extent.length;
    if (extentEnd > offset && extentStart < end) {
      let position = Math.max(offset, extentStart);
      const stop = Math.min(end, extentEnd);
      const base = extent.block * blockSize;
      if (extent.unitBlocks === 0) {
        emit(base + (position - extentStart), position, stop - position);
      } else {
        const unitBytes = extent.unitBlocks * blockSize;
        const strideBytes = (extent.unitBlocks + extent.gapBlocks) * blockSize;
        while (position < stop) {
          const within = position - extentStart;
          const unit = Math.floor(within / unitBytes);
          const inUnit = within - unit * unitBytes;
          const count = Math.min(stop - position, unitBytes - inUnit);
          emit(base + unit * strideBytes + inUnit, position, count);
          position += count;
        }
      }
    }
    extentStart = extentEnd;
    if (extentStart >= end) break;
  }
  if (pendingLength > 0) visit(pendingDisc, pendingFile, pendingLength);
}

/** One file record of a directory, reduced to what chaining needs. */
export interface ChainableRecord {
  readonly key: string;
  readonly multiExtent: boolean;
}

/**
 * Groups consecutive records into files: a record with the multi-extent flag continues into the
 * next, which must carry the same identifier; the last record of a file has the flag clear.
 * Returns [first, last] index pairs, or null when a chain is broken (a different identifier, or
 * the directory ends while a chain is open): the directory is then corrupt.
 */
export function chainExtents(records: readonly ChainableRecord[]): Array<[number, number]> | null {
  const files: Array<[number, number]> = [];
  let i = 0;
  while (i < records.length) {
    const first = i;
    while (records[i]!.multiExtent) {
      const next = records[i + 1];
      if (next === undefined || next.key !== records[first]!.key) return null;
      i++;
    }
    files.push([first, i]);
    i++;
  }
  return files;
}
