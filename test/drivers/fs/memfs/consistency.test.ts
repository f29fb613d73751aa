import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_DIRECTORY_FILE,
  FileEndOfFileInformation,
  FSCTL_DISMOUNT_VOLUME,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_SUCCESS,
} from '../../../../src/base/index.ts';
import { type MemFsVolumeFixture, memfsVolume } from './setup.ts';

/** A small deterministic generator (LCG), so a failure replays exactly. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

type Model = Map<string, string | null>; // folded path → content (null for a directory)

const fold = (path: string): string => path.toUpperCase();

function parentOf(path: string): string {
  const slash = path.lastIndexOf('\\');
  return slash < 0 ? '' : path.slice(0, slash);
}

function childrenOf(model: Model, dir: string): string[] {
  return [...model.keys()].filter((p) => parentOf(p) === fold(dir));
}

/** Compares the volume with the model: every directory's listing and every file's content. */
function check(v: MemFsVolumeFixture, model: Model, names: Map<string, string>): void {
  const dirs = ['', ...[...model.entries()].filter(([, c]) => c === null).map(([p]) => p)];
  for (const dir of dirs) {
    const listed = v.list(dir === '' ? '\\??\\M:\\' : names.get(dir)!);
    const expected = childrenOf(model, dir).map((p) => names.get(p)!.split('\\').pop()!);
    assert.deepEqual(
      listed,
      [...expected].sort((a, b) => (a.toUpperCase() < b.toUpperCase() ? -1 : 1)),
      `listing of "${dir}"`,
    );
  }
  for (const [path, content] of model) {
    if (content !== null) assert.equal(v.readFile(names.get(path)!), content, `content of ${path}`);
  }
}

test('a long random mix of operations leaves the volume equal to a simple model, before and after a remount', () => {
  const v = memfsVolume({ sizeBytes: 2 << 20 });
  const next = random(20240601);
  const model: Model = new Map();
  const names = new Map<string, string>(); // folded path → path as created
  const pick = (filter: (content: string | null) => boolean): string | null => {
    const candidates = [...model.entries()].filter(([, c]) => filter(c)).map(([p]) => p);
    return candidates.length === 0 ? null : candidates[next(candidates.length)]!;
  };
  const newName = (): string => {
    const base = ['a', 'B', 'c', 'Dd', 'e.txt', 'F.TXT'][next(6)]!;
    return next(2) === 0 ? base : base.toUpperCase();
  };
  const done = { mkdir: 0, write: 0, truncate: 0, remove: 0, rename: 0 };
  for (let step = 0; step < 1500; step++) {
    const dir = pick((c) => c === null);
    const where = dir === null || next(3) === 0 ? '' : names.get(dir)!;
    const path = where === '' ? newName() : `${where}\\${newName()}`;
    switch (next(6)) {
      case 0: {
        const status = v.mkdir(path);
        const exists = model.has(fold(path));
        assert.equal(status, exists ? STATUS_OBJECT_NAME_COLLISION : STATUS_SUCCESS, `mkdir ${path}`);
        if (!exists) {
          done.mkdir++;
          model.set(fold(path), null);
          names.set(fold(path), path);
        }
        break;
      }
      case 1:
      case 2: {
        if (model.get(fold(path)) === null) break; // a directory of that name
        const content = 'x'.repeat(next(300)) + step;
        v.writeFile(path, content);
        done.write++;
        if (!model.has(fold(path))) names.set(fold(path), path);
        model.set(fold(path), content);
        break;
      }
      case 3: {
        const file = pick((c) => c !== null);
        if (file === null) break;
        const size = next(model.get(file)!.length + 50);
        const h = v.handle(names.get(file)!);
        assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: size }), STATUS_SUCCESS);
        v.close(h);
        done.truncate++;
        const old = model.get(file)!;
        model.set(file, size <= old.length ? old.slice(0, size) : old + '\0'.repeat(size - old.length));
        break;
      }
      case 4: {
        const victim = pick(() => true);
        if (victim === null) break;
        const isDir = model.get(victim) === null;
        const empty = childrenOf(model, victim).length === 0;
        const status = v.remove(names.get(victim)!);
        assert.equal(
          status,
          isDir && !empty ? STATUS_DIRECTORY_NOT_EMPTY : STATUS_SUCCESS,
          `remove ${victim}`,
        );
        if (status === STATUS_SUCCESS) {
          done.remove++;
          model.delete(victim);
          names.delete(victim);
        }
        break;
      }
      default: {
        const file = pick((c) => c !== null);
        if (file === null) break;
        const target = `${parentOf(names.get(file)!) || ''}${parentOf(names.get(file)!) ? '\\' : ''}${newName()}`;
        const targetKey = fold(target);
        const status = v.rename(names.get(file)!, target.split('\\').pop()!, true);
        const occupant = model.get(targetKey);
        if (targetKey === file || occupant === undefined || occupant !== null) {
          assert.equal(status, STATUS_SUCCESS, `rename ${file} → ${target}`);
          done.rename++;
          const content = model.get(file)!;
          model.delete(file);
          names.delete(file);
          model.set(targetKey, content);
          names.set(targetKey, target);
        } else {
          assert.notEqual(status, STATUS_SUCCESS, 'a directory is never replaced');
        }
      }
    }
  }
  for (const [operation, count] of Object.entries(done))
    assert.ok(count > 20, `${operation} ran ${count} times`);
  assert.ok(model.size > 10, `${model.size} entries at the end`);
  check(v, model, names);
  const volume = v.openVolume();
  assert.equal(v.fsctl(volume.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  v.close(volume.handle!);
  check(v, model, names);
  assert.equal(v.open('\\??\\M:\\', { options: FILE_DIRECTORY_FILE }).status, STATUS_SUCCESS);
});
