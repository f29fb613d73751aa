/**
 * The control socket's file: making its directory private, telling a live daemon from a stale
 * socket, and listening so that nobody else can connect.
 *
 * - The default directory (`…/strata`, `…/strata-<uid>`) is created with mode 0700; one that
 *   exists must belong to the user and be closed to others, else the daemon refuses to start
 *   (someone could otherwise swap the socket). Any other socket's directory must already exist.
 * - A socket file already there is probed: a daemon that answers means refusal (DaemonRunningError);
 *   ECONNREFUSED means its daemon died, so the file is replaced. Anything that is not a socket is
 *   never deleted.
 * - The socket is created under umask 0177 and then set to 0600, so it is never reachable by others,
 *   not even between bind and chmod.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, type Server } from 'node:net';
import { dirname } from 'node:path';
import { HostError } from './errors.ts';

export class DaemonRunningError extends Error {
  override name = 'DaemonRunningError';
}

function probe(path: string): Promise<'live' | 'stale' | 'unknown'> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve('live');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? 'stale' : 'unknown');
    });
  });
}

/** Prepares `path` for listening; `privateDirectory` creates and checks the per-user directory. */
export async function prepareSocketPath(
  path: string,
  privateDirectory: boolean,
  log: (line: string) => void,
): Promise<void> {
  const directory = dirname(path);
  if (privateDirectory) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const info = lstatSync(directory);
    const uid = typeof process.getuid === 'function' ? process.getuid() : info.uid;
    if (!info.isDirectory() || info.uid !== uid || (info.mode & 0o077) !== 0)
      throw new HostError(
        `The socket directory ${directory} must be a directory owned by you with mode 0700; refusing to use it.`,
      );
  } else if (!existsSync(directory)) {
    // Checked here because a bind there fails as EACCES, "permission denied", which misleads.
    throw new HostError(`The socket directory ${directory} does not exist; create it first.`);
  }
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new HostError(`Cannot inspect ${path}: ${(error as Error).message}.`);
  }
  if (!existing.isSocket())
    throw new HostError(`${path} exists and is not a socket; refusing to replace it.`);
  const state = await probe(path);
  if (state === 'live') throw new DaemonRunningError(`A Strata daemon is already running on ${path}.`);
  if (state === 'unknown') throw new HostError(`Cannot tell whether ${path} belongs to a running daemon.`);
  unlinkSync(path);
  log(`Replaced the stale socket ${path} left by a daemon that is gone.`);
}

/** Listens on `path` with mode 0600 from the first moment. */
export function listenPrivately(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const previous = process.umask(0o177);
    const onError = (error: NodeJS.ErrnoException): void => {
      process.umask(previous);
      reject(
        error.code === 'EADDRINUSE'
          ? new DaemonRunningError(`Another process took ${path} while this daemon was starting.`)
          : new HostError(`Cannot listen on ${path}: ${error.message}.`),
      );
    };
    server.once('error', onError);
    server.listen(path, () => {
      server.off('error', onError);
      process.umask(previous);
      chmodSync(path, 0o600);
      resolve();
    });
    // The bind happened synchronously inside listen(); the old mask is only needed until then.
    process.umask(previous);
  });
}

/** Removes the socket file if it is still a socket (never anything else). */
export function removeSocketFile(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Already gone.
  }
}
