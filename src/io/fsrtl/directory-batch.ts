/**
 * A batch of directory entries bounded by the caller's buffer (what a file system's
 * IRP_MN_QUERY_DIRECTORY packs into the user buffer, one FILE_*_DIRECTORY_INFORMATION after the
 * other).
 *
 * Invariants: the first entry always goes in, even when the buffer is smaller than it (NT returns
 * one entry then, with STATUS_BUFFER_OVERFLOW semantics folded into the record); later entries go
 * in only while their C size fits in what is left; SL_RETURN_SINGLE_ENTRY closes the batch after
 * one. `used` is the byte count the IRP reports as IoStatus.Information.
 */
import { directoryEntrySize, type FileDirectoryEntry } from '../../base/index.ts';

export class DirectoryBatch {
  readonly entries: FileDirectoryEntry[] = [];
  used = 0;

  constructor(
    private readonly infoClass: number,
    private readonly length: number,
    private readonly single: boolean,
  ) {}

  /** True once no further entry may be added. */
  get full(): boolean {
    return this.single && this.entries.length > 0;
  }

  /** Whether an entry whose name has `nameLength` UTF-16 units still fits. */
  fits(nameLength: number): boolean {
    if (this.full) return false;
    if (this.entries.length === 0) return true;
    return this.used + directoryEntrySize(this.infoClass, nameLength) <= this.length;
  }

  /** Adds an entry the caller checked with `fits`. */
  push(entry: FileDirectoryEntry): void {
    this.entries.push(entry);
    this.used += directoryEntrySize(this.infoClass, entry.fileName.length);
  }
}
