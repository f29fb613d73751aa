/**
 * A socket path whose directory does not exist: the daemon refuses to start with a HostError that
 * names the directory. Node reports a bind there as EACCES ("permission denied"), which sent the
 * reader looking for a permission problem that was not there.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runDaemon } from '../../../src/host/daemon/index.ts';

test('a socket in a directory that does not exist is refused, naming the directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-socket-dir-'));
  try {
    const missing = join(dir, 'no', 'such');
    await assert.rejects(
      runDaemon({
        configPath: null,
        socketPath: join(missing, 'control.sock'),
        out: () => {},
        log: () => {},
        handleSignals: false,
      }),
      (error: Error) => {
        assert.equal(error.name, 'HostError');
        assert.equal(error.message, `The socket directory ${missing} does not exist; create it first.`);
        return true;
      },
    );
    assert.equal(existsSync(missing), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
