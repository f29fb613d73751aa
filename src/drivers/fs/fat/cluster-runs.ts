/**
 * The clusters of one file or directory as runs of consecutive cluster numbers (the role of
 * FastFat's MCB, FsRtlLargeMcb): file cluster index → disk cluster, and back to contiguous
 * extents so data moves in as few IRPs as the layout allows.
 *
 * Invariants: runs are in file order; consecutive runs are never contiguous on disk (appending
 * a cluster that continues the last run extends it); `length` is the total number of clusters.
 */

export class ClusterRuns {
  /** First disk cluster of each run. */
  private starts: number[] = [];
  /** Clusters in each run. */
  private counts: number[] = [];
  /** File cluster index where each run begins. */
  private firsts: number[] = [];
  length = 0;

  get runCount(): number {
    return this.starts.length;
  }

  get firstCluster(): number {
    return this.length === 0 ? 0 : this.starts[0]!;
  }

  get lastCluster(): number {
    const last = this.starts.length - 1;
    return last < 0 ? 0 : this.starts[last]! + this.counts[last]! - 1;
  }

  append(cluster: number): void {
    const last = this.starts.length - 1;
    if (last >= 0 && this.starts[last]! + this.counts[last]! === cluster) {
      this.counts[last]!++;
    } else {
      this.starts.push(cluster);
      this.counts.push(1);
      this.firsts.push(this.length);
    }
    this.length++;
  }

  /** The run holding file cluster `index` (0-based), by binary search. */
  private runIndexOf(index: number): number {
    let low = 0;
    let high = this.firsts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.firsts[middle]! <= index) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** The disk cluster of file cluster `index`. */
  clusterAt(index: number): number {
    const run = this.runIndexOf(index);
    return this.starts[run]! + (index - this.firsts[run]!);
  }

  /**
   * Calls `visit(diskCluster, count)` for the disk extents covering file clusters
   * [first, first + count), in order.
   */
  forEachExtent(first: number, count: number, visit: (cluster: number, count: number) => void): void {
    let index = first;
    let remaining = count;
    let run = this.runIndexOf(index);
    while (remaining > 0 && run < this.starts.length) {
      const offset = index - this.firsts[run]!;
      const take = Math.min(this.counts[run]! - offset, remaining);
      visit(this.starts[run]! + offset, take);
      index += take;
      remaining -= take;
      run++;
    }
  }

  /** Keeps the first `count` clusters and returns the ones cut off, in order. */
  truncate(count: number): number[] {
    if (count >= this.length) return [];
    const removed: number[] = [];
    this.forEachExtent(count, this.length - count, (cluster, n) => {
      for (let i = 0; i < n; i++) removed.push(cluster + i);
    });
    if (count === 0) {
      this.starts = [];
      this.counts = [];
      this.firsts = [];
    } else {
      const run = this.runIndexOf(count - 1);
      this.counts[run] = count - this.firsts[run]!;
      this.starts.length = this.counts.length = this.firsts.length = run + 1;
    }
    this.length = count;
    return removed;
  }

  /** Every cluster, in file order. */
  toArray(): number[] {
    const all: number[] = [];
    this.forEachExtent(0, this.length, (cluster, n) => {
      for (let i = 0; i < n; i++) all.push(cluster + i);
    });
    return all;
  }
}
