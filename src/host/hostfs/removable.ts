/**
 * Whether the host would let a name go, asked before a file or directory becomes delete-pending
 * (FileDispositionInformation, FILE_DELETE_ON_CLOSE). NT's counterpart is the access check NTFS
 * makes for DELETE on the file or FILE_DELETE_CHILD on its parent; a POSIX host keeps that right
 * on the parent directory alone (write and search permission, the sticky bit, a read-only mount).
 *
 * Invariants: nothing is removed or changed; the answer is STATUS_SUCCESS or the status the host's
 * refusal maps to (STATUS_ACCESS_DENIED, STATUS_MEDIA_WRITE_PROTECTED, ...). Asking first is what
 * keeps a delete from being reported done and then silently not happening at cleanup, which can
 * fail no request. The host may still change its mind in between; cleanup then leaves the name.
 */
import type { Stats } from 'node:fs';
import { type NTSTATUS, STATUS_SUCCESS } from '../../base/index.ts';
import { ntStatusFromHostError } from './host-errors.ts';
import { openDirectoryAt } from './resolve.ts';
import type { Share } from './structures.ts';

/** STATUS_SUCCESS when the host would remove the name at `path` (real components) whose metadata is `stat`. */
export function checkHostRemovable(share: Share, path: readonly string[], stat: Stats): NTSTATUS {
  const parent = openDirectoryAt(share, path.slice(0, -1));
  if (parent.dir === null) return parent.status;
  try {
    share.namespace.checkRemovable(parent.dir, stat);
    return STATUS_SUCCESS;
  } catch (error) {
    return ntStatusFromHostError(error);
  } finally {
    share.namespace.closeEntry(parent.dir);
  }
}
