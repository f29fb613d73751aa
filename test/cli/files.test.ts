/**
 * The file commands through the real `strata` program and a real daemon: data round trips byte for
 * byte (one chunk and many), listings in both output forms, and the exit codes and messages of
 * what must fail, with nothing changed on either side by a failure.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FileInfo, LsResult, TreeResult } from '../../src/host/control/index.ts';
import {
  builtCli,
  type Daemon,
  killDaemons,
  startDaemon,
  stopDaemon,
  strata,
  strataInProcess,
  temporaryDirectory,
} from './support.ts';

const dir = temporaryDirectory();
let daemon: Daemon;
/** A real `strata` process (for standard input and output, exit codes, host files). */
const run = (args: string[], input?: Buffer | string) =>
  strata(args, { socket: daemon.socket, cwd: dir.path, ...(input !== undefined ? { input } : {}) });
/** The same command line in this process, still through the daemon's socket (faster). */
const local = (args: string[]) => strataInProcess(args, { socket: daemon.socket });

before(async () => {
  daemon = await startDaemon(join(dir.path, 'control.sock'));
});

after(async () => {
  await stopDaemon(daemon).finally(killDaemons);
  dir.cleanup();
  (await builtCli()).cleanup();
});

test('put then get returns the same bytes, for a file of several chunks', async () => {
  const data = randomBytes(2 * 1024 * 1024 + 777);
  writeFileSync(join(dir.path, 'big.bin'), data);
  const put = await run(['put', 'big.bin', 'M:\\big.bin']);
  assert.equal(put.code, 0, put.stderr);
  assert.equal(put.stdout, `Copied ${data.length} bytes to M:\\big.bin.\n`);
  const get = await run(['get', 'M:/big.bin', 'copy.bin']);
  assert.equal(get.code, 0, get.stderr);
  assert.ok(readFileSync(join(dir.path, 'copy.bin')).equals(data));
  assert.deepEqual(
    readdirSync(dir.path).filter((n) => n.includes('.strata-')),
    [],
    'no temporary file is left on the host',
  );
});

test('put from standard input and cat to standard output carry any bytes', async () => {
  const data = Buffer.from([0, 1, 2, 255, 10, 13, 0x80, 0xc3, 0x28]);
  const put = await run(['put', '-', 'M:\\raw.bin'], data);
  assert.equal(put.code, 0, put.stderr);
  const cat = await run(['cat', 'M:\\raw.bin']);
  assert.equal(cat.code, 0, cat.stderr);
  assert.ok(cat.bytes.equals(data));
  const getStdout = await run(['get', 'M:\\raw.bin', '-']);
  assert.ok(getStdout.bytes.equals(data));
});

test('stat --json reports the file; the human form shows the same facts', async () => {
  const json = await local(['stat', 'M:\\raw.bin', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const info = JSON.parse(json.stdout) as FileInfo;
  assert.equal(info.path, 'M:\\raw.bin');
  assert.equal(info.type, 'file');
  assert.equal(info.size, 9);
  const human = await local(['stat', 'M:\\raw.bin']);
  assert.match(human.stdout, /^Path\s+M:\\raw\.bin$/m);
  assert.match(human.stdout, /^Size\s+9 bytes$/m);
  assert.match(human.stdout, /^Attributes\s+ARCHIVE$/m);
});

test('mkdir, ls, mv and tree work together in both output forms', async () => {
  assert.equal((await local(['mkdir', '-p', 'M:/projects/strata/src'])).code, 0);
  assert.equal((await local(['mv', 'M:\\raw.bin', 'M:\\projects\\strata'])).code, 0);
  const ls = await local(['ls', 'M:\\projects\\strata', '--json']);
  assert.deepEqual(
    (JSON.parse(ls.stdout) as LsResult).entries.map((e) => [e.name, e.type]),
    [
      ['raw.bin', 'file'],
      ['src', 'directory'],
    ],
  );
  const human = await local(['ls', 'M:\\projects\\strata']);
  assert.match(human.stdout, /^ Directory of M:\\projects\\strata$/m);
  assert.match(human.stdout, /<DIR>\s+src$/m);
  assert.match(human.stdout, /\s9 raw\.bin$/m);
  assert.match(human.stdout, /^\s+1 File\(s\)\s+9 bytes$/m);
  const tree = await local(['tree', 'M:\\projects']);
  assert.equal(
    tree.stdout,
    [
      'M:\\projects',
      '└── strata\\',
      '    ├── raw.bin',
      '    └── src\\',
      '',
      '2 directories, 1 file',
      '',
    ].join('\n'),
  );
  const treeJson = JSON.parse((await local(['tree', 'M:\\projects', '--json'])).stdout) as TreeResult;
  assert.deepEqual([treeJson.files, treeJson.directories], [1, 2]);
});

test('cp copies inside Strata and between the host and Strata', async () => {
  writeFileSync(join(dir.path, 'note.txt'), 'a note\n');
  assert.equal((await local(['cp', join(dir.path, 'note.txt'), 'M:\\note.txt'])).code, 0);
  const inside = await local(['cp', 'M:\\note.txt', 'M:\\projects\\note2.txt', '--json']);
  assert.deepEqual(JSON.parse(inside.stdout), {
    from: 'M:\\note.txt',
    to: 'M:\\projects\\note2.txt',
    files: 1,
    bytes: 7,
    skipped: [],
  });
  const out = await local(['cp', '-r', 'M:\\projects', join(dir.path, 'exported')]);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(readFileSync(join(dir.path, 'exported', 'note2.txt'), 'utf8'), 'a note\n');
  assert.equal(readFileSync(join(dir.path, 'exported', 'strata', 'raw.bin')).length, 9);
});

test('rm removes a file, and a tree only with --recursive', async () => {
  const refused = await local(['rm', 'M:\\projects']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /Deleting M:\\projects failed with STATUS_DIRECTORY_NOT_EMPTY/);
  const removed = await local(['rm', '-r', 'M:\\projects', '--json']);
  assert.deepEqual(JSON.parse(removed.stdout), { path: 'M:\\projects', removed: 5 });
  assert.equal((await local(['stat', 'M:\\projects'])).code, 1);
});

test('a missing file fails with exit code 1, the status name and the path', async () => {
  const result = await run(['cat', 'M:\\nope.txt']);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  assert.equal(
    result.stderr,
    'strata: Reading M:\\nope.txt failed with STATUS_OBJECT_NAME_NOT_FOUND (no such file or directory).\n',
  );
  const json = await run(['stat', 'M:/dir/nope.txt', '--json']);
  assert.equal(json.code, 1);
  assert.deepEqual(JSON.parse(json.stdout).error.status, 'STATUS_OBJECT_PATH_NOT_FOUND');
  assert.equal(JSON.parse(json.stdout).error.path, 'M:\\dir\\nope.txt');
});

test('get refuses to overwrite a host file without --force and leaves it unchanged (exit 6)', async () => {
  writeFileSync(join(dir.path, 'keep.txt'), 'keep');
  const refused = await run(['get', 'M:\\note.txt', 'keep.txt']);
  assert.equal(refused.code, 6);
  assert.match(refused.stderr, /keep\.txt: it already exists \(use --force to replace it\)/);
  assert.equal(readFileSync(join(dir.path, 'keep.txt'), 'utf8'), 'keep');
  assert.equal((await run(['get', 'M:\\note.txt', 'keep.txt', '--force'])).code, 0);
  assert.equal(readFileSync(join(dir.path, 'keep.txt'), 'utf8'), 'a note\n');
  const missing = await run(['put', 'no-such-file', 'M:\\x']);
  assert.equal(missing.code, 6);
  assert.match(missing.stderr, /Cannot read no-such-file: it does not exist\./);
});

test('usage errors exit 2 with the usage line', async () => {
  const unknown = await strataInProcess(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown command "frobnicate"/);
  const missing = await strataInProcess(['cat']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /Missing arguments\.\nUsage: strata cat <path>/);
  const hostPath = await strataInProcess(['ls', '/tmp']);
  assert.equal(hostPath.code, 2);
  assert.match(hostPath.stderr, /"\/tmp" is not a Strata path/);
  // put and get check their Strata side as every file command does, shell hint included.
  for (const args of [
    ['put', 'note.txt', 'M:dirfile'],
    ['get', 'M:dirfile', 'note.txt'],
  ]) {
    const eaten = await strataInProcess(args);
    assert.equal(eaten.code, 2, args.join(' '));
    assert.match(eaten.stderr, /"M:dirfile" is not a Strata path: did the shell eat a backslash\?/);
    assert.match(eaten.stderr, new RegExp(`Usage: strata ${args[0]} `));
  }
  const badOption = await strataInProcess(['ls', 'M:\\', '--colour']);
  assert.equal(badOption.code, 2);
  assert.match(badOption.stderr, /Unknown option '--colour'/);
  const badValue = await strataInProcess(['ls', 'M:\\', '--limit', 'ten']);
  assert.equal(badValue.code, 2);
  // With --json, scripts get the error record on standard output as for any other failure.
  for (const args of [['frobnicate'], ['ls', '/tmp'], ['ls', 'M:\\', '--colour'], ['cat']]) {
    const json = await strataInProcess([...args, '--json']);
    assert.equal(json.code, 2, args.join(' '));
    const { error } = JSON.parse(json.stdout) as { error: { code: string; message: string } };
    assert.equal(error.code, 'USAGE', args.join(' '));
    assert.ok(json.stderr.includes(error.message), args.join(' '));
  }
});

test('every command has --help, and strata --help lists them all', async () => {
  const general = await strataInProcess(['--help']);
  assert.equal(general.code, 0);
  const commands = [
    'up',
    'down',
    'demo',
    'drivers',
    'devices',
    'volumes',
    'devstack',
    'load',
    'unload',
    'attach',
    'detach',
    'mount-image',
    'dismount',
    'trace',
    'ls',
    'stat',
    'cat',
    'put',
    'get',
    'cp',
    'mv',
    'mkdir',
    'rm',
    'tree',
  ];
  for (const name of commands) {
    assert.match(general.stdout, new RegExp(`^  ${name}\\s`, 'm'), name);
    const help = await strataInProcess([name, '--help']);
    assert.equal(help.code, 0, name);
    assert.match(help.stdout, new RegExp(`^Usage: strata ${name}\\b`), name);
  }
});

test('without a daemon, commands exit 3 and say how to start one', async () => {
  const result = await strata(['volumes'], { socket: join(dir.path, 'nobody.sock') });
  assert.equal(result.code, 3);
  assert.match(
    result.stderr,
    /Cannot reach the Strata daemon at .*nobody\.sock: no socket there; start one with `strata up`\./,
  );
});
