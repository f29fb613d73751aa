/**
 * MemFS's own listing order at scale: every directory is kept sorted by upcased name, so ten
 * thousand names list completely and in order. What every file system does with directory queries
 * is in the behaviour suite (test/drivers/fs/behaviour/cases-directory.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILE_CREATE, SYNCHRONIZE } from '../../../../src/base/index.ts';
import { memfsVolume } from './setup.ts';

test('ten thousand files in one directory list completely and in order', () => {
  const v = memfsVolume({ sizeBytes: 8 << 20 });
  v.mkdir('many');
  for (let i = 0; i < 10_000; i++)
    v.close(v.handle(`many\\f${i}`, { disposition: FILE_CREATE, access: SYNCHRONIZE }));
  const names = v.list('many');
  assert.equal(names.length, 10_000);
  const sorted = [...names].sort((a, b) => (a.toUpperCase() < b.toUpperCase() ? -1 : 1));
  assert.deepEqual(names, sorted);
});
