/**
 * Stand-ins for the real FAT and CDFS drivers, loadable by their service names `Fat` and `Cdfs`,
 * and a filter that records every file system notification.
 *
 * A stand-in registers a control device the way the real driver does (`\Fat`, a disk file system;
 * `\Cdfs`, a low-priority CD-ROM file system), claims a volume whose first sector carries a FAT
 * file system type string (or whose sector 16 says CD001), and succeeds every create on it. It reads
 * the volume through private IRPs like any file system. Everything it does goes into the log.
 */
import {
  DO_DEVICE_INITIALIZING,
  DO_LOW_PRIORITY_FILESYSTEM,
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_OPENED,
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_READ,
  IRP_MN_MOUNT_VOLUME,
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME,
} from '../../../../src/base/index.ts';
import {
  type DeviceObject,
  type DriverModule,
  IoCompleteRequest,
  IoCreateDevice,
  IoGetCurrentIrpStackLocation,
  IoRegisterFileSystem,
  IoRegisterFsRegistrationChange,
  type Irp,
  type MountVolumeParameters,
  sendPrivateRequest,
} from '../../../../src/io/index.ts';

export type Log = string[];

function complete(irp: Irp, status: NTSTATUS, information = 0): NTSTATUS {
  irp.ioStatus.status = status;
  irp.ioStatus.information = information;
  IoCompleteRequest(irp);
  return status;
}

/** Reads `length` bytes at `offset` through `storage`; null when the read fails or pends. */
function readSync(storage: DeviceObject, offset: number, length: number): Uint8Array | null {
  const buffer = new Uint8Array(length);
  let result: Uint8Array | null = null;
  sendPrivateRequest(
    storage,
    { majorFunction: IRP_MJ_READ, parameters: { byteOffset: offset, length, key: 0 }, userBuffer: buffer },
    (irp) => {
      if (NT_SUCCESS(irp.ioStatus.status)) result = buffer;
    },
  );
  return result;
}

const text = (bytes: Uint8Array | null, from: number, to: number): string =>
  bytes === null ? '' : new TextDecoder('latin1').decode(bytes.subarray(from, to));

function looksLikeFat(storage: DeviceObject): boolean {
  const sector = readSync(storage, 0, Math.max(512, storage.sectorSize));
  return text(sector, 0x36, 0x39) === 'FAT' || text(sector, 0x52, 0x57) === 'FAT32';
}

function looksLikeIso(storage: DeviceObject): boolean {
  return text(readSync(storage, 16 * 2048, 2048), 1, 6) === 'CD001';
}

export interface StandInOptions {
  /** DriverEntry fails with this status instead of loading. */
  failWith?: NTSTATUS;
  /** Refuse every volume (a real driver that finds the media corrupt). */
  rejectAll?: boolean;
}

/** A stand-in for the real `Fat` or `Cdfs` driver (see the header). */
export function standInFileSystem(
  serviceName: 'Fat' | 'Cdfs',
  log: Log,
  options: StandInOptions = {},
): DriverModule {
  const cdrom = serviceName === 'Cdfs';
  return {
    manifest: { name: serviceName, kind: 'file-system', description: `stand-in for the real ${serviceName}` },
    DriverEntry(driver) {
      log.push(`${serviceName}: DriverEntry`);
      if (options.failWith !== undefined) return options.failWith;
      const type = cdrom ? FILE_DEVICE_CD_ROM_FILE_SYSTEM : FILE_DEVICE_DISK_FILE_SYSTEM;
      const { deviceObject: cdo } = IoCreateDevice(driver, null, `\\${serviceName}`, type, 0, false);
      if (cdrom) cdo!.flags |= DO_LOW_PRIORITY_FILESYSTEM;
      driver.majorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = (device, irp) => {
        const location = IoGetCurrentIrpStackLocation(irp);
        if (device !== cdo || location.minorFunction !== IRP_MN_MOUNT_VOLUME)
          return complete(irp, STATUS_INVALID_DEVICE_REQUEST);
        const { vpb, deviceObject: storage } = location.parameters as MountVolumeParameters;
        log.push(`${serviceName}: mount ${vpb.realDevice.describe()}`);
        const ours = !options.rejectAll && (cdrom ? looksLikeIso(storage) : looksLikeFat(storage));
        if (!ours) return complete(irp, STATUS_UNRECOGNIZED_VOLUME);
        const { deviceObject: volume } = IoCreateDevice(driver, { storage }, null, type, 0, false);
        volume!.stackSize = storage.stackSize + 1;
        volume!.sectorSize = storage.sectorSize;
        volume!.flags &= ~DO_DEVICE_INITIALIZING;
        vpb.deviceObject = volume;
        log.push(`${serviceName}: mounted ${vpb.realDevice.describe()}`);
        return complete(irp, STATUS_SUCCESS);
      };
      driver.majorFunction[IRP_MJ_CREATE] = (_device, irp) => complete(irp, STATUS_SUCCESS, FILE_OPENED);
      driver.majorFunction[IRP_MJ_CLEANUP] = (_device, irp) => complete(irp, STATUS_SUCCESS);
      driver.majorFunction[IRP_MJ_CLOSE] = (_device, irp) => complete(irp, STATUS_SUCCESS);
      IoRegisterFileSystem(cdo!);
      return STATUS_SUCCESS;
    },
  };
}

/** A legacy filter that only listens: `+ name` when a file system arrives, `- name` when it leaves. */
export function recordingFilter(log: Log): DriverModule {
  return {
    manifest: { name: 'Recorder', kind: 'legacy-filter', description: 'records file system notifications' },
    DriverEntry(driver) {
      return IoRegisterFsRegistrationChange(driver, (cdo, active) => {
        log.push(`${active ? '+' : '-'} ${cdo.deviceName} (${cdo.driverObject.driverName})`);
      });
    },
  };
}
