/**
 * Behaviour every file system shares, written once and run on each (DESIGN: "the same cases on
 * MemFS, FAT12/16/32, HostFS, and read-only cases on CDFS"): the cases of the files beside this one,
 * and the case that ties read-only file systems in: every change either takes effect or is refused
 * with the volume's status. `runBehaviourSuite` registers them for one driver's description.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DELETE,
  FILE_CREATE,
  FILE_GENERIC_WRITE,
  FILE_OVERWRITE,
  FileBasicInformation,
  type NTSTATUS,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import { CREATE_CASES } from './cases-create.ts';
import { DIRECTORY_CASES } from './cases-directory.ts';
import { INFORMATION_CASES } from './cases-information.ts';
import { NAME_CASES } from './cases-names.ts';
import { READ_WRITE_CASES } from './cases-read-write.ts';
import { RENAME_DELETE_CASES } from './cases-rename-delete.ts';
import { type BehaviourCase, type BehaviourDriver, byUpcasedName, ROOT } from './fixture.ts';

const CHANGES_CASE: BehaviourCase = {
  name: 'every kind of change takes effect, or on a read-only volume is refused with its status and changes nothing',
  tree: { f: 'x', d: null },
  reads: true,
  run(v, caps) {
    const opened = (status: NTSTATUS, handle: unknown): NTSTATUS => {
      if (handle !== null) v.close(handle as never);
      return status;
    };
    const attempts: Array<[string, () => NTSTATUS]> = [
      [
        'create',
        () => {
          const r = v.open('new', { disposition: FILE_CREATE });
          return opened(r.status, r.handle);
        },
      ],
      ['mkdir', () => v.mkdir('newdir')],
      [
        'overwrite',
        () => {
          const r = v.open('f', { disposition: FILE_OVERWRITE });
          return opened(r.status, r.handle);
        },
      ],
      [
        'write access',
        () => {
          const r = v.open('f', { access: FILE_GENERIC_WRITE });
          return opened(r.status, r.handle);
        },
      ],
      [
        'set attributes',
        () => {
          const r = v.open('f', { access: 0x100 | SYNCHRONIZE });
          if (r.status !== STATUS_SUCCESS) return r.status;
          const status = v.set(r.handle!, FileBasicInformation, { fileAttributes: 0 });
          return opened(status, r.handle);
        },
      ],
      [
        'delete access',
        () => {
          const r = v.open('d', { access: DELETE | SYNCHRONIZE });
          return opened(r.status, r.handle);
        },
      ],
      ['rename', () => v.rename('f', 'g')],
      ['delete', () => v.remove('d')],
    ];
    for (const [what, attempt] of attempts) assert.equal(attempt(), caps.readOnly ?? STATUS_SUCCESS, what);
    if (caps.readOnly === null) {
      assert.deepEqual(byUpcasedName(v.list(ROOT)), ['g', 'new', 'newdir']);
      return;
    }
    assert.deepEqual(byUpcasedName(v.list(ROOT)), ['d', 'f']);
    assert.equal(v.readFile('f'), 'x');
  },
};

export const BEHAVIOUR_CASES: readonly BehaviourCase[] = [
  ...CREATE_CASES,
  ...NAME_CASES,
  ...READ_WRITE_CASES,
  ...INFORMATION_CASES,
  ...RENAME_DELETE_CASES,
  ...DIRECTORY_CASES,
  CHANGES_CASE,
];

/**
 * Registers every case for `driver`; on a read-only file system only the cases that read, since
 * the changes case above asserts what the others would meet: the volume's refusal.
 */
export function runBehaviourSuite(driver: BehaviourDriver): void {
  const { capabilities } = driver;
  const names = new Set(BEHAVIOUR_CASES.map((c) => c.name));
  for (const name of Object.keys(driver.knownBugs ?? {}))
    if (!names.has(name)) throw new Error(`${driver.name}: no behaviour case is named "${name}"`);
  for (const c of BEHAVIOUR_CASES) {
    if (capabilities.readOnly !== null && c.reads !== true) continue;
    const todo = driver.knownBugs?.[c.name] ?? false;
    test(`${driver.name}: ${c.name}`, { todo }, () =>
      driver.withVolume(c.tree ?? {}, (v) => c.run(v, capabilities)),
    );
  }
}
