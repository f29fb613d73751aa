/**
 * ObReferenceObject / ObDereferenceObject: pointer counts and the delete procedure.
 */
import { KeBugCheckEx, REFERENCE_BY_POINTER } from '../base/index.ts';
import type { KernelObject } from './object-type.ts';

export function ObReferenceObject(object: KernelObject): void {
  object.pointerCount++;
}

/** Drops one reference; the last one on a temporary object runs the type's delete procedure. */
export function ObDereferenceObject(object: KernelObject): void {
  if (object.pointerCount <= 0) {
    KeBugCheckEx(
      REFERENCE_BY_POINTER,
      `dereference of ${object.type.name} object ${object.objectName ?? '(unnamed)'} whose pointer count is already 0`,
      object,
    );
  }
  object.pointerCount--;
  object.type.dereferenced?.(object);
  if (object.pointerCount === 0 && !object.permanent && !object.deleted && object.parentDirectory === null) {
    object.deleted = true;
    object.type.delete?.(object);
  }
}

/** ObMakeTemporaryObject: the object leaves the namespace once it has no references. */
export function ObMakeTemporaryObject(object: KernelObject): void {
  object.permanent = false;
}
