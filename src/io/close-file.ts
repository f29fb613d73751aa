/**
 * The end of a file object's life (IopCloseFile, IopDeleteFile; reference §6.4).
 *
 * IRP_MJ_CLEANUP goes out when the last handle closes; IRP_MJ_CLOSE when the last reference goes,
 * after which the file object's device and VPB references are returned. Both are sent to the top of
 * the stack the file object belongs to (IoGetRelatedDeviceObject). Neither can fail; if a driver
 * pends one, it completes on its own time and nobody waits.
 */
import {
  FO_CLEANUP_COMPLETE,
  IRP_CLOSE_OPERATION,
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_SYNCHRONOUS_API,
} from '../base/index.ts';
import { IoCallDriver } from './call-driver.ts';
import { IopDereferenceDeviceObject } from './device-object.ts';
import { IoGetRelatedDeviceObject } from './device-stack.ts';
import type { FileObject } from './file-object.ts';
import { IoAllocateIrp, IoGetNextIrpStackLocation } from './irp.ts';
import { NO_PARAMETERS } from './irp-parameters.ts';

function sendFileIrp(fileObject: FileObject, majorFunction: number, flags: number): void {
  const target = IoGetRelatedDeviceObject(fileObject);
  const irp = IoAllocateIrp(target.stackSize);
  irp.flags = flags;
  irp.originalFileObject = fileObject;
  irp.process = fileObject.process;
  const location = IoGetNextIrpStackLocation(irp);
  location.majorFunction = majorFunction;
  location.fileObject = fileObject;
  location.parameters = NO_PARAMETERS;
  IoCallDriver(target, irp);
}

/** Object type close procedure: the last handle went away → IRP_MJ_CLEANUP. */
export function IopCloseFile(fileObject: FileObject, handlesLeft: number): void {
  if (handlesLeft !== 0 || fileObject.cleanupDone) return;
  fileObject.cleanupDone = true;
  sendFileIrp(fileObject, IRP_MJ_CLEANUP, IRP_SYNCHRONOUS_API);
  fileObject.flags |= FO_CLEANUP_COMPLETE;
}

/** Object type delete procedure: the last reference went away → IRP_MJ_CLOSE, then release the device. */
export function IopDeleteFile(fileObject: FileObject): void {
  if (fileObject.closed) return;
  fileObject.closed = true;
  if (!fileObject.cleanupDone) {
    // Opened and dropped without ever having a handle (IoGetDeviceObjectPointer, internal opens).
    fileObject.cleanupDone = true;
    sendFileIrp(fileObject, IRP_MJ_CLEANUP, IRP_SYNCHRONOUS_API);
  }
  sendFileIrp(fileObject, IRP_MJ_CLOSE, IRP_CLOSE_OPERATION | IRP_SYNCHRONOUS_API);
  const vpb = fileObject.vpb;
  if (vpb !== null && vpb.referenceCount > 0) vpb.referenceCount--;
  IopDereferenceDeviceObject(fileObject.deviceObject);
}
