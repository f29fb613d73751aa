/**
 * A sample legacy filter driver assembled from its definition: DriverEntry, the dispatch tables,
 * the fast-I/O detach callback, the control device and DriverUnload (reference §3.2–§3.5).
 *
 * DriverEntry, in the order §3.2 lists:
 * 1. create the named control device (`\FileSystem\Filters\<Name>`, FILE_DEVICE_DISK_FILE_SYSTEM,
 *    FILE_DEVICE_SECURE_OPEN), if the filter has one; it is recognised by its role;
 * 2. fill every MajorFunction slot: a request is routed by the role of the device it arrived on —
 *    the control device completes it, a filter above a file system's control device watches
 *    mounts and passes the rest down, a filter above a volume hands it to the filter's own routine
 *    or passes it down untouched;
 * 3. FAST_IO_DISPATCH with FastIoDetachDevice (detach and delete, §3.4);
 * 4. in 'all-volumes' mode, IoRegisterFsRegistrationChange (the replay attaches to what is already
 *    there) and, unless told not to, RAW by name.
 * DriverUnload (unsupported for legacy filters in Windows, kept for tests and the daemon)
 * unregisters the notification, then detaches and deletes every device.
 */
import { FILE_DEVICE_DISK_FILE_SYSTEM, FILE_DEVICE_SECURE_OPEN } from '../../../base/device-codes.ts';
import {
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_MAXIMUM_FUNCTION,
  IRP_MJ_POWER,
} from '../../../base/irp-codes.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  type ControlParameters,
  completeRequest,
  type DeviceObject,
  type DriverDispatch,
  type DriverModule,
  type DriverObject,
  IoCallDriver,
  IoCreateDevice,
  IoDeleteDevice,
  IoGetCurrentIrpStackLocation,
  IoRegisterFsRegistrationChange,
  IoSkipCurrentIrpStackLocation,
  IoUnregisterFsRegistrationChange,
  type Irp,
} from '../../../io/index.ts';
import {
  detachAndDeleteFilterDevice,
  type FilterDeviceExtension,
  filterExtension,
  ROLE_CONTROL,
  ROLE_VOLUME,
} from './filter-device.ts';
import { attachToRawFileSystems, fileSystemDeviceControl, filterFsNotification } from './fs-attach.ts';
import {
  type LegacyFilterDefinition,
  type LegacyFilterOptions,
  type LegacyFilterState,
  legacyFilterState,
} from './legacy-filter-state.ts';
import { attachVolumeOnDemand, detachVolumeOnDemand, listAttachments } from './on-demand.ts';
import {
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_FILTER_DETACH_VOLUME,
  IOCTL_FILTER_LIST_ATTACHMENTS,
} from './protocol.ts';

/** The default for every request a filter does not care about: skip its location and pass it down. */
export function passThrough(device: DeviceObject, irp: Irp): NTSTATUS {
  IoSkipCurrentIrpStackLocation(irp);
  return IoCallDriver((device.deviceExtension as FilterDeviceExtension).lower!, irp);
}

/** Requests on the filter's own control device: open, close, and the private device controls. */
function controlDeviceDispatch(device: DeviceObject, irp: Irp): NTSTATUS {
  const location = IoGetCurrentIrpStackLocation(irp);
  switch (location.majorFunction) {
    case IRP_MJ_CREATE:
    case IRP_MJ_CLEANUP:
    case IRP_MJ_CLOSE:
      return completeRequest(irp, STATUS_SUCCESS);
    case IRP_MJ_DEVICE_CONTROL:
      return controlDeviceIoControl(
        legacyFilterState(device.driverObject),
        irp,
        (location.parameters as ControlParameters).controlCode,
      );
    default:
      return completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST);
  }
}

function controlDeviceIoControl(state: LegacyFilterState, irp: Irp, code: number): NTSTATUS {
  switch (code) {
    case IOCTL_FILTER_ATTACH_VOLUME:
      return attachVolumeOnDemand(state.driver, irp);
    case IOCTL_FILTER_DETACH_VOLUME:
      return detachVolumeOnDemand(state.driver, irp);
    case IOCTL_FILTER_LIST_ATTACHMENTS: {
      irp.systemBuffer = listAttachments(state.driver);
      return completeRequest(irp, STATUS_SUCCESS, 1);
    }
    default:
      return (
        state.definition.controlDeviceIoControl?.(state, irp, code) ??
        completeRequest(irp, STATUS_INVALID_DEVICE_REQUEST)
      );
  }
}

/** One MajorFunction slot: route by the role of the device the request arrived on. */
function routeFor(major: number, volumeRoutine: DriverDispatch): DriverDispatch {
  const fileSystemRoutine = major === IRP_MJ_FILE_SYSTEM_CONTROL ? fileSystemDeviceControl : passThrough;
  return (device, irp) => {
    const role = (device.deviceExtension as FilterDeviceExtension).role;
    if (role === ROLE_VOLUME) return volumeRoutine(device, irp);
    if (role === ROLE_CONTROL) return controlDeviceDispatch(device, irp);
    return fileSystemRoutine(device, irp);
  };
}

/** Builds the loadable driver module of a sample filter. */
export function createLegacyFilterDriver<TFilter, TVolume>(
  definition: LegacyFilterDefinition<TFilter, TVolume>,
  options: Partial<LegacyFilterOptions> = {},
): DriverModule {
  const resolved: LegacyFilterOptions = {
    attachMode: options.attachMode ?? 'all-volumes',
    attachToRecognizers: options.attachToRecognizers ?? false,
    attachToRaw: options.attachToRaw ?? true,
  };
  return {
    manifest: definition.manifest,
    DriverEntry(driver: DriverObject): NTSTATUS {
      const state: LegacyFilterState<TFilter, TVolume> = {
        driver,
        definition,
        options: resolved,
        controlDevice: null,
        notificationRoutine: null,
        filter: definition.createFilterState?.(driver) as TFilter,
      };
      driver.driverExtension = state;

      if (definition.controlDeviceName !== null) {
        const control = IoCreateDevice<FilterDeviceExtension>(
          driver,
          { role: ROLE_CONTROL, lower: null, realDevice: null, attachedBy: 'on-demand', volume: null },
          definition.controlDeviceName,
          FILE_DEVICE_DISK_FILE_SYSTEM,
          FILE_DEVICE_SECURE_OPEN,
          false,
        );
        if (control.deviceObject === null) return control.status;
        state.controlDevice = control.deviceObject;
      }

      for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) {
        // Filters never handle power (§3.5): the slot keeps the I/O manager's default.
        if (major === IRP_MJ_POWER && definition.passPower !== true) continue;
        driver.majorFunction[major] = routeFor(major, definition.volumeDispatch?.[major] ?? passThrough);
      }
      driver.fastIoDispatch = {
        fastIoDetachDevice(source: DeviceObject, target: DeviceObject) {
          if (source.attachedTo === target) detachAndDeleteFilterDevice(source);
          else IoDeleteDevice(source);
        },
      };
      driver.driverUnload = unloadLegacyFilter;

      if (resolved.attachMode === 'all-volumes') {
        const routine = (cdo: DeviceObject, fsActive: boolean): void =>
          filterFsNotification(driver, cdo, fsActive);
        state.notificationRoutine = routine;
        const status = IoRegisterFsRegistrationChange(driver, routine);
        if (!NT_SUCCESS(status)) {
          state.notificationRoutine = null;
          if (state.controlDevice !== null) IoDeleteDevice(state.controlDevice);
          return status;
        }
        if (resolved.attachToRaw) attachToRawFileSystems(driver);
      }
      return STATUS_SUCCESS;
    },
  };
}

/** DriverUnload: stop hearing about file systems, then leave every stack and delete every device. */
function unloadLegacyFilter(driver: DriverObject): void {
  const state = legacyFilterState(driver);
  if (state.notificationRoutine !== null) {
    IoUnregisterFsRegistrationChange(driver, state.notificationRoutine);
    state.notificationRoutine = null;
  }
  state.definition.unload?.(state);
  for (const device of [...driver.deviceObjects]) {
    if (filterExtension(device).role === ROLE_CONTROL) IoDeleteDevice(device);
    else detachAndDeleteFilterDevice(device);
  }
  state.controlDevice = null;
}
