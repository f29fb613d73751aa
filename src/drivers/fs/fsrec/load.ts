/**
 * FsRecLoadFileSystem: IRP_MN_LOAD_FILE_SYSTEM, the I/O manager's answer to
 * STATUS_FS_DRIVER_REQUIRED.
 *
 * Loads the real driver by service name (IoLoadDriver, Strata's ZwLoadDriver). On success, or when
 * the driver turns out to be loaded already, every recognizer of the group is unregistered
 * (notification routines hear FsActive=FALSE for each, after the real driver's own TRUE) and
 * deleted, and the group becomes `loaded`; the IRP returns the load status. On failure the
 * recognizers stay registered, the group becomes `load-failed` (extension.ts) and the IRP returns
 * the failure. ReactOS unregisters even then; see docs/deviations.md. A group already loaded
 * answers STATUS_IMAGE_ALREADY_LOADED.
 *
 * What the I/O manager does next (io/mount.ts): whatever this returns, it starts the mount walk
 * again from the head of the queue. After a success the real driver is there to mount the volume;
 * after a failure the recognizer answers STATUS_UNRECOGNIZED_VOLUME and the walk goes on to the
 * next file system (RAW for an open of the volume itself), so the failing driver is tried once per
 * mount, not once per restart.
 */
import { NT_SUCCESS, type NTSTATUS, STATUS_IMAGE_ALREADY_LOADED } from '../../../base/ntstatus.ts';
import { IoDeleteDevice, IoLoadDriver, IoUnregisterFileSystem } from '../../../io/index.ts';
import type { RecognizerGroup } from './extension.ts';

export function FsRecLoadFileSystem(group: RecognizerGroup): NTSTATUS {
  if (group.state === 'loaded') return STATUS_IMAGE_ALREADY_LOADED;
  const system = group.devices[0]?.system;
  if (system === undefined) return STATUS_IMAGE_ALREADY_LOADED;
  const serviceName = group.format.serviceName;
  const loaded = IoLoadDriver(system, serviceName);
  if (!NT_SUCCESS(loaded.status)) {
    group.state = 'load-failed';
    group.failedImage = system.io.driverImages.get(serviceName.toUpperCase());
    return loaded.status;
  }
  group.state = 'loaded';
  group.failedImage = undefined;
  for (const device of group.devices.splice(0)) {
    IoUnregisterFileSystem(device);
    IoDeleteDevice(device);
  }
  return loaded.status;
}

/** True while a failed load should keep this group out of the way (see extension.ts). */
export function isLoadStillFailing(group: RecognizerGroup): boolean {
  if (group.state !== 'load-failed') return false;
  const system = group.devices[0]?.system;
  if (system === undefined) return true;
  return system.io.driverImages.get(group.format.serviceName.toUpperCase()) === group.failedImage;
}
