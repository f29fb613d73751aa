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
 *   most MAX_IN_FLIGHT at a time; the others wait their turn, and while any wait the server stops
 *   reading the socket;
 * - a client that does not read its replies is not read either: while more than MAX_UNSENT_BYTES of
 *   its replies wait to be sent, no new request starts and its trace events are dropped, so what the
 *   daemon holds for one client stays bounded;
 * - a reply too large for the protocol becomes a REPLY_TOO_LARGE error instead.
 * Closing the server stops accepting, lets requests in flight finish, ends every connection (one
 * whose client does not take its last replies is cut after FLUSH_GRACE_MS) and closes every session.
 */
import { createServer, type Socket } from 'node:net';
import {
  encodeMessage,
  errorResponse,
  LineDecoder,
  MAX_MESSAGE_BYTES,
  parseRequest,
  type Request,
  type Response,
} from '../control/index.ts';
import { dispatch, type ServiceContext } from './dispatch.ts';
import type { StrataHost } from './host.ts';
import { Session } from './session.ts';
import { listenPrivately } from './socket-file.ts';

export const MAX_IN_FLIGHT = 32;
/** Replies a client has not read yet, in bytes, beyond which its requests wait and its events drop. */
export const MAX_UNSENT_BYTES = 1024 * 1024;
/** How long a stopping daemon waits for a client to take its last replies before cutting it. */
const FLUSH_GRACE_MS = 2000;

export interface ControlServer {
  readonly socketPath: string;
  /** Connections open now. */
  readonly connections: number;
  /** Bytes of replies and events written to connections and not yet taken by their clients. */
  readonly unsentBytes: number;
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
  /** Requests whose line arrived and that wait for room to run, oldest first. */
  private readonly waiting: Request[] = [];
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
      // A follower that does not read loses events rather than growing the daemon.
      emit: (id, event, data) => {
        if (!this.backedUp()) this.write(encodeMessage({ event, id, data }));
      },
    };
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('drain', () => this.pump());
    socket.on('error', () => {});
  }

  /** Replies not yet taken by the client, in bytes (0 once the connection is gone). */
  get unsentBytes(): number {
    return this.socket.destroyed ? 0 : this.socket.writableLength;
  }

  private backedUp(): boolean {
    return this.unsentBytes > MAX_UNSENT_BYTES;
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
      if ('error' in parsed) this.reply(parsed.error);
      else this.waiting.push(parsed.request);
    }
    this.pump();
  }

  /** Starts waiting requests while there is room, and reads the socket only while nothing waits. */
  private pump(): void {
    while (this.waiting.length > 0 && this.inFlight < MAX_IN_FLIGHT && !this.backedUp())
      this.start(this.waiting.shift()!);
    if (this.socket.destroyed) return;
    if (this.waiting.length > 0 || this.inFlight >= MAX_IN_FLIGHT || this.backedUp()) this.socket.pause();
    else this.socket.resume();
  }

  private refuse(request: Request): void {
    this.reply(errorResponse(request.id, 'SHUTTING_DOWN', 'The Strata daemon is stopping.'));
  }

  private start(request: Request): void {
    if (this.isStopping() && request.method !== 'hello') {
      this.refuse(request);
      return;
    }
    this.inFlight++;
    void dispatch(this.context, request).then((response) => {
      this.reply(response);
      this.inFlight--;
      this.pump();
      if (this.inFlight === 0 && this.waiting.length === 0) for (const wake of this.idle.splice(0)) wake();
    });
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

  /** Resolves once no request of this connection is running or waiting. */
  settled(): Promise<void> {
    return this.inFlight === 0 && this.waiting.length === 0
      ? Promise.resolve()
      : new Promise((resolve) => this.idle.push(resolve));
  }

  /** Ends the connection after its requests finish, then closes the session. */
  async finish(): Promise<void> {
    // Requests still waiting have not started: they are refused, as anything arriving now is.
    for (const request of this.waiting.splice(0)) this.refuse(request);
    await this.settled();
    const socket = this.socket;
    if (!socket.destroyed) {
      // Once the last replies are flushed the connection goes, whether or not the client closes
      // its side; a client that does not take them is cut, so it cannot hold the stop up.
      socket.end(() => socket.destroy());
      const cut = setTimeout(() => socket.destroy(), socket.writableNeedDrain ? 0 : FLUSH_GRACE_MS);
      socket.once('close', () => clearTimeout(cut));
    }
    await this.session.close();
  }
}

export async function startControlServer(
  host: StrataHost,
  socketPath: string,
  options: ServerOptions,
): Promise<ControlServer> {
  const connections = new Set<Connection>();
  /** Sessions of connections that closed, still finishing their requests. */
  const closing = new Set<Promise<void>>();
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
      const closed = connection.settled().then(() => connection.session.close());
      closing.add(closed);
      void closed.then(() => closing.delete(closed));
    });
  });
  await listenPrivately(server, socketPath);
  return {
    socketPath,
    get connections() {
      return connections.size;
    },
    get unsentBytes() {
      let total = 0;
      for (const connection of connections) total += connection.unsentBytes;
      return total;
    },
    async close() {
      stopping = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...connections].map((c) => c.finish()));
      await Promise.all([...closing]);
      await stopped;
    },
  };
}
