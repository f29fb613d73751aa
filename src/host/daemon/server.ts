/**
 * The control socket server: newline-delimited JSON requests in, replies and events out
 * (protocol.ts), one Session per connection.
 *
 * Robustness rules:
 * - a line that is not a request, too long, or names an unknown method gets an error reply and the
 *   connection keeps working;
 * - a request runs only once its whole line has arrived, so a client that leaves half-way through a
 *   line starts nothing; a request that started finishes even if its client leaves (its reply is
 *   dropped), and only then does the session close (uploads not committed are discarded);
 * - requests on one connection run concurrently (replies may come out of order; ids match them), at
 *   most MAX_IN_FLIGHT at a time: beyond that the server stops reading the socket until some finish;
 * - a reply too large for the protocol becomes a REPLY_TOO_LARGE error instead.
 * Closing the server stops accepting, lets requests in flight finish, ends every connection and
 * closes every session.
 */
import { createServer, type Socket } from 'node:net';
import {
  encodeMessage,
  errorResponse,
  LineDecoder,
  MAX_MESSAGE_BYTES,
  parseRequest,
  type Response,
} from '../control/index.ts';
import { dispatch, type ServiceContext } from './dispatch.ts';
import type { StrataHost } from './host.ts';
import { Session } from './session.ts';
import { listenPrivately } from './socket-file.ts';

export const MAX_IN_FLIGHT = 32;

export interface ControlServer {
  readonly socketPath: string;
  /** Connections open now. */
  readonly connections: number;
  /** Stops accepting, finishes requests in flight, closes every connection and session. */
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Called (once) when a client asks the daemon to stop with `down`. */
  onStopRequested: () => void;
}

class Connection {
  readonly session: Session;
  private readonly decoder = new LineDecoder(MAX_MESSAGE_BYTES);
  private inFlight = 0;
  private readonly idle: Array<() => void> = [];
  private readonly context: ServiceContext;

  constructor(
    private readonly socket: Socket,
    host: StrataHost,
    socketPath: string,
    private readonly isStopping: () => boolean,
    requestStop: () => void,
  ) {
    this.session = new Session(host, 'strata.exe');
    this.context = {
      host,
      session: this.session,
      pid: process.pid,
      socket: socketPath,
      requestStop,
      emit: (id, event, data) => this.write(encodeMessage({ event, id, data })),
    };
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => {});
  }

  private receive(chunk: Buffer): void {
    for (const decoded of this.decoder.push(chunk)) {
      if (!('line' in decoded)) {
        this.reply(
          errorResponse(
            null,
            'MESSAGE_TOO_LARGE',
            `A message may be at most ${MAX_MESSAGE_BYTES} bytes, newline included; the line was discarded.`,
          ),
        );
        continue;
      }
      if (decoded.line.trim() === '') continue;
      const parsed = parseRequest(decoded.line);
      if ('error' in parsed) {
        this.reply(parsed.error);
        continue;
      }
      const { request } = parsed;
      if (this.isStopping() && request.method !== 'hello') {
        this.reply(errorResponse(request.id, 'SHUTTING_DOWN', 'The Strata daemon is stopping.'));
        continue;
      }
      this.inFlight++;
      if (this.inFlight >= MAX_IN_FLIGHT) this.socket.pause();
      void dispatch(this.context, request).then((response) => {
        this.reply(response);
        this.inFlight--;
        if (this.inFlight < MAX_IN_FLIGHT && !this.socket.destroyed) this.socket.resume();
        if (this.inFlight === 0) for (const wake of this.idle.splice(0)) wake();
      });
    }
  }

  private reply(response: Response): void {
    let text = encodeMessage(response);
    if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES)
      text = encodeMessage(
        errorResponse(
          response.id,
          'REPLY_TOO_LARGE',
          'The answer is larger than a protocol message may be; narrow the request (a limit, a subdirectory).',
        ),
      );
    this.write(text);
  }

  private write(text: string): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(text);
  }

  /** Resolves once no request of this connection is running. */
  settled(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  /** Ends the connection after its requests finish, then closes the session. */
  async finish(): Promise<void> {
    await this.settled();
    // Once the last replies are flushed the connection goes, whether or not the client closes its side.
    if (!this.socket.destroyed) this.socket.end(() => this.socket.destroy());
    await this.session.close();
  }
}

export async function startControlServer(
  host: StrataHost,
  socketPath: string,
  options: ServerOptions,
): Promise<ControlServer> {
  const connections = new Set<Connection>();
  const closing: Promise<void>[] = [];
  let stopping = false;
  let stopRequested = false;
  const requestStop = (): void => {
    if (stopRequested) return;
    stopRequested = true;
    // After the reply to `down` is on its way.
    setImmediate(options.onStopRequested);
  };
  const server = createServer({ allowHalfOpen: false }, (socket) => {
    if (stopping) {
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, host, socketPath, () => stopping, requestStop);
    connections.add(connection);
    socket.on('close', () => {
      connections.delete(connection);
      closing.push(connection.settled().then(() => connection.session.close()));
    });
  });
  await listenPrivately(server, socketPath);
  return {
    socketPath,
    get connections() {
      return connections.size;
    },
    async close() {
      stopping = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...connections].map((c) => c.finish()));
      await Promise.all(closing);
      await stopped;
    },
  };
}
