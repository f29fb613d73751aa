/** The I/O manager's public face: what drivers and the API layer may use. */

export * from './attach-device.ts';
export * from './call-driver.ts';
export * from './complete-request.ts';
export * from './create-file.ts';
export * from './device-object.ts';
export * from './device-object-pointer.ts';
export * from './device-stack.ts';
export * from './driver-loading.ts';
export * from './driver-object.ts';
export * from './file-object.ts';
export * from './fs-notification.ts';
export * from './fs-registration.ts';
export * from './fsrtl/directory-batch.ts';
export * from './fsrtl/is-name-in-expression.ts';
export * from './fsrtl/names.ts';
export { IopInvalidDeviceRequest } from './invalid-device-request.ts';
export * from './io-database.ts';
export * from './irp.ts';
export * from './irp-parameters.ts';
export * from './mount.ts';
export { DeviceObjectType, FileObjectType } from './object-types.ts';
export * from './open-packet.ts';
export * from './private-request.ts';
export * from './share-access.ts';
export * from './shutdown.ts';
export * from './system.ts';
export * from './vpb.ts';
