/**
 * Symbolic links through the command line, on a Rock Ridge disc made by genisoimage: `ls` marks
 * them as dir does (<SYMLINKD>, <SYMLINK>, the target in brackets), `stat` names the target, and
 * `cp -r` out to the host copies what the links lead to, says on standard error what it went past,
 * and exits 1 at the end, as cp does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CpResult } from '../../src/host/control/index.ts';
import { strataInProcess, temporaryDirectory } from './support.ts';

const dir = temporaryDirectory();
const config = join(dir.path, 'strata.json');

before(() => {
  const disc = join(dir.path, 'disc');
  mkdirSync(join(disc, 'd', 'sub'), { recursive: true });
  writeFileSync(join(disc, 'd', 'a.txt'), 'hi\n');
  writeFileSync(join(disc, 'd', 'sub', 'b.txt'), 'deep\n');
  symlinkSync('d', join(disc, 'dlink'));
  symlinkSync('d/a.txt', join(disc, 'flink'));
  symlinkSync('nowhere', join(disc, 'broken'));
  symlinkSync('..', join(disc, 'd', 'sub', 'up'));
  const made = spawnSync('genisoimage', [
    '-quiet',
    '-R',
    '-V',
    'LINKS',
    '-o',
    join(dir.path, 'links.iso'),
    disc,
  ]);
  assert.equal(made.status, 0, String(made.stderr));
  writeFileSync(config, JSON.stringify({ drivers: ['Cdfs'], images: [{ path: 'links.iso', letter: 'D:' }] }));
});

after(() => dir.cleanup());

test('ls marks links as dir does, and stat names what a link leads to', async () => {
  const listing = await strataInProcess(['--config', config, 'ls', 'D:/']);
  assert.equal(listing.code, 0, listing.stderr);
  assert.match(listing.stdout, / <SYMLINKD> +dlink \[d\]\n/);
  assert.match(listing.stdout, / <SYMLINK> +flink \[d\/a\.txt\]\n/);
  assert.match(listing.stdout, / <SYMLINK> +broken \[nowhere\]\n/);
  const stat = await strataInProcess(['--config', config, 'stat', 'D:/dlink']);
  assert.match(stat.stdout, /^Type +directory$/m);
  assert.match(stat.stdout, /^Link to +d$/m);
  const dangling = await strataInProcess(['--config', config, 'stat', 'D:/broken']);
  assert.match(dangling.stdout, /^Type +link \(leads to nothing that can be opened\)$/m);
});

test('cp -r out of a disc copies through links, warns about what it went past and exits 1', async () => {
  const target = join(dir.path, 'out');
  const copy = await strataInProcess(['--config', config, 'cp', '-r', 'D:/', target]);
  assert.equal(copy.code, 1);
  assert.equal(readFileSync(join(target, 'dlink', 'sub', 'b.txt'), 'utf8'), 'deep\n');
  assert.equal(readFileSync(join(target, 'flink'), 'utf8'), 'hi\n');
  assert.equal(existsSync(join(target, 'broken')), false);
  assert.equal(existsSync(join(target, 'd', 'sub', 'up')), false, 'a loop makes no directory');
  const warnings = copy.stderr.trim().split('\n');
  assert.deepEqual(warnings.length, 3, copy.stderr);
  assert.ok(warnings.every((line) => line.startsWith('strata: ') && line.endsWith('; skipped.')));
  assert.match(copy.stderr, /D:\\broken is a symbolic link to nowhere that leads to nothing/);
  assert.match(copy.stdout, /^Copied 5 files \(19 bytes\) to .*; skipped 3 \(named above\)\.$/m);
  const json = await strataInProcess([
    '--config',
    config,
    'cp',
    '-r',
    'D:/d',
    join(dir.path, 'json'),
    '--json',
  ]);
  assert.equal(json.code, 1);
  const result = JSON.parse(json.stdout) as CpResult;
  assert.deepEqual([result.files, result.skipped.map((s) => s.path)], [2, ['D:\\d\\sub\\up']]);
});
