/**
 * Images made by genisoimage and xorriso from a real source tree read back through Strata exactly:
 * names per name set, directory structure, sizes, contents byte for byte, links, modes and times,
 * and the same name listings isoinfo gives (-f, -J -f, -R -f).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  FILE_OPEN_REPARSE_POINT,
  FILE_READ_ATTRIBUTES,
  FILE_SYNCHRONOUS_IO_NONALERT,
  type FileStatLxInfo,
  FileStatLxInformation,
  FSCTL_GET_REPARSE_POINT,
  LX_FILE_METADATA_HAS_MODE,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../../src/base/index.ts';
import type { NamePreference, SymbolicLinkReparseInfo } from '../../../../src/drivers/fs/cdfs/index.ts';
import { cdVolume, type IsoTool, makeIso, type TreeSpec, tempDir, writeTree } from './setup.ts';

type Volume = ReturnType<typeof cdVolume>;

interface Node {
  kind: 'dir' | 'file' | 'link';
  data?: Uint8Array;
  target?: string;
  attributes: number;
  lastWriteTime: number;
  size: number;
}

/** Everything under the root of a mounted volume, links not followed. */
function strataTree(volume: Volume): Map<string, Node> {
  const out = new Map<string, Node>();
  const walk = (relative: string, depth: number): void => {
    assert.ok(depth < 32);
    for (const entry of volume.listEntries(relative === '' ? '\\??\\D:\\' : relative)) {
      if (entry.fileName === '.' || entry.fileName === '..') continue;
      const child = relative === '' ? entry.fileName : `${relative}\\${entry.fileName}`;
      const key = child.replaceAll('\\', '/');
      const base = {
        attributes: entry.fileAttributes,
        lastWriteTime: entry.lastWriteTime,
        size: entry.endOfFile,
      };
      if ((entry.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0) {
        const h = volume.handle(child, {
          access: FILE_READ_ATTRIBUTES | SYNCHRONIZE,
          options: FILE_OPEN_REPARSE_POINT,
        });
        const reparse = volume.fsctlResult(h, FSCTL_GET_REPARSE_POINT, null, 1024);
        assert.equal(reparse.status, STATUS_SUCCESS);
        volume.close(h);
        out.set(key, {
          kind: 'link',
          target: (reparse.output as SymbolicLinkReparseInfo).printName,
          ...base,
        });
      } else if ((entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) !== 0) {
        out.set(key, { kind: 'dir', ...base });
        walk(child, depth + 1);
      } else {
        out.set(key, { kind: 'file', data: volume.readAll(child, 65536 + 123), ...base });
      }
    }
  };
  walk('', 0);
  return out;
}

interface HostNode {
  kind: 'dir' | 'file' | 'link';
  data?: Uint8Array;
  target?: string;
  mode: number;
  mtimeMs: number;
}

function hostTree(root: string): Map<string, HostNode> {
  const out = new Map<string, HostNode>();
  const walk = (relative: string): void => {
    for (const name of fs.readdirSync(path.join(root, relative))) {
      const child = relative === '' ? name : `${relative}/${name}`;
      const full = path.join(root, child);
      const stat = fs.lstatSync(full);
      const base = { mode: stat.mode, mtimeMs: stat.mtimeMs };
      if (stat.isSymbolicLink()) out.set(child, { kind: 'link', target: fs.readlinkSync(full), ...base });
      else if (stat.isDirectory()) {
        out.set(child, { kind: 'dir', ...base });
        walk(child);
      } else out.set(child, { kind: 'file', data: new Uint8Array(fs.readFileSync(full)), ...base });
    }
  };
  walk('');
  return out;
}

function seededBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

const SOURCE: TreeSpec = {
  'hello.txt': 'hello, world\n',
  empty: '',
  'one-sector.bin': seededBytes(2048, 1),
  'sub/many-sectors.bin': seededBytes(300_000, 2),
  'sub/deeper/deepest/leaf.txt': 'at the bottom\n',
  'sub/empty-dir': null,
  'A much longer file name than eight dot three allows.txt': 'long\n',
  'Résumé.txt': 'accents\n',
  '日本語のファイル.txt': 'unicode\n',
  'UPPER.TXT': 'upper\n',
  'dotted.name.tar.gz': seededBytes(5000, 3),
  'link-to-hello': { link: 'hello.txt' },
  'dir-link': { link: 'sub/deeper' },
  'dangling-link': { link: 'nowhere/at/all' },
  'private.txt': { mode: 0o600, data: 'secret\n' },
  'run.sh': { mode: 0o755, data: '#!/bin/sh\n' },
};

let work: string;
let source: string;
const images = new Map<string, Uint8Array>();

function image(tool: IsoTool, flags: string[]): Uint8Array {
  const key = `${tool} ${flags.join(' ')}`;
  let bytes = images.get(key);
  if (bytes === undefined) {
    bytes = makeIso(
      tool,
      source,
      ['-V', 'READBACK', ...(tool === 'genisoimage' ? ['-input-charset', 'utf-8'] : []), ...flags],
      path.join(work, `${images.size}.iso`),
    );
    images.set(key, bytes);
  }
  return bytes;
}

function isoinfo(imagePath: string, args: string[], encoding: BufferEncoding): string[] {
  const output = execFileSync('isoinfo', ['-i', imagePath, ...args], { encoding: 'buffer' });
  return output
    .toString(encoding)
    .split('\n')
    .filter((line) => line !== '');
}

function imagePath(bytes: Uint8Array): string {
  const file = path.join(work, `listing-${bytes.length}-${bytes[0x8028]}.iso`);
  fs.writeFileSync(file, bytes);
  return file;
}

before(() => {
  work = tempDir();
  source = path.join(work, 'source');
  writeTree(source, SOURCE);
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

function mount(bytes: Uint8Array, preferredNames?: NamePreference): Volume {
  return cdVolume(bytes, preferredNames === undefined ? {} : { cdfs: { preferredNames } });
}

for (const tool of ['genisoimage', 'xorriso'] as const) {
  // xorriso writes Rock Ridge unless told not to.
  const noRock = tool === 'xorriso' ? ['--norock'] : [];
  describe(`${tool} images`, () => {
    test('with Rock Ridge the tree reads back as the source: names, links, sizes, contents', () => {
      const volume = mount(image(tool, ['-R', '-J', '-joliet-long']));
      const host = hostTree(source);
      const strata = strataTree(volume);
      assert.deepEqual([...strata.keys()].sort(), [...host.keys()].sort());
      for (const [key, expected] of host) {
        const actual = strata.get(key)!;
        assert.equal(actual.kind, expected.kind, key);
        if (expected.kind === 'file') {
          assert.equal(actual.size, expected.data!.length, key);
          assert.deepEqual(actual.data, expected.data, key);
          assert.equal(actual.attributes & FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_READONLY, key);
        }
        if (expected.kind === 'link') assert.equal(actual.target, expected.target, key);
      }
    });

    test('with Rock Ridge modes come from PX and modification times from TF', () => {
      const volume = mount(image(tool, ['-R']));
      for (const [key, expected] of hostTree(source)) {
        const h = volume.handle(key.replaceAll('/', '\\'), {
          access: FILE_READ_ATTRIBUTES | SYNCHRONIZE,
          options: FILE_OPEN_REPARSE_POINT | FILE_SYNCHRONOUS_IO_NONALERT,
        });
        const { status, info } = volume.query<FileStatLxInfo>(h, FileStatLxInformation);
        volume.close(h);
        assert.equal(status, STATUS_SUCCESS, key);
        assert.equal(info!.lxFlags & LX_FILE_METADATA_HAS_MODE, LX_FILE_METADATA_HAS_MODE, key);
        assert.equal(info!.lxMode.toString(8), expected.mode.toString(8), key);
        if (expected.kind === 'file')
          assert.equal(info!.lastWriteTime, Math.floor(expected.mtimeMs / 1000) * 1000, key);
      }
    });

    test('following a link reads its target; a link to a directory opens the directory', () => {
      const volume = mount(image(tool, ['-R']));
      assert.deepEqual(volume.readAll('link-to-hello'), new TextEncoder().encode('hello, world\n'));
      assert.deepEqual(volume.list('dir-link'), ['deepest']);
      assert.equal(volume.readAll('dir-link\\deepest\\leaf.txt').length, 14);
    });

    test('with Joliet only, names are the source names and links are left out', () => {
      const volume = mount(image(tool, [...noRock, '-J', '-joliet-long']));
      const host = hostTree(source);
      const strata = strataTree(volume);
      const expected = [...host].filter(([, node]) => node.kind !== 'link').map(([key]) => key);
      assert.deepEqual([...strata.keys()].sort(), expected.sort());
      for (const key of expected) {
        if (host.get(key)!.kind === 'file') assert.deepEqual(strata.get(key)!.data, host.get(key)!.data, key);
      }
    });

    test('the Joliet preference ignores Rock Ridge on a disc that has both, as Windows does', () => {
      const volume = mount(image(tool, ['-R', '-J', '-joliet-long']), 'joliet');
      const strata = strataTree(volume);
      for (const node of strata.values()) assert.equal(node.attributes & FILE_ATTRIBUTE_REPARSE_POINT, 0);
      assert.equal(strata.get('Résumé.txt')?.kind, 'file');
      // genisoimage puts a link in the Joliet tree as an empty file; xorriso leaves it out.
      if (tool === 'genisoimage') assert.equal(strata.get('link-to-hello')?.size, 0);
      else assert.equal(strata.has('link-to-hello'), false);
    });

    test('each name set lists the same names as isoinfo', () => {
      const bytes = image(tool, ['-R', '-J', '-joliet-long']);
      const file = imagePath(bytes);
      const normalize = (line: string): string => {
        // isoinfo prints primary names as recorded; CDFS drops ";1" and a trailing dot.
        const parts = line.slice(1).split('/');
        return parts.map((part) => part.replace(/;[^;]*$/u, '').replace(/\.$/u, '')).join('/');
      };
      const primary = isoinfo(file, ['-f'], 'latin1').map(normalize).sort();
      assert.deepEqual([...strataTree(mount(bytes, 'iso9660')).keys()].sort(), primary);
      // isoinfo writes a character ISO 8859-1 lacks as "_".
      const latin1 = (name: string): string =>
        [...name].map((c) => (c.charCodeAt(0) > 0xff ? '_' : c)).join('');
      const joliet = isoinfo(file, ['-J', '-j', 'iso8859-1', '-f'], 'latin1')
        .map((line) => line.slice(1))
        .sort();
      const jolietStrata = [...strataTree(mount(bytes, 'joliet')).keys()].map(latin1).sort();
      assert.deepEqual(jolietStrata, joliet);
      const rockRidge = isoinfo(file, ['-R', '-f'], 'utf8')
        .map((line) => line.slice(1))
        .sort();
      assert.deepEqual([...strataTree(mount(bytes)).keys()].sort(), rockRidge);
    });

    test('plain ISO 9660 files read back as isoinfo extracts them', () => {
      const bytes = image(tool, noRock);
      const file = imagePath(bytes);
      const volume = mount(bytes);
      const strata = strataTree(volume);
      const listed = isoinfo(file, ['-f'], 'latin1');
      for (const line of listed) {
        const key = line
          .slice(1)
          .split('/')
          .map((part) => part.replace(/;[^;]*$/u, '').replace(/\.$/u, ''))
          .join('/');
        const node = strata.get(key);
        assert.ok(node !== undefined, `${line} missing`);
        if (node.kind === 'file') {
          const extracted = execFileSync('isoinfo', ['-i', file, '-x', line], { encoding: 'buffer' });
          assert.deepEqual(node.data, new Uint8Array(extracted), line);
        }
      }
      assert.equal(strata.size, listed.length);
    });
  });
}

test('directories deeper than eight levels, relocated by genisoimage, appear where they belong', () => {
  const deep = path.join(work, 'deep');
  writeTree(deep, { 'a/b/c/d/e/f/g/h/i/j/leaf.txt': 'deep\n' });
  const volume = mount(makeIso('genisoimage', deep, ['-R'], path.join(work, 'deep.iso')));
  assert.deepEqual(
    volume.readAll('a\\b\\c\\d\\e\\f\\g\\h\\i\\j\\leaf.txt'),
    new TextEncoder().encode('deep\n'),
  );
  assert.deepEqual(volume.list('a\\b\\c\\d\\e\\f\\g'), ['h']);
  // The relocation directory stays (as Linux shows it), without the moved directory inside.
  assert.deepEqual(volume.list(''), ['a', 'rr_moved']);
  assert.deepEqual(volume.list('rr_moved'), []);
});
