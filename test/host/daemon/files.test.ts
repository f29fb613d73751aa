/**
 * The file methods, in-process (the same dispatcher the socket uses): data round trips byte for
 * byte, listings, moves and copies within and across volumes, deletes, and the statuses of
 * everything that must fail, with nothing changed by a failure. Ends with the clean stop: the
 * RAM disk's media, mounted again in a fresh system, holds what was written.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createSystem, NtCreateFile, NtReadFile } from '../../../src/api/index.ts';
import {
  FILE_GENERIC_READ,
  FILE_OPEN,
  FILE_SYNCHRONOUS_IO_NONALERT,
  mustBeSync,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import { memFsDriver } from '../../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../../src/drivers/storage/ramdisk/index.ts';
import {
  type CpResult,
  type FileInfo,
  type LsResult,
  type MvResult,
  type ReadResult,
  RequestFailedError,
  type TreeResult,
} from '../../../src/host/control/index.ts';
import { InProcessRunner } from '../../../src/host/daemon/index.ts';
import { IoLoadDriver, IoStatusBlock } from '../../../src/io/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-files-'));
const configPath = join(dir, 'strata.json');
writeFileSync(
  configPath,
  JSON.stringify({
    drivers: ['MemFs'],
    ramDisks: [
      { letter: 'M:', size: '8MiB', label: 'ONE' },
      { letter: 'N:', size: '8MiB', label: 'TWO' },
    ],
    filters: [{ driver: 'SFilter', attach: 'notification' }],
  }),
);
let runner: InProcessRunner;
const log: string[] = [];

before(async () => {
  runner = await InProcessRunner.start(configPath, (line) => log.push(line));
});

after(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64');

/** Any bytes, deterministically: a xorshift stream. */
function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function readAll(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let offset = 0; ; ) {
    const chunk = await runner.request<ReadResult>('read', { path, offset });
    parts.push(Buffer.from(chunk.data, 'base64'));
    offset += chunk.bytes;
    if (chunk.bytes === 0 || offset >= chunk.size) return Buffer.concat(parts);
  }
}

async function upload(path: string, data: Uint8Array, overwrite = false): Promise<void> {
  const { upload: id } = await runner.request<{ upload: string }>('upload-begin', { path, overwrite });
  for (let offset = 0; offset < data.length; offset += 1 << 20)
    await runner.request('upload-chunk', {
      upload: id,
      offset,
      data: b64(data.subarray(offset, offset + (1 << 20))),
    });
  await runner.request('upload-commit', { upload: id });
}

async function fails(
  method: string,
  params: Record<string, unknown>,
): Promise<{ status?: string; message: string }> {
  try {
    await runner.request(method, params);
  } catch (error) {
    assert.ok(error instanceof RequestFailedError);
    return error.error;
  }
  assert.fail(`${method} ${JSON.stringify(params)} succeeded`);
}

async function names(path: string): Promise<string[]> {
  return (await runner.request<LsResult>('ls', { path })).entries.map((e) => e.name);
}

test('a small file put in one request reads back byte for byte', async () => {
  const data = bytes(5000, 1);
  const put = await runner.request('put', { path: 'M:\\small.bin', data: b64(data) });
  assert.deepEqual(put, { path: 'M:\\small.bin', size: 5000, created: true });
  assert.deepEqual(new Uint8Array(await readAll('M:/small.bin')), data);
});

test('a multi-chunk upload reads back byte for byte, and stat reports its size', async () => {
  const data = bytes(3 * (1 << 20) + 12345, 2);
  await upload('M:\\big.bin', data);
  assert.ok(Buffer.from(data).equals(await readAll('M:\\big.bin')));
  const info = await runner.request<FileInfo>('stat', { path: 'M:\\big.bin' });
  assert.equal(info.type, 'file');
  assert.equal(info.size, data.length);
  assert.ok(info.allocationSize >= data.length);
  assert.deepEqual(info.attributes, ['ARCHIVE']);
});

test('put into an existing directory uses the given name; an existing file needs overwrite', async () => {
  await runner.request('mkdir', { path: 'M:\\docs' });
  const put = await runner.request('put', { path: 'M:\\docs', name: 'a.txt', data: b64(Buffer.from('one')) });
  assert.deepEqual(put, { path: 'M:\\docs\\a.txt', size: 3, created: true });
  const collision = await fails('put', { path: 'M:\\docs\\a.txt', data: b64(Buffer.from('two')) });
  assert.equal(collision.status, 'STATUS_OBJECT_NAME_COLLISION');
  assert.equal((await readAll('M:\\docs\\a.txt')).toString(), 'one', 'the refused put changed nothing');
  const replaced = await runner.request('put', {
    path: 'M:\\docs\\a.txt',
    data: b64(Buffer.from('two')),
    overwrite: true,
  });
  assert.deepEqual(replaced, { path: 'M:\\docs\\a.txt', size: 3, created: false });
  assert.equal((await readAll('M:\\docs\\a.txt')).toString(), 'two');
  assert.deepEqual(await names('M:\\docs'), ['a.txt'], 'no temporary file is left behind');
});

test('ls lists a directory with types and sizes, and a file as itself', async () => {
  const listing = await runner.request<LsResult>('ls', { path: 'M:\\' });
  assert.deepEqual(
    listing.entries.map((e) => [e.name, e.type, e.type === 'file' ? e.size : 0]),
    [
      ['big.bin', 'file', 3 * (1 << 20) + 12345],
      ['docs', 'directory', 0],
      ['small.bin', 'file', 5000],
    ],
  );
  const one = await runner.request<LsResult>('ls', { path: 'M:\\small.bin' });
  assert.deepEqual(
    one.entries.map((e) => e.name),
    ['small.bin'],
  );
  const limited = await runner.request<LsResult>('ls', { path: 'M:\\', limit: 2 });
  assert.equal(limited.entries.length, 2);
  assert.equal(limited.truncated, true);
});

test('mkdir with parents creates every level, and is content with one that exists', async () => {
  assert.deepEqual(await runner.request('mkdir', { path: 'M:/a/b/c', parents: true }), {
    path: 'M:\\a\\b\\c',
    created: true,
  });
  assert.deepEqual(await runner.request('mkdir', { path: 'M:/a/b', parents: true }), {
    path: 'M:\\a\\b',
    created: false,
  });
  assert.equal((await fails('mkdir', { path: 'M:\\a' })).status, 'STATUS_OBJECT_NAME_COLLISION');
  assert.equal((await fails('mkdir', { path: 'M:\\x\\y' })).status, 'STATUS_OBJECT_PATH_NOT_FOUND');
});

test('tree walks the whole directory with counts', async () => {
  await runner.request('put', { path: 'M:\\a\\b\\leaf.txt', data: b64(Buffer.from('leaf')) });
  const tree = await runner.request<TreeResult>('tree', { path: 'M:\\a' });
  assert.deepEqual(tree.root, {
    name: 'M:\\a',
    type: 'directory',
    size: 0,
    children: [
      {
        name: 'b',
        type: 'directory',
        size: 0,
        children: [
          { name: 'c', type: 'directory', size: 0, children: [] },
          { name: 'leaf.txt', type: 'file', size: 4 },
        ],
      },
    ],
  });
  assert.equal(tree.files, 1);
  assert.equal(tree.directories, 2);
  const shallow = await runner.request<TreeResult>('tree', { path: 'M:\\a', depth: 1 });
  assert.deepEqual(shallow.root.children?.[0]?.children, []);
});

test('mv renames within a volume and moves into an existing directory', async () => {
  const renamed = await runner.request<MvResult>('mv', { from: 'M:\\small.bin', to: 'M:\\renamed.bin' });
  assert.deepEqual(renamed, { from: 'M:\\small.bin', to: 'M:\\renamed.bin', copied: false });
  const into = await runner.request<MvResult>('mv', { from: 'M:\\renamed.bin', to: 'M:\\docs' });
  assert.equal(into.to, 'M:\\docs\\renamed.bin');
  assert.deepEqual(new Uint8Array(await readAll('M:\\docs\\renamed.bin')), bytes(5000, 1));
  assert.equal((await fails('stat', { path: 'M:\\small.bin' })).status, 'STATUS_OBJECT_NAME_NOT_FOUND');
  assert.equal(
    (await fails('mv', { from: 'M:\\docs\\renamed.bin', to: 'M:\\docs\\a.txt' })).status,
    'STATUS_OBJECT_NAME_COLLISION',
  );
  assert.match(
    (await fails('mv', { from: 'M:\\a', to: 'M:\\a\\b\\inside' })).message,
    /Cannot move M:\\a into itself/,
  );
});

test('mv across volumes copies then deletes the source tree', async () => {
  const moved = await runner.request<MvResult>('mv', { from: 'M:\\a', to: 'N:\\a' });
  assert.deepEqual(moved, { from: 'M:\\a', to: 'N:\\a', copied: true });
  assert.equal((await readAll('N:\\a\\b\\leaf.txt')).toString(), 'leaf');
  assert.deepEqual(await names('N:\\a\\b'), ['c', 'leaf.txt']);
  assert.equal((await fails('stat', { path: 'M:\\a' })).status, 'STATUS_OBJECT_NAME_NOT_FOUND');
});

test('cp copies files and, with recursive, directories, across volumes too', async () => {
  const file = await runner.request<CpResult>('cp', { from: 'M:\\big.bin', to: 'N:\\' });
  assert.deepEqual(file, {
    from: 'M:\\big.bin',
    to: 'N:\\big.bin',
    files: 1,
    bytes: 3 * (1 << 20) + 12345,
    skipped: [],
  });
  assert.ok((await readAll('M:\\big.bin')).equals(await readAll('N:\\big.bin')));
  assert.equal(
    (await fails('cp', { from: 'M:\\docs', to: 'N:\\docs' })).status,
    'STATUS_FILE_IS_A_DIRECTORY',
  );
  const tree = await runner.request<CpResult>('cp', { from: 'M:\\docs', to: 'N:\\docs', recursive: true });
  assert.deepEqual([tree.files, tree.bytes], [2, 5003]);
  assert.deepEqual(await names('N:\\docs'), ['a.txt', 'renamed.bin']);
  assert.match(
    (await fails('cp', { from: 'M:\\docs', to: 'M:\\docs\\sub', recursive: true })).message,
    /into itself/,
  );
  assert.equal(
    (await fails('cp', { from: 'M:\\nothing', to: 'N:\\x' })).status,
    'STATUS_OBJECT_NAME_NOT_FOUND',
  );
});

test('rm deletes files, refuses non-empty directories without recursive, and never the root', async () => {
  assert.equal((await fails('rm', { path: 'N:\\docs' })).status, 'STATUS_DIRECTORY_NOT_EMPTY');
  assert.deepEqual(await names('N:\\docs'), ['a.txt', 'renamed.bin'], 'the refused delete changed nothing');
  assert.deepEqual(await runner.request('rm', { path: 'N:\\docs', recursive: true }), {
    path: 'N:\\docs',
    removed: 3,
  });
  assert.deepEqual(await runner.request('rm', { path: 'N:\\big.bin' }), { path: 'N:\\big.bin', removed: 1 });
  assert.match(
    (await fails('rm', { path: 'N:\\', recursive: true })).message,
    /Refusing to remove the root of N:/,
  );
  assert.equal((await fails('rm', { path: 'N:\\gone' })).status, 'STATUS_OBJECT_NAME_NOT_FOUND');
});

test('reading a directory or a missing volume fails with the status and the path as written', async () => {
  const directory = await fails('read', { path: 'M:/docs' });
  assert.equal(directory.status, 'STATUS_FILE_IS_A_DIRECTORY');
  assert.match(
    directory.message,
    /^Reading M:\\docs failed with STATUS_FILE_IS_A_DIRECTORY \(it is a directory\)\.$/,
  );
  const volume = await fails('stat', { path: 'Q:\\x' });
  assert.equal(volume.status, 'STATUS_OBJECT_PATH_NOT_FOUND');
});

test('the clean stop writes MemFS back: the media mounts again elsewhere with the files intact', async () => {
  const media = (runner.host.volumes.get('M:')!.device.deviceExtension as { media: Uint8Array }).media;
  const report = await runner.close();
  assert.deepEqual(report.problems, []);
  const system = createSystem();
  IoLoadDriver(system, memFsDriver);
  const disk = IoCreateRamDisk(system, { media: new Uint8Array(media) });
  assert.equal(disk.status, STATUS_SUCCESS);
  system.ob.createSymbolicLink('\\??\\X:', disk.deviceObject!.deviceName!);
  const process = system.createProcess('check.exe');
  const opened = mustBeSync(
    NtCreateFile(system, process, {
      objectName: '\\??\\X:\\docs\\a.txt',
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
      createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
    }),
    'test',
  );
  assert.equal(opened.status, STATUS_SUCCESS);
  const buffer = new Uint8Array(16);
  const iosb = new IoStatusBlock();
  mustBeSync(NtReadFile(process, opened.handle!, iosb, buffer, 16, 0), 'test');
  assert.equal(Buffer.from(buffer.subarray(0, iosb.information)).toString(), 'two');
});
