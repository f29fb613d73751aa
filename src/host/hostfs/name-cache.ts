/**
 * Case-insensitive lookup on a case-sensitive host: for each directory recently searched, its host
 * names grouped by their upcased form (the key NT file systems compare).
 *
 * An exact host name always wins and is found without this cache; the cache answers only "which
 * names differ from this one only in case". An entry is valid while the directory's modification
 * and change times (nanoseconds) are those it was built at. HostFS's own changes update the entry
 * in place (`change`), so creating many files in one directory does not re-read it each time;
 * changes made by others on the host invalidate it through the times. Host file systems whose
 * clock ticks coarsely can hide a host change made in the same tick as the last read: the
 * case-insensitive view is then stale until the directory changes again (never a containment
 * issue: a stale view only names entries that existed).
 *
 * Names that are not valid UTF-8 are left out: HostFS cannot name them.
 */
import { upcaseName } from '../../io/index.ts';
import type { HostDir, HostNamespace } from './host-namespace.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The host name a directory entry has, or null when its bytes are not UTF-8. */
export function decodeHostName(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

interface CachedDirectory {
  stamp: string;
  /** Upcased name → the host names with that upcased form. */
  readonly byKey: Map<string, string[]>;
}

function stampOf(namespace: HostNamespace, dir: HostDir): { key: string; stamp: string } {
  const stat = namespace.statExact(dir);
  return { key: `${stat.dev}:${stat.ino}`, stamp: `${stat.mtimeNs}:${stat.ctimeNs}` };
}

function addName(byKey: Map<string, string[]>, name: string): void {
  const key = upcaseName(name);
  const list = byKey.get(key);
  if (list === undefined) byKey.set(key, [name]);
  else if (!list.includes(name)) list.push(name);
}

function removeName(byKey: Map<string, string[]>, name: string): void {
  const key = upcaseName(name);
  const list = byKey.get(key);
  if (list === undefined) return;
  const index = list.indexOf(name);
  if (index >= 0) list.splice(index, 1);
  if (list.length === 0) byKey.delete(key);
}

export class DirectoryNameCache {
  private readonly directories = new Map<string, CachedDirectory>();

  constructor(
    private readonly namespace: HostNamespace,
    /** How many directories to remember; the least recently used goes first. */
    private readonly capacity = 64,
  ) {}

  /** The host names in `dir` whose upcased form is `key` (possibly several, in host order). */
  variants(dir: HostDir, key: string): readonly string[] {
    const { key: id, stamp } = stampOf(this.namespace, dir);
    let cached = this.directories.get(id);
    if (cached !== undefined && cached.stamp === stamp) {
      this.directories.delete(id); // move to the most recent end
      this.directories.set(id, cached);
    } else {
      const byKey = new Map<string, string[]>();
      for (const bytes of this.namespace.readNames(dir)) {
        const name = decodeHostName(bytes);
        if (name !== null) addName(byKey, name);
      }
      cached = { stamp, byKey };
      this.directories.delete(id);
      this.directories.set(id, cached);
      if (this.directories.size > this.capacity) {
        this.directories.delete(this.directories.keys().next().value!);
      }
    }
    return cached.byKey.get(key) ?? [];
  }

  /**
   * Runs a change HostFS makes in `dir` (create, remove, rename) and keeps a valid entry valid: if
   * the entry matched the directory just before the change, it gets the change and the new stamp;
   * otherwise it is dropped. Host errors from `hostChange` propagate; the entry is then dropped too.
   */
  change<T>(dir: HostDir, hostChange: () => T, added: readonly string[], removed: readonly string[]): T {
    const before = stampOf(this.namespace, dir);
    const cached = this.directories.get(before.key);
    const current = cached !== undefined && cached.stamp === before.stamp;
    this.directories.delete(before.key);
    const result = hostChange();
    if (current) {
      for (const name of removed) removeName(cached.byKey, name);
      for (const name of added) addName(cached.byKey, name);
      cached.stamp = stampOf(this.namespace, dir).stamp;
      this.directories.set(before.key, cached);
    }
    return result;
  }

  clear(): void {
    this.directories.clear();
  }
}
