/**
 * Corrupt media, case by case: cyclic, broken and out-of-range chains, cross-linked files, a
 * directory loop, a file longer than its chain, a corrupt FAT32 root. Opens fail with
 * STATUS_FILE_CORRUPT_ERROR (or the volume refuses to mount), intact files still read, and nothing
 * is ever written through a chain found corrupt.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILE_GENERIC_WRITE, STATUS_FILE_CORRUPT_ERROR, STATUS_SUCCESS } from '../../../../src/base/index.ts';
import { FatTable } from '../../../../src/drivers/fs/fat/fat-table.ts';
import { put16, put32, readBootSector, readDirent } from '../../../../src/drivers/fs/fat/on-disk.ts';
import { interpretBootSector, type VolumeLayout } from '../../../../src/drivers/fs/fat/volume-layout.ts';
import { type FatBits, fatVolume } from './setup.ts';

interface Image {
  media: Uint8Array;
  layout: VolumeLayout;
  fat: FatTable;
}

function open(media: Uint8Array): Image {
  const { layout } = interpretBootSector(readBootSector(media), 512, media.length);
  const fat = new FatTable(
    media.subarray(layout!.fatOffset, layout!.fatOffset + layout!.fatBytes),
    layout!.fatType,
    layout!.clusterCount,
    512,
  );
  return { media, layout: layout!, fat };
}

/** Byte offset of the root entry with these 11 name bytes (FAT12/16 fixed root or FAT32 first root cluster). */
function rootEntry(image: Image, name: string): number {
  const { layout, media } = image;
  const start =
    layout.fatType === 32
      ? layout.dataOffset + (layout.rootCluster - 2) * layout.bytesPerCluster
      : layout.rootDirOffset;
  const raw = name.padEnd(11, ' ');
  for (let at = start; at < start + 4096; at += 32) {
    if (String.fromCharCode(...media.subarray(at, at + 11)) === raw) return at;
  }
  throw new Error(`no entry ${name}`);
}

function firstCluster(image: Image, entry: number): number {
  return readDirent(image.media, entry, image.layout.fatType === 32).firstCluster;
}

/** A volume with three files written by Strata and flushed, and its image. */
function prepared(fatType: FatBits) {
  const v = fatVolume({ fatType });
  v.writeFile('ONE.BIN', new Uint8Array(8192).fill(1));
  v.writeFile('TWO.BIN', new Uint8Array(8192).fill(2));
  v.writeFile('SAFE.TXT', 'untouched');
  v.mkdir('SUBDIR');
  v.writeFile('SUBDIR\\INNER.TXT', 'inner');
  v.flushVolume();
  return v.media.slice();
}

function remount(fatType: FatBits, media: Uint8Array) {
  return fatVolume({ fatType, media });
}

for (const fatType of [12, 16, 32] as const) {
  test(`FAT${fatType}: a cyclic, a broken and an out-of-range chain make only that file corrupt`, () => {
    const base = prepared(fatType);
    for (const damage of ['cycle', 'free', 'range'] as const) {
      const media = base.slice();
      const image = open(media);
      const first = firstCluster(image, rootEntry(image, 'ONE     BIN'));
      const second = image.fat.get(first);
      if (damage === 'cycle') image.fat.set(second, first);
      if (damage === 'free') image.fat.set(second, 0);
      if (damage === 'range') image.fat.set(second, image.layout.clusterCount + 50);
      const before = media.slice();
      const v = remount(fatType, media);
      assert.equal(v.open('ONE.BIN').status, STATUS_FILE_CORRUPT_ERROR, damage);
      assert.equal(
        v.remove('ONE.BIN'),
        STATUS_FILE_CORRUPT_ERROR,
        `${damage}: no delete through a corrupt chain`,
      );
      assert.equal(v.readFile('SAFE.TXT'), 'untouched');
      assert.equal(v.readFile('SUBDIR\\INNER.TXT'), 'inner');
      v.flushVolume();
      assert.deepEqual(media, before, `${damage}: nothing written`);
    }
  });

  test(`FAT${fatType}: cross-linked files are refused for writing once the cross-link is seen`, () => {
    const media = prepared(fatType);
    const image = open(media);
    const one = rootEntry(image, 'ONE     BIN');
    const two = rootEntry(image, 'TWO     BIN');
    // TWO's second cluster now continues into ONE's chain.
    const oneSecond = image.fat.get(firstCluster(image, one));
    image.fat.set(firstCluster(image, two), oneSecond);
    const before = media.slice();
    const v = remount(fatType, media);
    const first = v.open('ONE.BIN', { access: FILE_GENERIC_WRITE });
    assert.equal(first.status, STATUS_SUCCESS, 'the first chain seen is not yet known to be shared');
    assert.equal(v.open('TWO.BIN').status, STATUS_FILE_CORRUPT_ERROR);
    assert.equal(
      v.write(first.handle!, 'x', 0).status,
      STATUS_FILE_CORRUPT_ERROR,
      'no write through a shared chain',
    );
    v.close(first.handle!);
    assert.equal(v.remove('ONE.BIN'), STATUS_FILE_CORRUPT_ERROR);
    assert.equal(v.readFile('SAFE.TXT'), 'untouched');
    v.flushVolume();
    assert.deepEqual(media, before);
  });

  test(`FAT${fatType}: a directory that loops back to its parent is corrupt, not endless`, () => {
    const media = prepared(fatType);
    const image = open(media);
    const subdir = rootEntry(image, 'SUBDIR     ');
    const sub = firstCluster(image, subdir);
    const inner = image.layout.dataOffset + (sub - 2) * image.layout.bytesPerCluster;
    // A new entry LOOP in SUBDIR whose cluster is SUBDIR's own.
    const loop = inner + 3 * 32;
    media.set(new TextEncoder().encode('LOOP       '), loop);
    media[loop + 11] = 0x10;
    put16(media, loop + 26, sub & 0xffff);
    if (fatType === 32) put16(media, loop + 20, sub >>> 16);
    put32(media, loop + 28, 0);
    const v = remount(fatType, media);
    assert.ok(v.list('SUBDIR').includes('LOOP'));
    assert.equal(v.open('SUBDIR\\LOOP\\INNER.TXT').status, STATUS_FILE_CORRUPT_ERROR);
    assert.equal(v.readFile('SUBDIR\\INNER.TXT'), 'inner');
  });

  test(`FAT${fatType}: a file whose size needs more clusters than its chain has is corrupt`, () => {
    const media = prepared(fatType);
    const image = open(media);
    put32(media, rootEntry(image, 'SAFE    TXT') + 28, 10_000_000);
    const v = remount(fatType, media);
    assert.equal(v.open('SAFE.TXT').status, STATUS_FILE_CORRUPT_ERROR);
    assert.equal((v.readBytes('ONE.BIN') as Uint8Array).length, 8192);
  });
}

test('a FAT32 root whose chain is broken refuses the mount', () => {
  const media = prepared(32);
  const image = open(media);
  image.fat.set(image.layout.rootCluster, 0);
  const v = remount(32, media);
  assert.equal(v.open('SAFE.TXT').status, STATUS_FILE_CORRUPT_ERROR);
  assert.equal(v.volumeDevice(), null, 'nothing mounted');
});
