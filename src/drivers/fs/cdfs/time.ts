/**
 * ISO 9660 dates: the 7-byte "recording date and time" of a directory record (§9.1.5) and the
 * 17-byte "digits" form of the volume descriptors and of Rock Ridge TF long form (§8.4.26.1),
 * both carrying a GMT offset in 15-minute units. CDFS's CdConvertCdTimeToNtTime counterpart.
 *
 * Results are Strata times (milliseconds since 1970-01-01 UTC). As CDFS does, an offset outside
 * [-48, 52] is ignored (the time is taken as UTC), and a date that RtlTimeFieldsToTime would refuse
 * (month 0, 31 February, hour 24, an all-zero "not specified" date) reads as NT time 0, i.e.
 * 1601-01-01, which is what CDFS leaves in the field. The year byte of the 7-byte form is unsigned,
 * as the standard and Linux read it (CDFS reads it signed, which turns 2028 into 1772).
 */

/** NT time 0 (1601-01-01T00:00:00Z) in Strata's milliseconds since 1970. */
export const NT_TIME_ZERO = -11_644_473_600_000;

const QUARTER_HOUR = 15 * 60 * 1000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** UTC milliseconds for valid time fields, or null (RtlTimeFieldsToTime's FALSE). */
function fieldsToTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  hundredths: number,
): number | null {
  if (year < 1601 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || hundredths > 99) return null;
  const time = new Date(0);
  time.setUTCFullYear(year, month - 1, day);
  time.setUTCHours(hour, minute, second, hundredths * 10);
  return time.getTime();
}

function applyOffset(time: number, offset: number): number {
  // A signed byte; CDFS honours it only in [-48, 52] (ISO 9660 8.4.26.1) and when non-zero.
  const signed = offset > 127 ? offset - 256 : offset;
  return signed !== 0 && signed >= -48 && signed <= 52 ? time - signed * QUARTER_HOUR : time;
}

/** The 7-byte directory record date at `offset` (years since 1900, month, day, h, m, s, GMT offset). */
export function decodeRecordingTime(bytes: Uint8Array, offset: number): number {
  const fields = fieldsToTime(
    1900 + bytes[offset]!,
    bytes[offset + 1]!,
    bytes[offset + 2]!,
    bytes[offset + 3]!,
    bytes[offset + 4]!,
    bytes[offset + 5]!,
    0,
  );
  return fields === null ? NT_TIME_ZERO : applyOffset(fields, bytes[offset + 6]!);
}

function digits(bytes: Uint8Array, offset: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const c = bytes[offset + i]! - 0x30;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/** The 17-byte volume descriptor date at `offset` ("YYYYMMDDHHMMSSCC" digits and a GMT offset). */
export function decodeVolumeTime(bytes: Uint8Array, offset: number): number {
  const year = digits(bytes, offset, 4);
  const month = digits(bytes, offset + 4, 2);
  const day = digits(bytes, offset + 6, 2);
  const hour = digits(bytes, offset + 8, 2);
  const minute = digits(bytes, offset + 10, 2);
  const second = digits(bytes, offset + 12, 2);
  const hundredths = digits(bytes, offset + 14, 2);
  if ((year | month | day | hour | minute | second | hundredths) < 0) return NT_TIME_ZERO;
  const fields = fieldsToTime(year, month, day, hour, minute, second, hundredths);
  return fields === null ? NT_TIME_ZERO : applyOffset(fields, bytes[offset + 16]!);
}
