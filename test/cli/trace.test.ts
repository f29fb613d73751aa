/**
 * `strata trace --follow`: records arrive as requests complete, one JSON line each with --json;
 * Ctrl-C ends the trace with exit code 0, and a daemon that stops ends it with exit code 3.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { TraceRecordInfo } from '../../src/host/control/index.ts';
import { builtCli, killDaemons, startDaemon, strata, temporaryDirectory } from './support.ts';

const dir = temporaryDirectory();

after(async () => {
  killDaemons();
  dir.cleanup();
  (await builtCli()).cleanup();
});

/** Starts `strata trace --follow --json`; `records` fills as lines arrive. */
async function follow(socket: string, extra: string[] = []) {
  const { entry } = await builtCli();
  const child = spawn(process.execPath, [entry, 'trace', '--follow', '--json', ...extra], {
    env: { ...process.env, STRATA_SOCKET: socket, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const records: TraceRecordInfo[] = [];
  let buffer = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (b: Buffer) => {
    buffer += b.toString();
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      records.push(JSON.parse(buffer.slice(0, newline)) as TraceRecordInfo);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  const until = async (done: () => boolean): Promise<void> => {
    while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { child, records, exited, until, stderr: () => stderr };
}

test('a live trace prints each request as it completes, and Ctrl-C ends it with exit code 0', {
  timeout: 120_000,
}, async () => {
  const socket = join(dir.path, 'follow.sock');
  await startDaemon(socket);
  assert.equal((await strata(['attach', 'Spy', 'M:'], { socket })).code, 0);
  assert.equal((await strata(['put', '-', 'M:\\first.txt'], { socket, input: '1' })).code, 0);
  // The reply that opens the subscription carries the buffered records, and records after it come
  // as events with no gap: once first.txt's records are in, everything later will be.
  const trace = await follow(socket, ['--volume', 'M:']);
  await trace.until(() => trace.records.some((r) => r.fileName === '\\first.txt'));
  assert.equal((await strata(['put', '-', 'M:\\followed.txt'], { socket, input: 'followed' })).code, 0);
  // The rename that commits the upload opens the target's directory; that open carries the name.
  await trace.until(() =>
    trace.records.some((r) => r.fileName === 'followed.txt' && r.major === 'IRP_MJ_CLOSE'),
  );
  const writes = trace.records.filter((r) => r.major === 'IRP_MJ_WRITE');
  assert.ok(writes.length >= 2);
  assert.ok(trace.records.every((r) => r.volume === 'M:'));
  const sequences = trace.records.map((r) => r.sequence);
  assert.deepEqual(
    sequences,
    [...sequences].sort((a, b) => a - b),
    'records arrive in completion order with rising sequence numbers',
  );
  trace.child.kill('SIGINT');
  assert.equal(await trace.exited, 0);
  assert.equal((await strata(['down'], { socket })).code, 0);
});

test('a live trace ends with exit code 3 when the daemon stops', { timeout: 120_000 }, async () => {
  const socket = join(dir.path, 'gone.sock');
  const daemon = await startDaemon(socket);
  assert.equal((await strata(['attach', 'Spy', 'M:'], { socket })).code, 0);
  assert.equal((await strata(['put', '-', 'M:\\x.txt'], { socket, input: 'x' })).code, 0);
  const trace = await follow(socket);
  await trace.until(() => trace.records.length > 0);
  daemon.child.kill('SIGTERM');
  assert.equal(await trace.exited, 3);
  assert.match(trace.stderr(), /The daemon went away; the trace ended\./);
  assert.equal(await daemon.exited, 0);
});

test('without Spy loaded, trace says how to load and attach it', async () => {
  const socket = join(dir.path, 'nospy.sock');
  await startDaemon(socket);
  assert.equal((await strata(['unload', 'Spy'], { socket })).code, 0);
  const result = await strata(['trace'], { socket });
  assert.equal(result.code, 0);
  assert.match(
    result.stderr,
    /Spy is not loaded: load it with `strata load Spy`, then `strata attach Spy M:`\./,
  );
  assert.match(result.stdout, /^\s+SEQ\s+TIME\s+PROCESS/);
  assert.equal((await strata(['down'], { socket })).code, 0);
});
