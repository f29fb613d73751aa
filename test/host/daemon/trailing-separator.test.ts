/**
 * A target written with a trailing separator (`M:\dir\`) names a directory, as it does for Win32
 * and for cp: `put`, uploads, `cp` and `mv` put the file inside it when it exists and fail,
 * creating nothing, when it does not (STATUS_OBJECT_PATH_NOT_FOUND) or is a file
 * (STATUS_NOT_A_DIRECTORY). They used to drop the separator and create a file named `dir`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type LsResult, RequestFailedError } from '../../../src/host/control/index.ts';
import { InProcessRunner } from '../../../src/host/daemon/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-trailing-'));
let runner: InProcessRunner;
const data = Buffer.from('hello').toString('base64');

before(async () => {
  const configPath = join(dir, 'strata.json');
  writeFileSync(
    configPath,
    JSON.stringify({ drivers: ['MemFs'], ramDisks: [{ letter: 'M:', size: '4MiB' }] }),
  );
  runner = await InProcessRunner.start(configPath, () => {});
  await runner.request('put', { path: 'M:\\a.txt', data });
  await runner.request('mkdir', { path: 'M:\\dir' });
});

after(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

const names = async (path: string): Promise<string[]> =>
  (await runner.request<LsResult>('ls', { path })).entries.map((e) => e.name).sort();

async function refused(method: string, params: Record<string, unknown>, status: string): Promise<void> {
  await assert.rejects(runner.request(method, params), (error: unknown) => {
    assert.ok(error instanceof RequestFailedError);
    assert.equal(error.error.status, status);
    return true;
  });
}

test('put, cp and mv to a missing directory written with a trailing separator create nothing', async () => {
  await refused('put', { path: 'M:/missing/', name: 'a.txt', data }, 'STATUS_OBJECT_PATH_NOT_FOUND');
  await refused('upload-begin', { path: 'M:\\missing\\', name: 'a.txt' }, 'STATUS_OBJECT_PATH_NOT_FOUND');
  await refused('cp', { from: 'M:\\a.txt', to: 'M:\\missing\\' }, 'STATUS_OBJECT_PATH_NOT_FOUND');
  await refused('mv', { from: 'M:\\a.txt', to: 'M:/missing/' }, 'STATUS_OBJECT_PATH_NOT_FOUND');
  assert.deepEqual(await names('M:\\'), ['a.txt', 'dir']);
});

test('a trailing separator after a file name is STATUS_NOT_A_DIRECTORY, and the file is unchanged', async () => {
  await refused(
    'put',
    { path: 'M:\\a.txt\\', name: 'b.txt', data, overwrite: true },
    'STATUS_NOT_A_DIRECTORY',
  );
  await refused('cp', { from: 'M:\\dir', to: 'M:\\a.txt\\', recursive: true }, 'STATUS_NOT_A_DIRECTORY');
  assert.deepEqual(await names('M:\\'), ['a.txt', 'dir']);
  assert.equal((await runner.request<{ size: number }>('stat', { path: 'M:\\a.txt' })).size, 5);
});

test('an existing directory written with a trailing separator receives the file inside it', async () => {
  await runner.request('put', { path: 'M:\\dir\\', name: 'put.txt', data });
  await runner.request('cp', { from: 'M:\\a.txt', to: 'M:/dir/' });
  await runner.request('put', { path: 'M:\\b.txt', data });
  await runner.request('mv', { from: 'M:\\b.txt', to: 'M:\\dir\\' });
  assert.deepEqual(await names('M:\\dir'), ['a.txt', 'b.txt', 'put.txt']);
});
