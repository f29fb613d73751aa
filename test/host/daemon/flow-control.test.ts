/**
 * A client that does not read: the daemon stops reading it instead of queueing replies without
 * bound, answers everything once it reads again, and does not let it hold up the clean stop.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { builtInCatalogue, defaultConfig, StrataHost } from '../../../src/host/daemon/index.ts';
import { MAX_UNSENT_BYTES, startControlServer } from '../../../src/host/daemon/server.ts';
import { embeddedDaemon } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-flow-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function connect(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** `count` hello requests, ids 0 to count - 1, in one write. */
function hellos(count: number): string {
  let batch = '';
  for (let i = 0; i < count; i++) batch += `{"id":${i},"method":"hello"}\n`;
  return batch;
}

test('a client that does not read its replies is not read either, and every request is answered once it reads', async () => {
  const catalogue = builtInCatalogue();
  const host = await StrataHost.boot(defaultConfig(catalogue), catalogue);
  const server = await startControlServer(host, join(dir, 'bounded.sock'), { onStopRequested: () => {} });
  const client = await connect(server.socketPath);
  try {
    client.pause();
    // Some 6 MB of replies if all were answered at once.
    const count = 40_000;
    client.write(hellos(count));
    while (server.unsentBytes <= MAX_UNSENT_BYTES) await turn();
    // The daemon had every line it needed to answer them all; give it time to (not) do so.
    let most = 0;
    for (let i = 0; i < 200; i++) {
      most = Math.max(most, server.unsentBytes);
      await turn();
    }
    assert.ok(most < MAX_UNSENT_BYTES + 256 * 1024, `${most} bytes of replies waited for one client`);

    const ids = new Set<number>();
    let text = '';
    client.setEncoding('utf8');
    await new Promise<void>((resolve) => {
      client.on('data', (chunk: string) => {
        text += chunk;
        const lines = text.split('\n');
        text = lines.pop()!;
        for (const line of lines) ids.add((JSON.parse(line) as { id: number }).id);
        if (ids.size === count) resolve();
      });
      client.resume();
    });
    assert.equal(ids.size, count);
  } finally {
    client.destroy();
    await server.close();
    await host.shutdown();
  }
});

test('a client that takes none of its replies does not hold up the clean stop', {
  timeout: 60_000,
}, async () => {
  const daemon = await embeddedDaemon();
  const client = await connect(daemon.socket);
  try {
    client.pause();
    client.write(hellos(20_000));
    // Let its replies back up in the daemon.
    for (let i = 0; i < 100; i++) await turn();
    const result = await daemon.stop();
    assert.deepEqual(result.problems, []);
    assert.ok(daemon.out.includes('Strata stopped cleanly.'));
  } finally {
    client.destroy();
    daemon.cleanup();
  }
});
