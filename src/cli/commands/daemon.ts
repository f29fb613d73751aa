/**
 * Starting and stopping: `up` runs the daemon in this process (the kernel is loaded only here and
 * for --config), `down` asks it to stop and waits until its process has exited (so its images are
 * closed when `down` returns), `demo` runs the narrated seed scenario.
 */
import type { DownResult, HelloResult } from '../../host/control/index.ts';
import type { Command } from '../command.ts';
import { EXIT_INTERNAL, EXIT_OK } from '../exit-codes.ts';
import { emit } from '../request.ts';

export const up: Command = {
  name: 'up',
  summary: 'Start the daemon: boot a system from a configuration and serve it on the control socket',
  usage: 'up [--config file.json] [--socket path] [--verify]',
  description:
    'Without --config, boots the built-in default: MemFS on a 64 MiB RAM disk as M:, SFilter attached by notification, Spy loaded to attach on demand. Runs in the foreground until Ctrl-C, SIGTERM or `strata down`, then stops cleanly: volumes flushed and dismounted, shutdown IRPs sent, the socket removed. docs/daemon.md describes the configuration.',
  args: { min: 0, max: 0 },
  examples: [
    'strata up',
    'strata up --config strata.json',
    'strata up --socket /tmp/strata.sock',
    'strata up --verify',
  ],
  json: '(none: up prints what it mounted, then runs)',
  async run(context) {
    const { runDaemon } = await import('../../host/daemon/index.ts');
    const result = await runDaemon({
      configPath: context.config,
      socketPath: context.socket,
      verify: context.verify,
      out: (line) => context.print(line),
      log: (line) => context.err.write(`${context.errStyle.dim('strata:')} ${line}\n`),
    });
    return result.problems.length === 0 ? EXIT_OK : EXIT_INTERNAL;
  },
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const down: Command = {
  name: 'down',
  summary: 'Stop the daemon cleanly and wait until it has exited',
  usage: 'down',
  args: { min: 0, max: 0 },
  examples: ['strata down'],
  json: '{ stopping: true, pid }',
  async run(context) {
    const transport = await context.transport();
    const hello = await transport.request<HelloResult>('hello');
    const result = await transport.request<DownResult>('down');
    const pid = hello.pid;
    // The daemon removes its socket only after the shutdown IRPs, and exits right after.
    const deadline = Date.now() + 60_000;
    while (pid !== null && alive(pid)) {
      if (Date.now() > deadline) {
        context.err.write(`The daemon (pid ${pid}) has not exited after a minute.\n`);
        return EXIT_INTERNAL;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return emit(context, { ...result, pid }, () => [`Strata stopped (pid ${pid}).`]);
  },
};

export const demo: Command = {
  name: 'demo',
  summary: 'Run the narrated seed scenario in this process (no daemon)',
  usage: 'demo',
  description:
    'Two filters on one volume: one attaches by notification as the volume mounts, the other later on a user-mode command, and lands above it. Prints every stack and the IRPs one write traverses.',
  args: { min: 0, max: 0 },
  examples: ['strata demo', 'npm run demo'],
  async run() {
    const { runSeedDemo } = await import('../seed-demo.ts');
    runSeedDemo();
    return EXIT_OK;
  },
};
