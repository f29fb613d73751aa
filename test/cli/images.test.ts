/**
 * Real media through the command line: a FAT image made by mkfs.fat and filled by mtools, an ISO
 * made by genisoimage, and a host directory, served by a daemon booted from a configuration file.
 * Every way of stopping (SIGTERM, `strata down`, `dismount` of an image, the end of an in-process
 * run) leaves the FAT image clean for `fsck.fat -n`, with the files Strata wrote readable by mtools.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DevstackResult, MountImageResult, VolumesResult } from '../../src/host/control/index.ts';
import { builtCli, killDaemons, startDaemon, strata, temporaryDirectory } from './support.ts';

const dir = temporaryDirectory();

after(async () => {
  killDaemons();
  dir.cleanup();
  (await builtCli()).cleanup();
});

function mustRun(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** A 16 MiB FAT16 image holding HELLO.TXT, made by the reference tools. */
function fatImage(name: string): string {
  const image = join(dir.path, name);
  mustRun('mkfs.fat', ['-C', '-F', '16', '-n', 'TESTVOL', image, '16384']);
  const hello = join(dir.path, 'hello.txt');
  writeFileSync(hello, 'hello from mtools\n');
  mustRun('mcopy', ['-i', image, hello, '::/HELLO.TXT']);
  return image;
}

function fsckClean(image: string): void {
  const result = spawnSync('fsck.fat', ['-n', image], { encoding: 'utf8' });
  assert.equal(result.status, 0, `fsck.fat -n ${image}:\n${result.stdout}${result.stderr}`);
}

function writeConfig(name: string, config: unknown): string {
  const path = join(dir.path, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

test('a daemon serves a FAT image, an ISO and a host directory, and SIGTERM leaves the image fsck-clean', {
  timeout: 120_000,
}, async () => {
  const image = fatImage('served.img');
  const isoRoot = join(dir.path, 'iso');
  mkdirSync(isoRoot);
  writeFileSync(join(isoRoot, 'readme.txt'), 'on the disc\n');
  const iso = join(dir.path, 'disc.iso');
  mustRun('genisoimage', ['-quiet', '-J', '-R', '-V', 'DISC', '-o', iso, isoRoot]);
  const shared = join(dir.path, 'shared');
  mkdirSync(shared);
  const config = writeConfig('served.json', {
    drivers: ['Fat', 'Cdfs'],
    images: [
      { path: 'served.img', letter: 'F:' },
      { path: 'disc.iso', letter: 'E:' },
    ],
    shares: [{ name: 'work', path: 'shared', letter: 'H:' }],
    filters: [{ driver: 'SFilter', attach: 'notification' }],
  });
  const socket = join(dir.path, 'served.sock');
  const daemon = await startDaemon(socket, ['--config', config]);
  const volumes = JSON.parse((await strata(['volumes', '--json'], { socket })).stdout) as VolumesResult;
  assert.deepEqual(
    volumes.volumes.map((v) => [v.letter, v.fileSystem, v.label, v.readOnly, v.filters]),
    [
      ['E:', '\\FileSystem\\Cdfs', 'DISC', true, ['\\FileSystem\\SFilter']],
      ['F:', '\\FileSystem\\Fat', 'TESTVOL', false, ['\\FileSystem\\SFilter']],
      ['H:', '\\FileSystem\\HostFs', 'work', false, ['\\FileSystem\\SFilter']],
    ],
  );
  assert.equal((await strata(['cat', 'F:\\HELLO.TXT'], { socket })).stdout, 'hello from mtools\n');
  assert.equal((await strata(['cat', 'E:/readme.txt'], { socket })).stdout, 'on the disc\n');
  const payload = randomBytes(300_000);
  writeFileSync(join(dir.path, 'payload.bin'), payload);
  assert.equal(
    (await strata(['put', join(dir.path, 'payload.bin'), 'F:\\Payload Data.bin'], { socket })).code,
    0,
  );
  assert.equal((await strata(['cp', 'F:\\Payload Data.bin', 'H:\\copy.bin'], { socket })).code, 0);
  assert.ok(readFileSync(join(shared, 'copy.bin')).equals(payload), 'the share wrote through to the host');
  const refused = await strata(['put', '-', 'E:\\new.txt'], { socket, input: 'x' });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /STATUS_MEDIA_WRITE_PROTECTED/);

  daemon.child.kill('SIGTERM');
  assert.equal(await daemon.exited, 0, daemon.stderr());
  fsckClean(image);
  const out = join(dir.path, 'out.bin');
  mustRun('mcopy', ['-i', image, '::/Payload Data.bin', out]);
  assert.ok(readFileSync(out).equals(payload), 'mtools reads back what Strata wrote');
});

test('mount-image at run time; dismount releases it clean while the daemon keeps serving; down leaves it clean too', {
  timeout: 120_000,
}, async () => {
  const image = fatImage('runtime.img');
  const socket = join(dir.path, 'runtime.sock');
  const daemon = await startDaemon(socket, [
    '--config',
    writeConfig('runtime.json', { drivers: ['MemFs', 'Fat'] }),
  ]);
  const mounted = await strata(['mount-image', image, '--letter', 'g:', '--json'], { socket });
  assert.equal(mounted.code, 0, mounted.stderr);
  const result = JSON.parse(mounted.stdout) as MountImageResult;
  assert.deepEqual([result.volume.letter, result.volume.fileSystem], ['G:', '\\FileSystem\\Fat']);
  const stack = JSON.parse((await strata(['devstack', 'G:', '--json'], { socket })).stdout) as DevstackResult;
  assert.equal(stack.stack.at(-1)?.driver, '\\FileSystem\\Fat');
  assert.equal((await strata(['mkdir', 'G:\\Made By Strata'], { socket })).code, 0);
  assert.equal(
    (await strata(['put', '-', 'G:\\Made By Strata\\note.txt'], { socket, input: 'note\n' })).code,
    0,
  );
  const taken = await strata(['mount-image', image, '--letter', 'G:'], { socket });
  assert.equal(taken.code, 1);
  const dismount = await strata(['dismount', 'G:', '--json'], { socket });
  assert.deepEqual(JSON.parse(dismount.stdout), {
    volume: 'G:',
    locked: true,
    letterRemoved: true,
    ejected: true,
    imageHeldBy: [],
    hostPath: image,
  });
  // Released: the file is consistent now, with the daemon still running.
  fsckClean(image);
  assert.equal(mustRun('mtype', ['-i', image, '::/Made By Strata/note.txt']), 'note\n');
  assert.equal((await strata(['stat', 'G:\\'], { socket })).code, 1);
  // Attached again, changed again, and this time `strata down` is what releases it.
  assert.equal((await strata(['mount-image', image, '--letter', 'G:'], { socket })).code, 0);
  assert.equal((await strata(['put', '-', 'G:\\second.txt'], { socket, input: 'second\n' })).code, 0);
  assert.equal((await strata(['down'], { socket })).code, 0);
  assert.equal(await daemon.exited, 0);
  fsckClean(image);
  assert.equal(mustRun('mtype', ['-i', image, '::/second.txt']), 'second\n');
  assert.equal(mustRun('mtype', ['-i', image, '::/Made By Strata/note.txt']), 'note\n');
});

test('in-process runs with --config keep their changes on an image: put, then get, byte for byte', async () => {
  const image = fatImage('inproc.img');
  const config = writeConfig('inproc.json', {
    drivers: ['Fat'],
    images: [{ path: 'inproc.img', letter: 'F:' }],
  });
  const data = randomBytes(1_500_000);
  writeFileSync(join(dir.path, 'big.bin'), data);
  const put = await strata(['--config', config, 'put', join(dir.path, 'big.bin'), 'F:\\big.bin']);
  assert.equal(put.code, 0, put.stderr);
  fsckClean(image);
  const get = await strata(['--config', config, 'get', 'F:\\big.bin', join(dir.path, 'big-copy.bin')]);
  assert.equal(get.code, 0, get.stderr);
  assert.ok(readFileSync(join(dir.path, 'big-copy.bin')).equals(data));
  const ls = await strata(['--config', config, 'ls', 'F:\\', '--json']);
  assert.deepEqual(
    (JSON.parse(ls.stdout) as { entries: Array<{ name: string }> }).entries.map((e) => e.name),
    ['HELLO.TXT', 'big.bin'],
  );
  const mv = await strata(['--config', config, 'mv', 'F:\\big.bin', 'F:\\renamed.bin']);
  assert.equal(mv.code, 0, mv.stderr);
  const rm = await strata(['--config', config, 'rm', 'F:\\HELLO.TXT']);
  assert.equal(rm.code, 0, rm.stderr);
  fsckClean(image);
  const listing = mustRun('mdir', ['-b', '-i', image, '::/']);
  assert.match(listing, /renamed\.bin/);
  assert.doesNotMatch(listing, /HELLO/);
});

test('a read-only image refuses every change with STATUS_MEDIA_WRITE_PROTECTED and its file stays byte-identical', async () => {
  const image = fatImage('readonly.img');
  const before = readFileSync(image);
  const config = writeConfig('readonly.json', {
    drivers: ['Fat'],
    images: [{ path: 'readonly.img', letter: 'F:', readOnly: true }],
  });
  const put = await strata(['--config', config, 'put', '-', 'F:\\new.txt'], { input: 'no' });
  assert.equal(put.code, 1);
  assert.match(put.stderr, /STATUS_MEDIA_WRITE_PROTECTED \(the volume is read-only\)/);
  const rm = await strata(['--config', config, 'rm', 'F:\\HELLO.TXT', '--json']);
  assert.equal(rm.code, 1);
  assert.equal(JSON.parse(rm.stdout).error.status, 'STATUS_MEDIA_WRITE_PROTECTED');
  const cat = await strata(['--config', config, 'cat', 'F:\\HELLO.TXT']);
  assert.equal(cat.stdout, 'hello from mtools\n');
  assert.ok(readFileSync(image).equals(before));
});
