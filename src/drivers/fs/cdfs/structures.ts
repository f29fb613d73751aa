/**
 * CDFS's in-memory structures, named as in the CDFS sample:
 *
 * - CdNode: one file or directory of the mounted name tree, built from its directory record(s)
 *   when its parent directory is first read, and kept for the life of the mount (the media never
 *   changes, so the tree is a cache that never goes stale). A directory's children are null until
 *   loaded, then the visible entries in disc order (associated files and Rock Ridge relocated
 *   directories left out).
 * - Vcb: one per mounted volume, the extension of its unnamed volume device: the descriptor
 *   facts (block size, name set, label, serial), the root node, the storage device it reads through,
 *   open counts, lock and dismount state. A volume open's FsContext is the Vcb itself.
 * - Fcb: one per opened node, shared by all its opens (share access, open count).
 * - Ccb: one per open (FsContext2): the enumeration state of a directory handle.
 *
 * `nodeType` tells them apart from a bare FsContext, as NodeTypeCode does in CDFS.
 */
import type { DeviceObject, DriverUnload, FileObject, Vpb } from '../../../io/index.ts';
import { ShareAccess } from '../../../io/index.ts';
import type { Extent } from './extents.ts';

export const CDFS_NTC_VCB = 0x0301;
export const CDFS_NTC_FCB = 0x0302;
export const CDFS_NTC_CCB = 0x0303;
export const CDFS_NTC_CONTROL = 0x0304;

/** Which directory tree and names a volume shows. */
export type NameSet = 'rock-ridge' | 'joliet' | 'iso9660';

/** How a volume picks its names (the driver option). */
export type NamePreference = 'rock-ridge' | 'joliet' | 'iso9660';

export interface CdfsOptions {
  /**
   * 'rock-ridge' (default, as Linux): Rock Ridge names, modes and links when the disc has them,
   * else Joliet, else ISO 9660. 'joliet' (as Windows CDFS): Joliet when present, else ISO 9660;
   * Rock Ridge ignored. 'iso9660': the primary names only.
   */
  preferredNames?: NamePreference;
  /**
   * Also register a disk file system control device (`\CdfsDisk`) so ISO images on disk devices
   * mount, as Linux mounts an .iso through a loop device. Windows CDFS mounts CD-ROM devices only;
   * default false.
   */
  mountDiskDevices?: boolean;
}

/** POSIX metadata from Rock Ridge PX (and PN). */
export interface PosixInfo {
  readonly mode: number;
  readonly links: number;
  readonly uid: number;
  readonly gid: number;
  readonly deviceMajor: number;
  readonly deviceMinor: number;
}

export class CdNode {
  /** Children in disc order once loaded; null before (directories only). */
  children: CdNode[] | null = null;
  /** Children by upcased name, each list in disc order (versions, Rock Ridge case twins). */
  childIndex: Map<string, CdNode[]> | null = null;
  /** Callbacks waiting for a load in flight (a disc that pends). */
  loadWaiters: Array<(status: number) => void> | null = null;
  /** The FCB while the node is open. */
  fcb: Fcb | null = null;

  constructor(
    /** FileId: the disc byte offset of the node's first directory record (of its extent for directories). */
    readonly id: number,
    /** The displayed name, without version. */
    readonly name: string,
    /** The version string, '' when none. */
    readonly version: string,
    /** The upcased name, for case-insensitive lookups and matching. */
    readonly key: string,
    readonly isDirectory: boolean,
    readonly extents: readonly Extent[],
    /** File size; for a directory, its extent length (-1 until known for a relocated one). */
    public size: number,
    readonly attributes: number,
    readonly creationTime: number,
    readonly lastWriteTime: number,
    readonly lastAccessTime: number,
    readonly changeTime: number,
    readonly parent: CdNode | null,
    /** Offset of the node's first record inside the parent directory (FileIndex). */
    readonly direntOffset: number,
    readonly posix: PosixInfo | null,
    /** A Rock Ridge symbolic link's target, or null. */
    readonly symlinkTarget: string | null,
  ) {}
}

export class Vcb {
  readonly nodeType = CDFS_NTC_VCB;
  /** The volume device whose extension this is; set right after IoCreateDevice. */
  volumeDevice!: DeviceObject;
  /** File objects opened on the volume and not yet closed. */
  openCount = 0;
  readonly shareAccess = new ShareAccess();
  /** The file object holding FSCTL_LOCK_VOLUME, if any. */
  lockedBy: FileObject | null = null;
  dismounted = false;

  constructor(
    readonly vpb: Vpb,
    /** The top of the storage stack at mount time: where CDFS reads. */
    readonly storage: DeviceObject,
    readonly facts: VolumeFacts,
    readonly root: CdNode,
  ) {}

  get realDevice(): DeviceObject {
    return this.vpb.realDevice;
  }
}

/** What the mount learned from the descriptors. */
export interface VolumeFacts {
  /** Logical block size (2048 on every real disc). */
  readonly blockSize: number;
  /** The bytes of the disc Strata may read: the device length when known, else the volume size. */
  readonly discBytes: number;
  /** Volume space size in logical blocks, from the primary descriptor. */
  readonly volumeBlocks: number;
  readonly nameSet: NameSet;
  /** Joliet level of the disc (0 when it has no Joliet descriptor), whatever the name set. */
  readonly jolietLevel: number;
  /** The disc has Rock Ridge, whatever the name set. */
  readonly rockRidge: boolean;
  /** SUSP skip count from SP, when Rock Ridge is used. */
  readonly suspSkip: number;
  readonly label: string;
  readonly serialNumber: number;
  readonly creationTime: number;
  /** The storage device's sector size: reads are aligned to it. */
  readonly ioSectorSize: number;
}

export class Fcb {
  readonly nodeType = CDFS_NTC_FCB;
  readonly shareAccess = new ShareAccess();
  /** File objects referencing this FCB (create → close). */
  openCount = 0;

  constructor(
    readonly node: CdNode,
    readonly vcb: Vcb,
  ) {}
}

export class Ccb {
  readonly nodeType = CDFS_NTC_CCB;
  /** The upcased name part of the search expression, or null before the first query. */
  searchName: string | null = null;
  /** The version part ('' when the expression had none). */
  searchVersion = '';
  /** Position: -2 before ".", -1 before "..", then the index of the next child to consider. */
  cursor = -2;
  /** Whether this scan returned anything yet (STATUS_NO_SUCH_FILE vs STATUS_NO_MORE_FILES). */
  returnedAny = false;
}

/** The extension of a CDFS control device. */
export class CdfsControl {
  readonly nodeType = CDFS_NTC_CONTROL;
  constructor(
    /** FILE_DEVICE_CD_ROM_FILE_SYSTEM or, for `\CdfsDisk`, FILE_DEVICE_DISK_FILE_SYSTEM. */
    readonly deviceType: number,
  ) {}
}

/** Per-system driver state, on DriverObject.driverExtension. */
export class CdfsData {
  readonly controlDevices: DeviceObject[] = [];
  /** Mounted volumes whose volume device still exists. */
  readonly volumes = new Set<Vcb>();
  /** IRP_MJ_SHUTDOWN arrived: no more mounts. */
  shutdown = false;

  constructor(
    readonly options: Required<CdfsOptions>,
    /** The unload routine, installed only while no volume is mounted. */
    readonly unload: DriverUnload,
  ) {}
}

export function vcbOf(device: DeviceObject): Vcb | null {
  const extension = device.deviceExtension;
  return extension instanceof Vcb ? extension : null;
}
