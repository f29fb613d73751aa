/**
 * The state of a recognizer and of the group of recognizers that stand in for one driver.
 *
 * Every control device of a format shares one RecognizerGroup (ReactOS links them through
 * `Alternate`): loading the driver through any of them retires them all. States:
 * - `active`: mounts are checked; a recognized volume answers STATUS_FS_DRIVER_REQUIRED;
 * - `load-failed`: the last load failed; the devices stay registered, and mounts answer
 *   STATUS_UNRECOGNIZED_VOLUME as long as the driver image registered under the service name is the
 *   one that failed (or there still is none), so the mount walk goes on instead of loading the same
 *   failing image again; registering another image makes the group active again;
 * - `loaded`: the real driver is loaded; the devices are unregistered and deleted, and any request
 *   that still reaches one answers as a transparent recognizer does (STATUS_UNRECOGNIZED_VOLUME for
 *   a mount, STATUS_IMAGE_ALREADY_LOADED for a load).
 */
import type { DeviceObject, DriverModule } from '../../../io/index.ts';
import type { RecognizedFormat } from './formats.ts';

export type RecognizerState = 'active' | 'load-failed' | 'loaded';

export class RecognizerGroup {
  state: RecognizerState = 'active';
  /** The image that failed to load (undefined when none was registered). */
  failedImage: DriverModule | undefined = undefined;
  readonly devices: DeviceObject<RecognizerGroup>[] = [];

  constructor(readonly format: RecognizedFormat) {}
}

export function recognizerGroup(device: DeviceObject): RecognizerGroup | null {
  const extension = device.deviceExtension;
  return extension instanceof RecognizerGroup ? extension : null;
}
