/**
 * The documentation of the command line and the daemon cannot drift from the code: every command
 * has its section in docs/cli.md, every exit code its row, every protocol method its row in
 * docs/daemon.md, and every configuration field its place there.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as exitCodes from '../../src/cli/exit-codes.ts';
import { COMMANDS } from '../../src/cli/main.ts';
import { METHOD_NAMES } from '../../src/host/control/index.ts';
import { builtInCatalogue, formatIssues, validateConfig } from '../../src/host/daemon/index.ts';

const cli = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
const daemon = readFileSync(new URL('../../docs/daemon.md', import.meta.url), 'utf8');

test('docs/cli.md has a section for every command, and no section for a command that does not exist', () => {
  const documented = new Set<string>();
  for (const match of cli.matchAll(/^### `strata ([a-z-]+)[^`]*`(?: \/ `strata ([a-z-]+)[^`]*`)?$/gm)) {
    documented.add(match[1]!);
    if (match[2] !== undefined) documented.add(match[2]);
  }
  assert.deepEqual([...documented].sort(), [...COMMANDS.keys()].sort());
});

test('docs/cli.md lists every exit code the command line uses', () => {
  const codes = Object.entries(exitCodes)
    .filter(([name, value]) => name.startsWith('EXIT_') && typeof value === 'number')
    .map(([, value]) => value as number);
  for (const code of codes) assert.match(cli, new RegExp(`^\\| ${code} \\| `, 'm'), `exit code ${code}`);
});

test('docs/daemon.md describes every protocol method', () => {
  for (const method of METHOD_NAMES) assert.match(daemon, new RegExp(`\`${method}\``), method);
});

test('docs/daemon.md documents every configuration field', () => {
  for (const field of [
    'socket',
    'verifier',
    'drivers',
    'ramDisks',
    'images',
    'shares',
    'filters',
    'letter',
    'size',
    'format',
    'label',
    'readOnly',
    'sectorSize',
    'path',
    'mediaType',
    'name',
    'driver',
    'attach',
    'volumes',
    'key',
  ])
    assert.match(daemon, new RegExp(`\\| \`${field}\` \\|`), field);
});

test('every JSON configuration docs/daemon.md shows is one the daemon accepts', () => {
  // Its host paths (disk.img, install.iso, the share's "..") exist next to a configuration file here.
  const base = mkdtempSync(join(tmpdir(), 'strata-docs-'));
  try {
    const dir = join(base, 'config');
    mkdirSync(dir);
    writeFileSync(join(dir, 'disk.img'), new Uint8Array(0));
    writeFileSync(join(dir, 'install.iso'), new Uint8Array(0));
    const blocks = [...daemon.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    assert.ok(blocks.length >= 2, 'the default and the example with everything');
    const capabilities = { imageDisks: true, shares: true, verifier: true };
    for (const block of blocks) {
      const result = validateConfig(JSON.parse(block), {
        catalogue: builtInCatalogue(),
        capabilities,
        baseDir: dir,
        source: null,
      });
      assert.ok(result.ok, result.ok ? '' : formatIssues(result.issues, null));
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
