/**
 * Spy's record buffer: a bounded ring of completed-request records (FileSpy's log buffer list).
 *
 * Invariants:
 * - at most `capacity` records are kept; appending to a full ring overwrites the oldest and counts
 *   it in `dropped` (drop-oldest: a tracer that falls behind keeps the newest events);
 * - slots are record objects reused in place, so recording allocates nothing once the ring has
 *   wrapped; draining copies records out;
 * - listeners (the host's live view) hear about each record as it completes, as a fresh copy;
 *   with no listener nothing is copied.
 */
import { IRP_MJ_NAMES } from '../../../base/irp-codes.ts';
import type { SpyRecord, SpyStatistics } from './protocol.ts';

/** A request in flight: what spy noted when it arrived. */
export interface SpyPending {
  readonly log: SpyRecordLog;
  readonly sequence: number;
  readonly time: number;
  readonly start: number;
  readonly processId: number;
  readonly processName: string;
  readonly majorFunction: number;
  readonly minorFunction: number;
  readonly fileName: string | null;
  readonly volume: string;
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
    majorName: slot.majorName,
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

  constructor(
    public capacity: number,
    private readonly performanceCounter: () => number,
  ) {}

  /** Takes the sequence number and start time of a request that just arrived. */
  begin(
    time: number,
    processId: number,
    processName: string,
    majorFunction: number,
    minorFunction: number,
    fileName: string | null,
    volume: string,
  ): SpyPending {
    return {
      log: this,
      sequence: this.nextSequence++,
      time,
      start: this.performanceCounter(),
      processId,
      processName,
      majorFunction,
      minorFunction,
      fileName,
      volume,
    };
  }

  /** Records a request that completed. */
  end(pending: SpyPending, status: number, information: number): void {
    const duration = this.performanceCounter() - pending.start;
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
    slot.time = pending.time;
    slot.processId = pending.processId;
    slot.processName = pending.processName;
    slot.majorFunction = pending.majorFunction;
    slot.minorFunction = pending.minorFunction;
    slot.majorName = IRP_MJ_NAMES[pending.majorFunction] ?? `IRP_MJ_0x${pending.majorFunction.toString(16)}`;
    slot.fileName = pending.fileName;
    slot.volume = pending.volume;
    slot.status = status;
    slot.information = information;
    slot.duration = duration;
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
