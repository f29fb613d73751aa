/**
 * Running the real `strata` program in tests: a private build of the command line (so a stale
 * dist/ never hides a change), a daemon started as a child process on a temporary socket, and
 * commands run as child processes with their output and exit code.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildCli } from '../../scripts/build-cli.ts';

/** A directory removed when the test file ends (call `cleanup`). */
export function temporaryDirectory(prefix = 'strata-cli-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

let built: Promise<{ entry: string; cleanup(): void }> | null = null;

/** Builds the command line once per test file, into a temporary directory. */
export function builtCli(): Promise<{ entry: string; cleanup(): void }> {
  built ??= (async () => {
    const dir = temporaryDirectory('strata-build-');
    const entry = await buildCli(join(dir.path, 'cli'));
    return { entry, cleanup: dir.cleanup };
  })();
  return built;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Standard output as raw bytes (for cat and get -). */
  bytes: Buffer;
}

/** Runs `strata args…` to completion. */
export async function strata(
  args: string[],
  options: { socket?: string; input?: Buffer | string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<RunResult> {
  const { entry } = await builtCli();
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: options.cwd,
    env: {
      ...process.env,
      NO_COLOR: '1',
      ...(options.socket !== undefined ? { STRATA_SOCKET: options.socket } : {}),
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.stdin.end(options.input ?? '');
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const bytes = Buffer.concat(out);
  return { code, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), bytes };
}

export interface Daemon {
  child: ChildProcess;
  socket: string;
  /** Everything the daemon printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the daemon has exited. */
  exited: Promise<number>;
}

/** Daemons still running (killed by `killDaemons`, so a failed test never leaves one behind). */
const running = new Set<ChildProcess>();

/** Kills every daemon this test file started that is still running; call it from `after`. */
export function killDaemons(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Starts `strata up` as a child process and waits until it serves and has printed its banner. */
export async function startDaemon(socket: string, extra: string[] = []): Promise<Daemon> {
  const { entry } = await builtCli();
  const child = spawn(process.execPath, [entry, 'up', '--socket', socket, ...extra], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => {
    stdout += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const exited = new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1))),
  );
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (stdout.includes('Every command:')) resolve();
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`strata up exited with ${code}: ${stderr}`)));
  });
  return { child, socket, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Stops a daemon with `strata down` (or kills it if it does not answer) and waits for its exit. */
export async function stopDaemon(daemon: Daemon): Promise<void> {
  if (daemon.child.exitCode !== null) return;
  const down = await strata(['down'], { socket: daemon.socket });
  if (down.code !== 0) daemon.child.kill('SIGKILL');
  await daemon.exited;
}

/** Runs the command line in this process (no spawn), capturing what it prints. */
export async function strataInProcess(args: string[], env: { socket?: string } = {}): Promise<RunResult> {
  const { main } = await import('../../src/cli/main.ts');
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (into: Buffer[]) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        into.push(Buffer.from(chunk));
        callback();
      },
    });
  const args2 = env.socket !== undefined ? [...args, '--socket', env.socket] : args;
  const code = await main(args2, { out: sink(out), err: sink(err) });
  const bytes = Buffer.concat(out);
  return { code, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), bytes };
}
