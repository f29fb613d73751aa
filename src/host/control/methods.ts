/**
 * The methods of the control protocol and the shapes of their results (protocol.ts has the
 * framing). Paths are Strata paths as typed (`M:\dir\file`, `M:/dir/file`); times are ISO 8601
 * strings in UTC; sizes are bytes. Every `strata --json` command prints one of these results.
 */

/** Method names, for `UNKNOWN_METHOD` replies and documentation. */
export const METHOD_NAMES = [
  'hello',
  'down',
  'cancel',
  'drivers',
  'devices',
  'volumes',
  'devstack',
  'load',
  'unload',
  'attach',
  'detach',
  'mount-image',
  'dismount',
  'trace',
  'stat',
  'ls',
  'tree',
  'read',
  'mkdir',
  'rm',
  'mv',
  'cp',
  'put',
  'upload-begin',
  'upload-chunk',
  'upload-commit',
  'upload-abort',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

export interface HelloResult {
  protocol: number;
  /** The daemon's process id; null when the commands run in-process. */
  pid: number | null;
  /** The control socket; null in-process. */
  socket: string | null;
  startedAt: string;
  /** The configuration file the system booted from, or null for the built-in default. */
  config: string | null;
}

export interface DownResult {
  stopping: true;
}

export interface DriverInfo {
  /** Service name, as `load`/`unload` take it: `MemFs`. */
  service: string;
  /** Driver object name once loaded: `\FileSystem\MemFs`. */
  name: string | null;
  kind: string;
  description: string;
  loaded: boolean;
  /** Device objects the driver owns now. */
  devices: number;
  /** True when the loaded driver has a DriverUnload routine. */
  unloadable: boolean;
  /** For filters: the ways they can attach (`notification`, `on-demand`). */
  attach: Array<'notification' | 'on-demand'>;
  /** For a loaded filter: the way this instance attaches. */
  attachMode: 'notification' | 'on-demand' | null;
}

export interface DriversResult {
  drivers: DriverInfo[];
  /** The driver verifier (configuration `verifier: true`) and what it found so far. */
  verifier: {
    enabled: boolean;
    violations: Array<{
      sequence: number;
      rule: string;
      section: string;
      driver: string;
      message: string;
      irp: string | null;
    }>;
  };
}

export interface DeviceInfo {
  /** The device's name, or `\FileSystem\Spy (unnamed #2)` for an unnamed one. */
  device: string;
  named: boolean;
  driver: string;
  type: string;
  flags: string[];
  characteristics: string[];
  stackSize: number;
  /** The device directly below, if attached. */
  attachedTo: string | null;
  /** The device directly above, if any. */
  attachedDevice: string | null;
  /** For storage devices with a VPB: the volume device mounted on it. */
  mountedVolume: string | null;
}

export interface DevicesResult {
  devices: DeviceInfo[];
}

export type VolumeSource = 'ram-disk' | 'image' | 'share';

export interface VolumeInfo {
  letter: string;
  /** What the letter links to: `\Device\RamDisk0`, `\Device\HarddiskVolume1`, … */
  device: string;
  source: VolumeSource;
  /** The host file or directory behind the volume, if any. */
  hostPath: string | null;
  /** The volume refuses writes: its disk is read-only, or its file system mounted it so. */
  readOnly: boolean;
  /** Why, in words (`CD-ROMs are read-only`, `the image is truncated: …, so FAT mounted it read-only`); null when writable. */
  readOnlyReason: string | null;
  mounted: boolean;
  /** The file system driver that mounted it: `\FileSystem\MemFs`. */
  fileSystem: string | null;
  label: string | null;
  sizeBytes: number | null;
  freeBytes: number | null;
  /** Filter drivers on the volume stack, top first. */
  filters: string[];
}

export interface VolumesResult {
  volumes: VolumeInfo[];
}

export interface StackEntryInfo {
  driver: string;
  device: string;
  type: string;
  flags: string[];
  stackSize: number;
  /** `filter` above a volume device, `volume` for the file system's device, `storage` below the VPB. */
  role: 'filter' | 'volume' | 'storage' | 'device';
}

export interface DevstackResult {
  volume: string;
  /** The volume stack, top first, down to the file system's volume device. */
  stack: StackEntryInfo[];
  vpb: {
    realDevice: string;
    mounted: boolean;
    volumeDevice: string | null;
    label: string;
    serialNumber: number;
  } | null;
  /** The storage stack under the VPB, top first. */
  storage: StackEntryInfo[];
}

export interface LoadResult {
  driver: DriverInfo;
}

export interface AttachResult {
  filter: string;
  volume: string;
  /** The volume stack after the change. */
  stack: StackEntryInfo[];
  /**
   * Detach only: services of filters that were above the detached one and are now off the stack
   * (IoDetachDevice does not splice; they stay attached to the detached filter's device). Empty
   * for an attach.
   */
  cutOff: string[];
}

export interface MountImageResult {
  /** The image's first volume. */
  volume: VolumeInfo;
  /** Every volume of the image that mounted (one per partition). */
  volumes: VolumeInfo[];
  /** Partitions no file system mounted: given no letter. (When none mounts, the request fails.) */
  unmounted: Array<{ device: string; status: string }>;
}

export interface DismountResult {
  volume: string;
  /** False when files were still open: the dismount went ahead anyway and their handles now fail. */
  locked: boolean;
  /** True for an image or a share: the letter went with the volume (a RAM disk keeps its own). */
  letterRemoved: boolean;
  /** True when the image or share behind the volume was let go (an image: its file closed). */
  ejected: boolean;
  /** Other letters of the same image, which keep it attached (its other partitions). */
  imageHeldBy: string[];
  /** The image file or shared directory behind the volume, if any. */
  hostPath: string | null;
}

/**
 * What a name leads to: a file, a directory, or `link` for a symbolic link that leads nowhere it
 * can be opened (it dangles, loops or leaves the volume).
 */
export type EntryType = 'file' | 'directory' | 'link';

/** Present only on a name its file system reports as a symbolic link (FILE_ATTRIBUTE_REPARSE_POINT). */
export interface LinkFields {
  link?: true;
  /** The link's target as the file system gives it (`../lib`), null when it does not say. */
  target?: string | null;
}

/** Something a recursive copy or walk could not take, and why; the rest went on. */
export interface SkippedEntry {
  path: string;
  message: string;
  /** The NTSTATUS when one was the reason. */
  status?: string;
}

export interface FileInfo extends LinkFields {
  path: string;
  name: string;
  type: EntryType;
  size: number;
  allocationSize: number;
  /** FILE_ATTRIBUTE_* names without the prefix: `READONLY`, `DIRECTORY`, `ARCHIVE`, … */
  attributes: string[];
  created: string;
  accessed: string;
  written: string;
  changed: string;
}

export interface DirectoryEntryInfo extends LinkFields {
  name: string;
  type: EntryType;
  size: number;
  attributes: string[];
  written: string;
}

export interface LsResult {
  path: string;
  entries: DirectoryEntryInfo[];
  /** True when `limit` cut the listing short. */
  truncated: boolean;
}

export interface TreeNode extends LinkFields {
  name: string;
  type: EntryType;
  size: number;
  children?: TreeNode[];
}

export interface TreeResult {
  path: string;
  root: TreeNode;
  files: number;
  directories: number;
  truncated: boolean;
  /** Directories that could not be listed or were not walked into (a link loop), at most MAX_SKIPPED. */
  skipped: SkippedEntry[];
}

export interface ReadResult {
  /** The bytes read, base64. */
  data: string;
  bytes: number;
  /** The file's size when it was read. */
  size: number;
}

export interface UploadBeginResult {
  upload: string;
  path: string;
}

export interface UploadChunkResult {
  written: number;
}

export interface PutResult {
  path: string;
  size: number;
  /** False when an existing file was replaced. */
  created: boolean;
}

export interface MkdirResult {
  path: string;
  created: boolean;
}

export interface RmResult {
  path: string;
  removed: number;
}

export interface MvResult {
  from: string;
  to: string;
  /** True when the move crossed volumes and was done as copy then delete. */
  copied: boolean;
}

export interface CpResult {
  from: string;
  to: string;
  files: number;
  bytes: number;
  /** What the copy could not take and went past (at most MAX_SKIPPED listed); empty when all went. */
  skipped: SkippedEntry[];
}

/** The most skipped entries one reply lists. */
export const MAX_SKIPPED = 1000;

/** One spy record (what `strata trace` prints). */
export interface TraceRecordInfo {
  /** Spy's sequence number: the order requests arrived in. */
  sequence: number;
  /** ISO time the request arrived at spy. */
  time: string;
  processId: number;
  /** The requesting process's image name ('' for requests from the kernel itself). */
  process: string;
  /** The volume's drive letter, or the storage device's name when it has none. */
  volume: string;
  major: string;
  minor: string | null;
  /** The file object's name relative to the volume, '' for the volume itself, null without one. */
  fileName: string | null;
  status: string;
  information: number;
  /** Microseconds from arrival to completion. */
  durationUs: number;
}

export interface TraceResult {
  records: TraceRecordInfo[];
  /** False when spy is not loaded: there is nothing to trace with. */
  spyLoaded: boolean;
  /** True with `follow`: events named `trace` carry further records until `cancel`. */
  following: boolean;
}
