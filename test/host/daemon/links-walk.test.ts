/**
 * Symbolic links as the file methods show and walk them, on a Rock Ridge disc made by genisoimage
 * and on a host directory: `ls`, `stat` and `tree` agree on what a link is and what it leads to;
 * a recursive copy follows links, never walks round a loop or into its own copy, and goes past
 * what it cannot copy (a dangling link, a FIFO HostFS will not open), naming each, while the rest
 * arrives. A move across volumes that could not copy everything leaves its source whole.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type {
  CpResult,
  FileInfo,
  LsResult,
  RequestFailedError,
  TreeResult,
} from '../../../src/host/control/index.ts';
import { InProcessRunner } from '../../../src/host/daemon/index.ts';
import { requestFailure } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-links-walk-'));
let runner: InProcessRunner;

before(async () => {
  const disc = join(dir, 'disc');
  mkdirSync(join(disc, 'd', 'sub'), { recursive: true });
  writeFileSync(join(disc, 'd', 'a.txt'), 'hi\n');
  writeFileSync(join(disc, 'd', 'sub', 'b.txt'), 'deep\n');
  symlinkSync('d', join(disc, 'dlink'));
  symlinkSync('d/a.txt', join(disc, 'flink'));
  symlinkSync('nowhere', join(disc, 'broken'));
  symlinkSync('..', join(disc, 'd', 'sub', 'up'));
  const made = spawnSync('genisoimage', ['-quiet', '-R', '-V', 'LINKS', '-o', join(dir, 'links.iso'), disc]);
  assert.equal(made.status, 0, String(made.stderr));
  const share = join(dir, 'share');
  mkdirSync(join(share, 'a'), { recursive: true });
  writeFileSync(join(share, 'a', 'f.txt'), 'file\n');
  symlinkSync('..', join(share, 'a', 'up'));
  const fifo = spawnSync('mkfifo', [join(share, 'a', 'pipe')]);
  assert.equal(fifo.status, 0, String(fifo.stderr));
  writeFileSync(
    join(dir, 'strata.json'),
    JSON.stringify({
      drivers: ['MemFs', 'Cdfs'],
      ramDisks: [{ letter: 'M:', size: '8MiB' }],
      images: [{ path: 'links.iso', letter: 'D:' }],
      shares: [{ name: 'data', path: 'share', letter: 'S:' }],
    }),
  );
  runner = await InProcessRunner.start(join(dir, 'strata.json'), () => {});
});

after(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

const failure = (method: string, params: Record<string, unknown>): Promise<RequestFailedError> =>
  requestFailure(runner, method, params);

test('ls shows a Rock Ridge link by what it leads to, marked as a link with its target', async () => {
  const listing = await runner.request<LsResult>('ls', { path: 'D:\\' });
  const entry = (name: string) => listing.entries.find((e) => e.name === name)!;
  assert.deepEqual(
    [entry('dlink').type, entry('dlink').link, entry('dlink').target],
    ['directory', true, 'd'],
  );
  assert.deepEqual(
    [entry('flink').type, entry('flink').size, entry('flink').link, entry('flink').target],
    ['file', 3, true, 'd/a.txt'],
  );
  assert.deepEqual(
    [entry('broken').type, entry('broken').link, entry('broken').target],
    ['link', true, 'nowhere'],
  );
  assert.equal(entry('d').link, undefined, 'a plain directory carries no link fields');
});

test('stat agrees with the listing on every name: type, size, link and target', async () => {
  const listing = await runner.request<LsResult>('ls', { path: 'D:\\' });
  for (const entry of listing.entries) {
    const info = await runner.request<FileInfo>('stat', { path: `D:\\${entry.name}` });
    assert.deepEqual(
      [info.type, info.size, info.link, info.target],
      [entry.type, entry.size, entry.link, entry.target],
      entry.name,
    );
  }
});

test('tree shows links without walking into them, and a loop through a link is named, not walked', async () => {
  const plain = await runner.request<TreeResult>('tree', { path: 'D:\\' });
  const dlink = plain.root.children!.find((c) => c.name === 'dlink')!;
  assert.equal(dlink.children, undefined);
  assert.deepEqual(plain.skipped, []);
  const followed = await runner.request<TreeResult>('tree', { path: 'D:\\', follow: true });
  assert.deepEqual(
    followed.root.children!.find((c) => c.name === 'dlink')!.children!.map((c) => c.name),
    ['a.txt', 'sub'],
  );
  assert.deepEqual(
    followed.skipped.map((s) => s.path),
    ['D:\\d\\sub\\up', 'D:\\dlink\\sub\\up'],
  );
  assert.match(followed.skipped[0]!.message, /leads back to D:\\d, .*a loop/);
});

test('cp -r of a disc with links copies what they lead to and goes past a dangling link and a loop, naming each', async () => {
  const result = await runner.request<CpResult>('cp', { from: 'D:\\', to: 'M:\\copy', recursive: true });
  assert.equal(result.files, 5);
  assert.deepEqual(result.skipped.map((s) => s.path).sort(), [
    'D:\\broken',
    'D:\\d\\sub\\up',
    'D:\\dlink\\sub\\up',
  ]);
  const read = async (path: string): Promise<string> =>
    Buffer.from((await runner.request<{ data: string }>('read', { path })).data, 'base64').toString();
  assert.equal(await read('M:\\copy\\dlink\\sub\\b.txt'), 'deep\n');
  assert.equal(await read('M:\\copy\\flink'), 'hi\n');
  assert.equal(
    (await failure('stat', { path: 'M:\\copy\\broken' })).error.status,
    'STATUS_OBJECT_NAME_NOT_FOUND',
  );
  assert.equal(
    (await failure('stat', { path: 'M:\\copy\\d\\sub\\up' })).error.status,
    'STATUS_OBJECT_NAME_NOT_FOUND',
  );
});

test('cp -r on a host share goes past a FIFO it cannot read and never copies into its own copy through a link', async () => {
  const result = await runner.request<CpResult>('cp', { from: 'S:\\a', to: 'S:\\b', recursive: true });
  const pipe = result.skipped.find((s) => s.path.endsWith('\\pipe'))!;
  assert.equal(pipe.status, 'STATUS_ACCESS_DENIED');
  assert.ok(
    result.skipped.some((s) => s.path === 'S:\\a\\up\\b' && /which this copy made/.test(s.message)),
    JSON.stringify(result.skipped),
  );
  assert.equal(readFileSync(join(dir, 'share', 'b', 'f.txt'), 'utf8'), 'file\n');
  assert.equal(existsSync(join(dir, 'share', 'b', 'up', 'b')), false);
});

test('mv across volumes that cannot copy everything fails and leaves the source where it was', async () => {
  const error = await failure('mv', { from: 'S:\\a', to: 'M:\\moved' });
  assert.equal(error.error.status, 'STATUS_UNSUCCESSFUL');
  assert.match(error.message, /could not be copied.*The source is left as it was/);
  assert.equal(readFileSync(join(dir, 'share', 'a', 'f.txt'), 'utf8'), 'file\n');
});
