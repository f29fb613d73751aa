/**
 * The command line's cost, side by side with its floor in the same run:
 * - `strata stat M:\file` run from a shell, process start included, against `node -e ''` from the
 *   same shell (interleaved runs, medians). Target: within 2x. The command line runs from its
 *   built JavaScript (scripts/build-cli.ts), as `npm install` leaves it.
 * - one control-socket round trip (a `stat` request answered by the daemon) against an echo of a
 *   line of the same size over a Unix socket to another Node process (the transport's floor).
 *   Target: under 1 ms median.
 * Both talk to a real daemon (`strata up`, the built-in configuration) in its own process.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli } from '../scripts/build-cli.ts';
import { ControlClient } from '../src/host/control/index.ts';
import type { BenchmarkTable, Pair } from './support/measure.ts';
import { row } from './support/measure.ts';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function pair(strataNs: number, referenceNs: number): Pair {
  return {
    strata: { nsPerOp: strataNs },
    reference: { nsPerOp: referenceNs },
    ratio: strataNs / referenceNs,
  };
}

/** Starts a child process and resolves once it prints `marker`. */
function startChild(command: string, args: string[], marker: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes(marker)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

/** Nanoseconds a shell command takes, start to exit. */
function timeShell(command: string, env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const result = spawnSync('/bin/sh', ['-c', command], { env, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`bench: "${command}" exited with ${result.status}`);
  return Number(process.hrtime.bigint() - start);
}

export async function run(): Promise<BenchmarkTable[]> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-bench-'));
  const children: ChildProcess[] = [];
  try {
    const entry = await buildCli(join(dir, 'cli'));
    const socket = join(dir, 'control.sock');
    children.push(await startChild(process.execPath, [entry, 'up', '--socket', socket], 'Every command:'));
    const env = { ...process.env, STRATA_SOCKET: socket, NO_COLOR: '1' };
    const put = spawnSync(process.execPath, [entry, 'put', '-', 'M:\\file.txt'], {
      env,
      input: 'benchmark\n',
    });
    if (put.status !== 0) throw new Error(`bench setup: put failed: ${put.stderr}`);

    // Process start included: both commands go through the same shell, alternating.
    const node = process.execPath;
    const stat = `${node} ${entry} stat 'M:\\file.txt' > /dev/null`;
    const empty = `${node} -e ''`;
    for (let i = 0; i < 3; i++) {
      timeShell(stat, env);
      timeShell(empty, env);
    }
    const statTimes: number[] = [];
    const nodeTimes: number[] = [];
    for (let i = 0; i < 25; i++) {
      statTimes.push(timeShell(stat, env));
      nodeTimes.push(timeShell(empty, env));
    }
    const startup = pair(median(statTimes), median(nodeTimes));

    // The round trip alone: a warm client, one request at a time.
    const client = await ControlClient.connect(socket);
    const echoSocket = join(dir, 'echo.sock');
    children.push(
      await startChild(
        node,
        [
          '-e',
          `const s = require('net').createServer((c) => c.pipe(c)).listen(${JSON.stringify(echoSocket)}, () => console.log('ready'));`,
        ],
        'ready',
      ),
    );
    const echo = createConnection(echoSocket);
    await new Promise((resolve) => echo.once('connect', resolve));
    const request = { path: 'M:\\file.txt' };
    const line = `${JSON.stringify({ id: 1, method: 'stat', params: request })}\n`;
    const echoOnce = (): Promise<void> =>
      new Promise((resolve) => {
        echo.once('data', () => resolve());
        echo.write(line);
      });
    const roundTrips: number[] = [];
    const echoes: number[] = [];
    for (let i = 0; i < 200; i++) {
      await client.request('stat', request);
      await echoOnce();
    }
    for (let i = 0; i < 1000; i++) {
      let start = process.hrtime.bigint();
      await client.request('stat', request);
      roundTrips.push(Number(process.hrtime.bigint() - start));
      start = process.hrtime.bigint();
      await echoOnce();
      echoes.push(Number(process.hrtime.bigint() - start));
    }
    client.close();
    echo.destroy();
    const roundTrip = pair(median(roundTrips), median(echoes));
    return [
      {
        title: 'Command line: start-up and the control socket',
        reference: "node -e '' / a line echoed over a Unix socket",
        rows: [
          row("`strata stat M:\\file.txt` from a shell vs `node -e ''`", startup, '≤ 2x', startup.ratio <= 2),
          row(
            'control-socket round trip (`stat`) vs raw echo',
            roundTrip,
            '< 1 ms',
            roundTrip.strata.nsPerOp < 1e6,
          ),
        ],
        notes: [
          'Medians of 25 interleaved shell runs each (process start included), and of 1,000 interleaved round trips.',
          'The daemon runs the built-in configuration in its own process; the command line runs from its esbuild bundle.',
        ],
      },
    ];
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    rmSync(dir, { recursive: true, force: true });
  }
}
