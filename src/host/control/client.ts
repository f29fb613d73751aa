/**
 * The client half of the control protocol: one connection to the daemon, many requests in flight,
 * replies matched by id, events routed to their subscription.
 *
 * Failures are typed so the command line can choose its exit code: DaemonUnreachableError (nothing
 * listens, or the connection broke), RequestFailedError (the daemon answered with an error).
 */
import { createConnection, type Socket } from 'node:net';
import {
  type ControlError,
  encodeMessage,
  LineDecoder,
  MAX_MESSAGE_BYTES,
  type RequestId,
  type ServerMessage,
} from './protocol.ts';

/** The daemon cannot be reached, or the connection broke before the answer came. */
export class DaemonUnreachableError extends Error {
  constructor(
    message: string,
    readonly socketPath: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'DaemonUnreachableError';
  }
}

/** The daemon answered a request with an error. */
export class RequestFailedError extends Error {
  constructor(readonly error: ControlError) {
    super(error.message);
    this.name = 'RequestFailedError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onEvent: ((data: unknown) => void) | null;
}

export class ControlClient {
  private readonly pending = new Map<RequestId, Pending>();
  private readonly decoder = new LineDecoder(MAX_MESSAGE_BYTES);
  private nextId = 1;
  private closedError: Error | null = null;
  private markClosed!: () => void;
  /** Settles when the connection ends, whoever ended it. */
  readonly closed = new Promise<void>((resolve) => {
    this.markClosed = resolve;
  });

  private constructor(
    private readonly socket: Socket,
    readonly socketPath: string,
  ) {
    socket.on('data', (chunk: Buffer) => {
      for (const decoded of this.decoder.push(chunk)) {
        if ('line' in decoded) this.receive(decoded.line);
        else this.fail(new Error('The daemon sent a message larger than the protocol allows.'));
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.markClosed();
      this.fail(
        new DaemonUnreachableError(
          'The connection to the Strata daemon closed before it answered.',
          socketPath,
          'closed',
        ),
      );
    });
  }

  /** Connects to the daemon's socket. */
  static connect(socketPath: string): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(socketPath);
      const onError = (error: NodeJS.ErrnoException): void => {
        socket.destroy();
        const reason = error.code ?? 'error';
        const why =
          reason === 'ENOENT'
            ? 'no socket there; start one with `strata up`'
            : reason === 'ECONNREFUSED'
              ? 'nothing is listening (a stale socket?); start one with `strata up`'
              : reason === 'EACCES'
                ? 'permission denied'
                : error.message;
        reject(
          new DaemonUnreachableError(
            `Cannot reach the Strata daemon at ${socketPath}: ${why}.`,
            socketPath,
            reason,
          ),
        );
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(new ControlClient(socket, socketPath));
      });
    });
  }

  /** Sends a request and resolves with its result. */
  request<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    return this.send<T>(method, params, null).result;
  }

  /**
   * Sends a request that opens a subscription: `onEvent` receives the data of every event for it
   * until `cancel()` (or the connection ends). `result` resolves with the request's own reply.
   */
  subscribe<T = unknown>(
    method: string,
    params: Record<string, unknown>,
    onEvent: (data: unknown) => void,
  ): { result: Promise<T>; cancel(): Promise<void> } {
    const { id, result } = this.send<T>(method, params, onEvent);
    return {
      result,
      cancel: async () => {
        this.pending.delete(id);
        if (this.closedError === null) await this.request('cancel', { id });
      },
    };
  }

  /** Closes the connection; requests still in flight fail. */
  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private send<T>(
    method: string,
    params: Record<string, unknown>,
    onEvent: ((data: unknown) => void) | null,
  ): { id: RequestId; result: Promise<T> } {
    const id = this.nextId++;
    const result = new Promise<T>((resolve, reject) => {
      if (this.closedError !== null) {
        reject(this.closedError);
        return;
      }
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onEvent });
      this.socket.write(encodeMessage({ id, method, params }));
    });
    return { id, result };
  }

  private receive(line: string): void {
    let message: ServerMessage & { event?: string };
    try {
      message = JSON.parse(line) as ServerMessage & { event?: string };
    } catch {
      this.fail(new Error('The daemon sent a line that is not JSON.'));
      return;
    }
    const entry = this.pending.get(message.id as RequestId);
    if (entry === undefined) return;
    if (typeof message.event === 'string') {
      entry.onEvent?.((message as { data: unknown }).data);
      return;
    }
    // A subscription stays registered after its reply so later events still find it.
    if (entry.onEvent === null) this.pending.delete(message.id as RequestId);
    if ('error' in message) entry.reject(new RequestFailedError(message.error));
    else entry.resolve((message as { result: unknown }).result);
  }

  private fail(error: Error): void {
    if (this.closedError === null) this.closedError = error;
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
    this.socket.destroy();
  }
}
