/**
 * FAT's in-memory control blocks, named as in FastFat (fatstruc.h):
 *
 * - Vcb (volume control block): one per mounted volume, the extension of its unnamed volume
 *   device. It owns the layout, the FAT in memory, the root node (and through it every loaded
 *   directory), the disk context, and the volume state: open count, lock, dismount, read-only,
 *   and which metadata is dirty. A volume open's FsContext is the Vcb itself.
 * - Fcb (file control block): one per open file or directory, shared by its opens, found through
 *   `node.fcb`: share access, open and handle counts, delete-pending. Gone at the last close.
 * - Ccb (context control block): one per open (FsContext2): enumeration cursor and expression,
 *   per-handle delete flags.
 *
 * Cluster ownership: `owners[c]` is the first cluster of the chain that was read with cluster c
 * in it (0: not seen yet), and `chainHolders` the entry each such chain belongs to. A second chain
 * claiming a cluster, or a second entry starting at the same cluster, is cross-linked; the chains
 * go into `corruptChains` and nothing is ever written through them.
 */
import type { DeviceObject, DriverUnload, FileObject, Vpb } from '../../../io/index.ts';
import { ShareAccess } from '../../../io/index.ts';
import type { CodePage } from './code-page.ts';
import type { DirectoryContents } from './directory-contents.ts';
import type { DiskContext } from './disk-io.ts';
import type { FatNode } from './fat-node.ts';
import type { FatTable } from './fat-table.ts';
import { fatDateTimeToMs } from './timestamps.ts';
import type { VolumeLayout } from './volume-layout.ts';

export const FAT_NTC_VCB = 0x0501;
export const FAT_NTC_FCB = 0x0502;
export const FAT_NTC_CCB = 0x0503;
export const FAT_NTC_CONTROL = 0x0504;

export class Vcb {
  readonly nodeType = FAT_NTC_VCB;
  volumeDevice!: DeviceObject;
  root!: FatNode;
  openCount = 0;
  readonly shareAccess = new ShareAccess();
  lockedBy: FileObject | null = null;
  dismounted = false;
  /** Directories with entries not yet written back. */
  readonly dirtyDirectories = new Set<DirectoryContents>();
  /** The clean-shutdown bit is cleared on disk (the volume has unflushed changes). */
  dirtyOnDisk = false;
  /** The volume was already marked dirty when mounted: it stays so, for chkdsk (FastFat's VCB_STATE_FLAG_MOUNTED_DIRTY). */
  mountedDirty = false;
  /**
   * Files whose name is gone (a POSIX delete) while handles still use their clusters: until the
   * last of those handles closes, the clusters are allocated but reachable from no entry, so the
   * volume is not clean and a flush must not say it is.
   */
  readonly unlinkedInUse = new Set<FatNode>();
  /** FSInfo needs writing (FAT32). */
  fsInfoDirty = false;
  /**
   * The FSInfo sector as read at mount, or null when the BPB names none inside the reserved area.
   * Kept even when its signatures are wrong: the write-back rewrites them, as FastFat's does.
   */
  fsInfoSector: Uint8Array | null = null;
  /** The first sector of the volume as read at mount (the BPB label lives there). */
  bootSector: Uint8Array;
  bootSectorDirty = false;
  /** The volume label (from the root directory's label entry, as Windows shows it). */
  label = '';
  /** The root directory's volume-label entry, or null. */
  labelSlot = -1;
  readonly owners: Int32Array;
  /** The node each loaded chain belongs to, by first cluster. */
  readonly chainHolders = new Map<number, FatNode>();
  readonly corruptChains = new Set<number>();
  /** FAT date and time → ms since 1970: each conversion of local time costs a Date, and a
   * directory's entries mostly share a few stamps. */
  private readonly times = new Map<number, number>();
  readonly toMs = (date: number, time: number, tenths: number): number => {
    const key = (date * 65536 + time) * 256 + tenths;
    let ms = this.times.get(key);
    if (ms === undefined) {
      ms = fatDateTimeToMs(date, time, tenths);
      if (this.times.size < 65536) this.times.set(key, ms);
    }
    return ms;
  };

  constructor(
    readonly vpb: Vpb,
    readonly disk: DiskContext,
    readonly layout: VolumeLayout,
    readonly fat: FatTable,
    readonly codePage: CodePage,
    /** The disk said it is write-protected, or the image is truncated: nothing may change. */
    readonly readOnly: boolean,
    bootSector: Uint8Array,
  ) {
    this.bootSector = bootSector;
    this.owners = new Int32Array(layout.clusterCount + 2);
  }

  get storage(): DeviceObject {
    return this.disk.storage;
  }

  get realDevice(): DeviceObject {
    return this.vpb.realDevice;
  }

  get sectorSize(): number {
    return this.layout.bytesPerSector;
  }

  get clusterSize(): number {
    return this.layout.bytesPerCluster;
  }
}

export class Fcb {
  readonly nodeType = FAT_NTC_FCB;
  readonly shareAccess = new ShareAccess();
  openCount = 0;
  cleanupCount = 0;
  deletePending = false;

  constructor(
    readonly node: FatNode,
    readonly vcb: Vcb,
  ) {}
}

export class Ccb {
  readonly nodeType = FAT_NTC_CCB;
  deleteOnClose = false;
  posixDelete = false;
  /** Folded search expression, or null before the first query. */
  searchExpression: string | null = null;
  /** Slot of the last entry returned, -1 before the first. */
  cursorSlot = -1;
  returnedAny = false;
}

/** The extension of FAT's control devices (`\Fat`, `\FatCdrom`). */
export class FatControl {
  readonly nodeType = FAT_NTC_CONTROL;
  constructor(readonly cdrom: boolean) {}
}

/** Per-system driver state, on DriverObject.driverExtension. */
export class FatData {
  readonly controlDevices: DeviceObject[] = [];
  readonly volumes = new Set<Vcb>();
  constructor(
    readonly unload: DriverUnload,
    /** The OEM code page of short names on every volume this driver mounts. */
    readonly codePage: CodePage,
  ) {}
}

export function vcbOf(device: DeviceObject): Vcb | null {
  const extension = device.deviceExtension;
  return extension instanceof Vcb ? extension : null;
}
