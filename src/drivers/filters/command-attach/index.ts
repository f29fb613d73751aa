/**
 * CommandAttach: a legacy filter that attaches only when a user-mode program tells it to
 * (FileSpy's attach-on-demand mode, reference §3.1, §5.5).
 *
 * It never registers for file system notifications. Its named control device
 * `\FileSystem\Filters\CommandAttach` accepts two device controls from user mode:
 * IOCTL_COMMAND_ATTACH_VOLUME and IOCTL_COMMAND_DETACH_VOLUME, each with `{ volumeName }`
 * (`\??\M:` or a device name) in the input buffer. Attaching opens the volume (mounting it if
 * needed) and puts a filter device on the top of its stack — which is why it always lands above
 * every filter that attached on notification. Filter devices pass everything through and detach on
 * FastIoDetachDevice.
 */
import {
  DO_BUFFERED_IO,
  DO_DEVICE_INITIALIZING,
  DO_DIRECT_IO,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_DEVICE_SECURE_OPEN,
} from '../../../base/device-codes.ts';
import { CTL_CODE, FILE_ANY_ACCESS, FILE_READ_DATA, METHOD_BUFFERED } from '../../../base/file-codes.ts';
import {
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_MAXIMUM_FUNCTION,
} from '../../../base/irp-codes.ts';
import { isPromise } from '../../../base/maybe-promise.ts';
import {
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_DEVICE_ALREADY_ATTACHED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_FOUND,
  STATUS_PENDING,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import {
  type ControlParameters,
  type DeviceObject,
  type DeviceObjectPointer,
  type DriverModule,
  type DriverObject,
  IoAttachDeviceToDeviceStackSafe,
  IoCallDriver,
  IoCompleteRequest,
  IoCreateDevice,
  IoDeleteDevice,
  IoDetachDevice,
  IoGetCurrentIrpStackLocation,
  IoGetDeviceObjectPointer,
  IoMarkIrpPending,
  IoSkipCurrentIrpStackLocation,
  type Irp,
} from '../../../io/index.ts';
import { ObDereferenceObject } from '../../../ob/index.ts';

export const COMMAND_ATTACH_CONTROL_DEVICE = '\\FileSystem\\Filters\\CommandAttach';
const FILE_DEVICE_COMMAND_ATTACH = 0x8000;
export const IOCTL_COMMAND_ATTACH_VOLUME = CTL_CODE(
  FILE_DEVICE_COMMAND_ATTACH,
  0x800,
  METHOD_BUFFERED,
  FILE_ANY_ACCESS,
);
export const IOCTL_COMMAND_DETACH_VOLUME = CTL_CODE(
  FILE_DEVICE_COMMAND_ATTACH,
  0x801,
  METHOD_BUFFERED,
  FILE_ANY_ACCESS,
);

/** The input buffer of both device controls. */
export interface VolumeCommand {
  volumeName: string;
}

interface DriverState {
  controlDevice: DeviceObject;
}

interface FilterExtension {
  lower: DeviceObject | null;
}

function complete(irp: Irp, status: NTSTATUS): NTSTATUS {
  irp.ioStatus.status = status;
  irp.ioStatus.information = 0;
  IoCompleteRequest(irp);
  return status;
}

function isControlDevice(device: DeviceObject): boolean {
  return (device.driverObject.driverExtension as DriverState).controlDevice === device;
}

function dispatch(device: DeviceObject, irp: Irp): NTSTATUS {
  if (!isControlDevice(device)) {
    IoSkipCurrentIrpStackLocation(irp);
    return IoCallDriver((device.deviceExtension as FilterExtension).lower!, irp);
  }
  const location = IoGetCurrentIrpStackLocation(irp);
  switch (location.majorFunction) {
    case IRP_MJ_CREATE:
    case IRP_MJ_CLEANUP:
    case IRP_MJ_CLOSE:
      return complete(irp, STATUS_SUCCESS);
    case IRP_MJ_DEVICE_CONTROL:
      return deviceControl(device.driverObject, irp, (location.parameters as ControlParameters).controlCode);
    default:
      return complete(irp, STATUS_INVALID_DEVICE_REQUEST);
  }
}

function deviceControl(driver: DriverObject, irp: Irp, code: number): NTSTATUS {
  const input = irp.systemBuffer as Partial<VolumeCommand> | null;
  if (code !== IOCTL_COMMAND_ATTACH_VOLUME && code !== IOCTL_COMMAND_DETACH_VOLUME)
    return complete(irp, STATUS_INVALID_DEVICE_REQUEST);
  if (
    input === null ||
    typeof input !== 'object' ||
    typeof input.volumeName !== 'string' ||
    !input.volumeName.startsWith('\\')
  ) {
    return complete(irp, STATUS_INVALID_PARAMETER);
  }
  // Opening the volume for data mounts it if needed and yields the top of the volume stack.
  const opened = IoGetDeviceObjectPointer(driver.system, input.volumeName, FILE_READ_DATA);
  const finish = (pointer: DeviceObjectPointer): NTSTATUS => {
    const status = NT_SUCCESS(pointer.status)
      ? code === IOCTL_COMMAND_ATTACH_VOLUME
        ? attachOnTop(driver, pointer.deviceObject!)
        : detachFrom(driver, pointer.deviceObject!)
      : pointer.status;
    if (pointer.fileObject !== null) ObDereferenceObject(pointer.fileObject);
    return complete(irp, status);
  };
  if (!isPromise(opened)) return finish(opened);
  IoMarkIrpPending(irp);
  opened.then(finish, () => complete(irp, STATUS_INVALID_PARAMETER));
  return STATUS_PENDING;
}

function ourDeviceIn(driver: DriverObject, top: DeviceObject): DeviceObject | null {
  for (let d: DeviceObject | null = top; d !== null; d = d.attachedTo)
    if (d.driverObject === driver) return d;
  return null;
}

function attachOnTop(driver: DriverObject, top: DeviceObject): NTSTATUS {
  if (ourDeviceIn(driver, top) !== null) return STATUS_DEVICE_ALREADY_ATTACHED;
  const { deviceObject } = IoCreateDevice<FilterExtension>(
    driver,
    { lower: null },
    null,
    top.deviceType,
    0,
    false,
  );
  if (deviceObject === null) return STATUS_INVALID_DEVICE_REQUEST;
  deviceObject.flags |= top.flags & (DO_BUFFERED_IO | DO_DIRECT_IO);
  const { status, attachedTo } = IoAttachDeviceToDeviceStackSafe(deviceObject, top);
  if (!NT_SUCCESS(status)) {
    IoDeleteDevice(deviceObject);
    return status;
  }
  deviceObject.deviceExtension.lower = attachedTo;
  deviceObject.flags &= ~DO_DEVICE_INITIALIZING;
  return STATUS_SUCCESS;
}

function detachFrom(driver: DriverObject, top: DeviceObject): NTSTATUS {
  const ours = ourDeviceIn(driver, top);
  if (ours === null) return STATUS_NOT_FOUND;
  IoDetachDevice((ours.deviceExtension as FilterExtension).lower!);
  IoDeleteDevice(ours);
  return STATUS_SUCCESS;
}

export const commandAttachDriver: DriverModule = {
  manifest: {
    name: 'CommandAttach',
    kind: 'legacy-filter',
    description: 'Attaches to a volume only when a user-mode program asks, through its control device.',
  },
  DriverEntry(driver) {
    const { status, deviceObject } = IoCreateDevice(
      driver,
      null,
      COMMAND_ATTACH_CONTROL_DEVICE,
      FILE_DEVICE_DISK_FILE_SYSTEM,
      FILE_DEVICE_SECURE_OPEN,
      false,
    );
    if (deviceObject === null) return status;
    driver.driverExtension = { controlDevice: deviceObject } satisfies DriverState;
    for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) driver.majorFunction[major] = dispatch;
    driver.fastIoDispatch = {
      fastIoDetachDevice(source, target) {
        IoDetachDevice(target);
        IoDeleteDevice(source);
      },
    };
    driver.driverUnload = (self) => {
      for (const device of [...self.deviceObjects]) {
        const lower = (device.deviceExtension as FilterExtension | null)?.lower ?? null;
        if (lower !== null) IoDetachDevice(lower);
        IoDeleteDevice(device);
      }
    };
    return STATUS_SUCCESS;
  },
};
