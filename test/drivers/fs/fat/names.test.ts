/**
 * FAT names through the driver: which names get a long entry, the NT case flags, the 8.3 alias
 * in listings and FileAlternateNameInformation, opens by alias, collisions, FAT's invalid names,
 * and code page 850 (or, as an option, 437) short names, checked against what mtools sees on disk.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  FILE_CREATE,
  FileAlternateNameInformation,
  FileBothDirectoryInformation,
  type FileNameInfo,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../../../src/base/index.ts';
import { CP437, fatDriverWith } from '../../../../src/drivers/fs/fat/index.ts';
import { makeTempDir } from '../../../support/disk-images.ts';
import { mdir, mkfsFat, TOOL_ENV, tool } from './oracles.ts';
import { fatVolume, fatVolumeFromFile } from './setup.ts';

test('8.3 names get no long entry, with NT case flags for all-lower parts; others get one', () => {
  const temp = makeTempDir('strata-fat-names-');
  try {
    const v = fatVolume({ fatType: 16 });
    for (const name of [
      'lower.txt',
      'UPPER.TXT',
      'Mixed.txt',
      'camelCase',
      'long file name.text',
      'Résumé.txt',
    ])
      v.writeFile(name, name);
    const image = v.save(temp.dir);
    const entries = mdir(image, '/');
    const find = (short: string) => entries.find((e) => e.shortName.toUpperCase() === short)!;
    assert.equal(find('LOWER.TXT').longName, null);
    assert.equal(find('LOWER.TXT').shortName, 'lower.txt', 'mtools applies the case flags');
    assert.equal(find('UPPER.TXT').longName, null);
    assert.equal(find('MIXED.TXT').longName, 'Mixed.txt');
    assert.equal(find('CAMELC~1').longName, 'camelCase', 'nine letters: not 8.3');
    assert.equal(find('LONGFI~1.TEX').longName, 'long file name.text');
    assert.equal(find('RÉSUMÉ.TXT').longName, 'Résumé.txt', 'code page 850 short name, long name kept');
    const root = v.media.subarray(4 * 512 + 2 * 32 * 512); // FAT16: 4 reserved, 2 FATs of 32 sectors
    const lowerEntry = [...Array(32).keys()]
      .map((i) => root.subarray(i * 32, i * 32 + 32))
      .find((e) => e[0] === 0x4c);
    assert.equal(lowerEntry![12], 0x18, 'NT byte: base and extension lower case');
  } finally {
    temp.cleanup();
  }
});

test('listings carry the 8.3 alias only for long names; the alias opens the file and FileAlternateNameInformation gives it', () => {
  const v = fatVolume({ fatType: 32 });
  v.writeFile('A Long Name.txt', 'x');
  v.writeFile('SHORT.TXT', 'y');
  const entries = v.listEntries('\\??\\M:\\', null, undefined, FileBothDirectoryInformation);
  assert.equal(entries.find((e) => e.fileName === 'A Long Name.txt')!.shortName, 'ALONGN~1.TXT');
  assert.equal(entries.find((e) => e.fileName === 'SHORT.TXT')!.shortName, '');
  assert.equal(v.readFile('alongn~1.txt'), 'x');
  const h = v.handle('A Long Name.txt');
  assert.equal(v.query<FileNameInfo>(h, FileAlternateNameInformation).info!.fileName, 'ALONGN~1.TXT');
  v.close(h);
  const root = v.handle('\\??\\M:\\');
  assert.equal(v.query(root, FileAlternateNameInformation).status, STATUS_OBJECT_NAME_NOT_FOUND);
  v.close(root);
  assert.deepEqual(v.list('\\??\\M:\\', 'ALONG*'), ['A Long Name.txt'], 'wildcards match the alias too');
});

test('aliases follow ~1..~4 and then the hashed form as names collide, and a long name cannot take a used alias', () => {
  const v = fatVolume({ fatType: 12 });
  for (let i = 0; i < 6; i++) v.writeFile(`collision name ${i}.txt`, String(i));
  const shorts = v
    .listEntries('\\??\\M:\\', null, undefined, FileBothDirectoryInformation)
    .map((e) => e.shortName)
    .sort();
  assert.deepEqual(
    shorts.filter((s) => s.startsWith('COLLIS')),
    ['COLLIS~1.TXT', 'COLLIS~2.TXT', 'COLLIS~3.TXT', 'COLLIS~4.TXT'],
  );
  const hashed = shorts.filter((s) => !s.startsWith('COLLIS'));
  assert.equal(hashed.length, 2);
  for (const alias of hashed)
    assert.match(alias, /^CO[0-9A-F]{4}~1\.TXT$/, 'the fifth and sixth use the checksum');
  assert.equal(v.open('COLLIS~1.TXT', { disposition: FILE_CREATE }).status, STATUS_OBJECT_NAME_COLLISION);
  for (let i = 0; i < 6; i++) assert.equal(v.readFile(`collision name ${i}.txt`), String(i));
});

test('names FAT cannot hold are STATUS_OBJECT_NAME_INVALID; 255 characters and + , ; = [ ] are fine', () => {
  const v = fatVolume({ fatType: 16 });
  for (const name of ['trailing.', 'trailing ', 'a*b', 'x'.repeat(256), 'ctl\u0001'])
    assert.equal(
      v.open(name, { disposition: FILE_CREATE }).status,
      STATUS_OBJECT_NAME_INVALID,
      JSON.stringify(name),
    );
  for (const name of ['x'.repeat(255), 'a+b,c;d=e[f]g.txt', ' leading space', 'ünïcödé ünd €uro.txt']) {
    const h = v.open(name, { disposition: FILE_CREATE });
    assert.equal(h.status, STATUS_SUCCESS, JSON.stringify(name));
    v.close(h.handle!);
  }
  assert.equal(v.list('\\??\\M:\\').length, 4);
});

test('a driver loaded with code page 437 reads and writes short names as mtools does with that code page', () => {
  const temp = makeTempDir('strata-fat-cp437-');
  try {
    const image = path.join(temp.dir, 'cp437.img');
    mkfsFat(image, 2048, 12);
    const source = path.join(temp.dir, 'in.txt');
    fs.writeFileSync(source, 'cents');
    const cp437 = { ...TOOL_ENV, DEFAULT_CODEPAGE: '437' };
    const mcopy = tool('mcopy', ['-i', image, source, '::¢.TXT'], undefined, cp437);
    assert.equal(mcopy.status, 0, mcopy.stderr);
    const v = fatVolumeFromFile(image, { driver: fatDriverWith({ codePage: CP437 }) });
    assert.deepEqual(v.list('\\??\\M:\\'), ['¢.TXT'], 'byte 0x9B is ¢ in 437 (ø in 850)');
    assert.equal(v.readFile('¢.TXT'), 'cents');
    v.writeFile('¥.TXT', 'yen');
    const written = v.save(temp.dir, 'written.img');
    const listing = tool('mdir', ['-a', '-i', written, '::/'], undefined, cp437);
    assert.match(listing.stdout, /^¥ +TXT +3 .* ¥\.TXT$/m, 'the alias in 437 (a long entry keeps the name)');
    const as850 = tool('mdir', ['-a', '-i', written, '::/']);
    assert.match(as850.stdout, /^Ø +TXT +3 /m, 'byte 0x9D, which 850 reads as Ø');
  } finally {
    temp.cleanup();
  }
});
