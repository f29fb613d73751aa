/**
 * The control socket under bad input and load: every malformed, oversized, unknown or ill-typed
 * request gets an error reply and the next request is served; a client that leaves half-way loses
 * nothing and leaves nothing behind; concurrent clients are all served.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ControlClient, type LsResult, MAX_MESSAGE_BYTES } from '../../../src/host/control/index.ts';
import { runDaemon } from '../../../src/host/daemon/index.ts';
import { type EmbeddedDaemon, embeddedDaemon, RawClient } from './support.ts';

let daemon: EmbeddedDaemon;

before(async () => {
  daemon = await embeddedDaemon();
});

after(async () => {
  await daemon.stop();
  daemon.cleanup();
});

const errorCode = (reply: Record<string, unknown>): string => (reply.error as { code: string }).code;
const errorMessage = (reply: Record<string, unknown>): string => (reply.error as { message: string }).message;

test('the socket is a socket only its owner can use (mode 0600)', () => {
  const info = statSync(daemon.socket);
  assert.ok(info.isSocket());
  assert.equal(info.mode & 0o777, 0o600);
});

test('garbage, non-objects and envelopes without id or method get errors and the connection keeps serving', async () => {
  const client = await RawClient.connect(daemon.socket);
  client.send('this is not json\n');
  client.send('[1,2,3]\n');
  client.send('null\n');
  client.send('{"method":"hello"}\n');
  client.send('{"id":{"x":1},"method":"hello"}\n');
  client.send(`{"id":"${'x'.repeat(65)}","method":"hello"}\n`);
  client.send('{"id":1.5,"method":"hello"}\n');
  client.send('{"id":7}\n');
  client.send('{"id":8,"method":"hello","params":[1]}\n');
  client.send('\u0000\u0001\u0002\n');
  const replies = await client.next(10);
  assert.deepEqual(
    replies.map((r) => [r.id, errorCode(r)]),
    [
      [null, 'BAD_JSON'],
      [null, 'BAD_REQUEST'],
      [null, 'BAD_REQUEST'],
      [null, 'BAD_REQUEST'],
      [null, 'BAD_REQUEST'],
      [null, 'BAD_REQUEST'],
      [null, 'BAD_REQUEST'],
      [7, 'BAD_REQUEST'],
      [8, 'BAD_REQUEST'],
      [null, 'BAD_JSON'],
    ],
  );
  const hello = await client.call('hello');
  assert.equal((hello.result as { protocol: number }).protocol, 1);
  client.close();
});

test('an unknown method is named in the error, with the request id', async () => {
  const client = await RawClient.connect(daemon.socket);
  client.request('abc', 'format-c-drive', {});
  const [reply] = await client.next();
  assert.equal(reply!.id, 'abc');
  assert.equal(errorCode(reply!), 'UNKNOWN_METHOD');
  assert.match(errorMessage(reply!), /Unknown method "format-c-drive"/);
  client.request('p', '__proto__', {});
  assert.equal(errorCode((await client.next())[0]!), 'UNKNOWN_METHOD');
  client.close();
});

test('parameters of the wrong type are refused with a message naming the parameter', async () => {
  const client = await RawClient.connect(daemon.socket);
  const cases: Array<[string, unknown, RegExp]> = [
    ['stat', { path: 5 }, /Parameter "path" must be a non-empty string, got 5/],
    ['stat', {}, /Parameter "path" must be a non-empty string, got nothing/],
    ['stat', { path: 'relative/file' }, /Parameter "path" must be a Strata path/],
    ['read', { path: 'M:\\x', length: -1 }, /Parameter "length" must be an integer from 0 to 1048576/],
    ['read', { path: 'M:\\x', offset: 'zero' }, /Parameter "offset" must be an integer/],
    ['put', { path: 'M:\\x', data: 'not base64!' }, /Parameter "data" must be base64 text/],
    ['mkdir', { path: 'M:\\d', parents: 'yes' }, /Parameter "parents" must be true or false/],
    ['devstack', { volume: 'nowhere' }, /Parameter "volume" must be a volume like M:/],
    ['upload-chunk', { upload: 'nope', offset: 0, data: '' }, /No upload nope is in progress/],
  ];
  for (const [method, params, message] of cases) {
    const reply = await client.call(method, params);
    assert.equal(errorCode(reply), 'INVALID_PARAMS', `${method} ${JSON.stringify(params)}`);
    assert.match(errorMessage(reply), message);
  }
  // Nothing of those requests reached the volume.
  const ls = await client.call('ls', { path: 'M:\\' });
  assert.deepEqual((ls.result as LsResult).entries, []);
  client.close();
});

test('a line over the size limit is discarded with MESSAGE_TOO_LARGE and the next request is served', async () => {
  const client = await RawClient.connect(daemon.socket);
  const piece = Buffer.alloc(256 * 1024, 0x61);
  // Sent in pieces, as a slow client would, with no newline until well past the limit.
  client.send('{"id":1,"method":"put","params":{"path":"M:\\\\big.txt","data":"');
  for (let sent = 0; sent <= MAX_MESSAGE_BYTES; sent += piece.length) client.send(piece);
  client.send('"}}\n');
  const [tooLarge] = await client.next();
  assert.equal(tooLarge!.id, null);
  assert.equal(errorCode(tooLarge!), 'MESSAGE_TOO_LARGE');
  const stat = await client.call('stat', { path: 'M:\\big.txt' });
  assert.equal((stat.error as { status: string }).status, 'STATUS_OBJECT_NAME_NOT_FOUND');
  client.close();
});

test('a client that disconnects half-way through a request starts nothing', async () => {
  const half = await RawClient.connect(daemon.socket);
  half.send('{"id":1,"method":"put","params":{"path":"M:\\\\half.txt","data":"aGVsbG8');
  half.close();
  await half.closed;
  const client = await RawClient.connect(daemon.socket);
  const stat = await client.call('stat', { path: 'M:\\half.txt' });
  assert.equal((stat.error as { status: string }).status, 'STATUS_OBJECT_NAME_NOT_FOUND');
  client.close();
});

test('an upload abandoned by its client leaves neither the target nor its temporary file, and is logged', async () => {
  const uploader = await RawClient.connect(daemon.socket);
  const begun = await uploader.call('upload-begin', { path: 'M:\\partial.bin' });
  const id = (begun.result as { upload: string }).upload;
  const chunk = await uploader.call('upload-chunk', {
    upload: id,
    offset: 0,
    data: Buffer.alloc(1000, 7).toString('base64'),
  });
  assert.deepEqual(chunk.result, { written: 1000 });
  // While in progress, the temporary file exists and the target does not.
  const observer = await RawClient.connect(daemon.socket);
  const during = (await observer.call('ls', { path: 'M:\\' })).result as LsResult;
  assert.ok(during.entries.some((e) => e.name.startsWith('~strata-upload-')));
  assert.ok(!during.entries.some((e) => e.name === 'partial.bin'));
  uploader.close();
  await uploader.closed;
  // The session closes once the daemon notices; poll the listing, never the clock.
  let names: string[] = [];
  for (let i = 0; i < 200; i++) {
    names = ((await observer.call('ls', { path: 'M:\\' })).result as LsResult).entries.map((e) => e.name);
    if (!names.some((n) => n.startsWith('~strata-upload-'))) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.ok(!names.includes('partial.bin'));
  assert.ok(!names.some((n) => n.startsWith('~strata-upload-')), names.join(','));
  assert.ok(daemon.log.some((line) => /left before committing its upload to M:\\partial\.bin/.test(line)));
  observer.close();
});

test('a connection may have 16 uploads in progress; the 17th is refused until one ends', async () => {
  const client = await RawClient.connect(daemon.socket);
  const ids: string[] = [];
  for (let i = 0; i < 16; i++) {
    const begun = await client.call('upload-begin', { path: `M:\\many-${i}.bin` });
    ids.push((begun.result as { upload: string }).upload);
  }
  const refused = await client.call('upload-begin', { path: 'M:\\many-16.bin' });
  assert.equal(errorCode(refused), 'INVALID_PARAMS');
  assert.match(errorMessage(refused), /at most 16 uploads in progress/);
  await client.call('upload-abort', { upload: ids[0] });
  assert.ok('result' in (await client.call('upload-begin', { path: 'M:\\many-16.bin' })));
  client.close();
  await client.closed;
});

test('a chunk at the wrong offset is refused and the upload stays usable', async () => {
  const client = await RawClient.connect(daemon.socket);
  const id = ((await client.call('upload-begin', { path: 'M:\\ordered.txt' })).result as { upload: string })
    .upload;
  const wrong = await client.call('upload-chunk', {
    upload: id,
    offset: 5,
    data: Buffer.from('abc').toString('base64'),
  });
  assert.match(errorMessage(wrong), /expects its next chunk at offset 0, not 5/);
  await client.call('upload-chunk', { upload: id, offset: 0, data: Buffer.from('abc').toString('base64') });
  const commit = await client.call('upload-commit', { upload: id });
  assert.deepEqual(commit.result, { path: 'M:\\ordered.txt', size: 3, created: true });
  client.close();
});

test('requests pipelined on one connection beyond the in-flight limit are all answered, each under its id', async () => {
  const client = await RawClient.connect(daemon.socket);
  const count = 100;
  let batch = '';
  for (let i = 0; i < count; i++)
    batch += `${JSON.stringify({ id: i, method: 'stat', params: { path: 'M:\\' } })}\n`;
  client.send(batch);
  const replies = await client.next(count);
  assert.deepEqual(
    replies.map((r) => r.id).sort((a, b) => (a as number) - (b as number)),
    Array.from({ length: count }, (_, i) => i),
  );
  assert.ok(replies.every((r) => (r.result as { type: string }).type === 'directory'));
  client.close();
});

test('a subscription id already following is refused, so no follower is orphaned, and a connection holds at most 16', async () => {
  const client = await RawClient.connect(daemon.socket);
  assert.ok('result' in (await client.call('attach', { filter: 'Spy', volume: 'M:' })));
  try {
    client.request('f', 'trace', { follow: true, limit: 0 });
    assert.ok('result' in (await client.next())[0]!);
    client.request('f', 'trace', { follow: true, limit: 0 });
    const [again] = await client.next();
    assert.equal(errorCode(again!), 'INVALID_PARAMS');
    assert.match(errorMessage(again!), /already has a subscription open/);
    // Spy's records of one stat reach the subscription once each.
    client.request('s', 'stat', { path: 'M:\\' });
    const lines: Array<Record<string, unknown>> = [];
    while (lines.at(-1)?.id !== 's') lines.push(...(await client.next()));
    const sequences = lines
      .filter((l) => l.event === 'trace')
      .map((l) => (l.data as { sequence: number }).sequence);
    assert.ok(sequences.length > 0);
    assert.equal(new Set(sequences).size, sequences.length, `sequences ${sequences.join(',')}`);
    for (let i = 1; i < 16; i++) client.request(`g${i}`, 'trace', { follow: true, limit: 0 });
    assert.ok((await client.next(15)).every((r) => 'result' in r));
    client.request('h', 'trace', { follow: true, limit: 0 });
    assert.match(errorMessage((await client.next())[0]!), /at most 16 subscriptions/);
    client.request('c', 'cancel', { id: 'f' });
    assert.deepEqual((await client.next())[0]!.result, { cancelled: true });
  } finally {
    client.close();
    const other = await RawClient.connect(daemon.socket);
    await other.call('detach', { filter: 'Spy', volume: 'M:' });
    other.close();
  }
});

test('concurrent clients each write and read back their own files', async () => {
  const clients = await Promise.all(Array.from({ length: 8 }, () => ControlClient.connect(daemon.socket)));
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = 0; i < 10; i++) {
        const data = Buffer.from(`client ${c} file ${i}\n`.repeat(i + 1));
        await client.request('put', { path: `M:\\c${c}-${i}.txt`, data: data.toString('base64') });
        const read = await client.request<{ data: string }>('read', { path: `M:\\c${c}-${i}.txt` });
        assert.equal(Buffer.from(read.data, 'base64').toString(), data.toString());
      }
    }),
  );
  const listing = await clients[0]!.request<LsResult>('ls', { path: 'M:\\' });
  assert.equal(listing.entries.filter((e) => /^c\d-\d\.txt$/.test(e.name)).length, 80);
  for (const client of clients) client.close();
});

test('a second daemon on a live socket is refused and the first keeps serving', async () => {
  await assert.rejects(
    runDaemon({
      configPath: null,
      socketPath: daemon.socket,
      out: () => {},
      log: () => {},
      handleSignals: false,
    }),
    { name: 'DaemonRunningError', message: /already running on/ },
  );
  const client = await RawClient.connect(daemon.socket);
  assert.equal(((await client.call('hello')).result as { protocol: number }).protocol, 1);
  client.close();
});

test('a stale socket left by a killed daemon is replaced; a file that is not a socket is refused and kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-stale-'));
  try {
    const socket = join(dir, 'control.sock');
    const child = spawn(
      process.execPath,
      ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => console.log('ok'))`],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.ok(statSync(socket).isSocket(), 'the dead listener left its socket behind');
    const log: string[] = [];
    let stop: (() => void) | null = null;
    const done = runDaemon({
      configPath: null,
      socketPath: socket,
      out: () => {},
      log: (line) => log.push(line),
      handleSignals: false,
      onReady: (s) => {
        stop = s;
      },
    });
    while (stop === null) await new Promise((resolve) => setImmediate(resolve));
    assert.ok(log.some((line) => /Replaced the stale socket/.test(line)));
    (stop as () => void)();
    await done;

    const plain = join(dir, 'not-a-socket');
    writeFileSync(plain, 'keep me');
    await assert.rejects(
      runDaemon({ configPath: null, socketPath: plain, out: () => {}, log: () => {}, handleSignals: false }),
      { name: 'HostError', message: /exists and is not a socket; refusing to replace it/ },
    );
    assert.equal(statSync(plain).size, 7);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the default socket directory is created private to the user', async () => {
  const runtime = mkdtempSync(join(tmpdir(), 'strata-xdg-'));
  const saved = { xdg: process.env.XDG_RUNTIME_DIR, socket: process.env.STRATA_SOCKET };
  process.env.XDG_RUNTIME_DIR = runtime;
  delete process.env.STRATA_SOCKET;
  try {
    let stop: (() => void) | null = null;
    const done = runDaemon({
      configPath: null,
      socketPath: null,
      out: () => {},
      log: () => {},
      handleSignals: false,
      onReady: (s) => {
        stop = s;
      },
    });
    while (stop === null) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(statSync(join(runtime, 'strata')).mode & 0o777, 0o700);
    assert.equal(statSync(join(runtime, 'strata', 'control.sock')).mode & 0o777, 0o600);
    (stop as () => void)();
    await done;
    assert.throws(() => statSync(join(runtime, 'strata', 'control.sock')), { code: 'ENOENT' });
  } finally {
    if (saved.xdg === undefined) delete process.env.XDG_RUNTIME_DIR;
    else process.env.XDG_RUNTIME_DIR = saved.xdg;
    if (saved.socket !== undefined) process.env.STRATA_SOCKET = saved.socket;
    rmSync(runtime, { recursive: true, force: true });
  }
});

test('down answers, stops the daemon cleanly and removes the socket', async () => {
  const other = await embeddedDaemon();
  try {
    const client = await RawClient.connect(other.socket);
    const reply = await client.call('down');
    assert.deepEqual(reply.result, { stopping: true });
    const result = await other.done;
    assert.deepEqual(result.problems, []);
    assert.throws(() => statSync(other.socket), { code: 'ENOENT' });
    assert.ok(other.out.includes('Strata stopped cleanly.'));
  } finally {
    other.cleanup();
  }
});
