/**
 * Handle tables (HANDLE_TABLE): per-process maps from handle values to referenced objects.
 *
 * Handle values are multiples of 4 starting at 4, most recently freed first. Every entry holds
 * one pointer reference and one handle count on its object, taken on insert and dropped on close.
 */

import type { NTSTATUS } from '../base/index.ts';
import { STATUS_INVALID_HANDLE, STATUS_OBJECT_TYPE_MISMATCH, STATUS_SUCCESS } from '../base/index.ts';
import type { KernelObject, ObjectType } from './object-type.ts';
import { ObDereferenceObject, ObReferenceObject } from './reference.ts';

export type Handle = number;

export interface HandleEntry {
  readonly object: KernelObject;
  readonly grantedAccess: number;
}

export class HandleTable {
  private readonly entries = new Map<Handle, HandleEntry>();
  private readonly freeHandles: Handle[] = [];
  private nextHandle: Handle = 4;

  get count(): number {
    return this.entries.size;
  }

  /** ObInsertObject's handle half: references the object and returns a new handle. */
  insert(object: KernelObject, grantedAccess: number): Handle {
    ObReferenceObject(object);
    object.handleCount++;
    let handle: Handle;
    const reused = this.freeHandles.pop();
    if (reused !== undefined) {
      handle = reused;
    } else {
      handle = this.nextHandle;
      this.nextHandle += 4;
    }
    this.entries.set(handle, { object, grantedAccess });
    return handle;
  }

  /** ObReferenceObjectByHandle without the reference: the entry, or undefined for a bad handle. */
  lookup(handle: Handle): HandleEntry | undefined {
    return this.entries.get(handle);
  }

  /** Looks up a handle and checks the object's type. */
  resolve(handle: Handle, type: ObjectType): { status: NTSTATUS; entry: HandleEntry | undefined } {
    const entry = this.entries.get(handle);
    if (entry === undefined) return { status: STATUS_INVALID_HANDLE, entry };
    if (entry.object.type !== type) return { status: STATUS_OBJECT_TYPE_MISMATCH, entry: undefined };
    return { status: STATUS_SUCCESS, entry };
  }

  /** NtClose: removes the handle, runs the type's close procedure, drops the reference. */
  close(handle: Handle): NTSTATUS {
    const entry = this.entries.get(handle);
    if (entry === undefined) return STATUS_INVALID_HANDLE;
    this.entries.delete(handle);
    this.freeHandles.push(handle);
    const object = entry.object;
    object.handleCount--;
    object.type.close?.(object, object.handleCount);
    ObDereferenceObject(object);
    return STATUS_SUCCESS;
  }

  /** Every open handle, lowest first. */
  handles(): Handle[] {
    return [...this.entries.keys()].sort((a, b) => a - b);
  }
}
