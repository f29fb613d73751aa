/**
 * FAT time stamps (FastFat's timesup.c: FatNtTimeToFatTime, FatFatTimeToNtTime, FatFatDateToNtTime).
 *
 * A FAT date is 7 bits of year since 1980, 4 of month, 5 of day; a time is 5 bits of hour, 6 of
 * minute, 5 of seconds/2. Creation has an extra byte of 10 ms units (0..199) for the odd second
 * and the milliseconds; last access is a date only. FAT stores local wall-clock time, and Strata
 * reads and writes it as local time of the host, as Windows (ExSystemTimeToLocalTime) and Linux
 * and mtools do; Strata's own times are milliseconds since 1970 UTC.
 *
 * Rounding follows FastFat: the last-write time rounds up to the next even second, the creation
 * time down to 10 ms. A date outside 1980..2107 has no FAT form (null). A stored date or time
 * that does not exist (month 0, day 31 in April, hour 24) reads as 0, as FastFat's
 * RtlTimeFieldsToTime failure does.
 */

export interface FatTimestamp {
  date: number;
  time: number;
  /** 10 ms units past `time`, 0..199 (creation only). */
  tenths: number;
}

function daysInMonth(year: number, month: number): number {
  return new Date(year, month, 0).getDate();
}

/** Milliseconds since 1970 UTC for a FAT date and time in local time, or 0 for an invalid one. */
export function fatDateTimeToMs(date: number, time: number, tenths = 0): number {
  const year = 1980 + (date >>> 9);
  const month = (date >>> 5) & 0x0f;
  const day = date & 0x1f;
  const hour = time >>> 11;
  const minute = (time >>> 5) & 0x3f;
  let second = (time & 0x1f) * 2;
  let milliseconds = 0;
  if (tenths !== 0) {
    second += Math.floor(tenths / 100);
    milliseconds = (tenths % 100) * 10;
  }
  if (second > 59) second = 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59)
    return 0;
  return new Date(year, month - 1, day, hour, minute, second, milliseconds).getTime();
}

/** Milliseconds since 1970 UTC for local midnight of a FAT date, or 0 for an invalid one. */
export function fatDateToMs(date: number): number {
  return fatDateTimeToMs(date, 0, 0);
}

/**
 * The FAT form of a time: `roundUp` for write times (to the next even second), otherwise down to
 * 10 ms with the odd second and milliseconds in `tenths`. Null outside 1980..2107.
 */
export function msToFatTimestamp(ms: number, roundUp: boolean): FatTimestamp | null {
  if (!Number.isFinite(ms)) return null;
  // Time zones are whole minutes apart, so an even second in UTC is an even second locally.
  const at = new Date(roundUp ? Math.ceil(ms / 2000) * 2000 : Math.floor(ms));
  const year = at.getFullYear();
  if (year < 1980 || year > 2107) return null;
  const second = at.getSeconds();
  const date = ((year - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate();
  const time = (at.getHours() << 11) | (at.getMinutes() << 5) | (second >>> 1);
  const tenths = roundUp ? 0 : Math.floor(at.getMilliseconds() / 10) + (second % 2) * 100;
  return { date, time, tenths };
}

/** The FAT date of a time (for the last-access date). Null outside 1980..2107. */
export function msToFatDate(ms: number): number | null {
  const stamp = msToFatTimestamp(ms, false);
  return stamp === null ? null : stamp.date;
}
