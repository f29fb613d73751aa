/**
 * The times a file system reports for a moment of the system clock, by how it keeps them
 * (fixture.ts `TimeKeeping`): MemFS to the millisecond; FAT creation at 10 ms, last write rounded
 * up to 2 s, last access as a date, no change time (docs/deviations.md, FAT times; tests run in
 * UTC); HostFS the host's own times and CDFS the disc's, which the clock does not drive (null:
 * nothing to predict).
 */
import type { Capabilities } from './fixture.ts';

export interface Times {
  creation: number;
  lastAccess: number;
  lastWrite: number;
  change: number;
}

const DAY = 86_400_000;

/** What a time set at `now` reads back as, or null when the host keeps the times. */
export function expectedTimes(caps: Capabilities, now: number): Times | null {
  switch (caps.times) {
    case 'clock':
      return { creation: now, lastAccess: now, lastWrite: now, change: now };
    case 'fat':
      return {
        creation: Math.floor(now / 10) * 10,
        lastAccess: Math.floor(now / DAY) * DAY,
        lastWrite: Math.ceil(now / 2000) * 2000,
        change: 0,
      };
    case 'host':
    case 'recorded':
      return null;
  }
}
