/**
 * Starting and stopping the daemon as a user does: SIGTERM, SIGINT and `strata down` all stop it
 * cleanly (exit 0, socket removed, clients then told the daemon is unreachable); a second daemon
 * on a live socket and a bad configuration are refused with their own exit codes; `--config` runs
 * commands in-process without any daemon.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { VolumesResult } from '../../src/host/control/index.ts';
import {
  builtCli,
  killDaemons,
  startDaemon,
  stopDaemon,
  strata,
  strataInProcess,
  temporaryDirectory,
} from './support.ts';

const dir = temporaryDirectory();

after(async () => {
  killDaemons();
  dir.cleanup();
  (await builtCli()).cleanup();
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} stops the daemon cleanly and removes its socket`, async () => {
    const socket = join(dir.path, `${signal}.sock`);
    const daemon = await startDaemon(socket);
    assert.match(daemon.stdout(), /^Control socket: .*\.sock$/m);
    assert.match(
      daemon.stdout(),
      /^ {2}M: {2}MemFs "STRATA", 64\.0 MiB RAM disk, \\Device\\RamDisk0, filters: SFilter$/m,
    );
    daemon.child.kill(signal);
    assert.equal(await daemon.exited, 0, daemon.stderr());
    assert.match(daemon.stdout(), /Strata stopped cleanly\.\n$/);
    assert.match(daemon.stderr(), new RegExp(`Stopping \\(${signal}\\)`));
    assert.equal(existsSync(socket), false);
    const after = await strata(['volumes'], { socket });
    assert.equal(after.code, 3);
  });
}

test('strata down returns once the daemon has exited, and it exited cleanly', async () => {
  const socket = join(dir.path, 'down.sock');
  const daemon = await startDaemon(socket);
  const put = await strata(['put', '-', 'M:\\x.txt'], { socket, input: 'x' });
  assert.equal(put.code, 0, put.stderr);
  const down = await strata(['down', '--json'], { socket });
  assert.equal(down.code, 0, down.stderr);
  assert.deepEqual(JSON.parse(down.stdout), { stopping: true, pid: daemon.child.pid });
  // `down` waited for the process to go: it has an exit code already, or is about to report one.
  assert.equal(await daemon.exited, 0);
  assert.equal(existsSync(socket), false);
  assert.match(daemon.stdout(), /Strata stopped cleanly\./);
});

test('a second strata up on a live socket exits 5 and leaves the first one serving', async () => {
  const socket = join(dir.path, 'twice.sock');
  const first = await startDaemon(socket);
  const second = await strata(['up', '--socket', socket]);
  assert.equal(second.code, 5);
  assert.match(second.stderr, /A Strata daemon is already running on .*twice\.sock\./);
  assert.equal((await strata(['volumes'], { socket })).code, 0);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);
});

test('strata up with an invalid configuration exits 4 and lists every problem', async () => {
  const config = join(dir.path, 'bad.json');
  writeFileSync(
    config,
    JSON.stringify({ drivers: ['MemFs', 'Fatt'], ramDisks: [{ letter: 'M', size: '1MiB' }] }),
  );
  const result = await strata(['up', '--config', config, '--socket', join(dir.path, 'bad.sock')]);
  assert.equal(result.code, 4);
  assert.match(
    result.stderr,
    /The configuration in .*bad\.json is invalid:\n {2}drivers\[1\]: unknown driver "Fatt"/,
  );
  assert.match(result.stderr, / {2}ramDisks\[0\]\.letter: must be a drive letter like "M:", got "M"\./);
  assert.equal(existsSync(join(dir.path, 'bad.sock')), false);
});

test('--config runs a command in-process against its own system, no daemon needed', async () => {
  const config = join(dir.path, 'two.json');
  writeFileSync(
    config,
    JSON.stringify({
      drivers: ['MemFs'],
      ramDisks: [
        { letter: 'M:', size: '4MiB', label: 'FIRST' },
        { letter: 'N:', size: '4MiB', label: 'SECOND' },
      ],
      filters: [
        { driver: 'NotifyAttach', attach: 'notification' },
        { driver: 'Spy', attach: 'on-demand', volumes: ['N:'] },
      ],
    }),
  );
  const volumes = await strataInProcess(['volumes', '--json', '--config', config]);
  assert.equal(volumes.code, 0, volumes.stderr);
  assert.deepEqual(
    (JSON.parse(volumes.stdout) as VolumesResult).volumes.map((v) => [v.letter, v.label, v.filters]),
    [
      ['M:', 'FIRST', ['\\FileSystem\\NotifyAttach']],
      ['N:', 'SECOND', ['\\FileSystem\\Spy', '\\FileSystem\\NotifyAttach']],
    ],
  );
  const spawned = await strata(['--config', config, 'devstack', 'N:']);
  assert.equal(spawned.code, 0, spawned.stderr);
  assert.match(
    spawned.stdout,
    /\\FileSystem\\Spy[\s\S]*\\FileSystem\\NotifyAttach[\s\S]*\\FileSystem\\MemFs/,
  );
  const down = await strataInProcess(['down', '--config', config]);
  assert.equal(down.code, 2);
  assert.match(down.stderr, /There is no daemon to stop: these commands run in-process\./);
});

test('--verify boots with the driver verifier on, for up and for --config, and is refused against a running daemon', async () => {
  const socket = join(dir.path, 'verify.sock');
  const daemon = await startDaemon(socket, ['--verify']);
  assert.match(daemon.stdout(), /Driver Verifier is on/);
  const drivers = await strata(['drivers', '--json'], { socket });
  assert.equal(drivers.code, 0, drivers.stderr);
  assert.deepEqual(JSON.parse(drivers.stdout).verifier, { enabled: true, violations: [] });
  const refused = await strata(['drivers', '--verify'], { socket });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--verify boots a system with the driver verifier on/);
  await stopDaemon(daemon);

  const config = join(dir.path, 'verify.json');
  writeFileSync(config, JSON.stringify({ drivers: ['MemFs'], ramDisks: [{ letter: 'M:', size: '4MiB' }] }));
  const on = await strataInProcess(['drivers', '--json', '--verify', '--config', config]);
  assert.equal(on.code, 0, on.stderr);
  assert.equal(JSON.parse(on.stdout).verifier.enabled, true);
  const off = await strataInProcess(['drivers', '--json', '--config', config]);
  assert.equal(JSON.parse(off.stdout).verifier.enabled, false);
});
