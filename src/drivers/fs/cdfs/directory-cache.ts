/**
 * Reading a directory into CdNodes, once per mount (CDFS's dirsup.c: CdLookupNextDirent,
 * CdUpdateDirentFromRawDirent, CdUpdateDirentName, without the cache manager).
 *
 * A load reads the directory's extent in one transfer, walks its records sector by sector (a zero
 * length byte ends a sector), skips the "." and ".." records, chains multi-extent records into one
 * file, and builds a node per file with the names of the volume's name set:
 * - Joliet: the supplementary tree's UTF-16 identifiers;
 * - ISO 9660: the primary tree's identifiers;
 * - Rock Ridge: the primary tree with each record's SUSP entries (and their CE continuation areas)
 *   giving the POSIX name, mode, times and link target. A Rock Ridge name that NT cannot carry
 *   (`\`, `:`, `*`, control characters…) falls back to the record's ISO 9660 name.
 * Associated files, and directories Rock Ridge relocated (RE), are not shown; a CL record stands
 * for the directory it points to.
 *
 * Corrupt media: a directory whose extent lies outside the disc, is absurdly large, or is one of its
 * own ancestors (a loop) is STATUS_DISK_CORRUPT_ERROR; a malformed record, an empty or illegal name,
 * a broken multi-extent chain, or a CE chain that loops or runs too long is STATUS_FILE_CORRUPT_ERROR.
 * A failed load caches nothing, so every later open of the directory reports the same status.
 * Concurrent loads of one directory (a disc that pends) share one read.
 */
import {
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
} from '../../../base/file-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_DISK_CORRUPT_ERROR,
  STATUS_FILE_CORRUPT_ERROR,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import { type DeviceObject, isValidComponent, upcaseName } from '../../../io/index.ts';
import { forEachAsync, readDisc } from './device-io.ts';
import { chainExtents, type Extent, fileSizeOf } from './extents.ts';
import { decodeUcs2Be } from './joliet.ts';
import { type CdName, cdNameOf, decodeIsoBytes } from './names.ts';
import {
  type DirectoryRecord,
  ISO_FLAG_ASSOCIATED,
  ISO_FLAG_DIRECTORY,
  ISO_FLAG_HIDDEN,
  ISO_FLAG_MULTI_EXTENT,
  LOGICAL_SECTOR_SIZE,
  readDirectoryRecord,
  specialRecordKind,
} from './on-disk.ts';
import { RockRidgeRecord } from './rock-ridge.ts';
import { CdNode, type PosixInfo, type Vcb, type VolumeFacts } from './structures.ts';
import { decodeRecordingTime } from './time.ts';

/** Larger directories are taken for corruption (a real one of this size would hold ~700k files). */
export const MAX_DIRECTORY_BYTES = 32 << 20;
/** Continuation areas one record may chain through. */
const MAX_CONTINUATIONS = 16;
const MAX_CONTINUATION_BYTES = 8 * LOGICAL_SECTOR_SIZE;

type Done = (status: NTSTATUS) => void;

interface RawEntry {
  readonly record: DirectoryRecord;
  /** Offset of the record inside the directory. */
  readonly offsetInDirectory: number;
  /** The identifier as text (for multi-extent chaining and the ISO name). */
  readonly identifier: string;
  /** The 7-byte recording date of the record. */
  readonly recordTime: number;
  readonly rr: RockRidgeRecord | null;
}

/** Loads `directory`'s children if needed; `done` runs with the outcome, possibly before this returns. */
export function loadDirectory(vcb: Vcb, directory: CdNode, done: Done): void {
  if (directory.children !== null) {
    done(STATUS_SUCCESS);
    return;
  }
  if (directory.loadWaiters !== null) {
    directory.loadWaiters.push(done);
    return;
  }
  directory.loadWaiters = [done];
  const finish = (status: NTSTATUS): void => {
    const waiters = directory.loadWaiters ?? [];
    directory.loadWaiters = null;
    for (const waiter of waiters) waiter(status);
  };
  if (isAncestorExtent(directory)) {
    finish(STATUS_DISK_CORRUPT_ERROR);
    return;
  }
  if (directory.size < 0) resolveRelocatedSize(vcb, directory, finish);
  else readRecords(vcb, directory, finish);
}

/** A directory whose extent is also an ancestor's: following it would never end. */
function isAncestorExtent(directory: CdNode): boolean {
  const block = directory.extents[0]!.block;
  for (let up = directory.parent; up !== null; up = up.parent)
    if (up.extents[0]!.block === block) return true;
  return false;
}

/** A Rock Ridge CL target's size is in its own "." record. */
function resolveRelocatedSize(vcb: Vcb, directory: CdNode, finish: Done): void {
  const { blockSize, discBytes, ioSectorSize } = vcb.facts;
  const start = directory.extents[0]!.block * blockSize;
  if (start + LOGICAL_SECTOR_SIZE > discBytes) {
    finish(STATUS_DISK_CORRUPT_ERROR);
    return;
  }
  readDisc(vcb.storage, ioSectorSize, start, LOGICAL_SECTOR_SIZE, (status, bytes) => {
    if (!NT_SUCCESS(status)) {
      finish(status);
      return;
    }
    const self = bytes[0] === 0 ? null : readDirectoryRecord(bytes, 0, LOGICAL_SECTOR_SIZE);
    if (self === null || specialRecordKind(bytes, self) !== 0) {
      finish(STATUS_FILE_CORRUPT_ERROR);
      return;
    }
    directory.size = self.dataLength;
    readRecords(vcb, directory, finish);
  });
}

function readRecords(vcb: Vcb, directory: CdNode, finish: Done): void {
  const { blockSize, discBytes, ioSectorSize } = vcb.facts;
  const start = directory.extents[0]!.block * blockSize;
  const length = directory.size;
  if (length === 0 || length > MAX_DIRECTORY_BYTES || start + length > discBytes) {
    finish(STATUS_DISK_CORRUPT_ERROR);
    return;
  }
  readDisc(vcb.storage, ioSectorSize, start, length, (status, bytes) => {
    if (!NT_SUCCESS(status)) {
      finish(status);
      return;
    }
    const entries: RawEntry[] = [];
    const parsed = parseRecords(vcb.facts, bytes, entries);
    if (parsed !== STATUS_SUCCESS) {
      finish(parsed);
      return;
    }
    const withContinuation = entries.filter((entry) => entry.rr?.continuation != null);
    const cache = new Map<number, Uint8Array>();
    forEachAsync(
      withContinuation.length,
      (index, next) => followContinuations(vcb.storage, vcb.facts, withContinuation[index]!.rr!, cache, next),
      (continued) => {
        if (!NT_SUCCESS(continued)) {
          finish(continued);
          return;
        }
        const built = buildChildren(vcb, directory, start, entries);
        if (built !== STATUS_SUCCESS) {
          finish(built);
          return;
        }
        finish(STATUS_SUCCESS);
      },
    );
  });
}

/** Walks the records of a directory's bytes into `entries` ("." and ".." left out). */
function parseRecords(facts: VolumeFacts, bytes: Uint8Array, entries: RawEntry[]): NTSTATUS {
  const joliet = facts.nameSet === 'joliet';
  const rockRidge = facts.nameSet === 'rock-ridge';
  for (let sector = 0; sector < bytes.length; sector += LOGICAL_SECTOR_SIZE) {
    const sectorEnd = Math.min(sector + LOGICAL_SECTOR_SIZE, bytes.length);
    let at = sector;
    while (at < sectorEnd && bytes[at] !== 0) {
      const record = readDirectoryRecord(bytes, at, sectorEnd);
      if (record === null) return STATUS_FILE_CORRUPT_ERROR;
      at += record.length;
      if (specialRecordKind(bytes, record) >= 0 && (record.flags & ISO_FLAG_DIRECTORY) !== 0) continue;
      const identifier = joliet
        ? decodeUcs2Be(bytes, record.nameOffset, record.nameLength)
        : decodeIsoBytes(bytes, record.nameOffset, record.nameLength);
      if (identifier === null) return STATUS_DISK_CORRUPT_ERROR; // CdConvertBigToLittleEndian
      let rr: RockRidgeRecord | null = null;
      if (rockRidge) {
        rr = new RockRidgeRecord();
        rr.parse(bytes, record.systemUseStart + facts.suspSkip, record.systemUseEnd);
      }
      const recordTime = decodeRecordingTime(bytes, record.timeOffset);
      entries.push({ record, offsetInDirectory: record.offset, identifier, recordTime, rr });
    }
  }
  return STATUS_SUCCESS;
}

/** Where and how to read a disc: enough of VolumeFacts for reads before the volume exists. */
export type DiscGeometry = Pick<VolumeFacts, 'blockSize' | 'discBytes' | 'ioSectorSize'>;

/** Reads the CE areas a record chains to, feeding each to its RockRidgeRecord. */
export function followContinuations(
  storage: DeviceObject,
  geometry: DiscGeometry,
  rr: RockRidgeRecord,
  cache: Map<number, Uint8Array>,
  done: Done,
): void {
  const { blockSize, discBytes, ioSectorSize } = geometry;
  const seen = new Set<number>();
  const step = (): void => {
    const ce = rr.continuation;
    if (ce === null) {
      done(STATUS_SUCCESS);
      return;
    }
    const position = ce.lba * blockSize + ce.offset;
    if (
      seen.has(position) ||
      seen.size >= MAX_CONTINUATIONS ||
      ce.length > MAX_CONTINUATION_BYTES ||
      position + ce.length > discBytes
    ) {
      done(STATUS_FILE_CORRUPT_ERROR);
      return;
    }
    seen.add(position);
    const sectorStart = position - (position % LOGICAL_SECTOR_SIZE);
    const span = Math.ceil((position + ce.length - sectorStart) / LOGICAL_SECTOR_SIZE) * LOGICAL_SECTOR_SIZE;
    const cached = cache.get(sectorStart);
    const use = (area: Uint8Array): void => {
      const from = position - sectorStart;
      rr.parse(area, from, from + ce.length);
      step();
    };
    if (cached !== undefined && cached.length >= span) {
      use(cached);
      return;
    }
    readDisc(storage, ioSectorSize, sectorStart, Math.min(span, discBytes - sectorStart), (status, area) => {
      if (!NT_SUCCESS(status)) {
        done(status);
        return;
      }
      cache.set(sectorStart, area);
      use(area);
    });
  };
  step();
}

/** The name an entry shows in the volume's name set, or null when the disc is corrupt. */
function nameOf(entry: RawEntry): CdName | null {
  const rrName = entry.rr?.name ?? null;
  if (rrName !== null && isValidComponent(rrName)) return { name: rrName, version: '' };
  return cdNameOf(entry.identifier);
}

function buildChildren(vcb: Vcb, directory: CdNode, directoryStart: number, entries: RawEntry[]): NTSTATUS {
  const facts = vcb.facts;
  const chains = chainExtents(
    entries.map((entry) => ({
      key: entry.identifier,
      multiExtent: (entry.record.flags & ISO_FLAG_MULTI_EXTENT) !== 0,
    })),
  );
  if (chains === null) return STATUS_FILE_CORRUPT_ERROR;
  const children: CdNode[] = [];
  const index = new Map<string, CdNode[]>();
  for (const [first, last] of chains) {
    const head = entries[first]!;
    const flags = head.record.flags;
    const rr = head.rr;
    if ((flags & ISO_FLAG_ASSOCIATED) !== 0 || rr?.relocated === true) continue;
    const name = nameOf(head);
    if (name === null) return STATUS_FILE_CORRUPT_ERROR;
    const relocatedDirectory = rr !== null && rr.childLink !== null && (flags & ISO_FLAG_DIRECTORY) === 0;
    const isDirectory = (flags & ISO_FLAG_DIRECTORY) !== 0 || relocatedDirectory;
    let extents: Extent[];
    let size: number;
    if (relocatedDirectory) {
      extents = [{ block: rr.childLink!, length: 0, unitBlocks: 0, gapBlocks: 0 }];
      size = -1;
    } else if (isDirectory) {
      const record = head.record;
      extents = [{ block: record.extent, length: record.dataLength, unitBlocks: 0, gapBlocks: 0 }];
      size = record.dataLength;
    } else {
      extents = [];
      for (let i = first; i <= last; i++) {
        const record = entries[i]!.record;
        extents.push({
          block: record.extent,
          length: record.dataLength,
          unitBlocks: record.fileUnitSize,
          gapBlocks: record.fileUnitSize === 0 ? 0 : record.interleaveGap,
        });
      }
      size = fileSizeOf(extents);
    }
    const symlinkTarget = rr?.symlinkTarget ?? null;
    const node = new CdNode(
      isDirectory ? extents[0]!.block * facts.blockSize : directoryStart + head.offsetInDirectory,
      name.name,
      name.version,
      upcaseName(name.name),
      isDirectory,
      extents,
      size,
      attributesOf(flags, isDirectory, symlinkTarget !== null),
      ...timesOf(head),
      directory,
      head.offsetInDirectory,
      posixOf(rr),
      symlinkTarget,
    );
    children.push(node);
    const same = index.get(node.key);
    if (same === undefined) index.set(node.key, [node]);
    else same.push(node);
  }
  directory.children = children;
  directory.childIndex = index;
  return STATUS_SUCCESS;
}

/** CDFS: files are read-only, directories are directories; the ISO hidden flag hides. */
function attributesOf(flags: number, isDirectory: boolean, symlink: boolean): number {
  let attributes = isDirectory ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_READONLY;
  if ((flags & ISO_FLAG_HIDDEN) !== 0) attributes |= FILE_ATTRIBUTE_HIDDEN;
  if (symlink) attributes |= FILE_ATTRIBUTE_REPARSE_POINT;
  return attributes;
}

/**
 * Creation, last write, last access and change times. CDFS gives the record's date to all of
 * them (and 0 to last access, which Strata fills with the date too); Rock Ridge TF times win
 * where present: creation, modify, access, attribute change.
 */
function timesOf(entry: RawEntry): [number, number, number, number] {
  const base = entry.recordTime;
  const rr = entry.rr;
  if (rr === null) return [base, base, base, base];
  const modify = rr.modifyTime ?? base;
  return [rr.creationTime ?? modify, modify, rr.accessTime ?? modify, rr.attributesTime ?? modify];
}

function posixOf(rr: RockRidgeRecord | null): PosixInfo | null {
  if (rr === null || rr.mode === null) return null;
  return {
    mode: rr.mode,
    links: rr.links ?? 1,
    uid: rr.uid ?? 0,
    gid: rr.gid ?? 0,
    deviceMajor: rr.deviceHigh ?? 0,
    deviceMinor: rr.deviceLow ?? 0,
  };
}
