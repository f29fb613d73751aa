import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  cdSerial32,
  isoLabel,
  parseVolumeDescriptor,
  readDirectoryRecord,
  specialRecordKind,
  VD_PRIMARY,
} from '../../../../src/drivers/fs/cdfs/on-disk.ts';
import { makeRecord } from './iso-patch.ts';
import { buildIso, tempDir } from './setup.ts';

test('CdSerial32 adds byte i into checksum (count - 1 - i) mod 4 of a little-endian ULONG', () => {
  const sector = new Uint8Array(2048);
  assert.equal(cdSerial32(sector), 0);
  sector[2047] = 1; // last byte: slot 0, the low byte
  assert.equal(cdSerial32(sector), 0x00000001);
  sector[0] = 2; // first byte of 2048: slot 3, the high byte
  assert.equal(cdSerial32(sector), 0x02000001);
  sector[2046] = 0xff;
  sector[2042] = 0x02; // both in slot 1: 0xff + 0x02 wraps to 0x01
  assert.equal(cdSerial32(sector), 0x02000101);
  assert.equal(cdSerial32(Uint8Array.from([1, 2, 3, 4, 5]), 5), 0x02030406);
});

test('the primary descriptor of a genisoimage image reads as isoinfo describes it', () => {
  const image = buildIso({ 'a.txt': 'a' }, 'genisoimage', ['-V', 'DESCRIBED']);
  const dir = tempDir();
  const file = path.join(dir, 'd.iso');
  fs.writeFileSync(file, image);
  const described = execFileSync('isoinfo', ['-i', file, '-d'], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  const descriptor = parseVolumeDescriptor(image.subarray(16 * 2048, 17 * 2048), 16)!;
  assert.equal(descriptor.type, VD_PRIMARY);
  assert.equal(descriptor.logicalBlockSize, 2048);
  assert.match(described, new RegExp(`Volume size is: ${descriptor.volumeSpaceSize}\\n`));
  assert.equal(isoLabel(descriptor.sector), 'DESCRIBED');
  assert.equal(descriptor.root!.flags & 2, 2);
  assert.equal(specialRecordKind(descriptor.sector, descriptor.root!), 0);
  assert.equal(parseVolumeDescriptor(new Uint8Array(2048), 16), null);
});

test('a directory record reports its extent after the extended attribute record, its name and its System Use area', () => {
  const record = makeRecord({
    identifier: 'NAME.TXT;1',
    extent: 100,
    dataLength: 5000,
    flags: 0x80,
    systemUse: new Uint8Array(10),
  });
  record[1] = 2; // two blocks of extended attribute record precede the data
  const parsed = readDirectoryRecord(record, 0, record.length)!;
  assert.equal(parsed.extent, 102);
  assert.equal(parsed.dataLength, 5000);
  assert.equal(parsed.flags, 0x80);
  assert.equal(
    String.fromCharCode(...record.subarray(parsed.nameOffset, parsed.nameOffset + parsed.nameLength)),
    'NAME.TXT;1',
  );
  assert.equal(parsed.systemUseEnd - parsed.systemUseStart, 10 + (record.length - 33 - 10 - 11));
});

test('records that do not fit their sector, are too short, or have no name are refused', () => {
  const record = makeRecord({ identifier: 'A;1', extent: 1, dataLength: 1 });
  assert.equal(readDirectoryRecord(record, 0, record.length - 1), null);
  const short = record.slice();
  short[0] = 33;
  assert.equal(readDirectoryRecord(short, 0, short.length), null);
  const nameless = record.slice();
  nameless[32] = 0;
  assert.equal(readDirectoryRecord(nameless, 0, nameless.length), null);
  const overlong = record.slice();
  overlong[32] = 100;
  assert.equal(readDirectoryRecord(overlong, 0, overlong.length), null);
  assert.equal(readDirectoryRecord(new Uint8Array(10), 0, 2048), null);
});
