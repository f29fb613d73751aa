/**
 * New entries (FastFat's FatCreateNewFile / FatCreateNewDirectory before the dirent is written,
 * FatConstructDot and FatConstructDotDot): a node for a new name with its short name chosen, and
 * the first cluster of a new directory with its `.` and `..` entries.
 *
 * A new file has no clusters (first cluster 0, size 0). A new directory has one zeroed cluster
 * whose first two entries are `.` (the directory itself) and `..` (its parent, 0 for the root, on
 * FAT32 too, as the specification requires); both carry the directory's times.
 */
import { STATUS_OBJECT_NAME_COLLISION } from '../../../base/ntstatus.ts';
import { ClusterRuns } from './cluster-runs.ts';
import { DirectoryContents, nameNode } from './directory-contents.ts';
import { DOT, DOT_DOT, FatNode } from './fat-node.ts';
import { raise } from './irp-context.ts';
import { ATTR_DIRECTORY, DIRENT_SIZE, writeDirent } from './on-disk.ts';
import { chooseShortName } from './short-name.ts';
import type { Vcb } from './structures.ts';

/** A node for `name` in `parent` (not yet linked): short name chosen, times set to `now`. */
export function buildNode(
  vcb: Vcb,
  parent: DirectoryContents,
  name: string,
  attributes: number,
  now: number,
): FatNode {
  const choice = chooseShortName(name, vcb.codePage, (display) => parent.lookup(display) !== undefined);
  if (choice === null) raise(STATUS_OBJECT_NAME_COLLISION);
  const node = new FatNode(parent.owner, {
    name: choice.short.raw,
    attributes,
    ntByte: choice.ntByte,
    creationTenths: 0,
    creationTime: 0,
    creationDate: 0,
    accessDate: 0,
    writeTime: 0,
    writeDate: 0,
    firstCluster: 0,
    fileSize: 0,
  });
  node.stampCreation(now);
  node.stampWrite(now);
  nameNode(vcb, node, choice.needsLongName ? name : null);
  node.linked = false;
  node.runs = new ClusterRuns();
  return node;
}

/**
 * The contents of a new directory whose first cluster the node already has: zeroed, with `.` and
 * `..`, the cluster dirty for the next write-back.
 */
export function initializeDirectory(vcb: Vcb, node: FatNode, parentCluster: number): DirectoryContents {
  const bytes = new Uint8Array(vcb.clusterSize);
  const contents = new DirectoryContents(node, bytes, vcb.clusterSize, -1);
  const fat32 = vcb.layout.fatType === 32;
  const dots: Array<[number, number]> = [
    [DOT, node.firstCluster],
    [DOT_DOT, parentCluster],
  ];
  for (const [dot, cluster] of dots) {
    const raw = new Uint8Array(11).fill(0x20);
    raw[0] = 0x2e;
    if (dot === DOT_DOT) raw[1] = 0x2e;
    const entry = new FatNode(node, {
      ...node.toDirent(),
      name: raw,
      attributes: ATTR_DIRECTORY,
      ntByte: 0,
      firstCluster: cluster,
    });
    entry.dot = dot;
    entry.slot = entry.firstSlot = dot - 1;
    entry.name = entry.shortDisplay = dot === DOT ? '.' : '..';
    writeDirent(bytes, entry.slot * DIRENT_SIZE, entry.toDirent(), fat32);
    contents.used[entry.slot] = 1;
    contents.entries.push(entry);
  }
  contents.endSlot = 2;
  contents.dirtyUnits.add(0);
  vcb.dirtyDirectories.add(contents);
  node.contents = contents;
  return contents;
}
