/**
 * The volume parameter block (VPB): the link between a storage device and the volume device a file
 * system mounted on it.
 *
 * Invariants: `realDevice` never changes; `deviceObject` is set by the file system during the
 * mount; VPB_MOUNTED is set by the I/O manager when the mount succeeds (reference §5, D2);
 * `referenceCount` counts file objects opened through the VPB.
 */
import { MAXIMUM_VOLUME_LABEL_LENGTH } from '../base/index.ts';
import type { DeviceObject } from './device-object.ts';

export class Vpb {
  flags = 0;
  /** The file system's volume device object, once mounted. */
  deviceObject: DeviceObject | null = null;
  serialNumber = 0;
  referenceCount = 0;
  private label = '';

  constructor(readonly realDevice: DeviceObject) {}

  get volumeLabel(): string {
    return this.label;
  }

  /** File systems set the label at mount; it is cut to MAXIMUM_VOLUME_LABEL_LENGTH characters. */
  set volumeLabel(value: string) {
    this.label = value.slice(0, MAXIMUM_VOLUME_LABEL_LENGTH);
  }
}
