/**
 * STATUS_REPARSE from a file system's create (io/create-file.ts, ob/namespace.ts): the new name is
 * an absolute object name, and the lookup starts over at the root, for absolute and for relative
 * opens alike (the related directory no longer applies).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSystem, NtClose, NtCreateFile } from '../../src/api/index.ts';
import {
  DO_DEVICE_INITIALIZING,
  FILE_DEVICE_UNKNOWN,
  FILE_OPEN,
  FILE_OPENED,
  FILE_READ_DATA,
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_REPARSE,
  STATUS_SUCCESS,
} from '../../src/base/index.ts';
import {
  type FileObject,
  IoCompleteRequest,
  IoCreateDevice,
  IoGetCurrentIrpStackLocation,
  IoLoadDriver,
} from '../../src/io/index.ts';
import type { Handle } from '../../src/ob/index.ts';

/** Two devices; a create of a name ending in `link` on \Device\Source reparses to `target`. */
function setup(target: string) {
  const system = createSystem();
  const opened: string[] = [];
  IoLoadDriver(system, {
    manifest: { name: 'Reparser', kind: 'other', description: 'answers STATUS_REPARSE for "link"' },
    DriverEntry(driver) {
      for (const name of ['\\Device\\Source', '\\Device\\Target']) {
        const { deviceObject } = IoCreateDevice(driver, null, name, FILE_DEVICE_UNKNOWN, 0, false);
        deviceObject!.flags &= ~DO_DEVICE_INITIALIZING;
      }
      driver.majorFunction[IRP_MJ_CREATE] = (device, irp) => {
        const fileObject = IoGetCurrentIrpStackLocation(irp).fileObject as FileObject;
        let status = STATUS_SUCCESS;
        if (fileObject.fileName.endsWith('link')) {
          fileObject.fileName = target;
          status = STATUS_REPARSE;
        } else {
          const related = fileObject.relatedFileObject ? `${fileObject.relatedFileObject.fileName}+` : '';
          opened.push(`${device.deviceName}:${related}${fileObject.fileName}`);
        }
        irp.ioStatus.status = status;
        irp.ioStatus.information = status === STATUS_SUCCESS ? FILE_OPENED : 0;
        IoCompleteRequest(irp);
        return status;
      };
      driver.majorFunction[IRP_MJ_CLEANUP] = (_d, irp) => {
        irp.ioStatus.status = STATUS_SUCCESS;
        IoCompleteRequest(irp);
        return STATUS_SUCCESS;
      };
      driver.majorFunction[IRP_MJ_CLOSE] = driver.majorFunction[IRP_MJ_CLEANUP];
      return STATUS_SUCCESS;
    },
  });
  const process = system.createProcess('test.exe');
  /** NtCreateFile for reading, which these drivers answer at once. */
  const open = (objectName: string, rootDirectory: Handle | null = null) => {
    const result = NtCreateFile(system, process, {
      objectName,
      rootDirectory,
      desiredAccess: FILE_READ_DATA,
      createDisposition: FILE_OPEN,
    });
    assert.ok(!(result instanceof Promise));
    return result;
  };
  return { process, open, opened };
}

test('an absolute open that a driver reparses is looked up again from the root', () => {
  const { open, opened } = setup('\\Device\\Target\\file');
  assert.equal(open('\\Device\\Source\\dir\\link').status, STATUS_SUCCESS);
  assert.deepEqual(opened, ['\\Device\\Target:\\file']);
});

test('a relative open that a driver reparses starts over at the root, without the related directory', () => {
  const { process, open, opened } = setup('\\Device\\Target\\file');
  const root = open('\\Device\\Source\\dir');
  const relative = open('link', root.handle);
  assert.equal(relative.status, STATUS_SUCCESS);
  assert.deepEqual(opened, ['\\Device\\Source:\\dir', '\\Device\\Target:\\file']);
  NtClose(process, relative.handle!);
  NtClose(process, root.handle!);
});

test('a relative open reparsed to a name that is not absolute is STATUS_OBJECT_NAME_INVALID', () => {
  const { open, opened } = setup('file');
  const root = open('\\Device\\Source\\dir');
  assert.equal(open('link', root.handle).status, STATUS_OBJECT_NAME_INVALID);
  assert.deepEqual(opened, ['\\Device\\Source:\\dir']);
});
