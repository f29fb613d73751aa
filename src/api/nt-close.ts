/**
 * NtClose: closes a handle. The last handle of a file object sends IRP_MJ_CLEANUP; the last
 * reference sends IRP_MJ_CLOSE (both from the object type's procedures in the I/O manager).
 */
import type { NTSTATUS } from '../base/index.ts';
import type { Handle, Process } from '../ob/index.ts';

export function NtClose(process: Process, handle: Handle): NTSTATUS {
  return process.handleTable.close(handle);
}
