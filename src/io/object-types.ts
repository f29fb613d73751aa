/**
 * The I/O manager's object types: devices parse names (IopParseDevice), file objects send
 * IRP_MJ_CLEANUP when their last handle closes and IRP_MJ_CLOSE when their last reference goes.
 */
import type { KernelObject, ObjectType, ParseContext } from '../ob/index.ts';
import { IopCloseFile, IopDeleteFile } from './close-file.ts';
import type { DeviceObject } from './device-object.ts';
import type { FileObject } from './file-object.ts';
import type { OpenPacket } from './open-packet.ts';
import { IopParseDevice } from './parse-device.ts';

export const DeviceObjectType: ObjectType = {
  name: 'Device',
  parse: (object: KernelObject, remainingName: string, context: ParseContext) =>
    IopParseDevice(object as DeviceObject, remainingName, context as OpenPacket),
  dereferenced: (object: KernelObject) =>
    (object as DeviceObject).system.io.deviceDereferenced(object as DeviceObject),
};

export const FileObjectType: ObjectType = {
  name: 'File',
  close: (object: KernelObject, handlesLeft: number) => IopCloseFile(object as FileObject, handlesLeft),
  delete: (object: KernelObject) => IopDeleteFile(object as FileObject),
};
