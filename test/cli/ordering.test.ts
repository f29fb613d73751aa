/**
 * The seed's ordering guarantee, end to end through the command line: a daemon boots with SFilter
 * registered for notifications and Spy loaded for attachment on demand; the volume mounts and SFilter
 * attaches as it does; `strata attach Spy M:` comes later from user mode; `strata devstack M:` then
 * shows Spy above SFilter above MemFS's volume device.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DevstackResult, VolumesResult } from '../../src/host/control/index.ts';
import {
  builtCli,
  type Daemon,
  killDaemons,
  startDaemon,
  stopDaemon,
  strata,
  temporaryDirectory,
} from './support.ts';

const dir = temporaryDirectory();
let daemon: Daemon;

before(async () => {
  daemon = await startDaemon(`${dir.path}/control.sock`);
});

after(async () => {
  await stopDaemon(daemon).finally(killDaemons);
  dir.cleanup();
  (await builtCli()).cleanup();
});

test('the daemon mounts M: at boot and SFilter is already on it, attached by notification', async () => {
  const result = await strata(['volumes', '--json'], { socket: daemon.socket });
  assert.equal(result.code, 0, result.stderr);
  const { volumes } = JSON.parse(result.stdout) as VolumesResult;
  const m = volumes.find((v) => v.letter === 'M:');
  assert.ok(m, 'M: is listed');
  assert.equal(m.mounted, true);
  assert.equal(m.fileSystem, '\\FileSystem\\MemFs');
  assert.deepEqual(m.filters, ['\\FileSystem\\SFilter']);
});

test('Spy attached on demand lands above SFilter, which sits above the volume device (JSON)', async () => {
  const attach = await strata(['attach', 'Spy', 'M:'], { socket: daemon.socket });
  assert.equal(attach.code, 0, attach.stderr);
  const result = await strata(['devstack', 'M:', '--json'], { socket: daemon.socket });
  assert.equal(result.code, 0, result.stderr);
  const stack = JSON.parse(result.stdout) as DevstackResult;
  assert.deepEqual(
    stack.stack.map((e) => [e.driver, e.role]),
    [
      ['\\FileSystem\\Spy', 'filter'],
      ['\\FileSystem\\SFilter', 'filter'],
      ['\\FileSystem\\MemFs', 'volume'],
    ],
  );
  // Each device's stack size counts the devices below it, so the order is the kernel's, not the view's.
  assert.deepEqual(
    stack.stack.map((e) => e.stackSize),
    [4, 3, 2],
  );
  assert.equal(stack.vpb?.realDevice, '\\Device\\RamDisk0');
  assert.deepEqual(
    stack.storage.map((e) => e.driver),
    ['\\Driver\\RamDisk'],
  );
});

test('the human devstack lists Spy, then SFilter, then MemFS, then the VPB and the disk', async () => {
  const result = await strata(['devstack', 'M:'], { socket: daemon.socket });
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split('\n');
  const at = (pattern: RegExp): number => lines.findIndex((line) => pattern.test(line));
  const spy = at(/\\FileSystem\\Spy\b/);
  const sfilter = at(/\\FileSystem\\SFilter\b/);
  const memfs = at(/^>\s+\\FileSystem\\MemFs\b/);
  const vpb = at(/VPB: \\Device\\RamDisk0 mounted/);
  const disk = at(/\\Driver\\RamDisk\s+\\Device\\RamDisk0/);
  assert.ok(spy > 0 && sfilter > spy && memfs > sfilter && vpb > memfs && disk > vpb, result.stdout);
});

test('attaching Spy a second time is refused with STATUS_DEVICE_ALREADY_ATTACHED and exit code 1', async () => {
  const result = await strata(['attach', 'Spy', 'M:'], { socket: daemon.socket });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Attaching Spy to M: failed with STATUS_DEVICE_ALREADY_ATTACHED/);
});

test('a filter that attaches only by notification cannot be told to attach', async () => {
  const result = await strata(['attach', 'NotifyAttach', 'M:', '--json'], { socket: daemon.socket });
  assert.equal(result.code, 1);
  const { error } = JSON.parse(result.stdout) as { error: { status: string; message: string } };
  assert.equal(error.status, 'STATUS_INVALID_DEVICE_REQUEST');
  assert.match(error.message, /no control device to ask/);
});

test('detaching Spy leaves SFilter on top again, and Spy can come back above it', async () => {
  const detach = await strata(['detach', 'Spy', 'M:', '--json'], { socket: daemon.socket });
  assert.equal(detach.code, 0, detach.stderr);
  assert.deepEqual(
    (JSON.parse(detach.stdout) as { stack: Array<{ driver: string }> }).stack.map((e) => e.driver),
    ['\\FileSystem\\SFilter', '\\FileSystem\\MemFs'],
  );
  const again = await strata(['attach', 'Spy', 'M:', '--json'], { socket: daemon.socket });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    (JSON.parse(again.stdout) as { stack: Array<{ driver: string }> }).stack.map((e) => e.driver),
    ['\\FileSystem\\Spy', '\\FileSystem\\SFilter', '\\FileSystem\\MemFs'],
  );
});

test('spy records what a command does through the stack, under the command’s own process', async () => {
  const put = await strata(['put', '-', 'M:\\traced.txt'], { socket: daemon.socket, input: 'traced\n' });
  assert.equal(put.code, 0, put.stderr);
  const result = await strata(['trace', '--json', '--volume', 'M:'], { socket: daemon.socket });
  assert.equal(result.code, 0, result.stderr);
  const { records, spyLoaded } = JSON.parse(result.stdout) as {
    records: Array<{ major: string; fileName: string | null; process: string; status: string }>;
    spyLoaded: boolean;
  };
  assert.equal(spyLoaded, true);
  const writes = records.filter((r) => r.major === 'IRP_MJ_WRITE');
  assert.ok(writes.length >= 1, 'the upload wrote through spy');
  assert.ok(writes.every((r) => r.process === 'strata.exe' && r.status === 'STATUS_SUCCESS'));
  assert.ok(
    records.some((r) => r.major === 'IRP_MJ_SET_INFORMATION' && r.fileName?.includes('~strata-upload-')),
  );
});
