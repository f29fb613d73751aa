/**
 * The shared behaviour cases on HostFS: a temporary host directory shared as `\Device\HostFs\share`
 * and linked as M:, in both containment modes. Five cases rest on what HostFS deliberately does
 * differently (docs/deviations.md) and are skipped with the reason; test/host/hostfs/ checks
 * HostFS's own answer in each case.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { createSystem } from '../../../../src/api/index.ts';
import { STATUS_SUCCESS } from '../../../../src/base/index.ts';
import { type ContainmentMode, HostFsAddShare } from '../../../../src/host/hostfs/index.ts';
import { type FsHarness, fsHarness } from '../../../support/fs-harness.ts';
import { BEHAVIOUR_CASES } from './cases.ts';

const DIFFERENT: ReadonlyMap<string, string> = new Map([
  [
    'a new file gets ARCHIVE and a new directory DIRECTORY; TEMPORARY on a directory is refused',
    'HostFS stores no DOS attributes: HIDDEN follows a leading dot in the name',
  ],
  [
    'overwriting a hidden or system file needs those attributes in the request',
    'HostFS stores no HIDDEN or SYSTEM attribute to protect',
  ],
  [
    'the root has no dot entries; a subdirectory lists . and ..',
    'a share root lists . and .., as a redirector shows it',
  ],
  [
    'small buffers list everything exactly once, and entries added or removed meanwhile do not upset the rest',
    'a share root lists . and .. (test/host/hostfs/directory.test.ts covers small buffers)',
  ],
  [
    'FileNameInformation is the path from the volume root with the names as created',
    'a network file system reports \\<share>\\path',
  ],
]);

function withShareOnM(containment: ContainmentMode, body: (v: FsHarness) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-behaviour-hostfs-'));
  try {
    const system = createSystem();
    const process = system.createProcess('test.exe');
    if (HostFsAddShare(system, { name: 'share', path: dir, containment }) !== STATUS_SUCCESS)
      throw new Error('HostFsAddShare failed');
    system.ob.createSymbolicLink('\\??\\M:', '\\Device\\HostFs\\share');
    body(fsHarness(system, process, { drive: '\\??\\M:', device: system.io.networkFileSystemQueue[0]! }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const containment of ['procfs', 'path'] as const) {
  for (const [name, run] of BEHAVIOUR_CASES) {
    const skip = DIFFERENT.get(name) ?? false;
    test(`HostFS (${containment}): ${name}`, { skip }, () => withShareOnM(containment, run));
  }
}
