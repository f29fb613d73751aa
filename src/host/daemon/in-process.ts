/**
 * Running control requests without a daemon: `strata --config file.json <command>` boots a host in
 * the command's own process, sends the request through the same dispatcher the socket server uses,
 * and shuts the host down cleanly before exiting. Results cross a JSON round trip, so they are
 * exactly what a socket client would receive.
 *
 * Each run boots afresh: RAM disks start empty every time; images and host directories persist.
 */
import { RequestFailedError, type RequestId } from '../control/index.ts';
import { dispatch, type ServiceContext } from './dispatch.ts';
import { type ShutdownReport, StrataHost } from './host.ts';
import { Session } from './session.ts';
import { resolveConfig } from './up.ts';

export class InProcessRunner {
  private nextId = 1;
  private readonly listeners = new Map<RequestId, (data: unknown) => void>();
  private readonly context: ServiceContext;

  private constructor(
    readonly host: StrataHost,
    readonly session: Session,
  ) {
    this.context = {
      host,
      session,
      pid: null,
      socket: null,
      requestStop: null,
      emit: (id, _event, data) => this.listeners.get(id)?.(JSON.parse(JSON.stringify(data))),
    };
  }

  /** Boots a host from a configuration file (null: the built-in default). */
  static async start(
    configPath: string | null,
    log: (line: string) => void,
    options: { verify?: boolean } = {},
  ): Promise<InProcessRunner> {
    const { config, catalogue } = resolveConfig(configPath, options.verify ?? false);
    const host = await StrataHost.boot(config, catalogue, { log });
    return new InProcessRunner(host, new Session(host, 'strata.exe'));
  }

  /** Runs one request; an error reply becomes RequestFailedError, as from the socket client. */
  async request<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    return this.run<T>(this.nextId++, method, params);
  }

  subscribe<T = unknown>(
    method: string,
    params: Record<string, unknown>,
    onEvent: (data: unknown) => void,
  ): { result: Promise<T>; cancel(): Promise<void> } {
    const id = this.nextId++;
    this.listeners.set(id, onEvent);
    return {
      result: this.run<T>(id, method, params),
      cancel: async () => {
        this.listeners.delete(id);
        await this.request('cancel', { id });
      },
    };
  }

  private async run<T>(id: RequestId, method: string, params: Record<string, unknown>): Promise<T> {
    const response = await dispatch(this.context, { id, method, params: JSON.parse(JSON.stringify(params)) });
    if ('error' in response) throw new RequestFailedError(response.error);
    return JSON.parse(JSON.stringify(response.result ?? null)) as T;
  }

  /** Ends the session, then shuts the host down cleanly. */
  async close(): Promise<ShutdownReport> {
    await this.session.close();
    return this.host.shutdown();
  }
}
