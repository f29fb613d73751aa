/**
 * Shared helpers for the sample filter tests: stack listings, control-device requests from user
 * mode, and a toy file system recognizer (`\FileSystem\Fs_Rec`) that loads MemFS on demand.
 */
import assert from 'node:assert/strict';
import { NtClose, NtCreateFile, NtDeviceIoControlFile } from '../../../src/api/index.ts';
import {
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_GENERIC_READ,
  FILE_OPEN,
  IRP_MJ_FILE_SYSTEM_CONTROL,
  IRP_MJ_MAXIMUM_FUNCTION,
  IRP_MN_LOAD_FILE_SYSTEM,
  IRP_MN_MOUNT_VOLUME,
  mustBeSync,
  NT_SUCCESS,
  type NTSTATUS,
  STATUS_DRIVER_UNABLE_TO_LOAD,
  STATUS_FS_DRIVER_REQUIRED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import { memFsDriver } from '../../../src/drivers/fs/memfs/index.ts';
import {
  completeRequest,
  type DeviceObject,
  type DriverModule,
  IoCreateDevice,
  IoGetAttachedDevice,
  IoGetCurrentIrpStackLocation,
  IoLoadDriver,
  IoRegisterFileSystem,
  IoUnregisterFileSystem,
  type Irp,
  type System,
} from '../../../src/io/index.ts';
import type { Process } from '../../../src/ob/index.ts';

/** Service names of a stack, top first. */
export function stackOf(device: DeviceObject): string[] {
  const names: string[] = [];
  for (let d: DeviceObject | null = IoGetAttachedDevice(device); d !== null; d = d.attachedTo)
    names.push(d.driverObject.serviceName);
  return names;
}

/** Opens a filter's control device, sends one device control, closes; returns status and output. */
export function controlRequest(
  system: System,
  process: Process,
  controlDevice: string,
  code: number,
  input: unknown = null,
): { status: NTSTATUS; output: unknown; information: number } {
  const control = mustBeSync(
    NtCreateFile(system, process, {
      objectName: controlDevice,
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
    }),
    'test',
  );
  assert.equal(control.status, STATUS_SUCCESS, `open ${controlDevice}`);
  const result = mustBeSync(NtDeviceIoControlFile(process, control.handle!, code, input), 'test');
  NtClose(process, control.handle!);
  return result;
}

const complete = (irp: Irp, status: NTSTATUS): NTSTATUS => completeRequest(irp, status);

/**
 * A recognizer for MemFS media in the manner of Fs_Rec: claims every disk with
 * STATUS_FS_DRIVER_REQUIRED, loads MemFS on IRP_MN_LOAD_FILE_SYSTEM and unregisters itself.
 * With `failLoad` the load fails and the recognizer stays.
 */
export function toyRecognizer(options: { failLoad?: boolean } = {}): DriverModule {
  return {
    manifest: { name: 'Fs_Rec', kind: 'recognizer', description: 'Recognizes MemFS media for tests.' },
    DriverEntry(driver) {
      const { status, deviceObject } = IoCreateDevice(
        driver,
        null,
        '\\FileSystem\\MemFsRecognizer',
        FILE_DEVICE_DISK_FILE_SYSTEM,
        0,
        false,
      );
      if (deviceObject === null) return status;
      for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++)
        driver.majorFunction[major] = (_device, irp) => complete(irp, STATUS_INVALID_DEVICE_REQUEST);
      driver.majorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = (device, irp) => {
        const minor = IoGetCurrentIrpStackLocation(irp).minorFunction;
        if (minor === IRP_MN_MOUNT_VOLUME) return complete(irp, STATUS_FS_DRIVER_REQUIRED);
        if (minor !== IRP_MN_LOAD_FILE_SYSTEM) return complete(irp, STATUS_INVALID_DEVICE_REQUEST);
        if (options.failLoad) return complete(irp, STATUS_DRIVER_UNABLE_TO_LOAD);
        const loaded = IoLoadDriver(device.system, memFsDriver);
        IoUnregisterFileSystem(device);
        return complete(irp, NT_SUCCESS(loaded.status) ? STATUS_SUCCESS : loaded.status);
      };
      IoRegisterFileSystem(deviceObject);
      return STATUS_SUCCESS;
    },
  };
}
