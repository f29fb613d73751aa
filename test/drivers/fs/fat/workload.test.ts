/**
 * A seeded random workload (create, write, truncate, rename, delete, mkdir, rmdir) on each FAT
 * type, checked step by step against an in-memory model, then checked by fsck.fat and mtools.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_CREATE,
  FILE_NON_DIRECTORY_FILE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileEndOfFileInformation,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_SUCCESS,
} from '../../../../src/base/index.ts';
import { makeTempDir } from '../../../support/disk-images.ts';
import { FAT_TYPES, fatVolume } from './setup.ts';
import { type ExpectedTree, verifyWithOracles } from './verify.ts';

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  'a.txt',
  'B.TXT',
  'readme',
  'Mixed Case.doc',
  'a much longer file name with spaces.txt',
  'café crème.txt',
  'x.tar.gz',
  'DATA.BIN',
  'notes 2024.md',
  'Ω omega.txt',
  '~tilde~',
  'UPPER lower',
];

const OPERATIONS = Number(process.env.FAT_WORKLOAD_OPERATIONS ?? 250);

for (const fatType of FAT_TYPES) {
  test(`FAT${fatType}: a seeded random workload matches a model, then fsck.fat and mtools`, () => {
    const temp = makeTempDir('strata-fat-workload-');
    try {
      const next = random(Number(process.env.FAT_WORKLOAD_SEED ?? 0xfa7) + fatType);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
      const v = fatVolume({ fatType });
      const model: ExpectedTree = new Map();
      const key = (name: string) => name.toUpperCase();
      const find = (path: string) => [...model.keys()].find((name) => key(name) === key(path));
      const directories = () => ['', ...[...model].filter(([, d]) => d === null).map(([n]) => n)];
      const files = () => [...model].filter(([, d]) => d !== null).map(([n]) => n);
      const ntPath = (path: string) => (path === '' ? '\\??\\M:\\' : path.replaceAll('/', '\\'));
      const join = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);
      const content = (n: number) => new Uint8Array(n).map(() => Math.floor(next() * 256));

      for (let step = 0; step < OPERATIONS; step++) {
        const what = next();
        const where = `step ${step}`;
        if (what < 0.25) {
          const path = join(pick(directories()), pick(NAMES));
          const data = content(Math.floor(next() * 3000));
          const result = v.open(ntPath(path), {
            disposition: FILE_CREATE,
            options: FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
          });
          if (find(path) !== undefined) {
            assert.equal(result.status, STATUS_OBJECT_NAME_COLLISION, `${where}: create ${path}`);
            continue;
          }
          assert.equal(result.status, STATUS_SUCCESS, `${where}: create ${path}`);
          assert.equal(v.write(result.handle!, data).status, STATUS_SUCCESS);
          v.close(result.handle!);
          model.set(path, data);
        } else if (what < 0.45 && files().length > 0) {
          const path = pick(files());
          const old = model.get(path)!;
          const offset = Math.floor(next() * (old.length + 1500));
          const chunk = content(Math.floor(next() * 2000) + 1);
          const h = v.handle(ntPath(path));
          assert.equal(v.write(h, chunk, offset).status, STATUS_SUCCESS, `${where}: write ${path}`);
          v.close(h);
          const grown = new Uint8Array(Math.max(old.length, offset + chunk.length));
          grown.set(old);
          grown.set(chunk, offset);
          model.set(path, grown);
        } else if (what < 0.55 && files().length > 0) {
          const path = pick(files());
          const old = model.get(path)!;
          const size = Math.floor(next() * (old.length + 2000));
          const h = v.handle(ntPath(path));
          assert.equal(
            v.set(h, FileEndOfFileInformation, { endOfFile: size }),
            STATUS_SUCCESS,
            `${where}: size ${path}`,
          );
          v.close(h);
          const resized = new Uint8Array(size);
          resized.set(old.subarray(0, Math.min(size, old.length)));
          model.set(path, resized);
        } else if (what < 0.68 && files().length > 0) {
          const path = pick(files());
          const target = join(pick(directories()), pick(NAMES));
          const existing = find(target);
          const status = v.rename(ntPath(path), `\\??\\M:\\${target.replaceAll('/', '\\')}`, true);
          if (existing !== undefined && existing !== path && model.get(existing) === null) {
            assert.notEqual(status, STATUS_SUCCESS, `${where}: rename onto a directory`);
            continue;
          }
          assert.equal(status, STATUS_SUCCESS, `${where}: rename ${path} -> ${target}`);
          const data = model.get(path)!;
          model.delete(path);
          if (existing !== undefined) model.delete(existing);
          model.set(target, data);
        } else if (what < 0.8 && files().length > 0) {
          const path = pick(files());
          assert.equal(v.remove(ntPath(path)), STATUS_SUCCESS, `${where}: delete ${path}`);
          model.delete(path);
        } else if (what < 0.92) {
          const path = join(pick(directories()), `Dir ${pick(NAMES).split('.')[0]}`);
          const status = v.mkdir(ntPath(path));
          if (find(path) !== undefined) {
            assert.equal(status, STATUS_OBJECT_NAME_COLLISION, `${where}: mkdir ${path}`);
            continue;
          }
          assert.equal(status, STATUS_SUCCESS, `${where}: mkdir ${path}`);
          model.set(path, null);
        } else {
          const dirs = directories().filter((d) => d !== '');
          if (dirs.length === 0) continue;
          const path = pick(dirs);
          const empty = ![...model.keys()].some((name) => name.startsWith(`${path}/`));
          const status = v.remove(ntPath(path));
          assert.equal(
            status,
            empty ? STATUS_SUCCESS : STATUS_DIRECTORY_NOT_EMPTY,
            `${where}: rmdir ${path}`,
          );
          if (empty) model.delete(path);
        }
      }
      for (const path of files())
        assert.deepEqual(v.readBytes(ntPath(path)), model.get(path), `contents of ${path}`);
      verifyWithOracles(v, model, temp.dir, `FAT${fatType} workload`);
    } finally {
      temp.cleanup();
    }
  });
}
