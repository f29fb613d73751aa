/**
 * How a command reaches a Strata system: the daemon's control socket, or (with --config) a host
 * booted inside this process. Both speak the same methods and return the same records; the
 * in-process host is loaded only when asked for, so talking to the daemon never loads the kernel.
 */
import { ControlClient, defaultSocketPath } from '../host/control/index.ts';

export interface Transport {
  readonly inProcess: boolean;
  request<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  subscribe<T = unknown>(
    method: string,
    params: Record<string, unknown>,
    onEvent: (data: unknown) => void,
  ): { result: Promise<T>; cancel(): Promise<void> };
  /** Closes the connection; in-process, shuts the host down cleanly (images written back). */
  close(): Promise<void>;
  /** Settles when the connection ends (never, in-process). */
  readonly closed: Promise<void>;
}

export async function connectDaemon(socket: string | null): Promise<Transport> {
  const client = await ControlClient.connect(socket ?? defaultSocketPath());
  return {
    inProcess: false,
    request: (method, params) => client.request(method, params),
    subscribe: (method, params, onEvent) => client.subscribe(method, params, onEvent),
    close: async () => client.close(),
    closed: client.closed,
  };
}

export async function startInProcess(
  config: string,
  log: (line: string) => void,
  verify = false,
): Promise<Transport> {
  const { InProcessRunner } = await import('../host/daemon/index.ts');
  const runner = await InProcessRunner.start(config, log, { verify });
  return {
    inProcess: true,
    request: (method, params) => runner.request(method, params),
    subscribe: (method, params, onEvent) => runner.subscribe(method, params, onEvent),
    close: async () => {
      const report = await runner.close();
      for (const problem of report.problems) log(problem);
    },
    closed: new Promise<void>(() => {}),
  };
}
