/**
 * The host's view of spy's records, for `strata trace`: a bounded ring of the most recent records
 * and the followers of a live trace.
 *
 * Spy keeps its own ring, which user-mode programs drain with IOCTL_SPY_GET_RECORDS (FileSpy's
 * GetLog); draining would take records away from other clients, so the host subscribes instead
 * (SpySubscribe) and keeps its own copy, which any number of clients can read or follow. The hub
 * subscribes whenever a driver named Spy loads and lets go when it unloads.
 */
import { IRP_MJ_DIRECTORY_CONTROL, IRP_MJ_FILE_SYSTEM_CONTROL, statusName } from '../../base/index.ts';
import { type SpyRecord, SpySubscribe } from '../../drivers/filters/spy/index.ts';
import type { DriverObject } from '../../io/index.ts';
import type { TraceRecordInfo } from '../control/index.ts';
import type { StrataHost } from './host.ts';

export const TRACE_CAPACITY = 10_000;

const MINOR_NAMES: Readonly<Record<number, readonly string[]>> = {
  [IRP_MJ_FILE_SYSTEM_CONTROL]: [
    'IRP_MN_USER_FS_REQUEST',
    'IRP_MN_MOUNT_VOLUME',
    'IRP_MN_VERIFY_VOLUME',
    'IRP_MN_LOAD_FILE_SYSTEM',
  ],
  [IRP_MJ_DIRECTORY_CONTROL]: ['', 'IRP_MN_QUERY_DIRECTORY', 'IRP_MN_NOTIFY_CHANGE_DIRECTORY'],
};

export type TraceListener = (record: TraceRecordInfo) => void;

export class TraceHub {
  private ring: TraceRecordInfo[] = [];
  private start = 0;
  private readonly followers = new Set<TraceListener>();
  private unsubscribe: (() => void) | null = null;
  private readonly stopListening: () => void;

  constructor(private readonly host: StrataHost) {
    const io = host.system.io;
    for (const driver of io.drivers.values()) this.consider(driver);
    this.stopListening = io.addListener((event) => {
      if (event.kind === 'driver-loaded') this.consider(event.driver);
      else if (event.kind === 'driver-unloaded' && event.driver.serviceName.toUpperCase() === 'SPY') {
        this.unsubscribe?.();
        this.unsubscribe = null;
      }
    });
  }

  /** True while spy is loaded and its records reach the hub. */
  get active(): boolean {
    return this.unsubscribe !== null;
  }

  private consider(driver: DriverObject): void {
    if (driver.serviceName.toUpperCase() !== 'SPY') return;
    this.unsubscribe?.();
    this.unsubscribe = SpySubscribe(driver, (record) => this.add(this.convert(record)));
  }

  private letterOf(device: string): string | null {
    for (const record of this.host.volumes.values())
      if (record.device.deviceName === device) return record.letter;
    return null;
  }

  private convert(record: SpyRecord): TraceRecordInfo {
    const minor = MINOR_NAMES[record.majorFunction]?.[record.minorFunction];
    return {
      sequence: record.sequence,
      time: new Date(record.time).toISOString(),
      processId: record.processId,
      process: record.processName,
      volume: this.letterOf(record.volume) ?? record.volume,
      major: record.majorName,
      minor:
        minor !== undefined && minor !== ''
          ? minor
          : record.minorFunction === 0
            ? null
            : `0x${record.minorFunction.toString(16)}`,
      fileName: record.fileName,
      status: statusName(record.status),
      information: record.information,
      durationUs: Math.round(record.duration * 1000),
    };
  }

  private add(record: TraceRecordInfo): void {
    if (this.ring.length < TRACE_CAPACITY) this.ring.push(record);
    else {
      this.ring[this.start] = record;
      this.start = (this.start + 1) % TRACE_CAPACITY;
    }
    for (const follower of this.followers) follower(record);
  }

  /** Buffered records, oldest first, newer than `since`, on `volume` if given, the last `limit`. */
  records(volume: string | null, since: number, limit: number): TraceRecordInfo[] {
    const ordered = [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    const matching = ordered.filter((r) => r.sequence > since && (volume === null || r.volume === volume));
    return matching.slice(Math.max(0, matching.length - limit));
  }

  follow(listener: TraceListener): () => void {
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }

  dispose(): void {
    this.stopListening();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.followers.clear();
  }
}
