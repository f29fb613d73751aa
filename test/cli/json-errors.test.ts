/**
 * --json error records follow one rule: `code` is an upper-case protocol-style code whether the
 * daemon answered (NTSTATUS, INVALID_PARAMS, …) or the failure was local (USAGE,
 * DAEMON_UNREACHABLE, CONFIG_INVALID, HOST_ERROR, …), and `exitCode` is the process's exit code, so
 * a script can switch on either field.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { strataInProcess, temporaryDirectory } from './support.ts';

const dir = temporaryDirectory();
const config = join(dir.path, 'strata.json');
writeFileSync(config, JSON.stringify({ drivers: ['MemFs'], ramDisks: [{ letter: 'M:', size: '8MiB' }] }));
const bad = join(dir.path, 'bad.json');
writeFileSync(bad, JSON.stringify({ ramdisks: [] }));
const existing = join(dir.path, 'exists.txt');
writeFileSync(existing, 'keep\n');

after(() => dir.cleanup());

interface ErrorRecord {
  code: string;
  message: string;
  exitCode: number;
  status?: string;
}

async function errorOf(args: string[]): Promise<{ exit: number; error: ErrorRecord }> {
  const result = await strataInProcess([...args, '--json']);
  const lines = result.stdout.trim().split('\n');
  return { exit: result.code, error: (JSON.parse(lines[lines.length - 1]!) as { error: ErrorRecord }).error };
}

test('every failure prints an error record whose code is upper-case and whose exitCode is the exit code', async () => {
  const cases: Array<[string[], string, number]> = [
    [['frobnicate'], 'USAGE', 2],
    [['ls', 'not-a-strata-path'], 'USAGE', 2],
    [['--socket', join(dir.path, 'nobody.sock'), 'volumes'], 'DAEMON_UNREACHABLE', 3],
    [['--config', join(dir.path, 'missing.json'), 'volumes'], 'CONFIG_INVALID', 4],
    [['--config', bad, 'volumes'], 'CONFIG_INVALID', 4],
    [['--config', config, 'stat', 'M:/nope.txt'], 'NTSTATUS', 1],
    [['--config', config, 'trace', '--limit', '99999999'], 'INVALID_PARAMS', 2],
    [['--config', config, 'put', join(dir.path, 'absent.txt'), 'M:/'], 'HOST_ERROR', 6],
  ];
  for (const [args, code, exit] of cases) {
    const { exit: actual, error } = await errorOf(args);
    assert.deepEqual([error.code, error.exitCode, actual], [code, exit, exit], args.join(' '));
    assert.match(error.code, /^[A-Z_]+$/);
    assert.ok(error.message.length > 0);
  }
  const { error } = await errorOf(['--config', config, 'stat', 'M:/nope.txt']);
  assert.equal(error.status, 'STATUS_OBJECT_NAME_NOT_FOUND');
});
