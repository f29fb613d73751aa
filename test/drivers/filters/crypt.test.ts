import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DELETE,
  FILE_APPEND_DATA,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_OVERWRITE,
  FILE_OVERWRITE_IF,
  FILE_SUPERSEDE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileEndOfFileInformation,
  type FileStandardInfo,
  FileStandardInformation,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../src/base/index.ts';
import {
  CRYPT_CONTROL_DEVICE,
  createCryptDriver,
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_FILTER_DETACH_VOLUME,
} from '../../../src/drivers/filters/crypt/index.ts';
import { nodeAesCtrCipher } from '../../../src/host/crypt/aes-ctr.ts';
import { IoLoadDriver } from '../../../src/io/index.ts';
import { memfsVolume } from '../fs/memfs/setup.ts';
import { controlRequest, stackOf } from './setup.ts';

const KEY = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);
const SECRET = 'Attack at dawn; the password is swordfish. '.repeat(40);

function cryptVolume(key: Uint8Array | null = KEY) {
  const fx = memfsVolume({ sizeBytes: 4 << 20 });
  IoLoadDriver(fx.system, createCryptDriver({ cipher: nodeAesCtrCipher }));
  const request = (code: number, input: unknown) =>
    controlRequest(fx.system, fx.process, CRYPT_CONTROL_DEVICE, code, input).status;
  if (key !== null)
    assert.equal(request(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: 'M:', key }), STATUS_SUCCESS);
  /** Writes the volume back to its disk (MemFS writes its image on flush). */
  const flushToMedia = () => {
    const h = fx.handle('flush.tmp', { disposition: FILE_OVERWRITE_IF });
    assert.equal(fx.flush(h), STATUS_SUCCESS);
    fx.close(h);
  };
  return { ...fx, request, flushToMedia };
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.length).includes(Buffer.from(needle));
}

const encode = (text: string) => new TextEncoder().encode(text);

test('the media holds no plaintext of a file written through Crypt, while reads through the stack return it', () => {
  const fx = cryptVolume();
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['Crypt', 'MemFs']);
  fx.writeFile('secret.txt', SECRET);
  fx.flushToMedia();
  assert.ok(!contains(fx.media, encode('swordfish')), 'plaintext found on the media');
  assert.ok(!contains(fx.media, encode(SECRET.slice(0, 16))));
  assert.equal(fx.readFile('secret.txt'), SECRET);
  // Sizes are unchanged by encryption.
  const h = fx.handle('secret.txt');
  assert.equal(fx.query<FileStandardInfo>(h, FileStandardInformation).info!.endOfFile, SECRET.length);
  fx.close(h);
  // Names and directories are not encrypted.
  assert.deepEqual(fx.list('').sort(), ['flush.tmp', 'secret.txt']);
});

test('without Crypt the same search finds the plaintext, so the search above means something', () => {
  const fx = cryptVolume(null);
  fx.writeFile('secret.txt', SECRET);
  fx.flushToMedia();
  assert.ok(contains(fx.media, encode('swordfish')));
});

test('the data stays readable after Crypt detaches and attaches again with the same key, and not with another', () => {
  const fx = cryptVolume();
  fx.writeFile('secret.txt', SECRET);
  assert.equal(fx.request(IOCTL_FILTER_DETACH_VOLUME, { volumeName: 'M:' }), STATUS_SUCCESS);
  assert.notEqual(fx.readFile('secret.txt'), SECRET);
  const otherKey = KEY.map((b) => b ^ 0xff);
  assert.equal(fx.request(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: 'M:', key: otherKey }), STATUS_SUCCESS);
  assert.notEqual(fx.readFile('secret.txt'), SECRET);
  fx.request(IOCTL_FILTER_DETACH_VOLUME, { volumeName: 'M:' });
  assert.equal(fx.request(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: 'M:', key: KEY }), STATUS_SUCCESS);
  assert.equal(fx.readFile('secret.txt'), SECRET);
});

test('Crypt refuses an attach without a usable key and attaches nothing', () => {
  const fx = cryptVolume(null);
  for (const key of [undefined, null, 'text', new Uint8Array(16), new Uint8Array(33)]) {
    assert.equal(fx.request(IOCTL_FILTER_ATTACH_VOLUME, { volumeName: 'M:', key }), STATUS_INVALID_PARAMETER);
  }
  fx.writeFile('a.txt', 'x');
  assert.deepEqual(stackOf(fx.volumeDevice()!), ['MemFs']);
});

test('a write leaves the caller buffer as it was', () => {
  const fx = cryptVolume();
  const h = fx.handle('a.txt', { disposition: FILE_OVERWRITE_IF });
  const data = encode('plaintext stays plaintext');
  const copy = data.slice();
  assert.equal(fx.write(h, data).bytes, data.length);
  assert.deepEqual(data, copy);
  fx.close(h);
});

test('appends and gaps: an append-only handle, and a write past the end whose gap reads back as zeros', () => {
  const fx = cryptVolume();
  fx.writeFile('log.txt', 'one,');
  const appender = fx.handle('log.txt', {
    access: FILE_APPEND_DATA | SYNCHRONIZE,
    options: FILE_SYNCHRONOUS_IO_NONALERT,
  });
  assert.equal(fx.write(appender, 'two,', 0).status, STATUS_SUCCESS);
  assert.equal(fx.write(appender, 'three', null).status, STATUS_SUCCESS);
  fx.close(appender);
  assert.equal(fx.readFile('log.txt'), 'one,two,three');
  const h = fx.handle('gap.bin', { disposition: FILE_OVERWRITE_IF });
  const written = fx.write(h, 'end', 100);
  assert.deepEqual(written, { status: STATUS_SUCCESS, bytes: 3 });
  const back = fx.read(h, 200, 0).data;
  assert.equal(back.length, 103);
  assert.ok(back.subarray(0, 100).every((b) => b === 0));
  assert.equal(new TextDecoder().decode(back.subarray(100)), 'end');
  fx.close(h);
});

test('two handles on one file share what Crypt knows of its size', () => {
  const fx = cryptVolume();
  const a = fx.handle('shared.bin', { disposition: FILE_OVERWRITE_IF });
  const b = fx.handle('shared.bin');
  fx.write(a, 'abcdef', 0);
  fx.write(b, 'XY', 10); // gap 6..10 must read as zeros, so b must know a made the file 6 long
  assert.deepEqual([...fx.read(a, 20, 0).data], [...encode('abcdef'), 0, 0, 0, 0, ...encode('XY')]);
  fx.close(a);
  fx.close(b);
});

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('random writes, appends, truncations, extensions and reads match an in-memory model, and the media has no plaintext', () => {
  const fx = cryptVolume();
  const next = random(20240611);
  const int = (n: number) => Math.floor(next() * n);
  let model = new Uint8Array(0);
  const h = fx.handle('model.bin', { disposition: FILE_OVERWRITE_IF });
  const resize = (size: number) => {
    const grown = new Uint8Array(size);
    grown.set(model.subarray(0, Math.min(size, model.length)));
    model = grown;
  };
  for (let step = 0; step < 300; step++) {
    const op = int(10);
    if (op < 5) {
      const offset = int(model.length + 3000);
      const data = new Uint8Array(1 + int(700)).map(() => 0x41 + int(26));
      assert.equal(fx.write(h, data, offset).bytes, data.length, `step ${step}: write`);
      if (offset + data.length > model.length) resize(offset + data.length);
      model.set(data, offset);
    } else if (op === 5) {
      const data = new Uint8Array(1 + int(300)).map(() => 0x61 + int(26));
      assert.equal(fx.write(h, data, -1).bytes, data.length, `step ${step}: append`);
      const at = model.length;
      resize(at + data.length);
      model.set(data, at);
    } else if (op === 6) {
      const size = int(model.length + 4000);
      assert.equal(
        fx.set(h, FileEndOfFileInformation, { endOfFile: size }),
        STATUS_SUCCESS,
        `step ${step}: size`,
      );
      resize(size);
    } else {
      const offset = int(model.length + 10);
      const length = 1 + int(2000);
      const { data } = fx.read(h, length, offset);
      const expected = model.subarray(
        Math.min(offset, model.length),
        Math.min(offset + length, model.length),
      );
      assert.deepEqual([...data], [...expected], `step ${step}: read ${length} at ${offset}`);
    }
  }
  assert.deepEqual([...fx.read(h, model.length + 10, 0).data], [...model]);
  fx.close(h);
  fx.flushToMedia();
  // The model's letters form long runs; none of its 24-byte windows may appear on the media.
  for (let at = 0; at + 24 <= model.length; at += 997) {
    const window = model.subarray(at, at + 24);
    if (window.some((b) => b !== 0))
      assert.ok(!contains(fx.media, window), `plaintext at ${at} found on the media`);
  }
});

test('a renamed encrypted file on MemFS (whose index numbers never change) still reads back', () => {
  const fx = cryptVolume();
  fx.mkdir('dir');
  fx.writeFile('a.txt', SECRET);
  assert.equal(fx.rename('a.txt', '\\??\\M:\\dir\\b.txt'), STATUS_SUCCESS);
  assert.equal(fx.readFile('dir\\b.txt'), SECRET);
});

test('a file another open overwrote is empty for every handle: a write past its new end leaves zeros before it', () => {
  const fx = cryptVolume();
  for (const disposition of [FILE_OVERWRITE, FILE_SUPERSEDE]) {
    const a = fx.handle('shared.bin', { disposition: FILE_OVERWRITE_IF });
    fx.write(a, 'abcdef', 0);
    // Crypt knew the file as 6 bytes long through a; another open truncates it to nothing.
    fx.close(
      fx.handle('shared.bin', { disposition, access: FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE }),
    );
    fx.write(a, 'XY', 10);
    assert.deepEqual(
      [...fx.read(a, 20, 0).data],
      [...new Uint8Array(10), ...encode('XY')],
      `disposition ${disposition}`,
    );
    fx.close(a);
  }
});
