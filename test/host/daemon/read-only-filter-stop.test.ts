/**
 * Dismounting a volume that the ReadOnly filter protects: the filter refuses a volume open that
 * asks for write access, so the daemon locks and dismounts from a read-only open instead of
 * failing. `strata dismount` used to fail with STATUS_MEDIA_WRITE_PROTECTED, and the clean stop
 * reported a problem for every such volume (exit code 7). Whatever was written before ReadOnly
 * attached still reaches the image: fsck.fat and mtools check it.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InProcessRunner } from '../../../src/host/daemon/index.ts';
import { makeFatImage, makeTempDir, run } from '../../support/disk-images.ts';

test('a volume under ReadOnly dismounts, and the image keeps what was written before it attached', async () => {
  const temp = makeTempDir('strata-readonly-stop-');
  try {
    const image = join(temp.dir, 'disk.img');
    makeFatImage(image, 4096, { fatBits: 12, label: 'RO' });
    const configPath = join(temp.dir, 'strata.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        drivers: ['Fat'],
        images: [{ path: 'disk.img', letter: 'F:' }],
        filters: [{ driver: 'ReadOnly', attach: 'on-demand' }],
      }),
    );
    const runner = await InProcessRunner.start(configPath, () => {});
    await runner.request('put', { path: 'F:\\before.txt', data: Buffer.from('kept').toString('base64') });
    await runner.request('attach', { filter: 'ReadOnly', volume: 'F:' });
    const dismounted = await runner.request<{ locked: boolean }>('dismount', { volume: 'F:' });
    assert.equal(dismounted.locked, true);
    assert.deepEqual((await runner.close()).problems, []);
    run('fsck.fat', ['-n', image]);
    assert.equal(run('mtype', ['-i', image, '::/before.txt']), 'kept');
  } finally {
    temp.cleanup();
  }
});

test('the clean stop dismounts volumes ReadOnly attached to by notification without a problem', async () => {
  const temp = makeTempDir('strata-readonly-stop-');
  try {
    const configPath = join(temp.dir, 'strata.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        drivers: ['MemFs'],
        ramDisks: [{ letter: 'M:', size: '4MiB' }],
        filters: [{ driver: 'ReadOnly', attach: 'notification' }],
      }),
    );
    const log: string[] = [];
    const runner = await InProcessRunner.start(configPath, (line) => log.push(line));
    await runner.request('ls', { path: 'M:\\' });
    assert.deepEqual((await runner.close()).problems, []);
    assert.deepEqual(log, []);
  } finally {
    temp.cleanup();
  }
});
