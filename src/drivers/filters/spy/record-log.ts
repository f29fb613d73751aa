/**
 * Spy's record buffer: a bounded ring of completed-request records (FileSpy's log buffer list).
 *
 * Invariants:
 * - at most `capacity` records are kept; appending to a full ring overwrites the oldest and counts
 *   it in `dropped` (drop-oldest: a tracer that falls behind keeps the newest events);
 * - recording allocates nothing in the steady state. A record is a row of numbers in one
 *   Float64Array and a row of strings in one array, written in place; a request in flight is a
 *   number (its row in the in-flight table, which holds what only the arrival knows: sequence,
 *   start time and the file name as it was then) and travels as the completion routine's context.
 *   Everything else a record holds is still on the IRP when it completes and is written then.
 *   Draining copies records out as SpyRecord objects;
 * - every record carries two real readings of the performance counter, one when the request
 *   arrives and one when it completes: `duration` is their difference and `time` is the first one
 *   on the wall clock (wall = counter + an offset fixed at load, so a record costs two clock
 *   reads, not three);
 * - listeners (the host's live view) hear about each record as it completes, as a fresh copy;
 *   with no listener nothing is copied.
 */
import { IRP_MJ_NAMES } from '../../../base/irp-codes.ts';
import type { SpyRecord, SpyStatistics } from './protocol.ts';

export type SpyRecordListener = (record: SpyRecord) => void;

// A record's numbers, in the order of their slots in a row.
const SEQUENCE = 0;
const START = 1;
const PROCESS_ID = 2;
const MAJOR = 3;
const MINOR = 4;
const STATUS = 5;
const INFORMATION = 6;
const DURATION = 7;
const NUMBERS = 8;
// A record's strings.
const PROCESS_NAME = 0;
const FILE_NAME = 1;
const VOLUME = 2;
const STRINGS = 3;

/** `size` records: row `i` is numbers[i * NUMBERS ...] and strings[i * STRINGS ...]. */
class RecordRing {
  readonly numbers: Float64Array;
  readonly strings: Array<string | null>;

  constructor(readonly size: number) {
    this.numbers = new Float64Array(size * NUMBERS);
    this.strings = new Array<string | null>(size * STRINGS).fill(null);
  }
}

const INITIAL_IN_FLIGHT = 64;

export class SpyRecordLog {
  /** Completed records; row `head` is the oldest. */
  private ring: RecordRing;
  private head = 0;
  private count = 0;
  /** Requests that arrived and have not completed: sequence and start time by row, and file name. */
  private arrival: Float64Array = new Float64Array(INITIAL_IN_FLIGHT * 2);
  private arrivalName: Array<string | null> = new Array<string | null>(INITIAL_IN_FLIGHT).fill(null);
  /** The unused rows of the in-flight table, as a stack. */
  private free: Int32Array = freeRows(0, INITIAL_IN_FLIGHT);
  private freeCount = INITIAL_IN_FLIGHT;
  private nextSequence = 1;
  recorded = 0;
  dropped = 0;
  readonly listeners: SpyRecordListener[] = [];
  /** Wall time minus performance counter, fixed at load: wall = counter + offset. */
  private readonly wallOffset: number;

  constructor(
    capacity: number,
    private readonly performanceCounter: () => number,
    wallClock: () => number,
  ) {
    this.ring = new RecordRing(capacity);
    this.wallOffset = wallClock() - performanceCounter();
  }

  get capacity(): number {
    return this.ring.size;
  }

  /**
   * Notes a request that just arrived (reading the clock) with its file object's name as it is
   * now; the number returned identifies the request until `end`.
   */
  begin(fileName: string | null): number {
    const start = this.performanceCounter();
    if (this.freeCount === 0) this.growInFlight();
    const row = this.free[--this.freeCount]!;
    this.arrival[row * 2] = this.nextSequence++;
    this.arrival[row * 2 + 1] = start;
    this.arrivalName[row] = fileName;
    return row;
  }

  /**
   * Records the request `row` (from `begin`) as completed (reading the clock), with what the IRP
   * says about it: requester, major and minor function, volume, final status and information.
   */
  end(
    row: number,
    processId: number,
    processName: string,
    majorFunction: number,
    minorFunction: number,
    volume: string,
    status: number,
    information: number,
  ): void {
    const now = this.performanceCounter();
    const ring = this.ring;
    const capacity = ring.size;
    let index = this.head + this.count;
    if (index >= capacity) index -= capacity;
    if (this.count < capacity) {
      this.count++;
    } else {
      if (++this.head === capacity) this.head = 0;
      this.dropped++;
    }
    const arrival = this.arrival;
    const start = arrival[row * 2 + 1]!;
    const numbers = ring.numbers;
    const at = index * NUMBERS;
    numbers[at + SEQUENCE] = arrival[row * 2]!;
    numbers[at + START] = start;
    numbers[at + PROCESS_ID] = processId;
    numbers[at + MAJOR] = majorFunction;
    numbers[at + MINOR] = minorFunction;
    numbers[at + STATUS] = status >>> 0;
    numbers[at + INFORMATION] = information;
    numbers[at + DURATION] = now - start;
    const strings = ring.strings;
    const names = index * STRINGS;
    strings[names + PROCESS_NAME] = processName;
    strings[names + FILE_NAME] = this.arrivalName[row]!;
    strings[names + VOLUME] = volume;
    this.arrivalName[row] = null;
    this.free[this.freeCount++] = row;
    this.recorded++;
    if (this.listeners.length > 0) this.notify(index);
  }

  /** Gives each listener its own copy of record `index` (out of line: recording stays small enough to inline). */
  private notify(index: number): void {
    for (const listener of [...this.listeners]) listener(this.recordAt(index));
  }

  /** Removes and returns up to `max` records, oldest first. */
  drain(max = Number.POSITIVE_INFINITY): SpyRecord[] {
    const n = Math.min(max, this.count);
    const out: SpyRecord[] = new Array(n);
    const capacity = this.ring.size;
    for (let i = 0; i < n; i++) out[i] = this.recordAt((this.head + i) % capacity);
    this.head = (this.head + n) % capacity;
    this.count -= n;
    return out;
  }

  /** Changes the capacity, keeping the newest records that fit (the others count as dropped). */
  resize(capacity: number): void {
    const next = new RecordRing(capacity);
    const kept = Math.min(this.count, capacity);
    const lost = this.count - kept;
    const old = this.ring;
    for (let i = 0; i < kept; i++) {
      const from = (this.head + lost + i) % old.size;
      next.numbers.set(old.numbers.subarray(from * NUMBERS, (from + 1) * NUMBERS), i * NUMBERS);
      for (let k = 0; k < STRINGS; k++) next.strings[i * STRINGS + k] = old.strings[from * STRINGS + k]!;
    }
    this.dropped += lost;
    this.ring = next;
    this.head = 0;
    this.count = kept;
  }

  statistics(): SpyStatistics {
    return { buffered: this.count, capacity: this.ring.size, recorded: this.recorded, dropped: this.dropped };
  }

  private recordAt(index: number): SpyRecord {
    const numbers = this.ring.numbers;
    const strings = this.ring.strings;
    const at = index * NUMBERS;
    const names = index * STRINGS;
    // Small integers come back as small integers (`| 0`), not as doubles: a record is then the
    // same object a user-mode client builds, and IRP_MJ_NAMES is indexed by an integer.
    const majorFunction = numbers[at + MAJOR]! | 0;
    return {
      sequence: numbers[at + SEQUENCE]!,
      time: numbers[at + START]! + this.wallOffset,
      processId: numbers[at + PROCESS_ID]! | 0,
      processName: strings[names + PROCESS_NAME]!,
      majorFunction,
      minorFunction: numbers[at + MINOR]! | 0,
      majorName: IRP_MJ_NAMES[majorFunction] ?? `IRP_MJ_0x${majorFunction.toString(16)}`,
      fileName: strings[names + FILE_NAME]!,
      volume: strings[names + VOLUME]!,
      status: numbers[at + STATUS]!,
      information: numbers[at + INFORMATION]!,
      duration: numbers[at + DURATION]!,
    };
  }

  /** Doubles the in-flight table when more requests are pending at once than it has rows. */
  private growInFlight(): void {
    const size = this.arrivalName.length;
    const arrival = new Float64Array(size * 4);
    arrival.set(this.arrival);
    this.arrival = arrival;
    const names = new Array<string | null>(size * 2).fill(null);
    for (let row = 0; row < size; row++) names[row] = this.arrivalName[row]!;
    this.arrivalName = names;
    this.free = freeRows(size, size * 2);
    this.freeCount = size;
  }
}

/** A stack of the free rows `from`..`to - 1` (a new table: the row with the highest number is used last). */
function freeRows(from: number, to: number): Int32Array {
  const rows = new Int32Array(to);
  for (let i = 0; i < to - from; i++) rows[i] = to - 1 - i;
  return rows;
}
