/**
 * Small truths of the command line: a trace of a volume that does not exist fails; a mistyped
 * filter gets a suggestion; a file system's control device is no target for an on-demand attach;
 * the demo's labels, the trace columns and sizes read right; a hostile path makes a short error
 * line; and any command whose standard output cannot be written (/dev/full) exits 6, as cat does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { CommandContext } from '../../src/cli/command.ts';
import { formatTraceRecord, traceHeader, traceWidths } from '../../src/cli/commands/trace.ts';
import { styleFor } from '../../src/cli/output.ts';
import type { DevstackResult, TraceRecordInfo } from '../../src/host/control/index.ts';
import { builtCli, strataInProcess, temporaryDirectory } from './support.ts';

const dir = temporaryDirectory();
const config = join(dir.path, 'strata.json');
writeFileSync(
  config,
  JSON.stringify({
    drivers: ['MemFs'],
    ramDisks: [{ letter: 'M:', size: '8MiB' }],
    filters: [{ driver: 'Spy', attach: 'on-demand' }],
  }),
);

after(async () => {
  dir.cleanup();
  (await builtCli()).cleanup();
});

const local = (args: string[]) => strataInProcess(['--config', config, ...args]);

test('trace --volume of a volume that does not exist fails with exit code 1 and says so', async () => {
  const result = await local(['trace', '--volume', 'Q:']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Tracing Q: failed with STATUS_OBJECT_NAME_NOT_FOUND \(no such volume/);
  assert.equal((await local(['trace', '--volume', 'M:'])).code, 0);
});

test('attach with a mistyped filter suggests the closest one', async () => {
  const result = await local(['attach', 'Spyy', 'M:']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /no such filter in this build; did you mean Spy\?/);
});

test("attach to a file system's control device is refused and leaves its stack alone", async () => {
  const result = await local(['attach', 'Spy', '\\Device\\MemFs']);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /Attaching Spy to \\Device\\MemFs failed with STATUS_INVALID_PARAMETER \(it is the control device of \\FileSystem\\MemFs, not a volume/,
  );
  const stack = JSON.parse((await local(['devstack', '\\Device\\MemFs', '--json'])).stdout) as DevstackResult;
  assert.deepEqual(
    stack.stack.map((s) => s.driver),
    ['\\FileSystem\\MemFs'],
  );
});

test('an over-long path makes a short error line that keeps the status', async () => {
  const result = await local(['stat', `M:/${'a'.repeat(40_000)}`]);
  assert.equal(result.code, 1);
  assert.ok(result.stderr.length < 600, `${result.stderr.length} characters`);
  assert.match(result.stderr, /failed with STATUS_\w+/);
  assert.match(result.stderr, /more characters\]/);
  const usage = await local(['stat', `x${'b'.repeat(40_000)}`]);
  assert.equal(usage.code, 2);
  assert.ok(usage.stderr.length < 1000, `${usage.stderr.length} characters`);
});

test('a trace listing sizes its columns to its values; a live trace fits the usual ones', () => {
  const context = { style: styleFor({}) } as CommandContext;
  const create: TraceRecordInfo = {
    sequence: 1,
    time: '2026-01-01T00:00:00.000Z',
    processId: 4,
    process: 'strata.exe',
    volume: 'M:',
    major: 'IRP_MJ_CREATE',
    minor: null,
    fileName: '\\a.txt',
    status: 'STATUS_SUCCESS',
    information: 1,
    durationUs: 5,
  };
  const column = (line: string, label: string) => line.indexOf(label);
  // Only creates: REQUEST is as wide as IRP_MJ_CREATE, no wider.
  const narrow = traceWidths([create]);
  assert.equal(narrow.request, 'IRP_MJ_CREATE'.length);
  assert.equal(
    column(formatTraceRecord(create, context, narrow), 'STATUS_SUCCESS'),
    column(traceHeader(narrow), 'STATUS'),
  );
  // A longer request and status widen the batch, and every row stays aligned with the header.
  const long: TraceRecordInfo = {
    ...create,
    volume: '\\Device\\HarddiskVolume12',
    major: 'IRP_MJ_DIRECTORY_CONTROL',
    minor: 'IRP_MN_NOTIFY_CHANGE_DIRECTORY',
    status: 'STATUS_REPARSE_POINT_NOT_RESOLVED',
  };
  const wide = traceWidths([create, long]);
  for (const record of [create, long]) {
    const line = formatTraceRecord(record, context, wide);
    assert.equal(column(line, 'IRP_MJ'), column(traceHeader(wide), 'REQUEST'));
    assert.equal(column(line, 'STATUS_'), column(traceHeader(wide), 'STATUS'));
    assert.equal(column(line, '       1'), column(traceHeader(wide), '    INFO'));
  }
  // Live: the usual request and status fit the fixed columns.
  const usual = { ...create, major: 'IRP_MJ_QUERY_INFORMATION', status: 'STATUS_OBJECT_NAME_NOT_FOUND' };
  const line = formatTraceRecord(usual, context);
  assert.equal(column(line, 'STATUS_OBJECT'), column(traceHeader(), 'STATUS'));
  assert.equal(column(line, '       1'), column(traceHeader(), '    INFO'));
});

test('the demo labels its stacks without a doubled colon', { timeout: 60_000 }, async () => {
  const { entry } = await builtCli();
  const run = spawnSync(process.execPath, [entry, 'demo'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Device stack of M:, top first:/);
  assert.doesNotMatch(run.stdout, /[A-Z]::/);
});

test('demo --json is a usage error with its JSON error record, not narration a script cannot parse', async () => {
  const run = await strataInProcess(['demo', '--json']);
  assert.equal(run.code, 2);
  assert.deepEqual(JSON.parse(run.stdout).error.code, 'USAGE');
  assert.match(run.stderr, /strata demo has no JSON form/);
});

test('ls, volumes and stat onto a full standard output exit 6 with one sentence', {
  skip: !existsSync('/dev/full') && 'no /dev/full on this host',
  timeout: 60_000,
}, async () => {
  const { entry } = await builtCli();
  for (const args of [['ls', 'M:/'], ['volumes'], ['stat', 'M:/', '--json']]) {
    const full = openSync('/dev/full', 'w');
    try {
      const run = spawnSync(process.execPath, [entry, '--config', config, ...args], {
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      assert.equal(run.status, 6, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /^strata: Cannot write standard output: .*no space left on device/im);
    } finally {
      closeSync(full);
    }
  }
});
