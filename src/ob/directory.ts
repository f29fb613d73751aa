/**
 * Object directories (OBJECT_DIRECTORY): the nodes of the namespace.
 *
 * Names compare case-insensitively, as with OBJ_CASE_INSENSITIVE, which every Strata lookup uses.
 * An inserted object keeps `parentDirectory` pointing here; removing it clears that link, and the
 * object is deleted later when its last reference goes.
 */
import { KernelObject, type ObjectType } from './object-type.ts';

export const DirectoryObjectType: ObjectType = { name: 'Directory' };

export class ObjectDirectory extends KernelObject {
  readonly type = DirectoryObjectType;
  readonly entries = new Map<string, KernelObject>();

  lookup(name: string): KernelObject | undefined {
    return this.entries.get(name.toUpperCase());
  }

  insert(name: string, object: KernelObject): boolean {
    const key = name.toUpperCase();
    if (this.entries.has(key)) return false;
    this.entries.set(key, object);
    object.objectName = name;
    object.parentDirectory = this;
    return true;
  }

  remove(object: KernelObject): void {
    if (object.parentDirectory !== this || object.objectName === null) return;
    this.entries.delete(object.objectName.toUpperCase());
    object.parentDirectory = null;
  }

  /** Entries in insertion order, for listings. */
  list(): KernelObject[] {
    return [...this.entries.values()];
  }
}
