/**
 * A HostFS share for end-to-end tests: a temporary host directory holding `share/` (exposed as
 * `\Device\HostFs\<name>`, drive letter H: unless told) and a `sentinel/` directory next to it that no request
 * may ever touch; a booted system with HostFS loaded; thin synchronous wrappers over the system
 * services (test/support/fs-harness.ts); and `host()` to check the same files with node:fs.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSystem } from '../../../src/api/index.ts';
import { STATUS_SUCCESS } from '../../../src/base/index.ts';
import { type ContainmentMode, HostFsAddShare } from '../../../src/host/hostfs/index.ts';
import type { System } from '../../../src/io/index.ts';
import type { Process } from '../../../src/ob/index.ts';
import { fsHarness } from '../../support/fs-harness.ts';

export interface ShareFixtureOptions {
  shareName?: string;
  readOnly?: boolean;
  containment?: ContainmentMode;
  /** The drive letter linked to the share (H). */
  driveLetter?: string;
  /** Runs on the fresh system before HostFS is loaded (to load filters first, say). */
  boot?: (system: System) => void;
  /** Fills the share's host directory before the share is added. */
  populate?: (shareDir: string, sentinelDir: string) => void;
}

/** Every file under `dir` with its content (directories as '<dir>', links as '-> target'). */
export function snapshotTree(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (current: string, prefix: string): void => {
    for (const name of fs.readdirSync(current).sort()) {
      const full = path.join(current, name);
      const key = prefix === '' ? name : `${prefix}/${name}`;
      const stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) result[key] = `-> ${fs.readlinkSync(full)}`;
      else if (stat.isDirectory()) {
        result[key] = `<dir ${(stat.mode & 0o777).toString(8)}>`;
        walk(full, key);
      } else result[key] = `${fs.readFileSync(full, 'latin1')} <${(stat.mode & 0o777).toString(8)}>`;
    }
  };
  walk(dir, '');
  return result;
}

export function hostShare(options: ShareFixtureOptions = {}) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-hostfs-'));
  const shareDir = path.join(base, 'share');
  const sentinelDir = path.join(base, 'sentinel');
  fs.mkdirSync(shareDir);
  fs.mkdirSync(sentinelDir);
  fs.writeFileSync(path.join(sentinelDir, 'secret.txt'), 'do not touch');
  fs.writeFileSync(path.join(base, 'passwd'), 'root:x:0:0');
  options.populate?.(shareDir, sentinelDir);
  const sentinelBefore = snapshotTree(sentinelDir);

  let time = 1_000_000;
  const system: System = createSystem({ clock: () => time });
  const process: Process = system.createProcess('test.exe');
  options.boot?.(system);
  const shareName = options.shareName ?? 'share';
  const added = HostFsAddShare(system, {
    name: shareName,
    path: shareDir,
    readOnly: options.readOnly ?? false,
    ...(options.containment !== undefined ? { containment: options.containment } : {}),
  });
  assert.equal(added, STATUS_SUCCESS, 'HostFsAddShare');
  const drive = `\\??\\${options.driveLetter ?? 'H'}:`;
  assert.equal(system.ob.createSymbolicLink(drive, `\\Device\\HostFs\\${shareName}`), STATUS_SUCCESS);
  const device = system.io.networkFileSystemQueue[0] ?? null;
  const harness = fsHarness(system, process, { drive, device });

  /** A host path inside the share. */
  function host(...parts: string[]): string {
    return path.join(shareDir, ...parts);
  }

  /** Asserts that nothing outside the share changed: the sentinel tree and the decoy file. */
  function assertOutsideUntouched(): void {
    assert.deepEqual(snapshotTree(sentinelDir), sentinelBefore, 'the sentinel directory changed');
    assert.equal(fs.readFileSync(path.join(base, 'passwd'), 'utf8'), 'root:x:0:0');
    assert.deepEqual(fs.readdirSync(base).sort(), ['passwd', 'sentinel', 'share']);
  }

  function dispose(): void {
    // Give back write permission so read-only files and directories can be removed (names as
    // bytes: tests plant names that are not UTF-8).
    const unlock = (dir: Buffer): void => {
      for (const name of fs.readdirSync(dir, { encoding: 'buffer' })) {
        const full = Buffer.concat([dir, Buffer.from('/'), name]);
        const stat = fs.lstatSync(full);
        if (stat.isSymbolicLink()) continue;
        fs.chmodSync(full, stat.mode | 0o700);
        if (stat.isDirectory()) unlock(full);
      }
    };
    try {
      unlock(Buffer.from(base));
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  }

  return {
    ...harness,
    base,
    shareDir,
    sentinelDir,
    shareName,
    tick: (ms = 1000) => {
      time += ms;
      return time;
    },
    host,
    assertOutsideUntouched,
    dispose,
  };
}

export type HostShareFixture = ReturnType<typeof hostShare>;

/** Runs `body` on a fresh share and always removes the temporary directory. */
export function withShare(options: ShareFixtureOptions, body: (v: HostShareFixture) => void): void {
  const v = hostShare(options);
  try {
    body(v);
  } finally {
    v.dispose();
  }
}
