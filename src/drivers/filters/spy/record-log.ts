/**
 * Spy's record buffer: a bounded ring of completed-request records (FileSpy's log buffer list).
 *
 * Invariants:
 * - at most `capacity` records are kept; appending to a full ring overwrites the oldest and counts
 *   it in `dropped` (drop-oldest: a tracer that falls behind keeps the newest events);
 * - recording allocates nothing in the steady state: the ring and the table of requests in flight
 *   are columns (typed arrays for numbers, plain arrays for strings) written in place, and a
 *   request in flight is a number (its row in the in-flight table), which travels as the
 *   completion routine's context. Draining copies records out as SpyRecord objects;
 * - listeners (the host's live view) hear about each record as it completes, as a fresh copy;
 *   with no listener nothing is copied;
 * - Spy's clock ticks once per event-loop turn: the performance counter is read the first time a
 *   turn needs it and reused until the turn ends (a queued microtask invalidates it). Requests that
 *   arrive in one synchronous burst share a timestamp, and one that completes in the turn it
 *   arrived in has duration 0, much as records of Windows' FileSpy share KeQuerySystemTime's
 *   clock tick. Reading a clock costs as much as a whole in-memory read here, and this keeps
 *   recording cheap. The wall time is derived from the same reading.
 */
import { IRP_MJ_NAMES } from '../../../base/irp-codes.ts';
import type { SpyRecord, SpyStatistics } from './protocol.ts';

export type SpyRecordListener = (record: SpyRecord) => void;

/** Columns of `size` rows: one typed array or plain array per field of a record. */
class RecordColumns {
  readonly sequence: Float64Array;
  readonly start: Float64Array;
  readonly processId: Int32Array;
  readonly majorFunction: Uint8Array;
  readonly minorFunction: Uint8Array;
  readonly status: Uint32Array;
  readonly information: Float64Array;
  readonly duration: Float64Array;
  readonly processName: string[];
  readonly fileName: Array<string | null>;
  readonly volume: string[];

  constructor(readonly size: number) {
    this.sequence = new Float64Array(size);
    this.start = new Float64Array(size);
    this.processId = new Int32Array(size);
    this.majorFunction = new Uint8Array(size);
    this.minorFunction = new Uint8Array(size);
    this.status = new Uint32Array(size);
    this.information = new Float64Array(size);
    this.duration = new Float64Array(size);
    this.processName = new Array<string>(size).fill('');
    this.fileName = new Array<string | null>(size).fill(null);
    this.volume = new Array<string>(size).fill('');
  }

  /** Copies row `from` of `source` into row `to` (arrival fields only when `arrivalOnly`). */
  copyRow(source: RecordColumns, from: number, to: number, arrivalOnly: boolean): void {
    this.sequence[to] = source.sequence[from]!;
    this.start[to] = source.start[from]!;
    this.processId[to] = source.processId[from]!;
    this.majorFunction[to] = source.majorFunction[from]!;
    this.minorFunction[to] = source.minorFunction[from]!;
    this.processName[to] = source.processName[from]!;
    this.fileName[to] = source.fileName[from]!;
    this.volume[to] = source.volume[from]!;
    if (arrivalOnly) return;
    this.status[to] = source.status[from]!;
    this.information[to] = source.information[from]!;
    this.duration[to] = source.duration[from]!;
  }
}

const INITIAL_IN_FLIGHT = 64;

export class SpyRecordLog {
  /** Completed records; row `head` is the oldest. */
  private ring: RecordColumns;
  private head = 0;
  private count = 0;
  /** Requests that arrived and have not completed; `free` stacks the unused rows. */
  private inFlight = new RecordColumns(INITIAL_IN_FLIGHT);
  private free: Int32Array = freeRows(0, INITIAL_IN_FLIGHT);
  private freeCount = INITIAL_IN_FLIGHT;
  private nextSequence = 1;
  recorded = 0;
  dropped = 0;
  readonly listeners: SpyRecordListener[] = [];
  private tickValue = 0;
  private tickValid = false;
  private readonly endTick = (): void => {
    this.tickValid = false;
  };
  /** Wall time minus performance counter, fixed at load: wall = counter + offset. */
  private readonly wallOffset: number;

  constructor(
    capacity: number,
    private readonly performanceCounter: () => number,
    wallClock: () => number,
  ) {
    this.ring = new RecordColumns(capacity);
    this.wallOffset = wallClock() - performanceCounter();
  }

  get capacity(): number {
    return this.ring.size;
  }

  /** The performance counter, read at most once per event-loop turn. */
  private tick(): number {
    if (!this.tickValid) {
      this.tickValue = this.performanceCounter();
      this.tickValid = true;
      queueMicrotask(this.endTick);
    }
    return this.tickValue;
  }

  /** Notes a request that just arrived; the number returned identifies it until `end`. */
  begin(
    processId: number,
    processName: string,
    majorFunction: number,
    minorFunction: number,
    fileName: string | null,
    volume: string,
  ): number {
    if (this.freeCount === 0) this.growInFlight();
    const row = this.free[--this.freeCount]!;
    const inFlight = this.inFlight;
    inFlight.sequence[row] = this.nextSequence++;
    inFlight.start[row] = this.tick();
    inFlight.processId[row] = processId;
    inFlight.processName[row] = processName;
    inFlight.majorFunction[row] = majorFunction;
    inFlight.minorFunction[row] = minorFunction;
    inFlight.fileName[row] = fileName;
    inFlight.volume[row] = volume;
    return row;
  }

  /** Records the request `row` (from `begin`) as completed with this status and information. */
  end(row: number, status: number, information: number): void {
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
    ring.copyRow(this.inFlight, row, index, true);
    ring.status[index] = status;
    ring.information[index] = information;
    ring.duration[index] = this.tick() - this.inFlight.start[row]!;
    this.inFlight.fileName[row] = null;
    this.free[this.freeCount++] = row;
    this.recorded++;
    if (this.listeners.length > 0) {
      for (const listener of [...this.listeners]) listener(this.recordAt(index));
    }
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
    const next = new RecordColumns(capacity);
    const kept = Math.min(this.count, capacity);
    const lost = this.count - kept;
    const old = this.ring;
    for (let i = 0; i < kept; i++) next.copyRow(old, (this.head + lost + i) % old.size, i, false);
    this.dropped += lost;
    this.ring = next;
    this.head = 0;
    this.count = kept;
  }

  statistics(): SpyStatistics {
    return { buffered: this.count, capacity: this.ring.size, recorded: this.recorded, dropped: this.dropped };
  }

  private recordAt(index: number): SpyRecord {
    const ring = this.ring;
    const majorFunction = ring.majorFunction[index]!;
    return {
      sequence: ring.sequence[index]!,
      time: ring.start[index]! + this.wallOffset,
      processId: ring.processId[index]!,
      processName: ring.processName[index]!,
      majorFunction,
      minorFunction: ring.minorFunction[index]!,
      majorName: IRP_MJ_NAMES[majorFunction] ?? `IRP_MJ_0x${majorFunction.toString(16)}`,
      fileName: ring.fileName[index]!,
      volume: ring.volume[index]!,
      status: ring.status[index]!,
      information: ring.information[index]!,
      duration: ring.duration[index]!,
    };
  }

  /** Doubles the in-flight table when more requests are pending at once than it has rows. */
  private growInFlight(): void {
    const old = this.inFlight;
    const grown = new RecordColumns(old.size * 2);
    for (let row = 0; row < old.size; row++) grown.copyRow(old, row, row, true);
    this.inFlight = grown;
    this.free = freeRows(old.size, grown.size);
    this.freeCount = grown.size - old.size;
  }
}

/** A stack of the free rows `from`..`to - 1` (a new table: the row with the highest number is used last). */
function freeRows(from: number, to: number): Int32Array {
  const rows = new Int32Array(to);
  for (let i = 0; i < to - from; i++) rows[i] = to - 1 - i;
  return rows;
}
