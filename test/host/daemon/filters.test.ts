/**
 * The system methods that change the stack, in-process: loading and unloading drivers by service
 * name, ReadOnly and Crypt attached on demand through their control devices, and a whole workload
 * under the driver verifier with no violation from the shipped drivers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  type AttachResult,
  type DriversResult,
  type LoadResult,
  type ReadResult,
  RequestFailedError,
} from '../../../src/host/control/index.ts';
import { InProcessRunner } from '../../../src/host/daemon/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-filters-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function start(config: unknown): Promise<InProcessRunner> {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(config));
  return InProcessRunner.start(path, () => {});
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: string; status?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RequestFailedError, String(error));
    return error.error;
  }
  assert.fail('the request succeeded');
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const MEMFS_DISK = { drivers: ['MemFs'], ramDisks: [{ letter: 'M:', size: '4MiB' }] };

test('load and unload go by service name and report the statuses NT gives', async () => {
  const runner = await start(MEMFS_DISK);
  try {
    const loaded = await runner.request<LoadResult>('load', { driver: 'spy' });
    assert.equal(loaded.driver.name, '\\FileSystem\\Spy');
    assert.equal(loaded.driver.loaded, true);
    assert.equal(
      (await failure(runner.request('load', { driver: 'Spy' }))).status,
      'STATUS_IMAGE_ALREADY_LOADED',
    );
    assert.equal(
      (await failure(runner.request('load', { driver: 'Ntfs' }))).status,
      'STATUS_OBJECT_NAME_NOT_FOUND',
    );
    const busy = await failure(runner.request('unload', { driver: 'MemFs' }));
    assert.equal(busy.status, 'STATUS_INVALID_DEVICE_REQUEST');
    assert.match(busy.message, /file systems refuse while volumes are mounted/);
    const unloaded = await runner.request<LoadResult>('unload', { driver: 'Spy' });
    assert.equal(unloaded.driver.loaded, false);
    const { drivers } = await runner.request<DriversResult>('drivers');
    assert.deepEqual(
      drivers.filter((d) => d.loaded).map((d) => d.service),
      ['RAW', 'MemFs', 'RamDisk'],
    );
  } finally {
    await runner.close();
  }
});

test('ReadOnly attached on demand refuses writes on its volume and only there', async () => {
  const runner = await start({
    drivers: ['MemFs', 'ReadOnly'],
    ramDisks: [
      { letter: 'M:', size: '4MiB' },
      { letter: 'N:', size: '4MiB' },
    ],
  });
  try {
    await runner.request('put', { path: 'M:\\before.txt', data: b64('before') });
    const attached = await runner.request<AttachResult>('attach', { filter: 'ReadOnly', volume: 'M:' });
    assert.deepEqual(
      attached.stack.map((e) => e.driver),
      ['\\FileSystem\\ReadOnly', '\\FileSystem\\MemFs'],
    );
    const refused = await failure(runner.request('put', { path: 'M:\\after.txt', data: b64('after') }));
    assert.equal(refused.status, 'STATUS_MEDIA_WRITE_PROTECTED');
    assert.match(
      refused.message,
      /^Creating M:\\after\.txt failed with STATUS_MEDIA_WRITE_PROTECTED \(the volume is read-only\)\.$/,
    );
    assert.equal(
      (await failure(runner.request('rm', { path: 'M:\\before.txt' }))).status,
      'STATUS_MEDIA_WRITE_PROTECTED',
    );
    assert.equal(
      (await failure(runner.request('mkdir', { path: 'M:\\d' }))).status,
      'STATUS_MEDIA_WRITE_PROTECTED',
    );
    const read = await runner.request<ReadResult>('read', { path: 'M:\\before.txt' });
    assert.equal(Buffer.from(read.data, 'base64').toString(), 'before', 'reads still pass');
    await runner.request('put', { path: 'N:\\fine.txt', data: b64('fine') });
    await runner.request('detach', { filter: 'ReadOnly', volume: 'M:' });
    await runner.request('put', { path: 'M:\\after.txt', data: b64('after') });
  } finally {
    await runner.close();
  }
});

test('Crypt needs a key; through it files read back as written while the media holds ciphertext', async () => {
  const key = '0123456789abcdef'.repeat(4);
  const runner = await start({
    drivers: ['MemFs'],
    ramDisks: [{ letter: 'M:', size: '4MiB' }],
    filters: [{ driver: 'Crypt', attach: 'on-demand', volumes: ['M:'], key }],
  });
  try {
    const noKey = await failure(runner.request('attach', { filter: 'Crypt', volume: 'M:' }));
    assert.equal(noKey.code, 'INVALID_PARAMS');
    assert.match(noKey.message, /Crypt needs a key to attach/);
    const secret = 'the secret plans, in plain text\n'.repeat(10);
    await runner.request('put', { path: 'M:\\secret.txt', data: b64(secret) });
    const through = await runner.request<ReadResult>('read', { path: 'M:\\secret.txt' });
    assert.equal(Buffer.from(through.data, 'base64').toString(), secret);
    await runner.request('detach', { filter: 'Crypt', volume: 'M:' });
    const raw = await runner.request<ReadResult>('read', { path: 'M:\\secret.txt' });
    assert.equal(raw.size, secret.length, 'sizes are unchanged');
    assert.ok(
      !Buffer.from(raw.data, 'base64').toString('latin1').includes('secret plans'),
      'the media holds no plaintext',
    );
  } finally {
    await runner.close();
  }
});

test('under the driver verifier, the shipped drivers run a whole session without a violation', async () => {
  const runner = await start({
    verifier: true,
    drivers: ['MemFs', 'Fat'],
    ramDisks: [
      { letter: 'M:', size: '4MiB' },
      { letter: 'F:', size: '4MiB', format: 'fat' },
    ],
    filters: [
      { driver: 'SFilter', attach: 'notification' },
      { driver: 'Spy', attach: 'on-demand', volumes: ['M:', 'F:'] },
    ],
  });
  try {
    await runner.request('mkdir', { path: 'M:\\a\\b', parents: true });
    await runner.request('put', { path: 'M:\\a\\b\\f.txt', data: b64('x'.repeat(10_000)) });
    await runner.request('cp', { from: 'M:\\a', to: 'F:\\a', recursive: true });
    await runner.request('mv', { from: 'F:\\a', to: 'M:\\moved' });
    await runner.request('rm', { path: 'M:\\moved', recursive: true });
    await runner.request('detach', { filter: 'Spy', volume: 'F:' });
    await runner.request('dismount', { volume: 'F:' });
    const { verifier } = await runner.request<DriversResult>('drivers');
    assert.equal(verifier.enabled, true);
    assert.deepEqual(verifier.violations, []);
  } finally {
    const report = await runner.close();
    assert.deepEqual(report.problems, []);
    assert.deepEqual(runner.host.violations, [], 'nothing at unload or shutdown either');
  }
});

test('detaching a filter with another above it names the one cut off; attaching that one again puts it back on top', async () => {
  const runner = await start({
    ...MEMFS_DISK,
    filters: [
      { driver: 'SFilter', attach: 'notification' },
      { driver: 'Spy', attach: 'on-demand', volumes: ['M:'] },
    ],
  });
  const services = (result: AttachResult) => result.stack.map((e) => e.driver);
  try {
    const detached = await runner.request<AttachResult>('detach', { filter: 'SFilter', volume: 'M:' });
    // No splicing (§4.4): Spy stays attached to SFilter's device, which is off the volume's stack.
    assert.deepEqual(services(detached), ['\\FileSystem\\MemFs']);
    assert.deepEqual(detached.cutOff, ['Spy']);
    const back = await runner.request<AttachResult>('attach', { filter: 'Spy', volume: 'M:' });
    assert.deepEqual(services(back), ['\\FileSystem\\Spy', '\\FileSystem\\MemFs']);
    assert.deepEqual(back.cutOff, []);
    const top = await runner.request<AttachResult>('detach', { filter: 'Spy', volume: 'M:' });
    assert.deepEqual(top.cutOff, [], 'nothing was above Spy');
  } finally {
    await runner.close();
  }
});
