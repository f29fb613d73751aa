/**
 * IoGetDeviceObjectPointer (reference §4.3): open a named device and return the top of its stack
 * together with the file object that keeps it referenced. With FILE_READ_ATTRIBUTES the open does
 * not mount a file system, so a volume name yields its storage stack. Dereferencing the returned
 * file object (ObDereferenceObject) closes it and drops the device reference.
 */
import { FILE_OPEN, type MaybePromise, NT_SUCCESS, type NTSTATUS, whenReady } from '../base/index.ts';
import { IoCreateFile } from './create-file.ts';
import type { DeviceObject } from './device-object.ts';
import { IoGetRelatedDeviceObject } from './device-stack.ts';
import type { FileObject } from './file-object.ts';
import type { System } from './system.ts';

export interface DeviceObjectPointer {
  status: NTSTATUS;
  fileObject: FileObject | null;
  deviceObject: DeviceObject | null;
}

export function IoGetDeviceObjectPointer(
  system: System,
  objectName: string,
  desiredAccess: number,
): MaybePromise<DeviceObjectPointer> {
  const opened = IoCreateFile(
    system,
    null,
    { objectName, desiredAccess, createDisposition: FILE_OPEN },
    true,
  );
  return whenReady(opened, ({ status, fileObject }) => {
    if (!NT_SUCCESS(status) || fileObject === null) return { status, fileObject: null, deviceObject: null };
    return { status, fileObject, deviceObject: IoGetRelatedDeviceObject(fileObject) };
  });
}
