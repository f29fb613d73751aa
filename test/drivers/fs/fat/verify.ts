/**
 * Checking a volume Strata wrote against the oracles: the volume is written back and copied to an
 * image file, fsck.fat -n must call it clean, and mtools must see exactly the expected tree
 * (every directory's names via mdir, every file's bytes via mcopy) — and so must Strata itself.
 */
import assert from 'node:assert/strict';
import { fsckFat, mcopyOut, mdir } from './oracles.ts';
import type { FatVolumeFixture } from './setup.ts';

/** Path (with `/`, no leading slash) → contents, or null for a directory. */
export type ExpectedTree = Map<string, Uint8Array | null>;

export function verifyWithOracles(
  v: FatVolumeFixture,
  expected: ExpectedTree,
  scratch: string,
  what: string,
): string {
  const image = v.save(scratch, `check-${v.fatType}.img`);
  const check = fsckFat(image);
  assert.ok(check.clean, `${what}: fsck.fat -n is not clean:\n${check.output}`);
  const directories = ['', ...[...expected].filter(([, data]) => data === null).map(([name]) => name)];
  for (const directory of directories) {
    const prefix = directory === '' ? '' : `${directory}/`;
    const wanted = [...expected.keys()]
      .filter(
        (name) => name.startsWith(prefix) && !name.slice(prefix.length).includes('/') && name !== directory,
      )
      .map((name) => name.slice(prefix.length).toUpperCase())
      .sort();
    const seen = mdir(image, `/${directory}`)
      .map((entry) => (entry.longName ?? entry.shortName).toUpperCase())
      .filter((name) => name !== '.' && name !== '..')
      .sort();
    assert.deepEqual(seen, wanted, `${what}: mdir of /${directory}`);
    const ours = v
      .list(directory === '' ? '\\??\\M:\\' : directory.replaceAll('/', '\\'))
      .map((name) => name.toUpperCase())
      .sort();
    assert.deepEqual(ours, wanted, `${what}: Strata's listing of /${directory}`);
  }
  for (const [name, data] of expected) {
    if (data === null) continue;
    assert.deepEqual(mcopyOut(image, `/${name}`, scratch), data, `${what}: mcopy of ${name}`);
  }
  return image;
}
