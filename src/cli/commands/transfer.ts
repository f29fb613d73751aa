/**
 * Copies between the host and Strata (put, get) and inside Strata (cp, which also accepts one host
 * path and then acts as put or get).
 *
 * Neither side ever ends up with a half-written file: uploads go to a temporary file on the volume
 * that the daemon renames over the target only when everything arrived (uploads.ts); downloads go
 * to a temporary file next to the host target, renamed into place at the end and deleted on
 * failure (a host link is written through, and a device or FIFO is written into, never replaced).
 * Data travels in chunks of DATA_CHUNK_BYTES, with a progress bar on a terminal. A recursive copy
 * goes past what it cannot copy, names it, and ends with exit code 1.
 */
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  type CpResult,
  DATA_CHUNK_BYTES,
  isStrataPath,
  MAX_SKIPPED,
  type PutResult,
  parseStrataPath,
  type ReadResult,
  RequestFailedError,
  type SkippedEntry,
  type TreeNode,
  type TreeResult,
  type UploadBeginResult,
} from '../../host/control/index.ts';
import { type Command, type CommandContext, flag, LocalFileError, UsageError } from '../command.ts';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.ts';
import { startProgress } from '../progress.ts';
import { emit } from '../request.ts';
import type { Transport } from '../transport.ts';
import { strataPaths, write } from './files.ts';

function localError(action: string, path: string, error: unknown): LocalFileError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'it does not exist'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : (error as Error).message;
  return new LocalFileError(`Cannot ${action} ${path}: ${why}.`);
}

/** Reads a host file (or standard input for `-`) in chunks and uploads it; returns the daemon's result. */
async function upload(
  context: CommandContext,
  transport: Transport,
  local: string,
  target: string,
  overwrite: boolean,
): Promise<PutResult> {
  const stdin = local === '-';
  let fd: number;
  let size = -1;
  try {
    fd = stdin ? 0 : openSync(local, 'r');
    if (!stdin) {
      const info = statSync(local);
      if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      size = info.size;
    }
  } catch (error) {
    throw localError('read', local, error);
  }
  const name = stdin ? null : basename(local);
  const buffer = Buffer.allocUnsafe(DATA_CHUNK_BYTES);
  const readChunk = (): Buffer => {
    let filled = 0;
    try {
      while (filled < buffer.length) {
        const n = readSync(fd, buffer, filled, buffer.length - filled, null);
        if (n === 0) break;
        filled += n;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw localError('read', local, error);
    }
    return buffer.subarray(0, filled);
  };
  try {
    const first = Buffer.from(readChunk());
    const second = first.length === DATA_CHUNK_BYTES ? readChunk() : Buffer.alloc(0);
    if (second.length === 0)
      return await transport.request<PutResult>('put', {
        path: target,
        name,
        overwrite,
        data: first.toString('base64'),
      });
    const begun = await transport.request<UploadBeginResult>('upload-begin', {
      path: target,
      name,
      overwrite,
    });
    const progress = startProgress(context.err, `put ${begun.path}`, Math.max(size, 0));
    const queued: Buffer[] = [first, Buffer.from(second)];
    const next = (): Buffer => queued.shift() ?? readChunk();
    try {
      let offset = 0;
      for (let chunk = next(); chunk.length > 0; chunk = next()) {
        await transport.request('upload-chunk', {
          upload: begun.upload,
          offset,
          data: chunk.toString('base64'),
        });
        offset += chunk.length;
        progress.advance(chunk.length);
      }
      return await transport.request<PutResult>('upload-commit', { upload: begun.upload });
    } catch (error) {
      await transport.request('upload-abort', { upload: begun.upload }).catch(() => {});
      throw error;
    } finally {
      progress.done();
    }
  } finally {
    if (!stdin) closeSync(fd);
  }
}

/** Writes a Strata file into a host file that is not a regular file, in order (it may not seek). */
async function streamInto(
  transport: Transport,
  source: string,
  target: string,
): Promise<{ path: string; bytes: number }> {
  let fd: number;
  try {
    fd = openSync(target, 'w');
  } catch (error) {
    throw localError('write', target, error);
  }
  try {
    for (let offset = 0; ; ) {
      const chunk = await transport.request<ReadResult>('read', {
        path: source,
        offset,
        length: DATA_CHUNK_BYTES,
      });
      const bytes = Buffer.from(chunk.data, 'base64');
      try {
        for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
      } catch (error) {
        throw localError('write', target, error);
      }
      offset += chunk.bytes;
      if (chunk.bytes === 0 || offset >= chunk.size) return { path: target, bytes: offset };
    }
  } finally {
    closeSync(fd);
  }
}

/** Downloads a Strata file to a host file (or standard output for `-`); returns the bytes copied. */
async function download(
  context: CommandContext,
  transport: Transport,
  source: string,
  local: string,
  overwrite: boolean,
): Promise<{ path: string; bytes: number }> {
  if (local === '-') {
    let offset = 0;
    for (;;) {
      const chunk = await transport.request<ReadResult>('read', {
        path: source,
        offset,
        length: DATA_CHUNK_BYTES,
      });
      if (chunk.bytes > 0) await write(context.out, Buffer.from(chunk.data, 'base64'));
      offset += chunk.bytes;
      if (chunk.bytes === 0 || offset >= chunk.size) return { path: '-', bytes: offset };
    }
  }
  let target = local;
  if (existsSync(target) && statSync(target).isDirectory()) {
    const name = parseStrataPath(source)?.inVolume.split('\\').pop() ?? '';
    if (name === '') throw new UsageError(`Name the host file to write ${source} to.`);
    target = join(target, name);
  }
  // A link is written through, as cp does: what it names is replaced, the link stays.
  if (existsSync(target) && lstatSync(target).isSymbolicLink()) target = realpathSync(target);
  // A device or a FIFO (/dev/null, a named pipe) is written into, never replaced by a rename.
  if (existsSync(target) && !statSync(target).isFile()) return streamInto(transport, source, target);
  if (existsSync(target) && !overwrite)
    throw new LocalFileError(`Cannot write ${target}: it already exists (use --force to replace it).`);
  const temporary = join(dirname(target), `.${basename(target)}.strata-${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(temporary, 'wx', 0o644);
  } catch (error) {
    throw localError('write', target, error);
  }
  let offset = 0;
  let progress: ReturnType<typeof startProgress> | null = null;
  try {
    for (;;) {
      const chunk = await transport.request<ReadResult>('read', {
        path: source,
        offset,
        length: DATA_CHUNK_BYTES,
      });
      progress ??= startProgress(context.err, `get ${source}`, chunk.size);
      const bytes = Buffer.from(chunk.data, 'base64');
      try {
        writeSync(fd, bytes, 0, bytes.length, offset);
      } catch (error) {
        throw localError('write', target, error);
      }
      offset += chunk.bytes;
      progress.advance(chunk.bytes);
      if (chunk.bytes === 0 || offset >= chunk.size) break;
    }
    closeSync(fd);
    renameSync(temporary, target);
    return { path: target, bytes: offset };
  } catch (error) {
    try {
      closeSync(fd);
    } catch {}
    try {
      unlinkSync(temporary);
    } catch {}
    throw error;
  } finally {
    progress?.done();
  }
}

export const put: Command = {
  name: 'put',
  summary: 'Copy a host file into Strata',
  usage: 'put <host-file> <path> [--force]',
  description:
    'The data goes to a temporary file next to the target and is renamed over it only when complete, so nobody ever sees half a file. A target that is an existing directory receives the file under its own name. <host-file> may be - for standard input.',
  options: { force: { type: 'boolean', short: 'f', description: 'replace an existing file' } },
  args: { min: 2, max: 2 },
  examples: [
    'strata put README.md M:/',
    'strata put build.tar M:/backup/build.tar --force',
    'echo hi | strata put - M:/hi.txt',
  ],
  json: '{ path, size, created }',
  async run(context, args) {
    const [local, target] = args.positionals as [string, string];
    strataPaths(put, [target]);
    const result = await upload(context, await context.transport(), local, target, flag(args, 'force'));
    return emit(context, result, () => [
      `Copied ${result.size} bytes to ${result.path}${result.created ? '' : ' (replaced)'}.`,
    ]);
  },
};

export const get: Command = {
  name: 'get',
  summary: 'Copy a Strata file to the host',
  usage: 'get <path> <host-file> [--force]',
  description:
    'The host file is written under a temporary name and renamed into place when complete. A host directory receives the file under its own name; - writes to standard output. A symbolic link is written through (the link stays); a device or FIFO such as /dev/null is written into directly, without --force.',
  options: { force: { type: 'boolean', short: 'f', description: 'replace an existing host file' } },
  args: { min: 2, max: 2 },
  examples: ["strata get 'M:\\hello.txt' .", 'strata get M:/data.bin /tmp/data.bin --force'],
  json: '{ path, bytes }',
  async run(context, args) {
    const [source, local] = args.positionals as [string, string];
    strataPaths(get, [source]);
    const result = await download(context, await context.transport(), source, local, flag(args, 'force'));
    // With standard output as the target, the bytes are the output.
    if (local === '-') return EXIT_OK;
    return emit(context, result, () => [`Copied ${result.bytes} bytes to ${result.path}.`]);
  },
};

/** Every file and directory of a Strata tree, with paths relative to its root; links that lead nowhere apart. */
function treeFiles(
  node: TreeNode,
  prefix: string,
  found: { files: string[]; dirs: string[]; dangling: TreeNode[]; danglingPaths: string[] },
): void {
  for (const child of node.children ?? []) {
    const path = prefix === '' ? child.name : `${prefix}\\${child.name}`;
    // A directory the walk did not enter (a link back into it) has no children and is not made.
    if (child.type === 'directory' && child.children === undefined) continue;
    if (child.type === 'directory') {
      found.dirs.push(path);
      treeFiles(child, path, found);
    } else if (child.type === 'link') {
      found.dangling.push(child);
      found.danglingPaths.push(path);
    } else found.files.push(path);
  }
}

/**
 * Copies a Strata directory out to the host, links followed, going past what cannot be copied
 * (each named in `skipped`), as cp -r does.
 */
async function downloadTree(
  context: CommandContext,
  transport: Transport,
  from: string,
  to: string,
  overwrite: boolean,
): Promise<CpResult> {
  const listing = await transport.request<TreeResult>('tree', { path: from, follow: true });
  const skipped: SkippedEntry[] = [...listing.skipped];
  const root = listing.path.replace(/\\$/, '');
  const found = {
    files: [] as string[],
    dirs: [] as string[],
    dangling: [] as TreeNode[],
    danglingPaths: [] as string[],
  };
  treeFiles(listing.root, '', found);
  found.dangling.forEach((node, i) => {
    const path = `${root}\\${found.danglingPaths[i]}`;
    skipped.push({
      path,
      message: `${path} is a symbolic link${typeof node.target !== 'string' ? '' : ` to ${node.target}`} that leads to nothing that can be opened.`,
    });
  });
  if (listing.truncated)
    skipped.push({
      path: listing.path,
      message: `The listing of ${listing.path} stopped at its limit; entries after it were not copied.`,
    });
  const base = existsSync(to)
    ? join(to, listing.root.name.split('\\').filter(Boolean).pop() ?? 'volume')
    : to;
  try {
    mkdirSync(base, { recursive: true });
  } catch (error) {
    throw localError('create', base, error);
  }
  for (const dir of found.dirs) {
    try {
      mkdirSync(join(base, ...dir.split('\\')), { recursive: true });
    } catch (error) {
      skipped.push({
        path: `${root}\\${dir}`,
        message: localError('create', join(base, ...dir.split('\\')), error).message,
      });
    }
  }
  let files = 0;
  let bytes = 0;
  for (const file of found.files) {
    const source = `${root}\\${file}`;
    try {
      const got = await download(context, transport, source, join(base, ...file.split('\\')), overwrite);
      bytes += got.bytes;
      files++;
    } catch (error) {
      if (error instanceof RequestFailedError && error.error.code === 'NTSTATUS')
        skipped.push({
          path: source,
          message: error.message,
          ...(error.error.status ? { status: error.error.status } : {}),
        });
      else if (error instanceof LocalFileError) skipped.push({ path: source, message: error.message });
      else throw error;
    }
  }
  return { from, to: base, files, bytes, skipped };
}

export const cp: Command = {
  name: 'cp',
  summary: 'Copy inside Strata, or between the host and Strata',
  usage: 'cp <from> <to> [--force] [--recursive]',
  description:
    'Between two Strata paths the daemon copies (across volumes too). With one host path, cp acts as put or get. Directories need --recursive. A recursive copy follows symbolic links (never round a loop), passes over what it cannot copy with a line on standard error each, and then exits 1.',
  options: {
    force: { type: 'boolean', short: 'f', description: 'replace existing files' },
    recursive: { type: 'boolean', short: 'r', description: 'copy directories and everything in them' },
  },
  args: { min: 2, max: 2 },
  examples: ["strata cp 'M:\\a.txt' 'M:\\b.txt'", 'strata cp -r M:/src N:/backup', 'strata cp notes.txt M:/'],
  json: '{ from, to, files, bytes, skipped: [{ path, message, status? }] }',
  async run(context, args) {
    const [from, to] = args.positionals as [string, string];
    const overwrite = flag(args, 'force');
    const recursive = flag(args, 'recursive');
    const transport = await context.transport();
    let result: CpResult;
    if (isStrataPath(from) && isStrataPath(to)) {
      result = await transport.request<CpResult>('cp', { from, to, overwrite, recursive });
    } else if (isStrataPath(to)) {
      if (from !== '-' && existsSync(from) && statSync(from).isDirectory())
        throw new UsageError(
          'Copying a host directory into Strata is not supported; copy its files with put.',
          cp,
        );
      const put = await upload(context, transport, from, to, overwrite);
      result = { from, to: put.path, files: 1, bytes: put.size, skipped: [] };
    } else if (isStrataPath(from)) {
      const info = await transport.request<{ type: string }>('stat', { path: from });
      if (info.type === 'directory') {
        if (!recursive) throw new UsageError(`${from} is a directory; use --recursive.`, cp);
        result = await downloadTree(context, transport, from, to, overwrite);
      } else {
        const got = await download(context, transport, from, to, overwrite);
        result = { from, to: got.path, files: 1, bytes: got.bytes, skipped: [] };
      }
    } else {
      throw new UsageError(
        'At least one side of cp must be a Strata path (M:\\…); use the host cp for host files.',
        cp,
      );
    }
    // As cp: each thing passed over gets a line on standard error, and the exit code says so.
    for (const entry of result.skipped)
      context.err.write(
        `${context.errStyle.yellow('strata:')} ${entry.message.replace(/\.$/, '')}; skipped.\n`,
      );
    emit(context, result, () => [
      `Copied ${result.files} file${result.files === 1 ? '' : 's'} (${result.bytes} bytes) to ${result.to}${result.skipped.length > 0 ? `; skipped ${result.skipped.length}${result.skipped.length >= MAX_SKIPPED ? ' or more' : ''} (named above)` : ''}.`,
    ]);
    return result.skipped.length > 0 ? EXIT_FAILED : EXIT_OK;
  },
};
