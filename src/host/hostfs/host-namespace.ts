/**
 * The containment layer: every host call HostFS makes goes through these few functions, which never
 * let the host kernel follow a symbolic link or walk `..`.
 *
 * A share's directories are reached one component at a time. Two modes:
 * - `procfs` (Linux): each step opens the child with O_PATH | O_NOFOLLOW relative to the directory
 *   already held, by naming it `/proc/self/fd/<dirfd>/<name>` (an openat() Node does not offer).
 *   The kernel resolves `/proc/self/fd/<dirfd>` to exactly the directory HostFS holds, so a
 *   directory renamed, or swapped for a symbolic link, on the host after HostFS looked at it cannot
 *   redirect the walk: what is opened is always a child of a directory already proven inside the
 *   share. Data descriptors are opened from the O_PATH descriptor (`/proc/self/fd/<fd>`), so the
 *   file checked is the file opened; O_PATH opens have no side effects (a FIFO does not block, a
 *   device is not opened).
 * - `path` (other platforms): each step lstat()s `<directory path>/<name>` and opens leaves with
 *   O_NOFOLLOW | O_NONBLOCK, then checks with fstat() that it opened what it examined. This refuses
 *   every link and `..` it sees, but a host process racing to swap a directory for a link between
 *   the check and the use can win (docs/drivers.md states the limit).
 * Names handed to these functions are single host components, never containing `/`, never `.` or
 * `..`; callers (resolve.ts) guarantee it.
 *
 * Ownership: a HostEntry owns its descriptor (fd >= 0) until `closeEntry`. A HostDir borrows the
 * descriptor of the entry it was made from.
 */
import * as fs from 'node:fs';

/** Linux's O_PATH (the same value on every architecture Node supports on Linux). */
const O_PATH = 0o10000000;
const { O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDWR } = fs.constants;
/** The sticky bit: in such a directory only the owner of a name (or of the directory) removes it. */
const S_ISVTX = 0o1000;

export type ContainmentMode = 'procfs' | 'path';

/** How an entry's descriptor may be used. */
export type DescriptorKind =
  /** A real descriptor: read, write, fstat, fchmod, futimes, fsync. */
  | 'data'
  /** An O_PATH descriptor: fstat, and the other calls through `/proc/self/fd/<fd>`. */
  | 'path'
  /** No descriptor (path mode, nothing could be opened): calls by host path. */
  | 'none';

/** One host file, directory or link, found without following anything. */
export class HostEntry {
  constructor(
    public fd: number,
    public kind: DescriptorKind,
    /** `/proc/self/fd/<fd>` in procfs mode, the host path in path mode. */
    public path: string,
    public stat: fs.Stats,
  ) {}
}

/** A directory the walk stands in: children are `<path>/<name>`. */
export interface HostDir {
  readonly fd: number;
  readonly path: string;
}

export class HostNamespace {
  constructor(readonly mode: ContainmentMode) {}

  /** The best mode this host offers: procfs when `/proc/self/fd` resolves descriptors. */
  static detect(): ContainmentMode {
    if (process.platform !== 'linux') return 'path';
    let fd = -1;
    try {
      fd = fs.openSync('/', O_PATH | O_DIRECTORY);
      const viaProc = fs.statSync(`/proc/self/fd/${fd}`);
      const direct = fs.fstatSync(fd);
      return viaProc.ino === direct.ino && viaProc.dev === direct.dev ? 'procfs' : 'path';
    } catch {
      return 'path';
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
  }

  /** Opens a share root given as a real (symlink-free) absolute host path. Throws host errors. */
  openRoot(realPath: string): HostEntry {
    if (this.mode === 'procfs') {
      const fd = fs.openSync(realPath, O_PATH | O_DIRECTORY | O_NOFOLLOW);
      return new HostEntry(fd, 'path', `/proc/self/fd/${fd}`, fs.fstatSync(fd));
    }
    return new HostEntry(-1, 'none', realPath, fs.lstatSync(realPath));
  }

  /** The host path naming `name` inside `dir`, for calls that do not follow their last component. */
  child(dir: HostDir, name: string): string {
    return `${dir.path}/${name}`;
  }

  /** Opens `name` in `dir` without following it. Throws host errors (ENOENT when absent). */
  openChild(dir: HostDir, name: string): HostEntry {
    const path = `${dir.path}/${name}`;
    if (this.mode === 'procfs') {
      const fd = fs.openSync(path, O_PATH | O_NOFOLLOW);
      try {
        return new HostEntry(fd, 'path', `/proc/self/fd/${fd}`, fs.fstatSync(fd));
      } catch (error) {
        fs.closeSync(fd);
        throw error;
      }
    }
    return new HostEntry(-1, 'none', path, fs.lstatSync(path));
  }

  /** A second entry for the same file, directory or link (with its own descriptor). */
  reopen(entry: HostEntry): HostEntry {
    if (this.mode === 'procfs') {
      // The magic link names exactly the inode held; it is not followed further, even for a link.
      const fd = fs.openSync(entry.path, O_PATH);
      return new HostEntry(fd, 'path', `/proc/self/fd/${fd}`, fs.fstatSync(fd));
    }
    return new HostEntry(-1, 'none', entry.path, fs.lstatSync(entry.path));
  }

  /** Creates a new regular file `name` in `dir` (never through a link) and opens it read-write. */
  createFile(dir: HostDir, name: string, mode: number): HostEntry {
    const path = `${dir.path}/${name}`;
    const fd = fs.openSync(path, O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW, mode);
    return new HostEntry(fd, 'data', this.mode === 'procfs' ? `/proc/self/fd/${fd}` : path, fs.fstatSync(fd));
  }

  /**
   * Turns an examined entry (not a link) into a data descriptor opened with `flags` (O_RDONLY,
   * O_RDWR, … plus O_DIRECTORY for directories), in place. In path mode the file opened must be the
   * file examined (same device and inode); if the host swapped it meanwhile the open fails as ENOENT.
   */
  openData(entry: HostEntry, flags: number): void {
    if (this.mode === 'procfs') {
      const fd = fs.openSync(entry.path, flags);
      fs.closeSync(entry.fd);
      entry.fd = fd;
      entry.kind = 'data';
      entry.path = `/proc/self/fd/${fd}`;
      return;
    }
    const fd = fs.openSync(entry.path, flags | O_NOFOLLOW | O_NONBLOCK);
    const opened = fs.fstatSync(fd);
    if (opened.ino !== entry.stat.ino || opened.dev !== entry.stat.dev) {
      fs.closeSync(fd);
      throw Object.assign(new Error(`${entry.path} changed while it was being opened`), { code: 'ENOENT' });
    }
    entry.fd = fd;
    entry.kind = 'data';
    entry.stat = opened;
  }

  /** Fresh metadata of an entry (never of what a link points to). */
  stat(entry: HostEntry): fs.Stats {
    entry.stat = entry.fd >= 0 ? fs.fstatSync(entry.fd) : fs.lstatSync(entry.path);
    return entry.stat;
  }

  /** Fresh metadata with nanosecond times, for cache stamps. */
  statExact(entry: HostDir): fs.BigIntStats {
    return entry.fd >= 0
      ? fs.fstatSync(entry.fd, { bigint: true })
      : fs.lstatSync(entry.path, { bigint: true });
  }

  /** The names in a directory, as the host's bytes. */
  readNames(dir: HostDir): Buffer[] {
    return fs.readdirSync(dir.path, { encoding: 'buffer' });
  }

  /** What a symbolic link `name` in `dir` says, as bytes. */
  readLink(dir: HostDir, name: string): Buffer {
    return fs.readlinkSync(`${dir.path}/${name}`, { encoding: 'buffer' });
  }

  /**
   * Throws what unlink(2) or rmdir(2) of `child` (its metadata) in `dir` would refuse with, without
   * removing anything: EACCES without write and search permission on the directory, EROFS on a
   * read-only host file system (both from access(2), so ACLs count), EPERM where the sticky bit
   * keeps others' names.
   */
  checkRemovable(dir: HostDir, child: fs.Stats): void {
    fs.accessSync(dir.path, fs.constants.W_OK | fs.constants.X_OK);
    const euid = process.geteuid?.() ?? 0;
    if (euid === 0) return;
    const parent = dir.fd >= 0 ? fs.fstatSync(dir.fd) : fs.lstatSync(dir.path);
    if ((parent.mode & S_ISVTX) !== 0 && euid !== child.uid && euid !== parent.uid)
      throw Object.assign(new Error(`${dir.path}: the sticky bit keeps the name`), { code: 'EPERM' });
  }

  /** chmod of an entry's own file (never through a link: entries are never links here). */
  chmod(entry: HostEntry, mode: number): void {
    if (entry.kind === 'data') fs.fchmodSync(entry.fd, mode);
    else fs.chmodSync(entry.path, mode);
  }

  /** Sets access and modification times, in seconds since 1970. */
  utimes(entry: HostEntry, atime: number, mtime: number): void {
    if (entry.kind === 'data') fs.futimesSync(entry.fd, atime, mtime);
    else fs.utimesSync(entry.path, atime, mtime);
  }

  /**
   * Whether an open directory still lies inside the share whose root is `root`. The host may move a
   * directory out of the share while a handle holds it; names relative to that handle must not
   * reach outside then. In procfs mode the kernel says where each descriptor is now
   * (`readlink /proc/self/fd/<fd>`); path mode names directories by path and cannot tell.
   */
  isInside(entry: HostEntry, root: HostEntry): boolean {
    if (this.mode !== 'procfs' || entry.fd < 0 || root.fd < 0) return true;
    const where = fs.readlinkSync(`/proc/self/fd/${entry.fd}`);
    const rootWhere = fs.readlinkSync(`/proc/self/fd/${root.fd}`);
    return where === rootWhere || where.startsWith(rootWhere === '/' ? '/' : `${rootWhere}/`);
  }

  closeEntry(entry: HostEntry): void {
    if (entry.fd < 0) return;
    const fd = entry.fd;
    entry.fd = -1;
    entry.kind = 'none';
    fs.closeSync(fd);
  }
}
