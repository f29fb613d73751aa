/**
 * The clusters of a file or directory: reading a chain once and checking it, growing it and
 * cutting it (FastFat's FatLookupFileAllocation, FatAddFileAllocation, FatTruncateFileAllocation).
 *
 * `loadChain` is where corruption is found: a broken chain (fat-table.ts), a chain that another
 * chain already claimed (cross-linked files, a directory loop), or a file whose chain is shorter
 * than its size is STATUS_FILE_CORRUPT_ERROR, and the chain's first cluster goes into the
 * volume's corrupt set. Every change goes through `checkWritable`, so nothing is ever written
 * through a chain found corrupt. Growing takes all the clusters it needs or none
 * (STATUS_DISK_FULL, nothing changed), preferring the clusters right after the file's last one.
 */
import { STATUS_DISK_FULL, STATUS_FILE_CORRUPT_ERROR } from '../../../base/ntstatus.ts';
import { ClusterRuns } from './cluster-runs.ts';
import type { FatNode } from './fat-node.ts';
import { raise } from './irp-context.ts';
import type { Vcb } from './structures.ts';
import { noteVolumeChange } from './volume-state.ts';

/** The checked cluster chain of a node (its MCB), read from the FAT the first time. */
export function loadChain(vcb: Vcb, node: FatNode): ClusterRuns {
  if (node.runs !== null) return node.runs;
  const first = node.firstCluster;
  if (first === 0) {
    // No clusters: only a file of size 0 (or the FAT12/16 root, which never asks) may say so.
    if (node.isDirectory || node.fileSize > 0) raise(STATUS_FILE_CORRUPT_ERROR);
    node.runs = new ClusterRuns();
    return node.runs;
  }
  if (vcb.corruptChains.has(first)) raise(STATUS_FILE_CORRUPT_ERROR);
  // Two entries starting at the same cluster (a directory loop, a duplicated entry) are cross-linked too.
  const holder = vcb.chainHolders.get(first);
  if (holder !== undefined && holder !== node) {
    vcb.corruptChains.add(first);
    raise(STATUS_FILE_CORRUPT_ERROR);
  }
  const { status, runs } = vcb.fat.readChain(first);
  if (status !== 0) {
    vcb.corruptChains.add(first);
    raise(STATUS_FILE_CORRUPT_ERROR);
  }
  const owners = vcb.owners;
  let crossLinked = 0;
  runs.forEachExtent(0, runs.length, (cluster, count) => {
    for (let c = cluster; c < cluster + count && crossLinked === 0; c++) {
      const owner = owners[c]!;
      if (owner !== 0 && owner !== first) crossLinked = owner;
    }
  });
  if (crossLinked !== 0) {
    vcb.corruptChains.add(first);
    vcb.corruptChains.add(crossLinked);
    raise(STATUS_FILE_CORRUPT_ERROR);
  }
  if (!node.isDirectory && runs.length * vcb.clusterSize < node.fileSize) {
    vcb.corruptChains.add(first);
    raise(STATUS_FILE_CORRUPT_ERROR);
  }
  runs.forEachExtent(0, runs.length, (cluster, count) => owners.fill(first, cluster, cluster + count));
  vcb.chainHolders.set(first, node);
  node.runs = runs;
  return runs;
}

/** Refuses changes through a chain known to be corrupt. */
export function checkWritable(vcb: Vcb, node: FatNode): void {
  if (node.firstCluster !== 0 && vcb.corruptChains.has(node.firstCluster)) raise(STATUS_FILE_CORRUPT_ERROR);
}

/** Clusters needed for `bytes`. */
export function clustersFor(vcb: Vcb, bytes: number): number {
  return Math.ceil(bytes / vcb.clusterSize);
}

/**
 * Grows the node's chain to `count` clusters; raises STATUS_DISK_FULL with nothing changed when
 * the volume lacks them. Returns the new clusters (possibly none).
 */
export function growChain(vcb: Vcb, node: FatNode, count: number): number[] {
  const runs = loadChain(vcb, node);
  checkWritable(vcb, node);
  const needed = count - runs.length;
  if (needed <= 0) return [];
  const fat = vcb.fat;
  const clusters = fat.allocateChain(needed, runs.lastCluster);
  if (clusters === null) raise(STATUS_DISK_FULL);
  noteVolumeChange(vcb);
  const first = runs.length === 0 ? clusters[0]! : node.firstCluster;
  if (runs.length === 0) {
    node.firstCluster = first;
    vcb.chainHolders.set(first, node);
  } else fat.set(runs.lastCluster, clusters[0]!);
  for (const cluster of clusters) {
    runs.append(cluster);
    vcb.owners[cluster] = first;
  }
  vcb.fsInfoDirty = true;
  return clusters;
}

/** Cuts the node's chain to `count` clusters and frees the rest; a chain cut to 0 has first cluster 0. */
export function truncateChain(vcb: Vcb, node: FatNode, count: number): void {
  const runs = loadChain(vcb, node);
  if (count >= runs.length) return;
  checkWritable(vcb, node);
  noteVolumeChange(vcb);
  const removed = runs.truncate(count);
  if (count === 0) {
    vcb.chainHolders.delete(node.firstCluster);
    node.firstCluster = 0;
  } else vcb.fat.set(runs.lastCluster, vcb.fat.endOfChain);
  vcb.fat.free(removed);
  for (const cluster of removed) vcb.owners[cluster] = 0;
  vcb.fsInfoDirty = true;
}
