/**
 * Where the control socket lives by default: per user, never shared.
 *
 * `$STRATA_SOCKET` wins; otherwise `$XDG_RUNTIME_DIR/strata/control.sock` (a directory only the
 * user can enter, cleaned at logout), otherwise `<os.tmpdir()>/strata-<uid>/control.sock`. The
 * daemon creates the `strata` / `strata-<uid>` directory with mode 0700 and refuses one it does not
 * own or that others can enter.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SOCKET_ENV = 'STRATA_SOCKET';

export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[SOCKET_ENV];
  if (explicit !== undefined && explicit !== '') return explicit;
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime?.startsWith('/')) return join(runtime, 'strata', 'control.sock');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `strata-${uid}`, 'control.sock');
}
