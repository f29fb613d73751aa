import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CP437, CP850 } from '../../../../src/drivers/fs/fat/code-page.ts';
import {
  chooseShortName,
  decodeShortName,
  packShortName,
  ShortNameGenerator,
  shortNameHash,
  shortNameWithCase,
} from '../../../../src/drivers/fs/fat/short-name.ts';
import { makeTempDir } from '../../../support/disk-images.ts';
import { mdir, mkfsFat, mustRun } from './oracles.ts';

const free = () => false;

test('code pages 437 and 850 map every upper byte to one character and back', () => {
  for (const page of [CP437, CP850]) {
    for (let byte = 0; byte < 256; byte++) assert.equal(page.toByte(page.toChar(byte).charCodeAt(0)), byte);
  }
  assert.equal(CP850.toChar(0x90), 'É');
  assert.equal(CP850.toChar(0xb7), 'À');
  assert.equal(CP437.toByte('À'.charCodeAt(0)), -1, '437 has no À');
  assert.equal(CP850.encode('€'), null);
});

test('a lower-case, an upper-case and a mixed 8.3 name: NT case flags or a long entry', () => {
  assert.deepEqual(pick('readme.txt'), ['README.TXT', 0x18, false]);
  assert.deepEqual(pick('README.txt'), ['README.TXT', 0x10, false]);
  assert.deepEqual(pick('readme.TXT'), ['README.TXT', 0x08, false]);
  assert.deepEqual(pick('README.TXT'), ['README.TXT', 0, false]);
  assert.deepEqual(pick('makefile'), ['MAKEFILE', 0x08, false]);
  assert.deepEqual(pick('Readme.txt'), ['README.TXT', 0, true]);
  assert.deepEqual(pick('a1_~b.c'), ['A1_~B.C', 0x18, false]);
});

test('names that are not 8.3 get a generated alias and a long entry', () => {
  assert.deepEqual(pick('longfilename.txt'), ['LONGFI~1.TXT', 0, true]);
  assert.deepEqual(pick('x.tar.gz'), ['XTAR~1.GZ', 0, true]);
  assert.deepEqual(pick('a+b=c.txt'), ['A_B_C~1.TXT', 0, true], 'illegal 8.3 characters become _');
  assert.deepEqual(pick('my file.txt'), ['MYFILE~1.TXT', 0, true], 'spaces are dropped');
  assert.deepEqual(pick('toolong.text'), ['TOOLON~1.TEX', 0, true]);
  assert.deepEqual(pick('Résumé.txt'), ['RÉSUMÉ.TXT', 0, true], 'a legal OEM name is its own alias');
  assert.equal(pick('€uro.txt')[0], 'URO~1.TXT', 'characters the code page lacks are skipped');
});

test('short bases of two characters or fewer get the checksum at once', () => {
  const hash = shortNameHash('a b.txt');
  const hex = [0, 4, 8, 12].map((s) => ((hash >> s) & 0xf).toString(16).toUpperCase()).join('');
  assert.equal(pick('a b.txt')[0], `AB${hex}~1.TXT`);
  assert.match(pick('.hidden')[0], /^[0-9A-F]{4}~1\.HID$/);
});

test('aliases go ~1 to ~4, then two characters, four hex digits of the checksum and ~1 again', () => {
  const generator = new ShortNameGenerator('longfilename.txt', CP850);
  const names = Array.from({ length: 7 }, () => generator.next()!.display);
  assert.deepEqual(names.slice(0, 4), ['LONGFI~1.TXT', 'LONGFI~2.TXT', 'LONGFI~3.TXT', 'LONGFI~4.TXT']);
  assert.match(names[4]!, /^LO[0-9A-F]{4}~1\.TXT$/);
  assert.equal(names[5], names[4]!.replace('~1', '~2'));
  const taken = new Set(names.slice(0, 4));
  const choice = chooseShortName('longfilename.txt', CP850, (d) => taken.has(d))!;
  assert.equal(choice.short.display, names[4]);
});

test('the base shrinks so that a long ~N tail keeps the alias 8.3', () => {
  const generator = new ShortNameGenerator('abcdefghij.txt', CP850);
  let last = '';
  for (let i = 0; i < 14; i++) last = generator.next()!.display;
  assert.match(last, /^[A-Z0-9]{5}~10\.TXT$/);
  for (let i = 0; i < 90; i++) last = generator.next()!.display;
  assert.match(last, /^[A-Z0-9]{4}~100\.TXT$/);
});

test('stored short names decode with 0x05 as 0xE5 and NT case flags applied', () => {
  const raw = packShortName(CP850.encode('ÅBC.TXT')!)!;
  assert.equal(raw[0], 0x8f);
  const e5 = new Uint8Array(11).fill(0x20);
  e5[0] = 0x05;
  e5[1] = 0x41;
  assert.equal(decodeShortName(e5, CP437).base, `${CP437.toChar(0xe5)}A`);
  assert.equal(shortNameWithCase(packShortName(CP850.encode('README.TXT')!)!, 0x08, CP850), 'readme.TXT');
  assert.equal(packShortName(CP850.encode('TOO.MANY.DOTS')!), null);
  assert.equal(packShortName(CP850.encode('NINECHARS')!), null);
  assert.equal(packShortName(CP850.encode('A B')!), null);
});

test('the first four aliases are the ones mtools gives the same long names', () => {
  const temp = makeTempDir('strata-fat-names-');
  try {
    const image = path.join(temp.dir, 'names.img');
    mkfsFat(image, 1440, 12);
    const names = [
      'longfilename one.txt',
      'longfilename two.txt',
      'longfilename three.txt',
      'longfilename four.txt',
    ];
    const taken = new Set<string>();
    const ours: string[] = [];
    for (const name of names) {
      const source = path.join(temp.dir, name);
      fs.writeFileSync(source, name);
      mustRun('mcopy', ['-i', image, source, '::/']);
      const choice = chooseShortName(name, CP850, (d) => taken.has(d))!;
      taken.add(choice.short.display);
      ours.push(choice.short.display);
    }
    const theirs = names.map((name) => mdir(image, '/').find((e) => e.longName === name)?.shortName);
    assert.deepEqual(ours, theirs);
  } finally {
    temp.cleanup();
  }
});

function pick(name: string): [string, number, boolean] {
  const choice = chooseShortName(name, CP850, free)!;
  return [choice.short.display, choice.ntByte, choice.needsLongName];
}
