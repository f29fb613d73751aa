import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fatDateTimeToMs,
  fatDateToMs,
  msToFatDate,
  msToFatTimestamp,
} from '../../../../src/drivers/fs/fat/timestamps.ts';
import './oracles.ts';

const at = (iso: string) => Date.parse(iso);

test('FAT times are local wall-clock time (UTC in these tests) at their resolutions', () => {
  const stamp = msToFatTimestamp(at('2024-03-05T12:34:57.123Z'), false)!;
  assert.equal(stamp.date, ((2024 - 1980) << 9) | (3 << 5) | 5);
  assert.equal(stamp.time, (12 << 11) | (34 << 5) | 28);
  assert.equal(stamp.tenths, 112, 'the odd second and 120 ms, in 10 ms units');
  assert.equal(fatDateTimeToMs(stamp.date, stamp.time, stamp.tenths), at('2024-03-05T12:34:57.120Z'));
});

test('write times round up to the next even second, once', () => {
  const up = msToFatTimestamp(at('2024-03-05T12:34:57.001Z'), true)!;
  assert.equal(fatDateTimeToMs(up.date, up.time), at('2024-03-05T12:34:58Z'));
  const even = msToFatTimestamp(at('2024-03-05T12:34:58Z'), true)!;
  assert.equal(fatDateTimeToMs(even.date, even.time), at('2024-03-05T12:34:58Z'));
  const midnight = msToFatTimestamp(at('2024-12-31T23:59:59.5Z'), true)!;
  assert.equal(fatDateTimeToMs(midnight.date, midnight.time), at('2025-01-01T00:00:00Z'));
});

test('access dates keep only the day', () => {
  const date = msToFatDate(at('2024-03-05T23:59:59Z'))!;
  assert.equal(fatDateToMs(date), at('2024-03-05T00:00:00Z'));
});

test('times outside 1980..2107 have no FAT form, and impossible stored dates read as 0', () => {
  assert.equal(msToFatTimestamp(at('1979-12-31T23:59:59Z'), false), null);
  assert.equal(msToFatTimestamp(at('2108-01-01T00:00:00Z'), false), null);
  assert.notEqual(msToFatTimestamp(at('2107-12-31T23:59:58Z'), false), null);
  assert.equal(fatDateTimeToMs(0, 0), 0, 'month 0');
  assert.equal(fatDateTimeToMs((44 << 9) | (4 << 5) | 31, 0), 0, '31 April');
  assert.equal(fatDateTimeToMs((44 << 9) | (4 << 5) | 1, 24 << 11), 0, 'hour 24');
});
