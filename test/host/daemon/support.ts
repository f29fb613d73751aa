/**
 * A daemon embedded in the test process (runDaemon without signal handlers), a raw socket
 * client that sends exactly the bytes a test wants and collects the reply lines, and the error
 * reply of a request that must fail.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestFailedError } from '../../../src/host/control/index.ts';
import { type InProcessRunner, runDaemon } from '../../../src/host/daemon/index.ts';

/** The error of a request that must fail with an error reply (anything else fails the test). */
export async function requestFailure(
  runner: InProcessRunner,
  method: string,
  params: Record<string, unknown>,
): Promise<RequestFailedError> {
  try {
    await runner.request(method, params);
  } catch (error) {
    if (error instanceof RequestFailedError) return error;
    throw error;
  }
  assert.fail(`${method} succeeded`);
}

export interface EmbeddedDaemon {
  socket: string;
  dir: string;
  out: string[];
  log: string[];
  /** Stops the daemon (as a signal would) and waits for the clean stop. */
  stop(): Promise<{ problems: string[] }>;
  /** Resolves when runDaemon returns (after `down` or `stop`). */
  done: Promise<{ problems: string[] }>;
  cleanup(): void;
}

export async function embeddedDaemon(configPath: string | null = null): Promise<EmbeddedDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-daemon-'));
  const socket = join(dir, 'control.sock');
  const out: string[] = [];
  const log: string[] = [];
  let stopper: (() => void) | null = null;
  let ready!: () => void;
  const started = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const done = runDaemon({
    configPath,
    socketPath: socket,
    out: (line) => out.push(line),
    log: (line) => log.push(line),
    handleSignals: false,
    onReady: (stop) => {
      stopper = stop;
      ready();
    },
  });
  await Promise.race([started, done]);
  return {
    socket,
    dir,
    out,
    log,
    done,
    async stop() {
      stopper?.();
      return done;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A connection that speaks raw bytes and hands back parsed reply lines in arrival order. */
export class RawClient {
  private buffer = '';
  private readonly lines: unknown[] = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.buffer += text;
      let newline = this.buffer.indexOf('\n');
      while (newline >= 0) {
        this.lines.push(JSON.parse(this.buffer.slice(0, newline)));
        this.buffer = this.buffer.slice(newline + 1);
        newline = this.buffer.indexOf('\n');
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  static connect(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  request(id: number | string, method: string, params?: unknown): void {
    this.send(`${JSON.stringify({ id, method, ...(params !== undefined ? { params } : {}) })}\n`);
  }

  /** The next `count` reply lines. */
  async next(count = 1): Promise<Array<Record<string, unknown>>> {
    while (this.lines.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.lines.splice(0, count) as Array<Record<string, unknown>>;
  }

  /** Sends one request and returns its reply (requests must not overlap on this client). */
  async call(method: string, params?: unknown): Promise<Record<string, unknown>> {
    this.request(1, method, params);
    const [reply] = await this.next();
    return reply!;
  }

  close(): void {
    this.socket.destroy();
  }
}
