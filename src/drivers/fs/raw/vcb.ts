/**
 * RAW's volume control block and the end of a RAW volume's life.
 *
 * One VCB per mounted volume, as the extension of its unnamed volume device. RAW has no files, so
 * the only opens are of the volume itself; `openCount` counts their file objects from create to
 * close. A RAW mount is provisional: when the last open goes away (or a create fails on a volume
 * nobody has open) RAW dismounts (dismountVolume, with a fresh VPB for the storage device), so that
 * the next open tries the real file systems again — ReactOS's RawCheckForDismount.
 * FSCTL_DISMOUNT_VOLUME dismounts at once; the volume device is deleted when its last file object
 * closes (reference §5.4).
 */
import {
  type DeviceObject,
  type FileObject,
  IoDeleteDevice,
  ShareAccess,
  type Vpb,
} from '../../../io/index.ts';

export class RawVcb {
  /** The volume device whose extension this is; set right after IoCreateDevice. */
  volumeDevice!: DeviceObject;
  openCount = 0;
  readonly shareAccess = new ShareAccess();
  /** The file object that holds FSCTL_LOCK_VOLUME, if any. */
  lockedBy: FileObject | null = null;
  dismounted = false;

  constructor(
    readonly vpb: Vpb,
    /** The top of the storage stack at mount time: where RAW sends the volume's I/O. */
    readonly storage: DeviceObject,
  ) {}

  get realDevice(): DeviceObject {
    return this.vpb.realDevice;
  }
}

/** What RAW's control devices carry as extension, so dispatch can tell them from volumes. */
export class RawControlDevice {
  constructor(readonly deviceType: number) {}
}

export function rawVcbOf(device: DeviceObject): RawVcb | null {
  const extension = device.deviceExtension;
  return extension instanceof RawVcb ? extension : null;
}

/** Deletes the volume device once dismounted and unused (filters above hear FastIoDetachDevice). */
export function rawDeleteIfUnused(vcb: RawVcb): void {
  if (vcb.dismounted && vcb.openCount === 0 && !vcb.volumeDevice.deletePending)
    IoDeleteDevice(vcb.volumeDevice);
}
