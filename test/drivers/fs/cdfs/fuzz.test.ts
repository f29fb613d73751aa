/**
 * A seeded mutation fuzzer over small ISO images (genisoimage with Rock Ridge and Joliet, xorriso,
 * plain ISO 9660): each mutant is mounted under every name set and walked (bounded), every file is
 * read and queried. Whatever the damage, every request must come back with a status: no exception,
 * no hang, no request that pends on a disc that never does. The seed and count are fixed, so a
 * failure reproduces; FUZZ_SEED and FUZZ_COUNT change them for longer local runs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_OPEN_REPARSE_POINT,
  FILE_READ_ATTRIBUTES,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileAllInformation,
  FileFsVolumeInformation,
  FileStatLxInformation,
  FSCTL_GET_REPARSE_POINT,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import type { NamePreference } from '../../../../src/drivers/fs/cdfs/index.ts';
import { buildIso, cdVolume } from './setup.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const COUNT = Number(process.env.FUZZ_COUNT ?? 150);

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const TREE = {
  'a.txt': 'alpha\n',
  'b.bin': new Uint8Array(9000).fill(3),
  'dir/c.txt': 'gamma\n',
  'dir/nested/d.txt': 'delta\n',
  'dir/nested/empty': '',
  'Long Name With Spaces.txt': 'long\n',
  link: { link: 'dir/c.txt' },
  loop: { link: 'loop' },
};

/** One mutation: byte flips, zeroed or 0xff runs, a copied sector, or a truncation. */
function mutate(base: Uint8Array, random: () => number, metadataEnd: number): Uint8Array {
  let image = base.slice();
  const kinds = 1 + Math.floor(random() * 3);
  for (let k = 0; k < kinds; k++) {
    const kind = Math.floor(random() * 6);
    // Mostly hit the descriptors and directories, where the parsing happens.
    const at = 16 * 2048 + Math.floor(random() * (metadataEnd - 16 * 2048));
    if (kind <= 1) {
      for (let i = 0; i < 1 + Math.floor(random() * 8); i++) {
        const p = Math.min(image.length - 1, at + Math.floor(random() * 256));
        image[p] = Math.floor(random() * 256);
      }
    } else if (kind === 2) {
      image.fill(0, at, Math.min(image.length, at + Math.floor(random() * 64)));
    } else if (kind === 3) {
      image.fill(0xff, at, Math.min(image.length, at + Math.floor(random() * 16)));
    } else if (kind === 4) {
      const from = Math.floor(random() * (metadataEnd / 2048)) * 2048;
      const to = Math.floor(random() * (metadataEnd / 2048)) * 2048;
      image.copyWithin(to, from, from + 2048);
    } else {
      const cut = Math.max(2048, Math.floor(random() * image.length));
      image = image.slice(0, cut - (cut % 2048));
    }
  }
  return image;
}

/** Mounts and walks a mutant; returns how many requests were made. Throws only on a real failure. */
function exercise(image: Uint8Array, preferredNames: NamePreference): number {
  const volume = cdVolume(image, { cdfs: { preferredNames } });
  let requests = 0;
  const visit = (path: string, depth: number): void => {
    if (depth > 8 || requests > 400) return;
    const opened = volume.open(path === '' ? '\\??\\D:\\' : path, {
      access: FILE_READ_ATTRIBUTES | SYNCHRONIZE | 1,
      options: FILE_SYNCHRONOUS_IO_NONALERT,
    });
    requests++;
    if (opened.status !== STATUS_SUCCESS) return;
    const h = opened.handle!;
    volume.query(h, FileAllInformation);
    volume.query(h, FileStatLxInformation);
    volume.queryVolume(h, FileFsVolumeInformation);
    requests += 3;
    const first = volume.queryDirectory(h, { fileName: null });
    requests++;
    if (first.status === STATUS_SUCCESS) {
      const entries = [...first.entries];
      for (let more = 0; more < 20; more++) {
        const next = volume.queryDirectory(h);
        requests++;
        if (next.status !== STATUS_SUCCESS) break;
        entries.push(...next.entries);
      }
      for (const entry of entries.slice(0, 40)) {
        if (entry.fileName === '.' || entry.fileName === '..') continue;
        const child = path === '' ? entry.fileName : `${path}\\${entry.fileName}`;
        if ((entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) !== 0) visit(child, depth + 1);
        else readSome(child);
      }
    }
    volume.close(h);
  };
  const readSome = (path: string): void => {
    const opened = volume.open(path);
    requests++;
    if (opened.status === STATUS_SUCCESS) {
      for (const offset of [0, 2047, 9000, 2 ** 32 + 5]) volume.read(opened.handle!, 4096, offset);
      volume.query(opened.handle!, FileAllInformation);
      requests += 5;
      volume.close(opened.handle!);
    }
    const link = volume.open(path, {
      access: FILE_READ_ATTRIBUTES | SYNCHRONIZE,
      options: FILE_OPEN_REPARSE_POINT,
    });
    requests++;
    if (link.status === STATUS_SUCCESS) {
      volume.fsctlResult(link.handle!, FSCTL_GET_REPARSE_POINT, null, 512);
      requests++;
      volume.close(link.handle!);
    }
  };
  visit('', 0);
  return requests;
}

test('mutated images never throw, hang or pend: every request gets a status', { timeout: 120_000 }, () => {
  const bases = [
    buildIso(TREE, 'genisoimage', ['-R', '-J']),
    buildIso(TREE, 'xorriso', ['-R', '-J']),
    buildIso(TREE, 'genisoimage', []),
  ];
  const random = rng(SEED);
  const names: NamePreference[] = ['rock-ridge', 'joliet', 'iso9660'];
  let requests = 0;
  for (let i = 0; i < COUNT; i++) {
    const base = bases[i % bases.length]!;
    // Metadata lives before the file data; 60 sectors covers it for these small trees.
    const mutant = mutate(base, random, Math.min(base.length, 60 * 2048));
    const preferred = names[Math.floor(i / bases.length) % names.length]!;
    try {
      requests += exercise(mutant, preferred);
    } catch (error) {
      assert.fail(`mutant ${i} (seed ${SEED}, ${preferred}): ${(error as Error).stack}`);
    }
  }
  assert.ok(requests > COUNT * 5, `the walk reached into the images (${requests} requests)`);
});
