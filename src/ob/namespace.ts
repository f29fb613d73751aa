/**
 * The object namespace and name lookup (ObpLookupObjectName).
 *
 * A name is absolute (`\Device\HarddiskVolume1\dir\file`). The lookup walks directories component
 * by component; a symbolic link replaces the consumed prefix with its target and the walk starts
 * over; an object whose type has a parse procedure (a device) receives the rest of the name and
 * finishes the lookup itself, possibly asynchronously (a mount may pend). A parse procedure may
 * answer STATUS_REPARSE with a new name, which also starts the walk over. Reparsing is bounded so a
 * link loop fails with STATUS_OBJECT_NAME_NOT_FOUND instead of spinning.
 */
import {
  isPromise,
  type MaybePromise,
  type NTSTATUS,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_OBJECT_PATH_SYNTAX_BAD,
  STATUS_REPARSE,
  STATUS_SUCCESS,
} from '../base/index.ts';
import { ObjectDirectory } from './directory.ts';
import type { KernelObject, ParseContext, ParseResult } from './object-type.ts';
import { SymbolicLink } from './symbolic-link.ts';

/** How many links and reparses one lookup may follow (ObpMaxReparse-like bound). */
export const MAX_REPARSE = 32;
/** The longest name a lookup accepts, in UTF-16 code units (UNICODE_STRING maximum). */
export const MAX_NAME_LENGTH = 32767;

export interface LookupResult {
  status: NTSTATUS;
  object: KernelObject | null;
}

const NOT_FOUND: LookupResult = { status: STATUS_OBJECT_NAME_NOT_FOUND, object: null };

export class ObjectNamespace {
  readonly root = new ObjectDirectory();

  constructor() {
    this.root.permanent = true;
    this.root.objectName = '';
  }

  /** Creates (or returns) the directory at an absolute path, creating parents as needed. */
  createDirectory(path: string): ObjectDirectory {
    let dir = this.root;
    for (const part of splitPath(path)) {
      const existing = dir.lookup(part);
      if (existing instanceof ObjectDirectory) {
        dir = existing;
        continue;
      }
      if (existing !== undefined) throw new Error(`${path}: ${part} exists and is not a directory`);
      const child = new ObjectDirectory();
      child.permanent = true;
      dir.insert(part, child);
      dir = child;
    }
    return dir;
  }

  /** Inserts an object under an absolute name; the parent directory must exist. */
  insertObject(path: string, object: KernelObject): NTSTATUS {
    const parts = splitPath(path);
    if (parts.length === 0) return STATUS_OBJECT_NAME_INVALID;
    const leaf = parts.pop()!;
    let dir: KernelObject = this.root;
    for (const part of parts) {
      const next: KernelObject | undefined = (dir as ObjectDirectory).lookup(part);
      if (!(next instanceof ObjectDirectory)) return STATUS_OBJECT_PATH_NOT_FOUND;
      dir = next;
    }
    return (dir as ObjectDirectory).insert(leaf, object) ? STATUS_SUCCESS : STATUS_OBJECT_NAME_COLLISION;
  }

  /** Removes a named object from its directory (ObMakeTemporaryObject + name removal). */
  removeObject(object: KernelObject): void {
    const parent = object.parentDirectory;
    if (parent instanceof ObjectDirectory) parent.remove(object);
  }

  /** Creates a symbolic link `linkName` → `target` (IoCreateSymbolicLink). */
  createSymbolicLink(linkName: string, target: string): NTSTATUS {
    const link = new SymbolicLink(target);
    link.permanent = true;
    return this.insertObject(linkName, link);
  }

  /** Deletes a symbolic link (IoDeleteSymbolicLink). */
  deleteSymbolicLink(linkName: string): NTSTATUS {
    const found = this.lookupNoParse(linkName);
    if (!(found instanceof SymbolicLink)) return STATUS_OBJECT_NAME_NOT_FOUND;
    this.removeObject(found);
    return STATUS_SUCCESS;
  }

  /** Finds the object a full name denotes without calling any parse procedure or following the last link. */
  lookupNoParse(path: string): KernelObject | undefined {
    let object: KernelObject = this.root;
    for (const part of splitPath(path)) {
      if (!(object instanceof ObjectDirectory)) return undefined;
      const next = object.lookup(part);
      if (next === undefined) return undefined;
      object = next;
    }
    return object;
  }

  /**
   * Looks a name up, following links and calling parse procedures (ObOpenObjectByName's walk).
   * Returns synchronously unless a parse procedure pended.
   */
  lookup(name: string, context: ParseContext): MaybePromise<LookupResult> {
    return this.lookupFrom(name, context, 0);
  }

  private lookupFrom(name: string, context: ParseContext, reparses: number): MaybePromise<LookupResult> {
    for (;;) {
      if (reparses > MAX_REPARSE) return NOT_FOUND;
      const syntax = checkNameSyntax(name);
      if (syntax !== STATUS_SUCCESS) return { status: syntax, object: null };
      let object: KernelObject = this.root;
      let consumed = 0; // index of the backslash that starts the rest of the name
      let restarted = false;
      while (consumed < name.length && object instanceof ObjectDirectory) {
        let end = name.indexOf('\\', consumed + 1);
        if (end < 0) end = name.length;
        const component = name.slice(consumed + 1, end);
        if (component === '') {
          // A trailing backslash names the directory itself; an empty inner component is invalid.
          if (end < name.length) return { status: STATUS_OBJECT_NAME_INVALID, object: null };
          consumed = end;
          break;
        }
        const next = object.lookup(component);
        if (next === undefined) {
          return {
            status: end >= name.length ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_OBJECT_PATH_NOT_FOUND,
            object: null,
          };
        }
        consumed = end;
        if (next instanceof SymbolicLink) {
          name = next.target + name.slice(end);
          reparses++;
          restarted = true;
          break;
        }
        object = next;
      }
      if (restarted) continue;
      const remaining = name.slice(consumed);
      const parse = object.type.parse;
      if (parse === undefined) {
        if (remaining !== '') return { status: STATUS_OBJECT_PATH_NOT_FOUND, object: null };
        return { status: STATUS_SUCCESS, object };
      }
      const parsed = parse(object, remaining, context);
      if (isPromise(parsed)) {
        return parsed.then((result) => this.afterParse(result, context, reparses));
      }
      if (parsed.status === STATUS_REPARSE && parsed.reparseName !== undefined) {
        name = parsed.reparseName;
        reparses++;
        continue;
      }
      return parsed;
    }
  }

  private afterParse(
    result: ParseResult,
    context: ParseContext,
    reparses: number,
  ): MaybePromise<LookupResult> {
    if (result.status === STATUS_REPARSE && result.reparseName !== undefined) {
      return this.lookupFrom(result.reparseName, context, reparses + 1);
    }
    return result;
  }
}

/** Splits an absolute name into its components, ignoring the leading backslash. */
export function splitPath(path: string): string[] {
  return path.split('\\').filter((part) => part.length > 0);
}

/** A name must be absolute, not too long, and free of NUL; everything else is for the parser. */
function checkNameSyntax(name: string): NTSTATUS {
  if (name.length === 0 || name.charCodeAt(0) !== 0x5c) return STATUS_OBJECT_PATH_SYNTAX_BAD;
  if (name.length > MAX_NAME_LENGTH) return STATUS_OBJECT_NAME_INVALID;
  if (name.includes('\0')) return STATUS_OBJECT_NAME_INVALID;
  return STATUS_SUCCESS;
}
