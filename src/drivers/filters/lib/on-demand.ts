/**
 * Attachment on user-mode command: FileSpy's ATTACH_ON_DEMAND (reference §3.1, §3.3, §8).
 *
 * The control device receives IOCTL_FILTER_ATTACH_VOLUME with a volume name. The filter opens the
 * volume's root directory, as FileSpy does (which mounts the volume if needed and shares with any
 * volume open), or, where there is none (RAW), the volume itself for data (FILE_READ_ATTRIBUTES on
 * the volume would stop at the storage stack, §4.3); it takes the top of the volume stack from the
 * open (IoGetRelatedDeviceObject), and attaches a new filter device
 * there — so it always lands above every filter that attached on notification. The temporary open
 * is released after the attach, and only then is the filter told the device is ready (spy starts
 * recording there, so its own open's cleanup and close are not in the trace).
 * IOCTL_FILTER_DETACH_VOLUME takes the filter's device off that volume's stack, whichever way it
 * came there. Opening the volume may pend (an asynchronous mount); the IOCTL then pends too.
 */
import { FILE_READ_ATTRIBUTES, FILE_READ_DATA } from '../../../base/file-codes.ts';
import { isPromise } from '../../../base/maybe-promise.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_DEVICE_ALREADY_ATTACHED,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  completeWhenDone,
  type DeviceObject,
  type DeviceObjectPointer,
  type DriverObject,
  IoDeleteDevice,
  IoGetDeviceAttachmentBaseRef,
  IoGetDeviceObjectPointer,
  type Irp,
} from '../../../io/index.ts';
import { ObDereferenceObject } from '../../../ob/index.ts';
import {
  attachFilterDevice,
  createFilterDevice,
  detachAndDeleteFilterDevice,
  filterExtension,
  findFilterDevice,
  ROLE_CONTROL,
  ROLE_VOLUME,
} from './filter-device.ts';
import { legacyFilterState } from './legacy-filter-state.ts';
import { type FilterAttachment, volumeObjectName } from './protocol.ts';

type Operation = (
  driver: DriverObject,
  top: DeviceObject,
  realDevice: DeviceObject,
  request: unknown,
) => NTSTATUS;

/** Opens the named volume, runs `operation` on the top of its stack, releases the open, completes the IRP. */
function onNamedVolume(driver: DriverObject, irp: Irp, operation: Operation): NTSTATUS {
  const request = irp.systemBuffer as { volumeName?: unknown } | null;
  const objectName = volumeObjectName(request?.volumeName);
  if (objectName === null) return completeWhenDone(irp, (finish) => finish(STATUS_INVALID_PARAMETER, 0));
  return completeWhenDone(irp, (finish) => {
    const onOpened = (pointer: DeviceObjectPointer): void => {
      const { status, fileObject, deviceObject } = pointer;
      if (!NT_SUCCESS(status) || fileObject === null || deviceObject === null) {
        finish(status, 0);
        return;
      }
      const realDevice = fileObject.vpb?.realDevice ?? fileObject.deviceObject;
      const result = operation(driver, deviceObject, realDevice, request);
      ObDereferenceObject(fileObject);
      if (NT_SUCCESS(result)) {
        const ours = findFilterDevice(driver, deviceObject);
        if (ours !== null && operation === attachOnTop) {
          const state = legacyFilterState(driver);
          state.definition.volumeAttached?.(state, ours);
        }
      }
      finish(result, 0);
    };
    // The root directory first (FileSpy opens `X:\`): it mounts the volume and shares with any
    // volume open. RAW volumes have no root directory: then the volume itself, for data.
    const openVolume = (pointer: DeviceObjectPointer): void => {
      if (NT_SUCCESS(pointer.status)) {
        onOpened(pointer);
        return;
      }
      const opened = IoGetDeviceObjectPointer(driver.system, objectName, FILE_READ_DATA);
      if (isPromise(opened)) opened.then(onOpened, () => finish(STATUS_INVALID_PARAMETER, 0));
      else onOpened(opened);
    };
    const root = IoGetDeviceObjectPointer(driver.system, `${objectName}\\`, FILE_READ_ATTRIBUTES);
    if (isPromise(root)) root.then(openVolume, () => finish(STATUS_INVALID_PARAMETER, 0));
    else openVolume(root);
  });
}

const attachOnTop: Operation = (driver, top, realDevice, request) => {
  if (findFilterDevice(driver, top) !== null) return STATUS_DEVICE_ALREADY_ATTACHED;
  const state = legacyFilterState(driver);
  const device = createFilterDevice(driver, top, ROLE_VOLUME, 'on-demand');
  if (device === null) return STATUS_INSUFFICIENT_RESOURCES;
  const extension = filterExtension(device);
  extension.realDevice = realDevice;
  const volumeState = state.definition.createVolumeState?.(state, device, request) ?? null;
  if (typeof volumeState === 'number') {
    IoDeleteDevice(device);
    return volumeState;
  }
  extension.volume = volumeState;
  const status = attachFilterDevice(device, top);
  if (!NT_SUCCESS(status)) IoDeleteDevice(device);
  return status;
};

const detachFrom: Operation = (driver, top) => {
  const ours = findFilterDevice(driver, top);
  if (ours === null || filterExtension(ours).role !== ROLE_VOLUME) return STATUS_NOT_FOUND;
  detachAndDeleteFilterDevice(ours);
  return STATUS_SUCCESS;
};

/** IOCTL_FILTER_ATTACH_VOLUME. */
export function attachVolumeOnDemand(driver: DriverObject, irp: Irp): NTSTATUS {
  return onNamedVolume(driver, irp, attachOnTop);
}

/** IOCTL_FILTER_DETACH_VOLUME. */
export function detachVolumeOnDemand(driver: DriverObject, irp: Irp): NTSTATUS {
  return onNamedVolume(driver, irp, detachFrom);
}

/** IOCTL_FILTER_LIST_ATTACHMENTS: every stack the driver has a device on, oldest first. */
export function listAttachments(driver: DriverObject): FilterAttachment[] {
  const list: FilterAttachment[] = [];
  for (const device of driver.deviceObjects) {
    const extension = filterExtension(device);
    if (device.attachedTo === null || extension.role === ROLE_CONTROL) continue;
    const base = IoGetDeviceAttachmentBaseRef(device);
    ObDereferenceObject(base);
    const isVolume = extension.role === ROLE_VOLUME;
    list.push({
      target: isVolume
        ? (extension.realDevice?.deviceName ?? base.describe())
        : (base.deviceName ?? base.describe()),
      kind: isVolume ? 'volume' : 'file-system',
      fileSystem: base.driverObject.driverName,
      attachedBy: extension.attachedBy,
    });
  }
  return list.reverse();
}
