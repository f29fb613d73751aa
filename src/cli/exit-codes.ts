/**
 * Exit codes scripts can trust (docs/cli.md lists them). Each failure class has its own code, so
 * a script can tell "the file is not there" (1) from "no daemon" (3) without parsing messages.
 */
import type { ErrorCode } from '../host/control/index.ts';

/** Success. */
export const EXIT_OK = 0;
/** The operation reached Strata and failed, with an NTSTATUS (the message names it). */
export const EXIT_FAILED = 1;
/** Wrong command line: unknown command or option, missing or extra arguments, a bad parameter. */
export const EXIT_USAGE = 2;
/** The daemon is not running, or the connection to it broke. */
export const EXIT_UNREACHABLE = 3;
/** The configuration file is missing, not JSON, or invalid, or the system it describes failed to boot. */
export const EXIT_CONFIG = 4;
/** `strata up`: a daemon is already serving that socket. */
export const EXIT_ALREADY_RUNNING = 5;
/** A host file or directory could not be used (put's source, get's target, an image, the socket directory). */
export const EXIT_HOST_FILE = 6;
/** The daemon misbehaved: a protocol error or an internal error (a bug; please report it). */
export const EXIT_INTERNAL = 7;

/** The exit code for an error the daemon replied with. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'NTSTATUS':
    case 'REPLY_TOO_LARGE':
      return EXIT_FAILED;
    case 'INVALID_PARAMS':
      return EXIT_USAGE;
    case 'SHUTTING_DOWN':
      return EXIT_UNREACHABLE;
    case 'HOST_ERROR':
      return EXIT_HOST_FILE;
    default:
      return EXIT_INTERNAL;
  }
}

/**
 * The `code` of a --json error record for a failure that never reached the daemon, in the style
 * of the protocol's codes (host/control/protocol.ts), so a script switches on one field:
 * USAGE (exit 2), DAEMON_UNREACHABLE (3), CONFIG_INVALID and BOOT_FAILED (4), ALREADY_RUNNING (5),
 * HOST_ERROR (6, as the daemon's own), INTERNAL (7, as the daemon's own).
 */
export type LocalErrorCode =
  | 'USAGE'
  | 'DAEMON_UNREACHABLE'
  | 'CONFIG_INVALID'
  | 'BOOT_FAILED'
  | 'ALREADY_RUNNING'
  | 'HOST_ERROR'
  | 'INTERNAL';
