/**
 * `mount-image` and `dismount` of images made by the reference tools (mkfs.fat, sfdisk,
 * genisoimage), in-process: an image nothing recognizes fails and leaves nothing attached, the
 * media type can be forced either way, partition letters follow the one asked for, dismounting one
 * partition of two says what it did and the image can be mounted again, and a truncated FAT image
 * says why it is read-only.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type {
  DismountResult,
  MountImageResult,
  RequestFailedError,
  VolumesResult,
} from '../../../src/host/control/index.ts';
import { InProcessRunner } from '../../../src/host/daemon/index.ts';
import { requestFailure } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-mount-image-'));
let runner: InProcessRunner;

function run(command: string, args: string[], input?: string): void {
  execFileSync(command, args, { input, stdio: ['pipe', 'ignore', 'pipe'] });
}

function blank(name: string, bytes: number): string {
  const path = join(dir, name);
  closeSync(openSync(path, 'w'));
  truncateSync(path, bytes);
  return path;
}

/** A 40 MiB image with two FAT partitions, ONE (16 MiB at sector 2048) and TWO after it. */
function twoPartitions(name: string): string {
  const path = blank(name, 40 * 1024 * 1024);
  run('sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', path], 'label: dos\n2048,32768,6\n34816,,6\n');
  run('mkfs.fat', ['--offset=2048', '-n', 'ONE', path, '16384']);
  run('mkfs.fat', ['--offset=34816', '-n', 'TWO', path, '23552']);
  return path;
}

before(async () => {
  writeFileSync(join(dir, 'strata.json'), JSON.stringify({ drivers: ['Fs_Rec'] }));
  runner = await InProcessRunner.start(join(dir, 'strata.json'), () => {});
});

after(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

const failure = (method: string, params: Record<string, unknown>): Promise<RequestFailedError> =>
  requestFailure(runner, method, params);

const letters = async (): Promise<string[]> =>
  (await runner.request<VolumesResult>('volumes')).volumes.map((v) => v.letter);

test('an image no file system recognizes fails, keeps no letter and lets the file go', async () => {
  const path = blank('blank.img', 4 * 1024 * 1024);
  const error = await failure('mount-image', { path });
  assert.equal(error.error.status, 'STATUS_UNRECOGNIZED_VOLUME');
  assert.match(error.message, /no file system recognized it; nothing was mounted/);
  assert.deepEqual(await letters(), []);
  // The file is free again: formatted by mkfs.fat, it mounts.
  run('mkfs.fat', [path]);
  const mounted = await runner.request<MountImageResult>('mount-image', { path, letter: 'K:' });
  assert.equal(mounted.volume.fileSystem, '\\FileSystem\\Fat');
  await runner.request('dismount', { volume: 'K:' });
});

test('mediaType forces a CD-ROM for an ISO not named .iso, and a disk for a FAT image named .iso', async () => {
  const root = join(dir, 'disc');
  mkdirSync(root);
  writeFileSync(join(root, 'readme.txt'), 'on the disc\n');
  const disc = join(dir, 'install.img');
  run('genisoimage', ['-quiet', '-V', 'DISC', '-o', disc, root]);
  assert.equal((await failure('mount-image', { path: disc })).error.status, 'STATUS_UNRECOGNIZED_VOLUME');
  const cd = await runner.request<MountImageResult>('mount-image', { path: disc, mediaType: 'cdrom' });
  assert.deepEqual(
    [cd.volume.fileSystem, cd.volume.label, cd.volume.readOnly],
    ['\\FileSystem\\Cdfs', 'DISC', true],
  );
  await runner.request('dismount', { volume: cd.volume.letter });
  const fat = join(dir, 'floppy.iso');
  run('mkfs.fat', ['-C', '-n', 'FLOPPY', fat, '1440']);
  const disk = await runner.request<MountImageResult>('mount-image', { path: fat, mediaType: 'disk' });
  assert.deepEqual([disk.volume.fileSystem, disk.volume.label], ['\\FileSystem\\Fat', 'FLOPPY']);
  await runner.request('dismount', { volume: disk.volume.letter });
  assert.match(
    (await failure('mount-image', { path: fat, mediaType: 'tape' })).message,
    /"mediaType" must be "disk" or "cdrom"/,
  );
});

test('the partitions after the first take the next free letters after the one asked for', async () => {
  const path = twoPartitions('letters.img');
  const mounted = await runner.request<MountImageResult>('mount-image', { path, letter: 'P:' });
  assert.deepEqual(
    mounted.volumes.map((v) => [v.letter, v.label]),
    [
      ['P:', 'ONE'],
      ['Q:', 'TWO'],
    ],
  );
  await runner.request('dismount', { volume: 'P:' });
  await runner.request('dismount', { volume: 'Q:' });
  // A letter after the first that is taken is passed over.
  const ram = twoPartitions('blocker.img');
  await runner.request('mount-image', { path: ram, letter: 'S:' });
  const again = await runner.request<MountImageResult>('mount-image', { path, letter: 'R:' });
  assert.deepEqual(
    again.volumes.map((v) => v.letter),
    ['R:', 'U:'],
  );
  for (const letter of ['R:', 'S:', 'T:', 'U:']) await runner.request('dismount', { volume: letter });
});

test('dismounting one partition of two keeps the image for the other, and mount-image gives it its letter back', async () => {
  const path = twoPartitions('two.img');
  await runner.request('mount-image', { path, letter: 'P:' });
  await runner.request('put', { path: 'P:\\kept.txt', data: Buffer.from('kept\n').toString('base64') });
  const first = await runner.request<DismountResult>('dismount', { volume: 'P:' });
  assert.deepEqual(first, {
    volume: 'P:',
    locked: true,
    letterRemoved: true,
    ejected: false,
    imageHeldBy: ['Q:'],
    hostPath: path,
  });
  assert.deepEqual(await letters(), ['Q:']);
  const again = await runner.request<MountImageResult>('mount-image', { path });
  assert.deepEqual(
    again.volumes.map((v) => [v.letter, v.label]),
    [['D:', 'ONE']],
  );
  const read = await runner.request<{ data: string }>('read', { path: 'D:\\kept.txt' });
  assert.equal(Buffer.from(read.data, 'base64').toString(), 'kept\n');
  const refused = await failure('mount-image', { path });
  assert.equal(refused.error.status, 'STATUS_SHARING_VIOLATION');
  assert.match(refused.message, /it is mounted already, as D:, Q:/);
  await runner.request('dismount', { volume: 'D:' });
  const last = await runner.request<DismountResult>('dismount', { volume: 'Q:' });
  assert.deepEqual([last.ejected, last.imageHeldBy], [true, []]);
  // Let go: mtools reads the file written through the first partition, and the image attaches afresh.
  assert.equal(
    execFileSync('mtype', ['-i', `${path}@@${2048 * 512}`, '::/kept.txt'], { encoding: 'utf8' }),
    'kept\n',
  );
  const fresh = await runner.request<MountImageResult>('mount-image', { path, letter: 'P:' });
  assert.deepEqual(
    fresh.volumes.map((v) => v.letter),
    ['P:', 'Q:'],
  );
  await runner.request('dismount', { volume: 'P:' });
  await runner.request('dismount', { volume: 'Q:' });
});

test('a truncated FAT image mounts read-only and says why, with the sizes', async () => {
  const path = join(dir, 'truncated.img');
  run('mkfs.fat', ['-C', path, '8192']);
  truncateSync(path, 2 * 1024 * 1024);
  const mounted = await runner.request<MountImageResult>('mount-image', { path });
  assert.equal(mounted.volume.readOnly, true);
  assert.equal(
    mounted.volume.readOnlyReason,
    'the image is truncated: its boot sector describes 8388608 bytes, the file holds 2097152, so FAT mounted it read-only',
  );
  const refused = await failure('put', { path: `${mounted.volume.letter}\\x.txt`, data: 'eA==' });
  assert.equal(refused.error.status, 'STATUS_MEDIA_WRITE_PROTECTED');
  const whole = join(dir, 'whole.img');
  run('mkfs.fat', ['-C', whole, '1440']);
  const writable = await runner.request<MountImageResult>('mount-image', { path: whole });
  assert.deepEqual([writable.volume.readOnly, writable.volume.readOnlyReason], [false, null]);
  await runner.request('dismount', { volume: mounted.volume.letter });
  await runner.request('dismount', { volume: writable.volume.letter });
});
