/**
 * A directory grows by as many clusters as a new entry needs. With 512-byte clusters (16 slots,
 * what mkfs.fat picks for a small FAT32 volume) a 255-character long name needs 21 slots, more
 * than one cluster adds: such names used to fail with STATUS_CANNOT_MAKE whenever the end of the
 * directory had no room left. Checked with fsck.fat and mtools.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STATUS_SUCCESS } from '../../../../src/base/index.ts';
import { makeTempDir } from '../../../support/disk-images.ts';
import { fsckFat, mdir } from './oracles.ts';
import { fatVolume } from './setup.ts';

const longName = (letter: string, length: number): string => `${letter.repeat(length - 4)}.txt`;

test('255-character names fill a FAT32 root and a subdirectory with 512-byte clusters, one after another', () => {
  const temp = makeTempDir('strata-fat-long-names-');
  try {
    const v = fatVolume({ fatType: 32 });
    assert.equal(v.mkdir('sub'), STATUS_SUCCESS);
    const names = ['a', 'b', 'c', 'd', 'e', 'f'].map((letter) => longName(letter, 255));
    for (const directory of ['', 'sub\\'])
      for (const name of names)
        assert.equal(v.tryWriteFile(`${directory}${name}`, name.slice(0, 8)), STATUS_SUCCESS, name);
    const image = v.save(temp.dir);
    const check = fsckFat(image);
    assert.ok(check.clean, check.output);
    for (const directory of ['/', '/sub']) {
      const listed = mdir(image, directory).map((entry) => entry.longName);
      for (const name of names) assert.ok(listed.includes(name), `${directory}: ${name.slice(0, 8)}…`);
    }
  } finally {
    temp.cleanup();
  }
});

test('a rename to a 255-character name grows the target directory by two clusters when it must', () => {
  const temp = makeTempDir('strata-fat-long-rename-');
  try {
    const v = fatVolume({ fatType: 32 });
    assert.equal(v.mkdir('sub'), STATUS_SUCCESS);
    // Thirteen short entries after . and ..: the subdirectory's one cluster has one slot left.
    for (let i = 0; i < 13; i++) v.writeFile(`sub\\F${i}.TXT`, 'x');
    v.writeFile('short.txt', 'renamed');
    assert.equal(v.rename('short.txt', `\\??\\M:\\sub\\${longName('r', 255)}`), STATUS_SUCCESS);
    const image = v.save(temp.dir);
    const check = fsckFat(image);
    assert.ok(check.clean, check.output);
    assert.ok(mdir(image, '/sub').some((entry) => entry.longName === longName('r', 255)));
  } finally {
    temp.cleanup();
  }
});
