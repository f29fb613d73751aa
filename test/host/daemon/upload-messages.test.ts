/**
 * A put whose target name the file system refuses fails against the name the client gave, never
 * the temporary upload file it was renamed from (`Renaming M:\~strata-upload-7-1.tmp to M:\a*b
 * failed…` told a newcomer about a file they never named), and leaves no temporary file behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type LsResult, RequestFailedError } from '../../../src/host/control/index.ts';
import { InProcessRunner } from '../../../src/host/daemon/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-upload-messages-'));
let runner: InProcessRunner;

before(async () => {
  const configPath = join(dir, 'strata.json');
  writeFileSync(
    configPath,
    JSON.stringify({ drivers: ['MemFs'], ramDisks: [{ letter: 'M:', size: '4MiB' }] }),
  );
  runner = await InProcessRunner.start(configPath, () => {});
});

after(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a refused target name is reported as creating that name, and nothing is left behind', async () => {
  for (const method of ['put', 'upload'] as const) {
    const attempt =
      method === 'put'
        ? runner.request('put', { path: 'M:\\a*b', data: Buffer.from('x').toString('base64') })
        : (async () => {
            const { upload } = await runner.request<{ upload: string }>('upload-begin', { path: 'M:\\a*b' });
            await runner.request('upload-chunk', {
              upload,
              offset: 0,
              data: Buffer.from('x').toString('base64'),
            });
            await runner.request('upload-commit', { upload });
          })();
    await assert.rejects(attempt, (error: unknown) => {
      assert.ok(error instanceof RequestFailedError);
      assert.equal(error.error.status, 'STATUS_OBJECT_NAME_INVALID');
      assert.equal(error.error.path, 'M:\\a*b');
      assert.match(error.message, /^Creating M:\\a\*b failed with STATUS_OBJECT_NAME_INVALID/);
      assert.doesNotMatch(error.message, /strata-upload/);
      return true;
    });
  }
  assert.deepEqual((await runner.request<LsResult>('ls', { path: 'M:\\' })).entries, []);
});

test('upload-begin refuses a name the file system cannot hold before any data is sent', async () => {
  await assert.rejects(runner.request('upload-begin', { path: 'M:\\a*b' }), (error: unknown) => {
    assert.ok(error instanceof RequestFailedError);
    assert.equal(error.error.status, 'STATUS_OBJECT_NAME_INVALID');
    assert.equal(error.error.path, 'M:\\a*b');
    return true;
  });
  // A free, valid name still begins, and nothing was left behind by the refusal.
  const { upload } = await runner.request<{ upload: string }>('upload-begin', { path: 'M:\\fine.txt' });
  await runner.request('upload-abort', { upload });
  assert.deepEqual((await runner.request<LsResult>('ls', { path: 'M:\\' })).entries, []);
});
