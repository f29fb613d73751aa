/**
 * Builds the `strata` command line to plain JavaScript (dist/cli/strata.js and its chunks), so it
 * starts without a transpiler. The daemon and the kernel land in chunks of their own that the entry
 * imports only when a command needs them (up, demo, --config); talking to a running daemon loads
 * the entry and the protocol client alone.
 *
 * `npm run build` (also run by `npm install`, `npm start` and `npm run demo`); tests and benchmarks
 * call `buildCli(outdir)` to build a private copy.
 */
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds into `outdir` (default dist/cli) and returns the entry file's path. */
export async function buildCli(outdir = join(root, 'dist', 'cli')): Promise<string> {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { strata: join(root, 'src', 'cli', 'strata.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  const entry = join(outdir, 'strata.js');
  chmodSync(entry, 0o755);
  return entry;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entry = await buildCli();
  console.log(`Built ${entry}`);
}
