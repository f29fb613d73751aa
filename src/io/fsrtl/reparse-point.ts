/**
 * FSCTL_GET_REPARSE_POINT for a symbolic link: the REPARSE_DATA_BUFFER record with its
 * SymbolicLinkReparseBuffer, shared by the file systems that have links to show (CDFS's Rock Ridge
 * links, HostFS's host links). The target is a POSIX path as the medium holds it; the substitute
 * name has backslashes, the print name is the target as written, and a target not starting with
 * `/` is SYMLINK_FLAG_RELATIVE.
 *
 * Sizes are the C record's (an 8-byte header, 12 bytes of offsets and flags, then both names in
 * UTF-16), so an output buffer too small for the header is STATUS_BUFFER_TOO_SMALL and one too
 * small for the names STATUS_BUFFER_OVERFLOW with what fits, as NTFS answers.
 */
import {
  IO_REPARSE_TAG_SYMLINK,
  type NTSTATUS,
  STATUS_BUFFER_OVERFLOW,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_SUCCESS,
  SYMLINK_FLAG_RELATIVE,
} from '../../base/index.ts';
import { completeRequest } from '../complete-request.ts';
import type { Irp } from '../irp.ts';

/** The reparse record FSCTL_GET_REPARSE_POINT returns for a symbolic link (in Irp.systemBuffer). */
export interface SymbolicLinkReparseInfo {
  reparseTag: number;
  substituteName: string;
  printName: string;
  flags: number;
}

/** REPARSE_DATA_BUFFER header (tag, length, reserved) and the symbolic link fields after it. */
const REPARSE_HEADER_SIZE = 8;
const SYMLINK_FIXED_SIZE = 12;

/** Completes FSCTL_GET_REPARSE_POINT on a link whose target is `target`. */
export function completeSymbolicLinkReparsePoint(irp: Irp, target: string, outputLength: number): NTSTATUS {
  if (outputLength < REPARSE_HEADER_SIZE) return completeRequest(irp, STATUS_BUFFER_TOO_SMALL);
  const info: SymbolicLinkReparseInfo = {
    reparseTag: IO_REPARSE_TAG_SYMLINK,
    substituteName: target.replaceAll('/', '\\'),
    printName: target,
    flags: target.startsWith('/') ? 0 : SYMLINK_FLAG_RELATIVE,
  };
  const size =
    REPARSE_HEADER_SIZE + SYMLINK_FIXED_SIZE + 2 * (info.substituteName.length + info.printName.length);
  irp.systemBuffer = info;
  if (outputLength < size) return completeRequest(irp, STATUS_BUFFER_OVERFLOW, outputLength);
  return completeRequest(irp, STATUS_SUCCESS, size);
}
