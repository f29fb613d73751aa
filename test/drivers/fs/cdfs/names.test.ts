import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeUcs2Be, jolietLabel, jolietLevel } from '../../../../src/drivers/fs/cdfs/joliet.ts';
import {
  cdNameOf,
  decodeIsoBytes,
  nameWithVersion,
  splitVersion,
} from '../../../../src/drivers/fs/cdfs/names.ts';

test('a level 1 identifier splits into an 8.3 name and its version', () => {
  assert.deepEqual(cdNameOf('HELLO.TXT;1'), { name: 'HELLO.TXT', version: '1' });
});

test('level 2 and 3 identifiers keep their long names and any version', () => {
  const long = 'A_RATHER_LONG_LEVEL_TWO_NAME.DATA';
  assert.deepEqual(cdNameOf(`${long};12`), { name: long, version: '12' });
  assert.deepEqual(cdNameOf('NO_VERSION.TXT'), { name: 'NO_VERSION.TXT', version: '' });
});

test('a name ending in a dot loses the dot, before or without a version', () => {
  assert.deepEqual(cdNameOf('EMPTY.;1'), { name: 'EMPTY', version: '1' });
  assert.deepEqual(cdNameOf('README.'), { name: 'README', version: '' });
});

test('a separator with nothing after it gives no version', () => {
  assert.deepEqual(splitVersion('FILE.TXT;'), { name: 'FILE.TXT', version: '' });
});

test('empty names and names with illegal characters are corrupt', () => {
  assert.equal(cdNameOf(';1'), null);
  assert.equal(cdNameOf('.;1'), null);
  for (const bad of ['A*B', 'A/B', 'A:B', 'A?B', 'A\\B', 'A\u0001B']) assert.equal(cdNameOf(bad), null, bad);
});

test('quotes, angle brackets and bars are legal on a CD, as in CDFS', () => {
  assert.deepEqual(cdNameOf('A"<>|B;1'), { name: 'A"<>|B', version: '1' });
});

test('the name with its version reads back as on the disc', () => {
  assert.equal(nameWithVersion({ name: 'HELLO.TXT', version: '1' }), 'HELLO.TXT;1');
  assert.equal(nameWithVersion({ name: 'DIR', version: '' }), 'DIR');
});

test('primary-descriptor identifier bytes read as ISO 8859-1', () => {
  assert.equal(decodeIsoBytes(Uint8Array.from([0x41, 0xe9, 0x42]), 0, 3), 'AéB');
});

test('the three Joliet escape sequences give levels 1, 2 and 3; others give 0', () => {
  const descriptor = (sequence: string) => {
    const sector = new Uint8Array(2048);
    for (let i = 0; i < sequence.length; i++) sector[88 + i] = sequence.charCodeAt(i);
    return sector;
  };
  assert.equal(jolietLevel(descriptor('%/@')), 1);
  assert.equal(jolietLevel(descriptor('%/C')), 2);
  assert.equal(jolietLevel(descriptor('%/E')), 3);
  assert.equal(jolietLevel(descriptor('%/F')), 0);
  assert.equal(jolietLevel(descriptor('')), 0);
});

test('Joliet names are big-endian UTF-16, surrogate pairs included; odd lengths are corrupt', () => {
  const text = 'Résumé 😀';
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    bytes[2 * i] = text.charCodeAt(i) >> 8;
    bytes[2 * i + 1] = text.charCodeAt(i) & 0xff;
  }
  assert.equal(decodeUcs2Be(bytes, 0, bytes.length), text);
  assert.equal(decodeUcs2Be(bytes, 0, 3), null);
});

test('a Joliet label drops trailing spaces and NULs', () => {
  const sector = new Uint8Array(2048);
  const label = 'My Disc ';
  for (let i = 0; i < label.length; i++) sector[40 + 2 * i + 1] = label.charCodeAt(i);
  assert.equal(jolietLabel(sector, 40), 'My Disc');
});
