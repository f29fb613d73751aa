/**
 * The methods that write files: `put` and the upload methods (data from the client), `cp` and `mv`
 * (inside Strata). Every new file's data goes through an Upload (uploads.ts), so a copy that fails
 * half-way, or a client that leaves, never leaves a partial file under the target's name.
 *
 * A move inside one volume is one rename (FileRenameInformation); across volumes the rename fails
 * with STATUS_NOT_SAME_DEVICE and the move becomes copy then delete, as MoveFileEx does with
 * MOVEFILE_COPY_ALLOWED.
 */
import {
  FILE_DIRECTORY_FILE,
  FILE_LIST_DIRECTORY,
  FILE_OPEN_IF,
  FILE_READ_ATTRIBUTES,
  FILE_SYNCHRONOUS_IO_NONALERT,
  type FileDirectoryEntry,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_NOT_SAME_DEVICE,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_UNSUCCESSFUL,
  SYNCHRONIZE,
} from '../../base/index.ts';
import {
  baseName,
  type CpResult,
  DATA_CHUNK_BYTES,
  joinStrataPath,
  type MvResult,
  type PutResult,
  type StrataPath,
  type UploadBeginResult,
  type UploadChunkResult,
} from '../control/index.ts';
import { InvalidParamsError, NtStatusError } from './errors.ts';
import { removeTree } from './file-methods.ts';
import * as p from './params.ts';
import { MAX_UPLOADS, type Session } from './session.ts';
import { beginUpload, describeUpload, type Upload } from './uploads.ts';
import { danglingLink, describeEntry, LoopGuard, Skipped } from './walk.ts';

function uploadOf(session: Session, params: p.Params): Upload {
  const id = p.string(params, 'upload');
  const upload = session.uploads.get(id);
  if (upload === undefined)
    throw new InvalidParamsError(`No upload ${id} is in progress on this connection.`);
  return upload;
}

/** A whole small file in one request: begin, write, commit. */
export async function put(session: Session, params: p.Params): Promise<PutResult> {
  const path = p.path(params);
  const data = p.data(params, 'data', DATA_CHUNK_BYTES);
  const upload = await beginUpload(
    session,
    path,
    p.optionalString(params, 'name'),
    p.boolean(params, 'overwrite'),
  );
  try {
    await upload.write(0, data);
  } catch (error) {
    await upload.abort();
    throw error;
  }
  return upload.commit();
}

export async function uploadBegin(session: Session, params: p.Params): Promise<UploadBeginResult> {
  const path = p.path(params);
  // Each upload holds a handle and a temporary file until it ends: bounded per client.
  if (session.uploads.size >= MAX_UPLOADS)
    throw new InvalidParamsError(
      `A connection may have at most ${MAX_UPLOADS} uploads in progress; commit or abort one first.`,
    );
  const upload = await beginUpload(
    session,
    path,
    p.optionalString(params, 'name'),
    p.boolean(params, 'overwrite'),
  );
  return describeUpload(upload);
}

export async function uploadChunk(session: Session, params: p.Params): Promise<UploadChunkResult> {
  const upload = uploadOf(session, params);
  const offset = p.integer(params, 'offset', 0, Number.MAX_SAFE_INTEGER);
  const data = p.data(params, 'data', DATA_CHUNK_BYTES);
  try {
    return { written: await upload.write(offset, data) };
  } catch (error) {
    // A chunk in the wrong place is the client's mistake and leaves the upload usable; a failed write ends it.
    if (error instanceof NtStatusError) await upload.abort();
    throw error;
  }
}

export function uploadCommit(session: Session, params: p.Params): Promise<PutResult> {
  return uploadOf(session, params).commit();
}

export async function uploadAbort(session: Session, params: p.Params): Promise<{ aborted: true }> {
  await uploadOf(session, params).abort();
  return { aborted: true };
}

/** Where a copy or move of `from` to `to` lands: inside `to` when it is an existing directory. */
async function destination(session: Session, from: StrataPath, to: StrataPath): Promise<StrataPath> {
  if ((await session.files.targetKind(to)) === 'directory') return joinStrataPath(to, baseName(from));
  return to;
}

async function copyFile(
  session: Session,
  from: StrataPath,
  to: StrataPath,
  overwrite: boolean,
): Promise<number> {
  const upload = await beginUpload(session, to, null, overwrite);
  try {
    for (let offset = 0; ; ) {
      const { data, size } = await session.files.readAt(from, offset, DATA_CHUNK_BYTES);
      if (data.length > 0) await upload.write(offset, data);
      offset += data.length;
      if (data.length === 0 || offset >= size) break;
    }
  } catch (error) {
    await upload.abort();
    throw error;
  }
  return (await upload.commit()).size;
}

interface CopyTotals {
  files: number;
  bytes: number;
  skipped: Skipped;
}

/**
 * Copies the directory `from` into `to` (created if missing), links followed as CopyFile and
 * xcopy follow them. What cannot be copied (a file that cannot be read or written, a directory
 * that cannot be listed or created, a link that leads nowhere, a link back into the walk) is
 * noted in `totals.skipped` and passed over; the rest goes on, as cp does.
 */
async function copyTree(
  session: Session,
  from: StrataPath,
  to: StrataPath,
  overwrite: boolean,
  totals: CopyTotals,
  guard: LoopGuard,
  top = false,
): Promise<void> {
  const entered = await guard.enter(session, from);
  if (typeof entered !== 'function') return totals.skipped.note(entered);
  try {
    const { handle } = await session.files.open(
      to,
      {
        access: FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
        disposition: FILE_OPEN_IF,
        options: FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
      },
      'creating the directory',
    );
    try {
      guard.madeByCopy((await session.files.queryAll(handle, to)).internal.indexNumber, to.display);
    } finally {
      session.files.close(handle);
    }
    const listed: FileDirectoryEntry[] = [];
    await session.files.listDirectory(from, (entry) => {
      listed.push(entry);
      return true;
    });
    for (const entry of listed) {
      const source = joinStrataPath(from, entry.fileName);
      const target = joinStrataPath(to, entry.fileName);
      try {
        const child = await describeEntry(session, source, entry);
        if (child.type === 'link') totals.skipped.note(danglingLink(source, child.target ?? null));
        else if (child.type === 'directory')
          await copyTree(session, source, target, overwrite, totals, guard);
        else {
          totals.bytes += await copyFile(session, source, target, overwrite);
          totals.files++;
        }
      } catch (error) {
        totals.skipped.add(source.display, error);
      }
    }
  } catch (error) {
    // The directory the user named must be readable and creatable: that is the copy failing.
    if (top) throw error;
    totals.skipped.add(from.display, error);
  } finally {
    entered();
  }
}

function isInside(inner: StrataPath, outer: StrataPath): boolean {
  const a = inner.ntPath.toUpperCase();
  const b = outer.ntPath.toUpperCase();
  return a === b || a.startsWith(b.endsWith('\\') ? b : `${b}\\`);
}

export async function cp(session: Session, params: p.Params): Promise<CpResult> {
  const from = p.path(params, 'from');
  const overwrite = p.boolean(params, 'overwrite');
  const recursive = p.boolean(params, 'recursive');
  const to = await destination(session, from, p.path(params, 'to'));
  const kind = await session.files.kind(from);
  if (kind === null) await session.files.stat(from); // throws the status naming `from`
  if (kind === 'directory' && !recursive)
    throw new NtStatusError(
      STATUS_FILE_IS_A_DIRECTORY,
      'copying (use --recursive for directories)',
      from.display,
    );
  if (kind === 'directory' && isInside(to, from))
    throw new InvalidParamsError(`Cannot copy ${from.display} into itself (${to.display}).`);
  const totals: CopyTotals = { files: 0, bytes: 0, skipped: new Skipped() };
  if (kind === 'directory') await copyTree(session, from, to, overwrite, totals, new LoopGuard(), true);
  else {
    totals.bytes = await copyFile(session, from, to, overwrite);
    totals.files = 1;
  }
  return {
    from: from.display,
    to: to.display,
    files: totals.files,
    bytes: totals.bytes,
    skipped: totals.skipped.entries,
  };
}

export async function mv(session: Session, params: p.Params): Promise<MvResult> {
  const from = p.path(params, 'from');
  const overwrite = p.boolean(params, 'overwrite');
  const to = await destination(session, from, p.path(params, 'to'));
  if (isInside(to, from) && to.ntPath.toUpperCase() !== from.ntPath.toUpperCase())
    throw new InvalidParamsError(`Cannot move ${from.display} into itself (${to.display}).`);
  try {
    await session.files.rename(from, to, overwrite);
    return { from: from.display, to: to.display, copied: false };
  } catch (error) {
    if (!(error instanceof NtStatusError) || error.status !== STATUS_NOT_SAME_DEVICE) throw error;
  }
  if (!overwrite && (await session.files.kind(to)) !== null)
    throw new NtStatusError(STATUS_OBJECT_NAME_COLLISION, 'moving to', to.display);
  const totals: CopyTotals = { files: 0, bytes: 0, skipped: new Skipped() };
  if ((await session.files.kind(from)) === 'directory')
    await copyTree(session, from, to, overwrite, totals, new LoopGuard(), true);
  else await copyFile(session, from, to, overwrite);
  // The source goes only when all of it arrived; what did arrive stays, as after a failed copy.
  const first = totals.skipped.entries[0];
  if (first !== undefined)
    throw new NtStatusError(
      STATUS_UNSUCCESSFUL,
      `moving ${from.display} to`,
      to.display,
      `${totals.skipped.entries.length} entr${totals.skipped.entries.length === 1 ? 'y' : 'ies'} could not be copied, the first: ${first.message} The source is left as it was`,
    );
  await removeTree(session, from, true);
  return { from: from.display, to: to.display, copied: true };
}
