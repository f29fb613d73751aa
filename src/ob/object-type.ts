/**
 * Object types and the object header every kernel object carries (OBJECT_TYPE / OBJECT_HEADER).
 *
 * An object type is an immutable table of procedures the object manager calls on the object's
 * behalf: parse (a device continues a name lookup), close (a handle went away) and delete (the last
 * reference went away). The header holds the counts. Invariants: `pointerCount` counts references,
 * handles included; `handleCount <= pointerCount`; the delete procedure runs exactly once, when
 * `pointerCount` drops to zero on a temporary object.
 */
import type { MaybePromise, NTSTATUS } from '../base/index.ts';

/** What a parse procedure reports: the object found, or a new name to look up again (STATUS_REPARSE). */
export interface ParseResult {
  status: NTSTATUS;
  object: KernelObject | null;
  /** With STATUS_REPARSE: the full name to start over with. */
  reparseName?: string;
}

/** Everything the caller asked for, handed through the lookup to a parse procedure (OPEN_PACKET). */
export interface ParseContext {
  /** True when the caller opens with a parse-aware packet (NtCreateFile); false for a plain reference. */
  readonly isOpen: boolean;
}

export interface ObjectType {
  readonly name: string;
  /** Continues a lookup inside this object with the rest of the name ('' when it names the object). */
  parse?(object: KernelObject, remainingName: string, context: ParseContext): MaybePromise<ParseResult>;
  /** Called after a handle is closed, with the number of handles left. */
  close?(object: KernelObject, handlesLeft: number): void;
  /** Called once when the last reference to a temporary object goes. */
  delete?(object: KernelObject): void;
  /** Called after every dereference (diagnostics: the driver verifier's reference ledger). */
  dereferenced?(object: KernelObject): void;
}

export abstract class KernelObject {
  abstract readonly type: ObjectType;
  /** Leaf name in the namespace, or null for unnamed objects. */
  objectName: string | null = null;
  /** The directory holding the object, while it is inserted. */
  parentDirectory: KernelObject | null = null;
  pointerCount = 0;
  handleCount = 0;
  /** Permanent objects stay in the namespace with no references (OBJ_PERMANENT). */
  permanent = false;
  /** Set once the delete procedure has run. */
  deleted = false;
}
