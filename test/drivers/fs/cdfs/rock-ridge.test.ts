import assert from 'node:assert/strict';
import { test } from 'node:test';
import { announcesRockRidge, RockRidgeRecord } from '../../../../src/drivers/fs/cdfs/rock-ridge.ts';

const both32 = (value: number) => [
  value & 0xff,
  (value >>> 8) & 0xff,
  (value >>> 16) & 0xff,
  value >>> 24,
  value >>> 24,
  (value >>> 16) & 0xff,
  (value >>> 8) & 0xff,
  value & 0xff,
];
const text = (s: string) => [...new TextEncoder().encode(s)];
const entry = (signature: string, data: number[]) => [
  signature.charCodeAt(0),
  signature.charCodeAt(1),
  4 + data.length,
  1,
  ...data,
];
function parse(...entries: number[][]): RockRidgeRecord {
  const record = new RockRidgeRecord();
  const bytes = Uint8Array.from(entries.flat());
  record.parse(bytes, 0, bytes.length);
  return record;
}

test('SP marks SUSP and gives the skip count; ER names the extension', () => {
  const record = parse(entry('SP', [0xbe, 0xef, 0]), entry('ER', [10, 0, 0, 1, ...text('RRIP_1991A')]));
  assert.equal(record.sharingSkip, 0);
  assert.deepEqual(record.extensions, ['RRIP_1991A']);
  assert.equal(announcesRockRidge(record), true);
});

test('an SP without its check bytes is not SUSP', () => {
  assert.equal(parse(entry('SP', [0xbe, 0xee, 0])).sharingSkip, null);
});

test('PX gives mode, links, uid, gid and (RRIP 1.12) the serial number', () => {
  const record = parse(
    entry('PX', [...both32(0o100640), ...both32(2), ...both32(1000), ...both32(100), ...both32(77)]),
  );
  assert.equal(record.mode, 0o100640);
  assert.equal(record.links, 2);
  assert.equal(record.uid, 1000);
  assert.equal(record.gid, 100);
  assert.equal(record.serial, 77);
});

test('NM pieces with CONTINUE join into one UTF-8 name', () => {
  const name = 'Résumé long name.txt';
  const bytes = text(name);
  const record = parse(entry('NM', [1, ...bytes.slice(0, 5)]), entry('NM', [0, ...bytes.slice(5)]));
  assert.equal(record.name, name);
});

test('an NM after a finished name is ignored, and "." / ".." markers give no name', () => {
  assert.equal(parse(entry('NM', [0, ...text('first')]), entry('NM', [0, ...text('second')])).name, 'first');
  assert.equal(parse(entry('NM', [2])).name, null);
});

test('SL components build relative and absolute link targets', () => {
  const component = (flags: number, s = '') => [flags, text(s).length, ...text(s)];
  assert.equal(parse(entry('SL', [0, ...component(0, 'hello.txt')])).symlinkTarget, 'hello.txt');
  assert.equal(
    parse(entry('SL', [0, ...component(4), ...component(4), ...component(0, 'lib'), ...component(0, 'x.so')]))
      .symlinkTarget,
    '../../lib/x.so',
  );
  assert.equal(
    parse(entry('SL', [0, ...component(8), ...component(0, 'etc'), ...component(0, 'passwd')])).symlinkTarget,
    '/etc/passwd',
  );
  assert.equal(parse(entry('SL', [0, ...component(2), ...component(0, 'a')])).symlinkTarget, './a');
});

test('a component continued across SL entries has no separator; a new component has one', () => {
  const component = (flags: number, s: string) => [flags, text(s).length, ...text(s)];
  // "very" continued into "long" in the next SL, then a new component "tail" in a third SL.
  const record = parse(
    entry('SL', [1, ...component(0, 'dir'), ...component(1, 'very')]),
    entry('SL', [1, ...component(0, 'long')]),
    entry('SL', [0, ...component(0, 'tail')]),
  );
  assert.equal(record.symlinkTarget, 'dir/verylong/tail');
});

test('TF gives the times present in order, short or long form', () => {
  const short = (y: number) => [y - 1900, 6, 1, 12, 0, 0, 0];
  const record = parse(entry('TF', [0x02 | 0x04 | 0x08, ...short(2020), ...short(2021), ...short(2022)]));
  assert.equal(record.modifyTime, Date.UTC(2020, 5, 1, 12));
  assert.equal(record.accessTime, Date.UTC(2021, 5, 1, 12));
  assert.equal(record.attributesTime, Date.UTC(2022, 5, 1, 12));
  assert.equal(record.creationTime, null);
  const long = parse(entry('TF', [0x80 | 0x01, ...text('2019010203040506'), 0]));
  assert.equal(long.creationTime, Date.UTC(2019, 0, 2, 3, 4, 5, 60));
});

test('CE reports where the continuation area is', () => {
  const record = parse(entry('CE', [...both32(40), ...both32(100), ...both32(237)]));
  assert.deepEqual(record.continuation, { lba: 40, offset: 100, length: 237 });
});

test('CL, PL and RE describe relocated directories', () => {
  const record = parse(entry('CL', both32(55)), entry('PL', both32(21)), entry('RE', []));
  assert.equal(record.childLink, 55);
  assert.equal(record.parentLink, 21);
  assert.equal(record.relocated, true);
});

test('ST and damaged entries end the walk without reading past the area', () => {
  assert.equal(parse(entry('ST', []), entry('NM', [0, ...text('after')])).name, null);
  // An entry claiming 200 bytes in a 12-byte area, then nothing is read.
  const record = new RockRidgeRecord();
  const bytes = Uint8Array.from([0x4e, 0x4d, 200, 1, 0, 0x41, 0x42, 0, 0, 0, 0, 0]);
  record.parse(bytes, 0, bytes.length);
  assert.equal(record.name, null);
  // A zero-length entry stops too (no endless loop).
  const zero = new RockRidgeRecord();
  zero.parse(Uint8Array.from([0x50, 0x58, 0, 1, 0, 0, 0, 0]), 0, 8);
  assert.equal(zero.mode, null);
});

test('a record with no Rock Ridge entries does not announce Rock Ridge', () => {
  assert.equal(announcesRockRidge(parse(entry('SP', [0xbe, 0xef, 0]))), false);
});
