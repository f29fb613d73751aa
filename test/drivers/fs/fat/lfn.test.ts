import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LongNameAssembler,
  lfnChecksum,
  lfnSlotsNeeded,
  writeLfnSlots,
} from '../../../../src/drivers/fs/fat/lfn.ts';

const SHORT = new TextEncoder().encode('LONGFI~1TXT');

function collect(bytes: Uint8Array, slots: number, short = SHORT): string | null {
  const assembler = new LongNameAssembler();
  for (let i = 0; i < slots; i++) assembler.slot(bytes, i * 32, i);
  return assembler.finish(short);
}

test('a long name is written last part first and reads back whole', () => {
  for (const name of ['a', 'exactly13char', 'exactly13chars', 'Résumé très long.txt', 'x'.repeat(255)]) {
    const slots = lfnSlotsNeeded(name);
    const bytes = new Uint8Array(slots * 32);
    writeLfnSlots(bytes, 0, name, lfnChecksum(SHORT));
    assert.equal(bytes[0], 0x40 | slots, 'first slot on disk carries the last ordinal');
    assert.equal(bytes[(slots - 1) * 32]! & 0x3f, 1, 'the slot before the short entry is ordinal 1');
    assert.equal(collect(bytes, slots), name);
  }
});

test('a name that does not fill its last slot is terminated by 0x0000 and padded with 0xFFFF', () => {
  const bytes = new Uint8Array(32);
  writeLfnSlots(bytes, 0, 'abc', 0);
  assert.deepEqual([...bytes.subarray(7, 11)], [0, 0, 0xff, 0xff]);
  assert.equal(bytes[11], 0x0f);
});

test('the checksum is the one the FAT specification defines', () => {
  let sum = 0;
  for (const byte of SHORT) sum = (((sum & 1) << 7) + (sum >> 1) + byte) & 0xff;
  assert.equal(lfnChecksum(SHORT), sum);
});

test('slots whose checksum does not match the short entry are ignored', () => {
  const bytes = new Uint8Array(64);
  writeLfnSlots(bytes, 0, 'a fairly long name', lfnChecksum(SHORT) ^ 1);
  assert.equal(collect(bytes, 2), null);
});

test('orphaned, reordered or incomplete sequences are ignored', () => {
  const name = 'a fairly long name, three slots!';
  const bytes = new Uint8Array(96);
  writeLfnSlots(bytes, 0, name, lfnChecksum(SHORT));
  assert.equal(collect(bytes.subarray(32), 2), null, 'first slot missing');
  const gap = bytes.slice();
  gap.copyWithin(32, 64, 96);
  assert.equal(collect(gap, 2), null, 'middle slot missing');
  const swapped = bytes.slice();
  swapped.set(bytes.subarray(32, 64), 64);
  swapped.set(bytes.subarray(64, 96), 32);
  assert.equal(collect(swapped, 3), null, 'out of order');
  const restarted = new Uint8Array(96 + 32);
  writeLfnSlots(restarted, 0, 'zz orphan', 7);
  writeLfnSlots(restarted, 32, name, lfnChecksum(SHORT));
  assert.equal(collect(restarted, 4), name, 'a new sequence replaces an orphan before it');
});
