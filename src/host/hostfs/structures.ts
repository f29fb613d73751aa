/**
 * HostFS's control blocks, named as in every NT file system, and its per-system state.
 *
 * - HostFsData (DriverObject.driverExtension): the control device, the share table (keys upcased:
 *   share names are case-insensitive) and the containment mode.
 * - Share: one host directory exposed as `\Device\HostFs\<name>`. It owns the O_PATH descriptor
 *   of its root, the FCB table and the case-insensitive name cache. A removed share keeps its
 *   object alive for the handles still open, which then fail with STATUS_NETWORK_NAME_DELETED.
 * - Fcb: one per open host file or directory, keyed by its real path from the share root (exact
 *   host case, after following links), shared by every open of that path. It holds the share
 *   access (enforced between Strata opens only: the host does not see it), the open and handle
 *   counts and the delete-pending flag, and the device/inode it had when first opened, so a
 *   deferred delete never removes a file the host put in its place.
 * - Ccb: one per open (FsContext2). It owns the open's host descriptor (closed at IRP_MJ_CLOSE, or
 *   when the share is removed), its delete flags and the directory enumeration state (a sorted
 *   snapshot of the names taken at the first query).
 * - HostFsControl: the extension of `\Device\HostFs`; a control-device open's FsContext.
 */
import type { DeviceObject, DriverUnload } from '../../io/index.ts';
import { ShareAccess } from '../../io/index.ts';
import type { HostEntry, HostNamespace } from './host-namespace.ts';
import type { DirectoryNameCache } from './name-cache.ts';

export const HOSTFS_NTC_SHARE = 0x0a01;
export const HOSTFS_NTC_FCB = 0x0a02;
export const HOSTFS_NTC_CCB = 0x0a03;
export const HOSTFS_NTC_CONTROL = 0x0a04;

export type FcbKind = 'file' | 'directory' | 'link' | 'other';

export class Share {
  readonly nodeType = HOSTFS_NTC_SHARE;
  /** Open FCBs by key (the real path, components joined with `/`). */
  readonly fcbs = new Map<string, Fcb>();
  /** The opens of the share not yet closed: removing the share closes their descriptors. */
  readonly opens = new Set<Ccb>();
  removed = false;

  constructor(
    /** The name as given (case preserved). */
    readonly name: string,
    /** The real (symlink-free) absolute host path of the root, used to judge absolute link targets. */
    readonly hostPath: string,
    readonly readOnly: boolean,
    readonly root: HostEntry,
    readonly namespace: HostNamespace,
    readonly names: DirectoryNameCache,
  ) {}
}

export class Fcb {
  readonly nodeType = HOSTFS_NTC_FCB;
  readonly shareAccess = new ShareAccess();
  /** File objects referencing this FCB (create → close). */
  openCount = 0;
  /** Handles still open (create → cleanup). */
  cleanupCount = 0;
  deletePending = false;
  /** The name was removed from the host (delete or POSIX delete); remaining opens keep the data. */
  unlinked = false;

  constructor(
    readonly share: Share,
    /** Real components from the share root; empty for the root. Updated by renames. */
    public path: string[],
    readonly kind: FcbKind,
    /** Device and inode when first opened. */
    readonly dev: number,
    readonly ino: number,
  ) {}

  get key(): string {
    return this.path.join('/');
  }

  get isRoot(): boolean {
    return this.path.length === 0;
  }

  get name(): string {
    return this.path.length === 0 ? '' : this.path[this.path.length - 1]!;
  }
}

export class Ccb {
  readonly nodeType = HOSTFS_NTC_CCB;
  deleteOnClose = false;
  posixDelete = false;
  /** The folded search expression, or null before the first query. */
  searchExpression: string | null = null;
  /** The snapshot being enumerated: ".", "..", then the host names in upcased order. */
  names: string[] | null = null;
  /** The upcased form of each of `names`. */
  keys: string[] | null = null;
  /** Next position in `names`. */
  cursor = 0;
  returnedAny = false;

  constructor(
    /** The open's host descriptor (closed at cleanup). */
    readonly entry: HostEntry,
  ) {}
}

export class HostFsControl {
  readonly nodeType = HOSTFS_NTC_CONTROL;
}

export class HostFsData {
  controlDevice: DeviceObject | null = null;
  /** Shares by upcased name. */
  readonly shares = new Map<string, Share>();
  /** File objects open on the control device or any share, not yet closed. */
  openCount = 0;

  constructor(
    readonly namespace: HostNamespace,
    /** The unload routine, installed only while nothing is open. */
    readonly unload: DriverUnload,
  ) {}
}
