/**
 * `strata get` into host files that are not plain files: a symbolic link is written through (the
 * link stays a link), a FIFO is written into and stays a FIFO (as /dev/null would: `get --force`
 * used to rename a regular file over it), and standard output that cannot be written (a full
 * disk) is a host-file failure, exit code 6, not an internal error with a stack trace. Runs the
 * built command line in-process against a share.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { builtCli, strata, temporaryDirectory } from './support.ts';

const dir = temporaryDirectory('strata-host-targets-');
const config = join(dir.path, 'strata.json');

before(() => {
  mkdirSync(join(dir.path, 'share'));
  writeFileSync(join(dir.path, 'share', 'data.txt'), 'from strata\n');
  writeFileSync(config, JSON.stringify({ shares: [{ name: 'data', path: 'share', letter: 'S:' }] }));
});

after(async () => {
  dir.cleanup();
  (await builtCli()).cleanup();
});

test('get --force onto a symbolic link replaces the file it names and keeps the link', async () => {
  const real = join(dir.path, 'real.txt');
  const link = join(dir.path, 'link.txt');
  writeFileSync(real, 'old');
  symlinkSync(real, link);
  const run = await strata(['--config', config, 'get', 'S:/data.txt', link, '--force']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(lstatSync(link).isSymbolicLink(), true);
  assert.equal(readlinkSync(link), real);
  assert.equal(readFileSync(real, 'utf8'), 'from strata\n');
});

test('get into a FIFO writes the bytes through it and leaves it a FIFO, without --force', async () => {
  const fifo = join(dir.path, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const reading = readFile(fifo, 'utf8');
  const run = await strata(['--config', config, 'get', 'S:/data.txt', fifo]);
  // Should the command not have written, a writer that opens and closes ends the read.
  try {
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {}
  const received = await reading;
  assert.equal(run.code, 0, run.stderr);
  assert.equal(received, 'from strata\n');
  assert.equal(lstatSync(fifo).isFIFO(), true);
});

test('cat and get - onto a full standard output exit 6 with a sentence, not an internal error', {
  skip: !existsSync('/dev/full') && 'no /dev/full on this host',
}, async () => {
  const { entry } = await builtCli();
  for (const args of [
    ['cat', 'S:/data.txt'],
    ['get', 'S:/data.txt', '-'],
  ]) {
    const full = openSync('/dev/full', 'w');
    try {
      const run = spawnSync(process.execPath, [entry, '--config', config, ...args], {
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      assert.equal(run.status, 6, run.stderr);
      assert.match(run.stderr, /^strata: Cannot write standard output: .*no space left on device/im);
      assert.doesNotMatch(run.stderr, /Internal error|\n {4}at /);
    } finally {
      closeSync(full);
    }
  }
});
