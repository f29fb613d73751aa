/**
 * ReadOnly: makes the volumes it is attached to read-only, whatever the file system below allows.
 *
 * Attach mode: on demand by default (`IOCTL_FILTER_ATTACH_VOLUME` to
 * `\FileSystem\Filters\ReadOnly`), because "this volume is read-only" is a decision about one
 * volume; `createReadOnlyDriver({ attachMode: 'all-volumes' })` protects every volume instead.
 *
 * Refused with STATUS_MEDIA_WRITE_PROTECTED, before the file system sees them:
 * - IRP_MJ_WRITE;
 * - IRP_MJ_CREATE asking for any access that can change something (write data, append, write
 *   attributes or EAs, delete, delete child, write DAC or owner; MAXIMUM_ALLOWED arrives mapped to
 *   all access and is refused too), with a disposition other than FILE_OPEN (every other one can
 *   create, overwrite or supersede), or with FILE_DELETE_ON_CLOSE;
 * - IRP_MJ_SET_INFORMATION (every class but FilePositionInformation, which changes only the
 *   handle), IRP_MJ_SET_VOLUME_INFORMATION, IRP_MJ_SET_EA, IRP_MJ_SET_SECURITY, IRP_MJ_SET_QUOTA;
 * - file system and device controls whose code requires write access (the FILE_WRITE_ACCESS bit of
 *   CTL_CODE, the bit the I/O manager checks) and FSCTL_MARK_VOLUME_DIRTY.
 * Reads, queries, directory enumeration, lock/unlock/dismount, flush, cleanup and close pass.
 * Handles opened for writing before ReadOnly attached still reach it, so their writes fail too.
 */
import {
  FILE_DELETE_ON_CLOSE,
  FILE_OPEN,
  FILE_WRITE_ACCESS,
  FSCTL_MARK_VOLUME_DIRTY,
} from '../../../base/file-codes.ts';
import { FilePositionInformation } from '../../../base/information-classes.ts';
import {
  IRP_MJ_CREATE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_SET_EA,
  IRP_MJ_SET_INFORMATION,
  IRP_MJ_SET_QUOTA,
  IRP_MJ_SET_SECURITY,
  IRP_MJ_SET_VOLUME_INFORMATION,
  IRP_MJ_WRITE,
  IRP_MN_USER_FS_REQUEST,
} from '../../../base/irp-codes.ts';
import { type NTSTATUS, STATUS_MEDIA_WRITE_PROTECTED } from '../../../base/ntstatus.ts';
import {
  type ControlParameters,
  type CreateParameters,
  completeRequest,
  createDisposition,
  createOptions,
  type DeviceObject,
  type DriverDispatch,
  type DriverModule,
  IoGetCurrentIrpStackLocation,
  type Irp,
  MODIFYING_ACCESS,
  type SetFileParameters,
} from '../../../io/index.ts';
import { type AttachMode, createLegacyFilterDriver, passThrough } from '../lib/index.ts';
import { READONLY_CONTROL_DEVICE } from './protocol.ts';

export * from './protocol.ts';

function refuse(_device: DeviceObject, irp: Irp): NTSTATUS {
  return completeRequest(irp, STATUS_MEDIA_WRITE_PROTECTED);
}

function create(device: DeviceObject, irp: Irp): NTSTATUS {
  const parameters = IoGetCurrentIrpStackLocation(irp).parameters as CreateParameters;
  if (
    (parameters.desiredAccess & MODIFYING_ACCESS) !== 0 ||
    createDisposition(parameters.options) !== FILE_OPEN ||
    (createOptions(parameters.options) & FILE_DELETE_ON_CLOSE) !== 0
  ) {
    return refuse(device, irp);
  }
  return passThrough(device, irp);
}

function setInformation(device: DeviceObject, irp: Irp): NTSTATUS {
  const { fileInformationClass } = IoGetCurrentIrpStackLocation(irp).parameters as SetFileParameters;
  return fileInformationClass === FilePositionInformation ? passThrough(device, irp) : refuse(device, irp);
}

/** True for control codes that can change the volume. */
function isModifyingControl(code: number): boolean {
  return ((code >>> 14) & FILE_WRITE_ACCESS) !== 0 || code === FSCTL_MARK_VOLUME_DIRTY;
}

function control(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  if (
    location.majorFunction === IRP_MJ_FILE_SYSTEM_CONTROL &&
    location.minorFunction !== IRP_MN_USER_FS_REQUEST
  ) {
    return passThrough(device, irp);
  }
  const { controlCode } = location.parameters as ControlParameters;
  return isModifyingControl(controlCode) ? refuse(device, irp) : passThrough(device, irp);
}

const volumeDispatch: Readonly<Partial<Record<number, DriverDispatch>>> = {
  [IRP_MJ_CREATE]: create,
  [IRP_MJ_WRITE]: refuse,
  [IRP_MJ_SET_INFORMATION]: setInformation,
  [IRP_MJ_SET_VOLUME_INFORMATION]: refuse,
  [IRP_MJ_SET_EA]: refuse,
  [IRP_MJ_SET_SECURITY]: refuse,
  [IRP_MJ_SET_QUOTA]: refuse,
  [IRP_MJ_FILE_SYSTEM_CONTROL]: control,
  [IRP_MJ_DEVICE_CONTROL]: control,
};

export interface ReadOnlyOptions {
  /** Default 'on-demand'. */
  attachMode?: AttachMode;
}

export function createReadOnlyDriver(options: ReadOnlyOptions = {}): DriverModule {
  return createLegacyFilterDriver(
    {
      manifest: {
        name: 'ReadOnly',
        kind: 'legacy-filter',
        description: 'Refuses every request that could change the volumes it is attached to.',
      },
      controlDeviceName: READONLY_CONTROL_DEVICE,
      volumeDispatch,
    },
    { attachMode: options.attachMode ?? 'on-demand' },
  );
}

/** ReadOnly attaching on demand. */
export const readOnlyDriver: DriverModule = createReadOnlyDriver();
