/**
 * What the behaviour suite knows of a file system: a fresh volume reachable as `\??\M:` through the
 * shared harness (test/support/fs-harness.ts), and the capabilities that say where the driver
 * differs on purpose. Every capability other than MemFS's names the document that makes the
 * difference a choice (docs/deviations.md, docs/drivers.md); a case that meets it asserts the
 * documented behaviour instead of skipping. Each driver's file in this folder describes itself once
 * and hands the description to `runBehaviourSuite` (suite.ts).
 */
import assert from 'node:assert/strict';
import { STATUS_OBJECT_NAME_INVALID, STATUS_SUCCESS } from '../../../../src/base/index.ts';
import type { FsHarness } from '../../../support/fs-harness.ts';

/** The harness plus the volume's clock. */
export type BehaviourVolume = FsHarness & {
  /** Moves the volume's clock forward; returns the new time. */
  tick(ms?: number): number;
};

/** Files (text) and directories (null) a case starts from, keys relative to the root with `/`. */
export type Tree = Record<string, string | null>;

/** How a file system keeps the four times of a file. */
export type TimeKeeping =
  /** As given by the system clock, to the millisecond (MemFS). */
  | 'clock'
  /** FAT's resolutions: creation 10 ms, last write 2 s rounded up, last access a date, no change time (deviations: FAT times). */
  | 'fat'
  /** The host's own time stamps, which the system clock does not drive (drivers.md: HostFS metadata). */
  | 'host'
  /** The dates recorded on read-only media (CDFS, deviations: CDFS times). */
  | 'recorded';

/** Where a file system differs on purpose from MemFS, the reference driver. */
export interface Capabilities {
  /** Every change is refused with this status (CDFS: STATUS_MEDIA_WRITE_PROTECTED, deviations: CDFS write refusals); null when writable. */
  readOnly: number | null;
  /** HIDDEN, SYSTEM and a cleared ARCHIVE are stored (HostFS stores none: HIDDEN follows a leading dot, ARCHIVE is always on; deviations: HostFS attributes). */
  storedAttributes: boolean;
  /** Listings come in upcased-name order (MemFS, HostFS); otherwise in on-disk order (FAT, CDFS: deviations: FAT enumeration). */
  sortedListing: boolean;
  /** The root lists `.` and `..` (HostFS's share root, deviations: HostFS listings and names). */
  rootDotEntries: boolean;
  /** What a listing's cursor is: the last name (MemFS), the last slot (FAT, drivers.md), or a snapshot taken at the first query (HostFS, deviations). */
  listingCursor: 'name' | 'slot' | 'snapshot';
  /** What FileNameInformation puts before the path from the root (HostFS: `\share`, as a network file system). */
  namePrefix: string;
  times: TimeKeeping;
  /** A rename keeps the file's index number (FAT's is its directory entry's place: deviations, Crypt's keystream). */
  renameKeepsIndexNumber: boolean;
  /** The drive names a volume that can be opened as such; a network file system's names the share's root directory (drivers.md: HostFS mounts nothing). */
  volumeOpens: boolean;
  /** What naming a file with a trailing backslash answers: STATUS_OBJECT_NAME_INVALID (FastFat), or STATUS_NOT_A_DIRECTORY (CDFS's CdCommonCreate, drivers.md: CDFS names). */
  trailingBackslashOnFile: number;
  /** A directory reports no size and one link (HostFS reports the host's size and nlink: drivers.md, HostFS metadata). */
  directoriesHaveNoSize: boolean;
}

/** MemFS's answers, which the other drivers' capabilities are written against. */
export const REFERENCE: Capabilities = {
  readOnly: null,
  storedAttributes: true,
  sortedListing: true,
  rootDotEntries: false,
  listingCursor: 'name',
  namePrefix: '',
  times: 'clock',
  renameKeepsIndexNumber: true,
  volumeOpens: true,
  trailingBackslashOnFile: STATUS_OBJECT_NAME_INVALID,
  directoriesHaveNoSize: true,
};

export interface BehaviourDriver {
  /** The test-name prefix: `MemFS`, `FAT16`, `HostFS (procfs)`. */
  name: string;
  capabilities: Capabilities;
  /**
   * Cases this driver fails although no document makes the difference a choice: driver bugs, by
   * case name, each with what fails. They run as `todo` (reported, not failing the suite) until
   * the driver is fixed.
   */
  knownBugs?: Readonly<Record<string, string>>;
  /** Runs `body` on a fresh volume linked as M: holding `tree`, and cleans up after it. */
  withVolume(tree: Tree, body: (v: BehaviourVolume) => void): void;
}

export interface BehaviourCase {
  /** A sentence about behaviour. */
  name: string;
  /** What the volume holds when the case starts. */
  tree?: Tree;
  /** The case only reads, so it runs on read-only file systems too. */
  reads?: true;
  run(v: BehaviourVolume, capabilities: Capabilities): void;
}

/** Makes `tree` on a writable volume through the harness (parents first). */
export function populate(v: BehaviourVolume, tree: Tree): void {
  const keys = Object.keys(tree).sort((a, b) => a.split('/').length - b.split('/').length);
  for (const key of keys) {
    const content = tree[key];
    const name = key.replaceAll('/', '\\');
    if (content === null) assert.equal(v.mkdir(name), STATUS_SUCCESS, `mkdir ${name}`);
    else v.writeFile(name, content!);
  }
}

/** Names compared as a set: order is the driver's business unless `sortedListing`. */
export const byUpcasedName = (names: string[]): string[] =>
  [...names].sort((a, b) =>
    a.toUpperCase() < b.toUpperCase() ? -1 : a.toUpperCase() > b.toUpperCase() ? 1 : 0,
  );

export const ROOT = '\\??\\M:\\';
