/**
 * `strata up`: boot a host from a configuration, serve it on the control socket until SIGINT,
 * SIGTERM or `strata down`, then stop cleanly (the host's shutdown, then the socket file goes).
 *
 * Everything that can be refused is refused before the system boots: a bad configuration
 * (ConfigError), a live daemon on the socket (DaemonRunningError), a socket directory others can
 * enter (HostError). A second SIGINT or SIGTERM while stopping exits at once.
 */
import { defaultSocketPath } from '../control/index.ts';
import { banner } from './banner.ts';
import { builtInCatalogue, type DriverCatalogue } from './catalogue.ts';
import { defaultConfig, type StrataConfig } from './config.ts';
import { type HostCapabilities, loadConfigFile } from './config-validate.ts';
import { StrataHost } from './host.ts';
import { startControlServer } from './server.ts';
import { prepareSocketPath, removeSocketFile } from './socket-file.ts';

/** What this build can serve; grows as drivers land. */
export const HOST_CAPABILITIES: HostCapabilities = { imageDisks: true, shares: true, verifier: true };

export interface DaemonOptions {
  /** The configuration file; null for the built-in default. */
  configPath: string | null;
  /** Overrides the configuration's socket (`strata up --socket`). */
  socketPath: string | null;
  /** Turns the driver verifier on whatever the configuration says (`strata up --verify`). */
  verify?: boolean;
  /** Standard output: the banner and the final line. */
  out: (line: string) => void;
  /** The daemon's log (standard error). */
  log: (line: string) => void;
  /** Install SIGINT/SIGTERM handlers (the command line does; tests embedding the daemon may not). */
  handleSignals?: boolean;
  /** Called once the daemon serves, with a function that stops it (for embedding). */
  onReady?: (stop: () => void) => void;
}

export interface DaemonResult {
  problems: string[];
}

/** The catalogue and configuration a daemon or an in-process run boots from. */
export function resolveConfig(
  configPath: string | null,
  verify = false,
): {
  config: StrataConfig;
  catalogue: DriverCatalogue;
} {
  const catalogue = builtInCatalogue();
  const loaded =
    configPath === null ? defaultConfig(catalogue) : loadConfigFile(configPath, catalogue, HOST_CAPABILITIES);
  const config = verify ? { ...loaded, verifier: true } : loaded;
  return { config, catalogue };
}

export async function runDaemon(options: DaemonOptions): Promise<DaemonResult> {
  const { config, catalogue } = resolveConfig(options.configPath, options.verify ?? false);
  const explicitSocket = options.socketPath ?? config.socket;
  const socketPath = explicitSocket ?? defaultSocketPath();
  await prepareSocketPath(
    socketPath,
    explicitSocket === null && process.env.STRATA_SOCKET === undefined,
    options.log,
  );
  const host = await StrataHost.boot(config, catalogue, { log: options.log });

  let resolveStop!: (why: string) => void;
  const stopRequested = new Promise<string>((resolve) => {
    resolveStop = resolve;
  });
  let server: Awaited<ReturnType<typeof startControlServer>>;
  try {
    server = await startControlServer(host, socketPath, {
      onStopRequested: () => resolveStop('strata down'),
    });
  } catch (error) {
    await host.shutdown();
    throw error;
  }

  const signals: Array<[NodeJS.Signals, () => void]> = [];
  if (options.handleSignals ?? true) {
    let received = 0;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const handler = (): void => {
        received++;
        if (received > 1) {
          options.log(`${signal} again: exiting without a clean shutdown.`);
          removeSocketFile(socketPath);
          process.exit(130);
        }
        resolveStop(signal);
      };
      process.on(signal, handler);
      signals.push([signal, handler]);
    }
  }

  for (const line of await banner(host, config, socketPath, explicitSocket !== null)) options.out(line);
  options.onReady?.(() => resolveStop('stop requested'));

  const why = await stopRequested;
  options.log(`Stopping (${why}): finishing requests, dismounting volumes, sending shutdown IRPs.`);
  await server.close();
  const report = await host.shutdown();
  removeSocketFile(socketPath);
  for (const [signal, handler] of signals) process.off(signal, handler);
  options.out(
    report.problems.length === 0
      ? 'Strata stopped cleanly.'
      : `Strata stopped, with ${report.problems.length} problem(s) logged above.`,
  );
  return { problems: report.problems };
}
