/**
 * Spy's record buffer: a bounded ring of completed-request records (FileSpy's log buffer list).
 *
 * Invariants:
 * - at most `capacity` records are kept; appending to a full ring overwrites the oldest and counts
 *   it in `dropped` (drop-oldest: a tracer that falls behind keeps the newest events);
 * - slots are record objects reused in place, so recording allocates nothing once the ring has
 *   wrapped; draining copies records out;
 * - listeners (the host's live view) hear about each record as it completes, as a fresh copy;
 *   with no listener nothing is copied;
 * - Spy's clock ticks once per event-loop turn: the performance counter is read the first time a
 *   turn needs it and reused until the turn ends (a queued microtask invalidates it). Requests that
 *   arrive in one synchronous burst share a timestamp, and one that completes in the turn it
 *   arrived in has duration 0, much as records of Windows' FileSpy share KeQuerySystemTime's
 *   clock tick. Reading a clock costs as much as a whole in-memory read here, and this keeps
 *   recording under its cost target. The wall time is derived from the same reading.
 */
import { IRP_MJ_NAMES } from '../../../base/irp-codes.ts';
import type { SpyRecord, SpyStatistics } from './protocol.ts';

/** A request in flight: what spy noted when it arrived. Pooled: reused once its request is recorded. */
export interface SpyPending {
  log: SpyRecordLog;
  sequence: number;
  start: number;
  processId: number;
  processName: string;
  majorFunction: number;
  minorFunction: number;
  fileName: string | null;
  volume: string;
}

export type SpyRecordListener = (record: SpyRecord) => void;

function copyRecord(slot: SpyRecord): SpyRecord {
  return {
    sequence: slot.sequence,
    time: slot.time,
    processId: slot.processId,
    processName: slot.processName,
    majorFunction: slot.majorFunction,
    minorFunction: slot.minorFunction,
    majorName: IRP_MJ_NAMES[slot.majorFunction] ?? `IRP_MJ_0x${slot.majorFunction.toString(16)}`,
    fileName: slot.fileName,
    volume: slot.volume,
    status: slot.status,
    information: slot.information,
    duration: slot.duration,
  };
}

export class SpyRecordLog {
  private slots: SpyRecord[] = [];
  /** Index of the oldest record. */
  private head = 0;
  private count = 0;
  private nextSequence = 1;
  recorded = 0;
  dropped = 0;
  readonly listeners: SpyRecordListener[] = [];
  /** Spent SpyPending records, reused so recording allocates nothing in the steady state. */
  private readonly pool: SpyPending[] = [];
  private tickValue = 0;
  private tickValid = false;
  private readonly endTick = (): void => {
    this.tickValid = false;
  };
  /** Wall time minus performance counter, fixed at load: wall = counter + offset. */
  private readonly wallOffset: number;

  constructor(
    public capacity: number,
    private readonly performanceCounter: () => number,
    wallClock: () => number,
  ) {
    this.wallOffset = wallClock() - performanceCounter();
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

  /** Takes the sequence number and start time of a request that just arrived. */
  begin(
    processId: number,
    processName: string,
    majorFunction: number,
    minorFunction: number,
    fileName: string | null,
    volume: string,
  ): SpyPending {
    const pending = this.pool.pop();
    if (pending === undefined) {
      return {
        log: this,
        sequence: this.nextSequence++,
        start: this.tick(),
        processId,
        processName,
        majorFunction,
        minorFunction,
        fileName,
        volume,
      };
    }
    pending.sequence = this.nextSequence++;
    pending.start = this.tick();
    pending.processId = processId;
    pending.processName = processName;
    pending.majorFunction = majorFunction;
    pending.minorFunction = minorFunction;
    pending.fileName = fileName;
    pending.volume = volume;
    return pending;
  }

  /** Records a request that completed. */
  end(pending: SpyPending, status: number, information: number): void {
    const duration = this.tick() - pending.start;
    let index: number;
    if (this.count < this.capacity) {
      index = (this.head + this.count) % this.capacity;
      this.count++;
    } else {
      index = this.head;
      this.head = (this.head + 1) % this.capacity;
      this.dropped++;
    }
    let slot = this.slots[index];
    if (slot === undefined) {
      slot = {
        sequence: 0,
        time: 0,
        processId: 0,
        processName: '',
        majorFunction: 0,
        minorFunction: 0,
        majorName: '',
        fileName: null,
        volume: '',
        status: 0,
        information: 0,
        duration: 0,
      };
      this.slots[index] = slot;
    }
    slot.sequence = pending.sequence;
    slot.time = pending.start + this.wallOffset;
    slot.processId = pending.processId;
    slot.processName = pending.processName;
    slot.majorFunction = pending.majorFunction;
    slot.minorFunction = pending.minorFunction;
    slot.fileName = pending.fileName;
    slot.volume = pending.volume;
    slot.status = status;
    slot.information = information;
    slot.duration = duration;
    pending.fileName = null;
    this.pool.push(pending);
    this.recorded++;
    if (this.listeners.length > 0) {
      for (const listener of [...this.listeners]) listener(copyRecord(slot));
    }
  }

  /** Removes and returns up to `max` records, oldest first. */
  drain(max = Number.POSITIVE_INFINITY): SpyRecord[] {
    const n = Math.min(max, this.count);
    const out: SpyRecord[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = copyRecord(this.slots[(this.head + i) % this.capacity]!);
    this.head = (this.head + n) % this.capacity;
    this.count -= n;
    return out;
  }

  /** Changes the capacity, keeping the newest records that fit (the others count as dropped). */
  resize(capacity: number): void {
    const kept = this.drain();
    const lost = Math.max(0, kept.length - capacity);
    this.dropped += lost;
    this.capacity = capacity;
    this.slots = kept.slice(lost);
    this.head = 0;
    this.count = this.slots.length;
  }

  statistics(): SpyStatistics {
    return { buffered: this.count, capacity: this.capacity, recorded: this.recorded, dropped: this.dropped };
  }
}
