/**
 * The file commands that need no local file: ls, stat, cat, mkdir, rm, mv, tree. Paths are Strata
 * paths (`M:\dir\file` or `M:/dir/file`); every request runs through the volume's whole stack.
 */
import {
  DATA_CHUNK_BYTES,
  type FileInfo,
  isStrataPath,
  type LsResult,
  type MkdirResult,
  type MvResult,
  type ReadResult,
  type RmResult,
  shortened,
  type TreeNode,
  type TreeResult,
} from '../../host/control/index.ts';
import {
  type Command,
  type CommandContext,
  flag,
  integerOption,
  LocalFileError,
  UsageError,
} from '../command.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { formatBytes, formatCount, formatTime } from '../output.ts';
import { call, emit } from '../request.ts';

/** Checks that each argument is a Strata path. */
export function strataPaths(command: Command, paths: string[]): string[] {
  for (const path of paths)
    if (!isStrataPath(path))
      throw new UsageError(
        /^[A-Za-z]:[^\\/]/.test(path)
          ? `${JSON.stringify(shortened(path))} is not a Strata path: did the shell eat a backslash? Quote it ('M:\\dir\\file') or write M:/dir/file.`
          : `${JSON.stringify(shortened(path))} is not a Strata path; write it like M:\\dir\\file or M:/dir/file.`,
        command,
      );
  return paths;
}

export const ls: Command = {
  name: 'ls',
  summary: 'List a directory (or show one file), like dir',
  usage: 'ls <path>',
  options: {
    limit: { type: 'string', placeholder: 'N', description: 'list at most N entries (default 20000)' },
  },
  args: { min: 1, max: 1 },
  examples: ['strata ls M:/', 'strata ls M:/docs --json'],
  json: '{ path, entries: [{ name, type, size, attributes, written, link, target }], truncated }',
  async run(context, args) {
    const [path] = strataPaths(ls, args.positionals);
    const limit = integerOption(args, 'limit', 20_000, ls);
    const result = await call<LsResult>(context, 'ls', { path, limit });
    return emit(context, result, () => lsLines(result, context));
  },
};

/** `dir`'s layout: a line per entry, then the file and directory counts. */
function lsLines(result: LsResult, context: CommandContext): string[] {
  const lines = [` Directory of ${result.path}`, ''];
  let files = 0;
  let bytes = 0;
  let dirs = 0;
  const sizeWidth = Math.max(14, ...result.entries.map((e) => formatCount(e.size).length));
  for (const e of result.entries) {
    const directory = e.type === 'directory';
    if (directory) dirs++;
    else files++;
    // As dir: a link shows <SYMLINKD> (to a directory) or <SYMLINK> and its target in brackets.
    let size: string;
    if (e.link) size = (directory ? '<SYMLINKD>' : '<SYMLINK>').padEnd(sizeWidth);
    else if (directory) size = '<DIR>'.padEnd(sizeWidth);
    else {
      bytes += e.size;
      size = formatCount(e.size).padStart(sizeWidth);
    }
    const name = directory ? context.style.bold(e.name) : e.name;
    const target = e.link && typeof e.target === 'string' ? ` [${e.target}]` : '';
    lines.push(`${formatTime(e.written)}    ${size} ${name}${target}`);
  }
  lines.push(`${String(files).padStart(16)} File(s) ${formatCount(bytes).padStart(14)} bytes`);
  lines.push(`${String(dirs).padStart(16)} Dir(s)`);
  if (result.truncated) lines.push(context.style.yellow(`(listing cut at ${result.entries.length} entries)`));
  return lines;
}

export const stat: Command = {
  name: 'stat',
  summary: "Show a file's or directory's size, attributes and times",
  usage: 'stat <path>',
  args: { min: 1, max: 1 },
  examples: ["strata stat 'M:\\hello.txt'", 'strata stat M:/ --json'],
  json: '{ path, name, type, size, allocationSize, attributes, created, accessed, written, changed, link, target }',
  async run(context, args) {
    const [path] = strataPaths(stat, args.positionals);
    const info = await call<FileInfo>(context, 'stat', { path });
    return emit(context, info, () => statLines(info, context));
  },
};

function statLines(info: FileInfo, context: CommandContext): string[] {
  const rows: Array<[string, string]> = [
    ['Path', info.path],
    ['Type', info.type === 'link' ? 'link (leads to nothing that can be opened)' : info.type],
    ...(info.link ? [['Link to', info.target ?? '(the file system does not say)'] as [string, string]] : []),
    ['Size', `${formatCount(info.size)} bytes${info.size >= 1024 ? ` (${formatBytes(info.size)})` : ''}`],
    ['Allocated', `${formatCount(info.allocationSize)} bytes`],
    ['Attributes', info.attributes.join(' ') || '-'],
    ['Created', info.created],
    ['Written', info.written],
    ['Accessed', info.accessed],
    ['Changed', info.changed],
  ];
  return rows.map(([key, value]) => `${context.style.bold(key.padEnd(11))}${value}`);
}

export const cat: Command = {
  name: 'cat',
  summary: "Write a file's bytes to standard output",
  usage: 'cat <path>',
  args: { min: 1, max: 1 },
  examples: ["strata cat 'M:\\hello.txt'", 'strata cat M:/data.bin > data.bin'],
  json: '(no JSON form: the bytes themselves)',
  async run(context, args) {
    const [path] = strataPaths(cat, args.positionals);
    const transport = await context.transport();
    for (let offset = 0; ; ) {
      const chunk = await transport.request<ReadResult>('read', { path, offset, length: DATA_CHUNK_BYTES });
      if (chunk.bytes > 0) await write(context.out, Buffer.from(chunk.data, 'base64'));
      offset += chunk.bytes;
      if (chunk.bytes === 0 || offset >= chunk.size) break;
    }
    return EXIT_OK;
  },
};

/** Writes and waits for the stream to accept more (so a large cat does not pile up in memory). */
export function write(stream: NodeJS.WritableStream, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(data, (error) => {
      if (!error) return resolve();
      // A closed pipe ends quietly (strata.ts); any other failure is the host's (a full disk).
      const code = (error as NodeJS.ErrnoException).code;
      reject(
        code === 'EPIPE' ? error : new LocalFileError(`Cannot write standard output: ${error.message}.`),
      );
    });
  });
}

export const mkdir: Command = {
  name: 'mkdir',
  summary: 'Create a directory',
  usage: 'mkdir <path> [--parents]',
  options: {
    parents: {
      type: 'boolean',
      short: 'p',
      description: 'create missing parents; an existing directory is fine',
    },
  },
  args: { min: 1, max: 1 },
  examples: ['strata mkdir M:/docs', 'strata mkdir -p M:/a/b/c'],
  json: '{ path, created }',
  async run(context, args) {
    const [path] = strataPaths(mkdir, args.positionals);
    const result = await call<MkdirResult>(context, 'mkdir', { path, parents: flag(args, 'parents') });
    return emit(context, result, () => [
      result.created ? `Created ${result.path}.` : `${result.path} already exists.`,
    ]);
  },
};

export const rm: Command = {
  name: 'rm',
  summary: 'Delete a file or an empty directory (or a whole tree with --recursive)',
  usage: 'rm <path> [--recursive]',
  options: {
    recursive: { type: 'boolean', short: 'r', description: 'delete a directory and everything in it' },
  },
  args: { min: 1, max: 1 },
  examples: ['strata rm M:/old.txt', "strata rm -r 'M:\\build'"],
  json: '{ path, removed }',
  async run(context, args) {
    const [path] = strataPaths(rm, args.positionals);
    const result = await call<RmResult>(context, 'rm', { path, recursive: flag(args, 'recursive') });
    return emit(context, result, () => [
      `Deleted ${result.path}${result.removed > 1 ? ` (${result.removed} entries)` : ''}.`,
    ]);
  },
};

export const mv: Command = {
  name: 'mv',
  summary: 'Move or rename a file or directory',
  usage: 'mv <from> <to> [--force]',
  description:
    'Within a volume this is one rename (FileRenameInformation). Across volumes it copies, then deletes the source. A target that is an existing directory receives the source inside it.',
  options: { force: { type: 'boolean', short: 'f', description: 'replace an existing target file' } },
  args: { min: 2, max: 2 },
  examples: ["strata mv 'M:\\a.txt' 'M:\\b.txt'", 'strata mv M:/a.txt M:/archive/'],
  json: '{ from, to, copied }',
  async run(context, args) {
    const [from, to] = strataPaths(mv, args.positionals);
    const result = await call<MvResult>(context, 'mv', { from, to, overwrite: flag(args, 'force') });
    return emit(context, result, () => [
      `Moved ${result.from} to ${result.to}${result.copied ? ' (copied across volumes)' : ''}.`,
    ]);
  },
};

function treeLines(node: TreeNode, prefix: string, context: CommandContext, out: string[]): void {
  const children = node.children ?? [];
  children.forEach((child, i) => {
    const last = i === children.length - 1;
    const name = child.type === 'directory' ? context.style.bold(`${child.name}\\`) : child.name;
    const link = child.link ? ` -> ${child.target ?? '?'}` : '';
    out.push(`${prefix}${last ? '└── ' : '├── '}${name}${link}`);
    if (child.type === 'directory') treeLines(child, `${prefix}${last ? '    ' : '│   '}`, context, out);
  });
}

export const tree: Command = {
  name: 'tree',
  summary: 'Show a directory tree',
  usage: 'tree <path> [--depth N]',
  options: { depth: { type: 'string', placeholder: 'N', description: 'descend at most N levels' } },
  args: { min: 1, max: 1 },
  examples: ['strata tree M:/', 'strata tree M:/src --depth 2 --json'],
  json: '{ path, root: { name, type, size, link, target, children: [...] }, files, directories, truncated, skipped }',
  async run(context, args) {
    const [path] = strataPaths(tree, args.positionals);
    const depth = integerOption(args, 'depth', 1000, tree);
    const result = await call<TreeResult>(context, 'tree', { path, depth });
    return emit(context, result, () => {
      const lines = [context.style.bold(result.root.name)];
      treeLines(result.root, '', context, lines);
      return [
        ...lines,
        '',
        `${result.directories} director${result.directories === 1 ? 'y' : 'ies'}, ${result.files} file${result.files === 1 ? '' : 's'}${result.truncated ? ' (cut short)' : ''}`,
      ];
    });
  },
};
