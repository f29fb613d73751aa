/**
 * The real tools FAT tests check Strata against: dosfstools (mkfs.fat, fsck.fat) and mtools
 * (mmd, mcopy, mdir, mattrib, mlabel). Every child runs with MTOOLS_SKIP_CHECK=1, LANG=C.UTF-8 and
 * TZ=UTC, and the test process itself uses UTC, so FAT's local times mean the same on both sides.
 * A missing tool fails the test with the Debian package to install; nothing is skipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

process.env.TZ = 'UTC';

export const TOOL_ENV = { ...process.env, MTOOLS_SKIP_CHECK: '1', LANG: 'C.UTF-8', TZ: 'UTC' };

const PACKAGES: Record<string, string> = {
  'mkfs.fat': 'dosfstools',
  'fsck.fat': 'dosfstools',
  mmd: 'mtools',
  mcopy: 'mtools',
  mdir: 'mtools',
  mattrib: 'mtools',
  mlabel: 'mtools',
  mdel: 'mtools',
};

export interface ToolResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool; a missing tool throws with the package to install. */
export function tool(
  command: string,
  args: string[],
  input?: string | Uint8Array,
  env: NodeJS.ProcessEnv = TOOL_ENV,
): ToolResult {
  const result = spawnSync(command, args, { env, input, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.error !== undefined) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new Error(
        `${command} is not installed: apt-get install ${PACKAGES[command] ?? command} (see .ci/run)`,
      );
    throw result.error;
  }
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a tool that must succeed. */
export function mustRun(command: string, args: string[], input?: string): string {
  const result = tool(command, args, input);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** `mkfs.fat -C` with a fixed serial number; `kib` is the size in KiB. */
export function mkfsFat(
  file: string,
  kib: number,
  fatType: 12 | 16 | 32,
  label = `FAT${fatType}VOL`,
  extra: string[] = [],
): void {
  fs.rmSync(file, { force: true });
  mustRun('mkfs.fat', [
    '-C',
    '-i',
    '1234abcd',
    '-F',
    String(fatType),
    '-n',
    label,
    ...extra,
    file,
    String(kib),
  ]);
}

/** The verdict of `fsck.fat -n`: clean means exit 0 and nothing but the summary line. */
export function fsckFat(file: string): { clean: boolean; output: string } {
  const result = tool('fsck.fat', ['-n', file]);
  const lines = `${result.stdout}${result.stderr}`
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== '' && !line.startsWith('fsck.fat ') && !/^\S+: \d+ files, \d+\/\d+ clusters$/.test(line),
    );
  return { clean: result.status === 0 && lines.length === 0, output: `${result.stdout}${result.stderr}` };
}

/** Copies a host file out of the image with mcopy and returns its bytes. */
export function mcopyOut(image: string, imagePath: string, scratch: string): Uint8Array {
  const out = path.join(scratch, `out-${Math.random().toString(36).slice(2)}`);
  mustRun('mcopy', ['-n', '-i', image, `::${imagePath}`, out]);
  const data = new Uint8Array(fs.readFileSync(out));
  fs.rmSync(out, { force: true });
  return data;
}

export interface MdirEntry {
  shortName: string;
  longName: string | null;
  size: number | null;
  directory: boolean;
}

/** `mdir -a` of one directory, parsed: 8.3 name, size or <DIR>, long name. */
export function mdir(image: string, imagePath: string): MdirEntry[] {
  const output = mustRun('mdir', ['-a', '-i', image, `::${imagePath}`]);
  const entries: MdirEntry[] = [];
  for (const line of output.split('\n')) {
    const match = /^(.{8}) (.{3}) +(<DIR>|\d+) +\d{4}-\d\d-\d\d +\d\d?:\d\d(?: +(.*))?$/.exec(line);
    if (match === null) continue;
    const base = match[1]!.trimEnd();
    const extension = match[2]!.trimEnd();
    const longName = match[4] ?? null;
    entries.push({
      shortName: extension === '' ? base : `${base}.${extension}`,
      longName: longName === '' ? null : longName,
      size: match[3] === '<DIR>' ? null : Number(match[3]),
      directory: match[3] === '<DIR>',
    });
  }
  return entries;
}

/** `mattrib` of a file: the set of attribute letters (A, R, S, H). */
export function mattrib(image: string, imagePath: string): string {
  const output = mustRun('mattrib', ['-i', image, `::${imagePath}`]);
  return output.slice(0, 8).replace(/\s/g, '');
}
