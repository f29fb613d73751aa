/**
 * Host permissions HostFS cannot override: what the host would refuse is refused when asked, with a
 * status, and nothing is reported done that the host then leaves undone. Permissions mean nothing
 * to root, so when the suite runs as root this file runs itself again as `nobody` (uid 65534) and
 * checks that run's result; the cases themselves always run unprivileged.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  DELETE,
  FILE_DELETE_ON_CLOSE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_LIST_DIRECTORY,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileDispositionInformation,
  STATUS_ACCESS_DENIED,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../src/base/index.ts';
import { withShare } from './setup.ts';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/**
 * Whether `nobody` can run this file: a checkout under a private home (/root is 0700) cannot be
 * read by it, and then the run as nobody is skipped with that reason rather than failed.
 */
function nobodyCanRead(path: string): boolean {
  const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(path)})`], {
    uid: NOBODY,
    gid: NOBODY,
    cwd: '/',
    stdio: 'ignore',
  });
  return probe.status === 0;
}

const self = fileURLToPath(import.meta.url);

if (asRoot) {
  test('as nobody, the host permission cases pass (root bypasses the permissions they check)', {
    skip: !nobodyCanRead(self) && 'uid 65534 cannot read this checkout, so it cannot run these cases',
  }, () => {
    // Without NODE_TEST_CONTEXT the child reports in TAP on its own standard output.
    const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', self], {
      uid: NOBODY,
      gid: NOBODY,
      cwd: process.cwd(),
      encoding: 'utf8',
      env: { ...env, HOME: '/tmp' },
    });
    assert.equal(run.status, 0, `the unprivileged run failed:\n${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /# pass [1-9]/);
    assert.match(run.stdout, /# fail 0/);
  });
} else {
  /** A share with `locked/` (read and search, no write) holding `in.txt` and `sub/`. */
  const populate = (share: string): void => {
    fs.mkdirSync(`${share}/locked`);
    fs.writeFileSync(`${share}/locked/in.txt`, 'stays');
    fs.mkdirSync(`${share}/locked/sub`);
    fs.chmodSync(`${share}/locked`, 0o555);
  };

  for (const containment of ['procfs', 'path'] as const) {
    const named = (sentence: string): string => `${sentence} (${containment})`;

    test(
      named('a delete the host would refuse is STATUS_ACCESS_DENIED when asked, and the file stays'),
      () => {
        withShare({ containment, populate }, (v) => {
          for (const [name, options] of [
            ['locked\\in.txt', 0],
            ['locked\\sub', FILE_DIRECTORY_FILE],
          ] as const) {
            const h = v.handle(name, { access: DELETE | SYNCHRONIZE, options });
            assert.equal(
              v.set(h, FileDispositionInformation, { deleteFile: true }),
              STATUS_ACCESS_DENIED,
              name,
            );
            v.close(h);
            assert.ok(v.exists(name), `${name} is still there for Strata`);
          }
          assert.equal(fs.readFileSync(v.host('locked', 'in.txt'), 'utf8'), 'stays');
          assert.ok(fs.statSync(v.host('locked', 'sub')).isDirectory());
          // Nothing is left delete-pending: the file opens and reads as before.
          assert.equal(v.readFile('locked\\in.txt'), 'stays');
        });
      },
    );

    test(named('FILE_DELETE_ON_CLOSE on a name the host would keep is refused at the open'), () => {
      withShare({ containment, populate }, (v) => {
        const file = v.open('locked\\in.txt', {
          access: DELETE | FILE_GENERIC_READ,
          options: FILE_DELETE_ON_CLOSE | FILE_SYNCHRONOUS_IO_NONALERT,
        });
        assert.equal(file.status, STATUS_ACCESS_DENIED);
        const dir = v.open('locked\\sub', {
          access: DELETE | FILE_LIST_DIRECTORY | SYNCHRONIZE,
          options: FILE_DELETE_ON_CLOSE | FILE_DIRECTORY_FILE,
        });
        assert.equal(dir.status, STATUS_ACCESS_DENIED);
        assert.equal(fs.readFileSync(v.host('locked', 'in.txt'), 'utf8'), 'stays');
        assert.ok(fs.statSync(v.host('locked', 'sub')).isDirectory());
      });
    });

    test(named('where the host allows it, the same deletes still happen'), () => {
      withShare({ containment, populate }, (v) => {
        fs.chmodSync(v.host('locked'), 0o755);
        assert.equal(v.remove('locked\\in.txt'), STATUS_SUCCESS);
        const dir = v.open('locked\\sub', {
          access: DELETE | FILE_LIST_DIRECTORY | SYNCHRONIZE,
          options: FILE_DELETE_ON_CLOSE | FILE_DIRECTORY_FILE,
        });
        assert.equal(dir.status, STATUS_SUCCESS);
        v.close(dir.handle!);
        assert.deepEqual(fs.readdirSync(v.host('locked')), []);
      });
    });
  }
}
