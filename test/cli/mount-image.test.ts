/**
 * `strata mount-image` as people and scripts see it, in-process with --config: --cdrom and --disk
 * choose the media type whatever the file's name, and the two together are a usage error.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { MountImageResult } from '../../src/host/control/index.ts';
import { strataInProcess, temporaryDirectory } from './support.ts';

const dir = temporaryDirectory();
const config = join(dir.path, 'strata.json');
const disc = join(dir.path, 'install.img');

before(() => {
  mkdirSync(join(dir.path, 'disc'));
  writeFileSync(join(dir.path, 'disc', 'readme.txt'), 'on the disc\n');
  execFileSync('genisoimage', ['-quiet', '-V', 'DISC', '-o', disc, join(dir.path, 'disc')]);
  writeFileSync(config, JSON.stringify({ drivers: ['Fs_Rec'] }));
});

after(() => dir.cleanup());

test('--cdrom mounts an ISO whose name does not end in .iso as a CD-ROM', async () => {
  const result = await strataInProcess(['--config', config, 'mount-image', disc, '--cdrom', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const mounted = JSON.parse(result.stdout) as MountImageResult;
  assert.deepEqual(
    [mounted.volume.fileSystem, mounted.volume.device],
    ['\\FileSystem\\Cdfs', '\\Device\\CdRom0'],
  );
  const human = await strataInProcess(['--config', config, 'mount-image', disc, '--cdrom']);
  assert.match(human.stdout, /^Mounted .*install\.img as D: \(Cdfs "DISC", read-only/);
});

test('--cdrom and --disk together are a usage error that attaches nothing', async () => {
  const result = await strataInProcess(['--config', config, 'mount-image', disc, '--cdrom', '--disk']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--cdrom and --disk contradict each other/);
});

test('the mount message of a truncated FAT image says it is read-only and why', async () => {
  const image = join(dir.path, 'truncated.img');
  execFileSync('mkfs.fat', ['-C', image, '8192']);
  truncateSync(image, 2 * 1024 * 1024);
  const result = await strataInProcess(['--config', config, 'mount-image', image]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    /^Mounted .*truncated\.img as D: \(Fat "", read-only: the image is truncated: its boot sector describes 8388608 bytes, the file holds 2097152, so FAT mounted it read-only\)\.$/m,
  );
});
