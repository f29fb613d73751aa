/**
 * MemFS's in-memory control blocks, named as in every NT file system:
 *
 * - Vcb (volume control block): one per mounted volume, the extension of its unnamed volume device.
 *   It owns the MemVolume (the tree), knows its VPB and the storage device it mounted on, counts the
 *   file objects open on it (create → close), and carries the lock, dismount and dirty state.
 *   A volume open's FsContext is the Vcb itself.
 * - Fcb (file control block): one per open file or directory, shared by all its opens, found
 *   through `node.fcb`. It holds the share access, how many file objects reference it (until
 *   close) and how many handles are still open (until cleanup), and the delete-pending flag. It goes
 *   away at the last close.
 * - Ccb (context control block): one per open (FsContext2): the directory enumeration cursor and
 *   pattern, and the per-handle delete flags.
 *
 * `nodeType` tells the three apart from a bare FsContext, as NodeTypeCode does in FastFat.
 */
import type { DeviceObject, DriverUnload, FileObject, Vpb } from '../../../io/index.ts';
import { ShareAccess } from '../../../io/index.ts';
import type { MemNode, MemVolume } from './tree.ts';

export const MEMFS_NTC_VCB = 0x0901;
export const MEMFS_NTC_FCB = 0x0902;
export const MEMFS_NTC_CCB = 0x0903;
export const MEMFS_NTC_CONTROL = 0x0904;

export class Vcb {
  readonly nodeType = MEMFS_NTC_VCB;
  /** The volume device whose extension this is; set right after IoCreateDevice. */
  volumeDevice!: DeviceObject;
  /** File objects opened on the volume and not yet closed. */
  openCount = 0;
  /** Share access of volume opens. */
  readonly shareAccess = new ShareAccess();
  /** The file object holding FSCTL_LOCK_VOLUME, if any. */
  lockedBy: FileObject | null = null;
  dismounted = false;
  /** Something changed since the last write-back. */
  dirty = false;

  constructor(
    readonly vpb: Vpb,
    /** The top of the storage stack at mount time: where MemFS reads and writes the media. */
    readonly storage: DeviceObject,
    readonly volume: MemVolume,
    readonly sectorSize: number,
    /** The disk said it is write-protected: nothing may change. */
    readonly readOnly: boolean,
  ) {}

  get realDevice(): DeviceObject {
    return this.vpb.realDevice;
  }
}

export class Fcb {
  readonly nodeType = MEMFS_NTC_FCB;
  readonly shareAccess = new ShareAccess();
  /** File objects referencing this FCB (create → close). */
  openCount = 0;
  /** Handles still open (create → cleanup). */
  cleanupCount = 0;
  /** The file goes away when its last handle is cleaned up; new opens fail with STATUS_DELETE_PENDING. */
  deletePending = false;

  constructor(
    readonly node: MemNode,
    readonly vcb: Vcb,
  ) {}
}

export class Ccb {
  readonly nodeType = MEMFS_NTC_CCB;
  /** FILE_DELETE_ON_CLOSE: set delete-pending when this handle is cleaned up. */
  deleteOnClose = false;
  /** FILE_DISPOSITION_POSIX_SEMANTICS was set through this handle: unlink at its cleanup. */
  posixDelete = false;
  /** The folded search expression of the enumeration, or null before the first query. */
  searchExpression: string | null = null;
  /** Enumeration position: 0 before ".", 1 before "..", 2 among the children. */
  cursorPhase = 0;
  /** The key of the last child returned, or null before the first. */
  cursorKey: string | null = null;
  /** Whether this scan returned anything yet (STATUS_NO_SUCH_FILE vs STATUS_NO_MORE_FILES). */
  returnedAny = false;
}

/** The extension of MemFS's control device: tells it apart from volume devices. */
export class MemFsControl {
  readonly nodeType = MEMFS_NTC_CONTROL;
}

/** Per-system driver state, on DriverObject.driverExtension. */
export class MemFsData {
  controlDevice: DeviceObject | null = null;
  /** Mounted volumes whose volume device still exists. */
  readonly volumes = new Set<Vcb>();

  constructor(
    /** The unload routine, installed only while no volume is mounted. */
    readonly unload: DriverUnload,
  ) {}
}

export function vcbOf(device: DeviceObject): Vcb | null {
  const extension = device.deviceExtension;
  return extension instanceof Vcb ? extension : null;
}
