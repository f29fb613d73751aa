/**
 * The `strata` command line as a function: finds the command, parses its options (node:util parseArgs, global
 * options allowed anywhere), runs it against the daemon or, with --config, against a system booted
 * in this process, and turns every failure into a sentence on standard error and an exit code
 * (exit-codes.ts).
 *
 * strata.ts runs it as a program. Everything imported here loads on every command, so it must stay
 * light: only the protocol client; the kernel is imported when a command needs it (up, demo,
 * --config).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DaemonUnreachableError, RequestFailedError } from '../host/control/index.ts';
import { type Command, type CommandContext, LocalFileError, type ParsedArgs, UsageError } from './command.ts';
import { demo, down, up } from './commands/daemon.ts';
import { cat, ls, mkdir, mv, rm, stat, tree } from './commands/files.ts';
import {
  attach,
  detach,
  devices,
  devstack,
  dismount,
  drivers,
  load,
  mountImage,
  unload,
  volumes,
} from './commands/system.ts';
import { trace } from './commands/trace.ts';
import { cp, get, put } from './commands/transfer.ts';
import {
  EXIT_ALREADY_RUNNING,
  EXIT_CONFIG,
  EXIT_HOST_FILE,
  EXIT_INTERNAL,
  EXIT_OK,
  EXIT_UNREACHABLE,
  EXIT_USAGE,
  exitCodeFor,
  type LocalErrorCode,
} from './exit-codes.ts';
import { commandHelp, GLOBAL_OPTIONS, generalHelp } from './help.ts';
import { styleFor } from './output.ts';
import { connectDaemon, startInProcess, type Transport } from './transport.ts';

export const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [
    up,
    down,
    demo,
    drivers,
    devices,
    volumes,
    devstack,
    load,
    unload,
    attach,
    detach,
    mountImage,
    dismount,
    trace,
    ls,
    stat,
    cat,
    put,
    get,
    cp,
    mv,
    mkdir,
    rm,
    tree,
  ].map((c) => [c.name, c]),
);

export interface Streams {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
}

/** The index of the command word: the first argument that is neither a global option nor its value. */
function findCommand(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (!arg.startsWith('-') || arg === '-') return i;
    const name = arg.replace(/^--?/, '').split('=')[0]!;
    if (!arg.includes('=') && GLOBAL_OPTIONS[name]?.type === 'string') i++;
  }
  return -1;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

/** Runs one command line; returns the exit code. Never throws. */
export async function main(
  argv: string[],
  streams: Streams = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const style = styleFor(streams.out);
  const errStyle = styleFor(streams.err);
  const say = (line: string): void => {
    streams.err.write(`${errStyle.red('strata:')} ${line}\n`);
  };
  // Before the options are parsed, --json is looked for by hand, so a script that asked for JSON
  // gets its error record for a usage error too.
  const usageJson = (message: string): void => {
    if (argv.includes('--json'))
      streams.out.write(`${JSON.stringify({ error: { code: 'USAGE', message, exitCode: EXIT_USAGE } })}\n`);
  };
  const index = findCommand(argv);
  const name = index >= 0 ? argv[index]! : null;
  const command = name === null ? null : (COMMANDS.get(name) ?? null);
  if (name !== null && command === null) {
    const message = `Unknown command "${name}". Run \`strata --help\` for the list.`;
    say(message);
    usageJson(message);
    return EXIT_USAGE;
  }
  const rest = index >= 0 ? [...argv.slice(0, index), ...argv.slice(index + 1)] : argv;
  let args: ParsedArgs;
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) },
      allowPositionals: true,
      strict: true,
    });
    args = { positionals: parsed.positionals, values: parsed.values as ParsedArgs['values'] };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify.*$/s, '.');
    say(message);
    usageJson(message);
    if (command !== null) streams.err.write(`Usage: strata ${command.usage}\n`);
    return EXIT_USAGE;
  }
  // A standard output that refuses what is printed (a full disk, /dev/full) is the command failing,
  // as for cat and get: it is noted here and reported once the command is done. A closed pipe ends
  // quietly (strata.ts).
  let outError: NodeJS.ErrnoException | null = null;
  const noteOutError = (error: Error | null | undefined): void => {
    if (error) outError ??= error as NodeJS.ErrnoException;
  };
  streams.out.on('error', noteOutError);
  const print = (line = ''): void => {
    streams.out.write(`${line}\n`, noteOutError);
  };
  if (args.values.version === true) {
    print(version());
    return EXIT_OK;
  }
  if (command === null || args.values.help === true) {
    const lines =
      command === null ? generalHelp(COMMANDS as Map<string, Command>, style) : commandHelp(command, style);
    for (const line of lines) print(line);
    return command === null && args.values.help !== true ? EXIT_USAGE : EXIT_OK;
  }

  const json = args.values.json === true;
  const socket = typeof args.values.socket === 'string' ? args.values.socket : null;
  const config = typeof args.values.config === 'string' ? args.values.config : null;
  const verify = args.values.verify === true;
  let transport: Transport | null = null;
  const context: CommandContext = {
    json,
    socket,
    config,
    verify,
    out: streams.out,
    err: streams.err,
    style: json ? styleFor({}) : style,
    errStyle,
    async transport() {
      transport ??=
        config !== null
          ? await startInProcess(
              config,
              (line) => streams.err.write(`${errStyle.dim('strata:')} ${line}\n`),
              verify,
            )
          : await connectDaemon(socket);
      return transport;
    },
    print,
    printJson: (value) => print(JSON.stringify(value)),
  };
  try {
    // A running daemon's verifier is its configuration's choice; --verify can only boot one.
    if (verify && config === null && command.name !== 'up')
      throw new UsageError(
        '--verify boots a system with the driver verifier on: use it with `strata up` or with --config; a running daemon keeps the verifier its configuration chose ("verifier": true).',
        command,
      );
    if (json && command.json === undefined)
      throw new UsageError(`strata ${command.name} has no JSON form: it narrates for people.`, command);
    const { min, max } = command.args;
    if (args.positionals.length < min || args.positionals.length > max)
      throw new UsageError(
        args.positionals.length < min
          ? 'Missing arguments.'
          : `Too many arguments: ${args.positionals.slice(max).join(' ')}.`,
        command,
      );
    const code = await command.run(context, args);
    await new Promise<void>((resolve) => streams.out.write('', () => resolve()));
    const failed = outError as NodeJS.ErrnoException | null;
    if (failed !== null && failed.code !== 'EPIPE')
      throw new LocalFileError(`Cannot write standard output: ${failed.message}.`);
    return code;
  } catch (error) {
    return report(error, command, { say, json, print, err: streams.err });
  } finally {
    streams.out.off('error', noteOutError);
    const open = transport as Transport | null;
    if (open !== null) await open.close().catch(() => {});
  }
}

/**
 * Every failure becomes one sentence on standard error and, with --json, one error record on
 * standard output whose `code` follows one rule (docs/cli.md, "Errors in JSON"): the daemon's
 * protocol code when the daemon answered (NTSTATUS, INVALID_PARAMS, …), else the code of the local
 * failure in the same style (USAGE, DAEMON_UNREACHABLE, HOST_ERROR, CONFIG_INVALID, BOOT_FAILED,
 * ALREADY_RUNNING, INTERNAL); `exitCode` is the process's exit code.
 */
function report(
  error: unknown,
  command: Command,
  io: { say(line: string): void; json: boolean; print(line: string): void; err: NodeJS.WritableStream },
): number {
  if (error instanceof UsageError) {
    io.say(error.message);
    if (io.json)
      io.print(JSON.stringify({ error: { code: 'USAGE', message: error.message, exitCode: EXIT_USAGE } }));
    io.err.write(
      `Usage: strata ${(error.command ?? command).usage}\nRun \`strata ${command.name} --help\` for more.\n`,
    );
    return EXIT_USAGE;
  }
  if (error instanceof RequestFailedError) {
    io.say(error.message);
    const exitCode = exitCodeFor(error.error.code);
    if (io.json) io.print(JSON.stringify({ error: { ...error.error, exitCode } }));
    return exitCode;
  }
  const fail = (exitCode: number, code: LocalErrorCode, message: string): number => {
    io.say(message);
    if (io.json) io.print(JSON.stringify({ error: { code, message, exitCode } }));
    return exitCode;
  };
  if (error instanceof DaemonUnreachableError)
    return fail(EXIT_UNREACHABLE, 'DAEMON_UNREACHABLE', error.message);
  if (error instanceof LocalFileError) return fail(EXIT_HOST_FILE, 'HOST_ERROR', error.message);
  // Errors of the daemon module are recognized by name: it is loaded lazily, in its own chunk.
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'ConfigError') return fail(EXIT_CONFIG, 'CONFIG_INVALID', message);
  if (name === 'BootError') return fail(EXIT_CONFIG, 'BOOT_FAILED', message);
  if (name === 'DaemonRunningError') return fail(EXIT_ALREADY_RUNNING, 'ALREADY_RUNNING', message);
  if (name === 'HostError') return fail(EXIT_HOST_FILE, 'HOST_ERROR', message);
  return fail(
    EXIT_INTERNAL,
    'INTERNAL',
    `Internal error: ${error instanceof Error ? (error.stack ?? message) : message}`,
  );
}
