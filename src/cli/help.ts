/**
 * Help text: `strata --help` lists the commands by group; `strata <command> --help` shows one
 * command's usage, options, examples and JSON shape. Generated from the command table, so help
 * cannot drift from what the parser accepts.
 */
import type { Command, OptionSpec } from './command.ts';
import type { Style } from './output.ts';

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'print the result as one line of JSON (for scripts)' },
  socket: {
    type: 'string',
    placeholder: 'path',
    description: 'the daemon socket (default: $STRATA_SOCKET, else per user)',
  },
  config: {
    type: 'string',
    placeholder: 'file.json',
    description: 'run in this process against a system booted from this configuration (no daemon)',
  },
  verify: {
    type: 'boolean',
    description: 'turn the driver verifier on (with up or --config; docs/verifier.md)',
  },
  help: { type: 'boolean', short: 'h', description: 'show help' },
  version: { type: 'boolean', description: 'print the version' },
};

export const GROUPS: Array<[string, string[]]> = [
  ['Daemon', ['up', 'down', 'demo']],
  [
    'System',
    [
      'drivers',
      'devices',
      'volumes',
      'devstack',
      'load',
      'unload',
      'attach',
      'detach',
      'mount-image',
      'dismount',
      'trace',
    ],
  ],
  ['Files', ['ls', 'stat', 'cat', 'put', 'get', 'cp', 'mv', 'mkdir', 'rm', 'tree']],
];

function optionLines(options: Record<string, OptionSpec>): string[] {
  const entries = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.placeholder ?? 'value'}` : ''}`;
    return [flag, spec.description] as const;
  });
  const width = Math.max(...entries.map(([flag]) => flag.length));
  return entries.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`);
}

export function generalHelp(commands: Map<string, Command>, style: Style): string[] {
  const lines = [
    `${style.bold('strata')}: talk to a Strata system (the Windows NT file system I/O stack in TypeScript).`,
    '',
    `Usage: strata <command> [arguments] [--json] [--socket path | --config file.json]`,
    '',
  ];
  for (const [group, names] of GROUPS) {
    lines.push(style.bold(`${group}:`));
    const width = Math.max(...names.map((n) => n.length));
    for (const name of names) {
      const command = commands.get(name);
      if (command !== undefined) lines.push(`  ${name.padEnd(width)}  ${command.summary}`);
    }
    lines.push('');
  }
  lines.push(style.bold('Options for every command:'), ...optionLines(GLOBAL_OPTIONS), '');
  lines.push(
    'Paths: M:\\dir\\file or M:/dir/file (quote backslashes in the shell). Exit codes: 0 ok, 1 failed with an',
    'NTSTATUS, 2 usage, 3 daemon unreachable, 4 bad configuration, 5 daemon already running, 6 host file',
    'problem, 7 internal error. `strata <command> --help` for details; docs/cli.md has everything.',
  );
  return lines;
}

export function commandHelp(command: Command, style: Style): string[] {
  const lines = [`${style.bold('Usage:')} strata ${command.usage}`, '', `${command.summary}.`];
  if (command.description !== undefined) lines.push('', command.description);
  if (command.options !== undefined && Object.keys(command.options).length > 0)
    lines.push('', style.bold('Options:'), ...optionLines(command.options));
  lines.push('', style.bold('Options for every command:'), ...optionLines(GLOBAL_OPTIONS));
  if (command.examples.length > 0)
    lines.push('', style.bold('Examples:'), ...command.examples.map((e) => `  ${e}`));
  if (command.json !== undefined) lines.push('', style.bold('--json:'), `  ${command.json}`);
  return lines;
}
