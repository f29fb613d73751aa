import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRecordingTime, decodeVolumeTime, NT_TIME_ZERO } from '../../../../src/drivers/fs/cdfs/time.ts';

const ascii = (text: string, offset: number) => {
  const bytes = new Uint8Array(17);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  bytes[16] = offset & 0xff;
  return bytes;
};

test('a 7-byte recording date in UTC decodes to that instant', () => {
  const bytes = Uint8Array.from([124, 3, 15, 13, 45, 30, 0]);
  assert.equal(decodeRecordingTime(bytes, 0), Date.UTC(2024, 2, 15, 13, 45, 30));
});

test('the GMT offset of a recording date moves the time to UTC in quarter hours', () => {
  // 13:45 at GMT+2 (8 quarters) is 11:45 UTC; at GMT-5 (-20) it is 18:45 UTC.
  assert.equal(
    decodeRecordingTime(Uint8Array.from([124, 3, 15, 13, 45, 0, 8]), 0),
    Date.UTC(2024, 2, 15, 11, 45),
  );
  assert.equal(
    decodeRecordingTime(Uint8Array.from([124, 3, 15, 13, 45, 0, 256 - 20]), 0),
    Date.UTC(2024, 2, 15, 18, 45),
  );
});

test('an offset outside [-48, 52] is ignored, as CDFS ignores it', () => {
  assert.equal(
    decodeRecordingTime(Uint8Array.from([124, 3, 15, 13, 45, 0, 60]), 0),
    Date.UTC(2024, 2, 15, 13, 45),
  );
  assert.equal(
    decodeRecordingTime(Uint8Array.from([124, 3, 15, 13, 45, 0, 256 - 49]), 0),
    Date.UTC(2024, 2, 15, 13, 45),
  );
});

test('years from 2028 on are read with an unsigned year byte', () => {
  assert.equal(decodeRecordingTime(Uint8Array.from([130, 1, 1, 0, 0, 0, 0]), 0), Date.UTC(2030, 0, 1));
});

test('impossible dates read as NT time 0', () => {
  assert.equal(decodeRecordingTime(new Uint8Array(7), 0), NT_TIME_ZERO);
  assert.equal(decodeRecordingTime(Uint8Array.from([124, 2, 30, 0, 0, 0, 0]), 0), NT_TIME_ZERO);
  assert.equal(decodeRecordingTime(Uint8Array.from([124, 13, 1, 0, 0, 0, 0]), 0), NT_TIME_ZERO);
  assert.equal(decodeRecordingTime(Uint8Array.from([124, 1, 1, 24, 0, 0, 0]), 0), NT_TIME_ZERO);
  assert.equal(NT_TIME_ZERO, Date.UTC(1601, 0, 1));
});

test('29 February exists only in leap years', () => {
  assert.equal(decodeRecordingTime(Uint8Array.from([124, 2, 29, 0, 0, 0, 0]), 0), Date.UTC(2024, 1, 29));
  assert.equal(decodeRecordingTime(Uint8Array.from([123, 2, 29, 0, 0, 0, 0]), 0), NT_TIME_ZERO);
  assert.equal(decodeRecordingTime(Uint8Array.from([0, 2, 29, 0, 0, 0, 0]), 0), NT_TIME_ZERO); // 1900
});

test('a 17-byte volume date decodes digits, hundredths and offset', () => {
  assert.equal(decodeVolumeTime(ascii('2023110512304567', 4), 0), Date.UTC(2023, 10, 5, 11, 30, 45, 670));
  assert.equal(decodeVolumeTime(ascii('1999123123595900', 0), 0), Date.UTC(1999, 11, 31, 23, 59, 59));
});

test('an unspecified or malformed 17-byte date reads as NT time 0', () => {
  assert.equal(decodeVolumeTime(ascii('0000000000000000', 0), 0), NT_TIME_ZERO);
  assert.equal(decodeVolumeTime(new Uint8Array(17), 0), NT_TIME_ZERO);
  assert.equal(decodeVolumeTime(ascii('2023AB0512304567', 0), 0), NT_TIME_ZERO);
});
