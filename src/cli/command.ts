/**
 * What a `strata` command is: a name, its help, its options (node:util parseArgs), and a `run`
 * that talks to a Transport (the daemon's socket, or a host in this process with --config) and
 * prints either for people or, with --json, one JSON result line for scripts.
 */
import type { Style } from './output.ts';
import type { Transport } from './transport.ts';

export interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
  /** Shown in help: `--letter X:` uses `X:` as the value's placeholder. */
  placeholder?: string;
  description: string;
}

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

export interface CommandContext {
  /** --json: print the result record instead of human output. */
  json: boolean;
  /** --socket, or null for $STRATA_SOCKET / the per-user default. */
  socket: string | null;
  /** --config: run in-process against this configuration instead of talking to a daemon. */
  config: string | null;
  /** --verify: boot with the driver verifier on (up, or in-process with --config). */
  verify: boolean;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  style: Style;
  errStyle: Style;
  /** Connects (or boots in-process) on first use. */
  transport(): Promise<Transport>;
  /** Prints one line to standard output. */
  print(line?: string): void;
  /** Prints `value` as JSON on one line. */
  printJson(value: unknown): void;
}

export interface Command {
  name: string;
  summary: string;
  /** `ls <path>`; options are listed separately. */
  usage: string;
  /** Paragraphs after the usage line. */
  description?: string;
  options?: Record<string, OptionSpec>;
  /** How many positionals the command takes. */
  args: { min: number; max: number };
  examples: string[];
  /** The shape printed by --json (for help and docs). */
  json?: string;
  run(context: CommandContext, args: ParsedArgs): Promise<number>;
}

/** Wrong arguments: exit code 2 with the command's usage. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly command: Command | null = null,
  ) {
    super(message);
  }
}

/** A host-side file (put's source, get's target) cannot be used: exit code 6. */
export class LocalFileError extends Error {
  override name = 'LocalFileError';
}

export function stringOption(args: ParsedArgs, name: string): string | null {
  const value = args.values[name];
  return typeof value === 'string' ? value : null;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** A non-negative integer option, or `fallback`. */
export function integerOption(args: ParsedArgs, name: string, fallback: number, command: Command): number {
  const text = stringOption(args, name);
  if (text === null) return fallback;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} takes a whole number, not "${text}".`, command);
  return Number(text);
}
