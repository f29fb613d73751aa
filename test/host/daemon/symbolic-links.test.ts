/**
 * The file methods on symbolic links in a HostFS share: `rm` and `mv` act on the link itself,
 * never on what it leads to (DeleteFileW, RemoveDirectoryW and MoveFileExW open with
 * FILE_OPEN_REPARSE_POINT), and `rm -r` never walks into a linked directory. Checked on the host
 * side, where the targets must survive untouched.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { InProcessRunner } from '../../../src/host/daemon/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-links-'));
const share = join(dir, 'share');
let runner: InProcessRunner;

before(async () => {
  mkdirSync(join(share, 'victim'), { recursive: true });
  writeFileSync(join(share, 'victim', 'precious.txt'), 'precious');
  symlinkSync('victim/precious.txt', join(share, 'file-link'));
  symlinkSync('victim', join(share, 'dir-link'));
  symlinkSync('victim', join(share, 'renamed-link'));
  mkdirSync(join(share, 'tree'));
  writeFileSync(join(share, 'tree', 'own.txt'), 'own');
  symlinkSync('../victim', join(share, 'tree', 'inner-link'));
  const configPath = join(dir, 'strata.json');
  writeFileSync(configPath, JSON.stringify({ shares: [{ name: 'data', path: 'share', letter: 'S:' }] }));
  runner = await InProcessRunner.start(configPath, () => {});
});

after(() => rmSync(dir, { recursive: true, force: true }));

const precious = (): string => readFileSync(join(share, 'victim', 'precious.txt'), 'utf8');

test('rm of a link to a file removes the link and leaves the file', async () => {
  await runner.request('rm', { path: 'S:\\file-link' });
  assert.equal(existsSync(join(share, 'file-link')), false);
  assert.equal(precious(), 'precious');
});

test('rm -r of a link to a directory removes the link and leaves the directory and its files', async () => {
  const result = await runner.request<{ removed: number }>('rm', { path: 'S:\\dir-link', recursive: true });
  assert.equal(result.removed, 1);
  assert.equal(existsSync(join(share, 'dir-link')), false);
  assert.equal(precious(), 'precious');
});

test('rm -r of a directory holding a link removes the link without walking into it', async () => {
  await runner.request('rm', { path: 'S:\\tree', recursive: true });
  assert.equal(existsSync(join(share, 'tree')), false);
  assert.equal(precious(), 'precious');
});

test('mv of a link renames the link; the directory it leads to keeps its name', async () => {
  await runner.request('mv', { from: 'S:\\renamed-link', to: 'S:\\moved-link' });
  assert.equal(lstatSync(join(share, 'moved-link')).isSymbolicLink(), true);
  assert.equal(readlinkSync(join(share, 'moved-link')), 'victim');
  assert.equal(existsSync(join(share, 'renamed-link')), false);
  assert.equal(lstatSync(join(share, 'victim')).isDirectory(), true);
  assert.equal(precious(), 'precious');
});
