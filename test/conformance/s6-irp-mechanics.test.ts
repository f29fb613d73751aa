/**
 * Conformance: §6 of the reference, IRP mechanics: stack locations (§6.1), the major function codes
 * (§6.3), cleanup and close (§6.4) and what a volume filter sees (§6.5). Completion, pending and
 * cancel (§6.2) are in s6-completion.test.ts, share access (§6.6) in s6-share-access.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  NtClose,
  NtDeviceIoControlFile,
  NtFlushBuffersFile,
  NtFsControlFile,
  NtQueryDirectoryFile,
  NtQueryInformationFile,
  NtQueryVolumeInformationFile,
  NtReadFile,
  NtSetInformationFile,
  NtSetVolumeInformationFile,
  NtWriteFile,
} from '../../src/api/index.ts';
import {
  BugCheckError,
  FILE_ALL_ACCESS,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileBasicInformation,
  FileDirectoryInformation,
  FileFsLabelInformation,
  FileFsVolumeInformation,
  FileStandardInformation,
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_MAXIMUM_FUNCTION,
  IRP_MJ_NAMES,
  IRP_MJ_PNP,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
  NO_MORE_IRP_STACK_LOCATIONS,
  SL_INVOKE_ON_CANCEL,
  SL_INVOKE_ON_ERROR,
  SL_INVOKE_ON_SUCCESS,
  SL_PENDING_RETURNED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from '../../src/base/index.ts';
import * as irpCodes from '../../src/base/irp-codes.ts';
import {
  type FileObject,
  IoAllocateIrp,
  IoCallDriver,
  type IoCompletionRoutine,
  IoCopyCurrentIrpStackLocationToNext,
  IoGetCurrentIrpStackLocation,
  IoGetNextIrpStackLocation,
  IoMarkIrpPending,
  IoSetCompletionRoutine,
  IoShutdownSystem,
  IoSkipCurrentIrpStackLocation,
  IoStatusBlock,
  type ReadWriteParameters,
} from '../../src/io/index.ts';
import { ObDereferenceObject, ObReferenceObject } from '../../src/ob/index.ts';
import {
  completeIrp,
  deviceWith,
  irpFor,
  type Log,
  openSync,
  recordingFilter,
  scriptedFileSystem,
  toySystem,
} from '../support/conformance.ts';

test('§6.1 a new IRP has no current location; IoCallDriver moves down one, records the device and dispatches on its major', () => {
  const { system } = toySystem();
  const seen: unknown[] = [];
  const device = deviceWith(system, 'D', (self, irp) => {
    const current = IoGetCurrentIrpStackLocation(irp);
    seen.push(irp.currentLocation, current.deviceObject === self, IRP_MJ_NAMES[current.majorFunction]);
    return completeIrp(irp, STATUS_SUCCESS);
  });
  const irp = irpFor(device, IRP_MJ_WRITE);
  assert.deepEqual([irp.stackCount, irp.currentLocation], [1, 2]);
  IoCallDriver(device, irp);
  assert.deepEqual(seen, [1, true, 'IRP_MJ_WRITE']);
});

test('§6.1 IoGetNextIrpStackLocation is the location below the current one: what a driver writes there, the next reads', () => {
  const { system } = toySystem();
  const seen: unknown[] = [];
  const lower = deviceWith(system, 'Lower', (_d, irp) => {
    seen.push(irp.currentLocation, IoGetCurrentIrpStackLocation(irp).minorFunction);
    return completeIrp(irp, STATUS_SUCCESS);
  });
  const upper = deviceWith(system, 'Upper', (_d, irp) => {
    const next = IoGetNextIrpStackLocation(irp);
    assert.equal(next, irp.location(irp.currentLocation - 2));
    next.majorFunction = IRP_MJ_READ;
    next.minorFunction = 7;
    return IoCallDriver(lower, irp);
  });
  upper.stackSize = 2;
  IoCallDriver(upper, irpFor(upper));
  assert.deepEqual(seen, [1, 7]);
  assert.throws(
    () => IoGetNextIrpStackLocation(Object.assign(IoAllocateIrp(1), { currentLocation: 1 })),
    RangeError,
  );
});

test('§6.1 IoSkipCurrentIrpStackLocation makes the lower driver reuse the current location as it is', () => {
  const { system } = toySystem();
  const locations: unknown[] = [];
  const lower = deviceWith(system, 'Lower', (_d, irp) => {
    locations.push(IoGetCurrentIrpStackLocation(irp), irp.currentLocation);
    return completeIrp(irp, STATUS_SUCCESS);
  });
  const upper = deviceWith(system, 'Upper', (_d, irp) => {
    locations.push(IoGetCurrentIrpStackLocation(irp), irp.currentLocation);
    IoSkipCurrentIrpStackLocation(irp);
    return IoCallDriver(lower, irp);
  });
  upper.stackSize = 2;
  IoCallDriver(upper, irpFor(upper));
  assert.equal(locations[0], locations[2]);
  assert.deepEqual([locations[1], locations[3]], [2, 2]);
});

test('§6.1 IoCopyCurrentIrpStackLocationToNext copies all but the completion routine, clears Control, copies the parameters', () => {
  const irp = IoAllocateIrp(3);
  const routine: IoCompletionRoutine = () => STATUS_SUCCESS;
  IoSetCompletionRoutine(irp, routine, 'context', true, true, true);
  const top = IoGetNextIrpStackLocation(irp);
  top.majorFunction = IRP_MJ_WRITE;
  top.minorFunction = 2;
  top.flags = 0x10;
  top.parameters = { length: 4, byteOffset: 8, key: 0 };
  irp.currentLocation--; // as IoCallDriver would, without a driver
  IoMarkIrpPending(irp);
  IoCopyCurrentIrpStackLocationToNext(irp);
  const next = IoGetNextIrpStackLocation(irp);
  assert.deepEqual(
    [next.majorFunction, next.minorFunction, next.flags, next.control, next.completionRoutine, next.context],
    [IRP_MJ_WRITE, 2, 0x10, 0, null, null],
  );
  assert.deepEqual(next.parameters, top.parameters);
  assert.notEqual(next.parameters, top.parameters);
  (next.parameters as ReadWriteParameters).length = 99;
  assert.equal((top.parameters as ReadWriteParameters).length, 4);
  assert.equal(top.completionRoutine, routine); // the caller's own routine stays where it was
});

test('§6.1 IoSetCompletionRoutine sets routine and context on the next location with SL_INVOKE_ON_SUCCESS/ERROR/CANCEL', () => {
  assert.deepEqual([SL_INVOKE_ON_SUCCESS, SL_INVOKE_ON_ERROR, SL_INVOKE_ON_CANCEL], [0x40, 0x80, 0x20]);
  const routine: IoCompletionRoutine = () => STATUS_SUCCESS;
  for (let bits = 0; bits < 8; bits++) {
    const irp = IoAllocateIrp(2);
    IoSetCompletionRoutine(irp, routine, bits, (bits & 1) !== 0, (bits & 2) !== 0, (bits & 4) !== 0);
    const next = IoGetNextIrpStackLocation(irp);
    const expected =
      (bits & 1 ? SL_INVOKE_ON_SUCCESS : 0) |
      (bits & 2 ? SL_INVOKE_ON_ERROR : 0) |
      (bits & 4 ? SL_INVOKE_ON_CANCEL : 0);
    assert.deepEqual([next.completionRoutine, next.context, next.control], [routine, bits, expected]);
  }
});

test('§6.1 IoMarkIrpPending sets SL_PENDING_RETURNED (0x01) on the current location only', () => {
  assert.equal(SL_PENDING_RETURNED, 0x01);
  const irp = IoAllocateIrp(2);
  irp.currentLocation = 2;
  IoMarkIrpPending(irp);
  assert.equal(irp.location(1).control, SL_PENDING_RETURNED);
  assert.equal(irp.location(0).control, 0);
});

test('§6.1 IoCallDriver with no location left is the NO_MORE_IRP_STACK_LOCATIONS bug check, before the driver runs', () => {
  const { system } = toySystem();
  const called: string[] = [];
  const lower = deviceWith(system, 'Lower', (_d, irp) => {
    called.push('lower');
    return completeIrp(irp, STATUS_SUCCESS);
  });
  // A driver that passes the IRP on without giving the next driver a location.
  const upper = deviceWith(system, 'Upper', (_d, irp) => IoCallDriver(lower, irp));
  const irp = irpFor(upper); // one location, for upper only
  assert.throws(
    () => IoCallDriver(upper, irp),
    (error: unknown) => error instanceof BugCheckError && error.code === NO_MORE_IRP_STACK_LOCATIONS,
  );
  assert.deepEqual(called, []);
  assert.equal(irp.currentLocation, 1);
});

test('§6.1 the I/O manager sizes a request IRP from the StackSize of the top of the stack it sends to', () => {
  const { system, process, log, disk } = toySystem();
  const sizes: number[] = [];
  const fs = scriptedFileSystem(system, 'ToyFs', log, {
    request: (_d, irp) => {
      sizes.push(irp.stackCount);
      return null;
    },
  });
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_WRITE);
  recordingFilter(system, 'F1', log).attach(fs.volumes[0]!);
  recordingFilter(system, 'F2', log).attach(fs.volumes[0]!);
  NtWriteFile(process, file.handle!, new IoStatusBlock(), new Uint8Array(4), 4, 0);
  assert.deepEqual(sizes, [2, 4]); // the create before the filters came, the write after
});

test('§6.3 the major function codes have the documented values; IRP_MJ_PNP is IRP_MJ_MAXIMUM_FUNCTION', () => {
  assert.deepEqual(IRP_MJ_NAMES, [
    'IRP_MJ_CREATE',
    'IRP_MJ_CREATE_NAMED_PIPE',
    'IRP_MJ_CLOSE',
    'IRP_MJ_READ',
    'IRP_MJ_WRITE',
    'IRP_MJ_QUERY_INFORMATION',
    'IRP_MJ_SET_INFORMATION',
    'IRP_MJ_QUERY_EA',
    'IRP_MJ_SET_EA',
    'IRP_MJ_FLUSH_BUFFERS',
    'IRP_MJ_QUERY_VOLUME_INFORMATION',
    'IRP_MJ_SET_VOLUME_INFORMATION',
    'IRP_MJ_DIRECTORY_CONTROL',
    'IRP_MJ_FILE_SYSTEM_CONTROL',
    'IRP_MJ_DEVICE_CONTROL',
    'IRP_MJ_INTERNAL_DEVICE_CONTROL',
    'IRP_MJ_SHUTDOWN',
    'IRP_MJ_LOCK_CONTROL',
    'IRP_MJ_CLEANUP',
    'IRP_MJ_CREATE_MAILSLOT',
    'IRP_MJ_QUERY_SECURITY',
    'IRP_MJ_SET_SECURITY',
    'IRP_MJ_POWER',
    'IRP_MJ_SYSTEM_CONTROL',
    'IRP_MJ_DEVICE_CHANGE',
    'IRP_MJ_QUERY_QUOTA',
    'IRP_MJ_SET_QUOTA',
    'IRP_MJ_PNP',
  ]);
  const codes = irpCodes as unknown as Record<string, number>;
  for (const [value, name] of IRP_MJ_NAMES.entries()) assert.equal(codes[name], value, name);
  assert.deepEqual([IRP_MJ_PNP, IRP_MJ_MAXIMUM_FUNCTION], [0x1b, 0x1b]);
});

test('§6.3 an IRP whose major function is beyond IRP_MJ_MAXIMUM_FUNCTION completes with STATUS_INVALID_DEVICE_REQUEST', () => {
  const { system } = toySystem();
  const handled: number[] = [];
  const device = deviceWith(system, 'D', (_d, irp) => {
    handled.push(IoGetCurrentIrpStackLocation(irp).majorFunction);
    return completeIrp(irp, STATUS_SUCCESS);
  });
  for (const major of [IRP_MJ_MAXIMUM_FUNCTION + 1, 0xff, -1]) {
    const irp = irpFor(device, major);
    assert.equal(IoCallDriver(device, irp), STATUS_INVALID_DEVICE_REQUEST);
    assert.deepEqual([irp.completed, irp.ioStatus.status], [true, STATUS_INVALID_DEVICE_REQUEST]);
  }
  assert.deepEqual(handled, []);
  assert.equal(IoCallDriver(device, irpFor(device, IRP_MJ_READ)), STATUS_SUCCESS);
  assert.deepEqual(handled, [IRP_MJ_READ]);
});

test('§6.4 IRP_MJ_CLEANUP goes out when the last handle closes, IRP_MJ_CLOSE when the last reference goes', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log);
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  const fileObject = process.handleTable.lookup(file.handle!)!.object as FileObject;
  const duplicate = process.handleTable.insert(fileObject, FILE_GENERIC_READ);
  ObReferenceObject(fileObject); // someone (a cache) keeps the file object
  log.length = 0;
  NtClose(process, file.handle!);
  assert.deepEqual(log, []);
  NtClose(process, duplicate);
  assert.deepEqual(log, ['ToyFs: IRP_MJ_CLEANUP volume']);
  ObDereferenceObject(fileObject);
  assert.deepEqual(log, ['ToyFs: IRP_MJ_CLEANUP volume', 'ToyFs: IRP_MJ_CLOSE volume']);
  assert.deepEqual([storage.referenceCount, storage.vpb!.referenceCount], [0, 0]);
});

test('§6.4 cleanup and close cannot fail: NtClose succeeds and every reference is returned whatever the driver answers', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log, {
    request: (_d, irp) => {
      const major = IoGetCurrentIrpStackLocation(irp).majorFunction;
      return major === IRP_MJ_CLEANUP || major === IRP_MJ_CLOSE
        ? completeIrp(irp, STATUS_UNSUCCESSFUL)
        : null;
    },
  });
  const storage = disk();
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ);
  assert.equal(NtClose(process, file.handle!), STATUS_SUCCESS);
  assert.deepEqual(
    [storage.referenceCount, storage.vpb!.referenceCount, process.handleTable.count],
    [0, 0, 0],
  );
});

test('§6.4 a create the file system refuses sends no cleanup or close and returns its references', () => {
  const { system, process, log, disk } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log, {
    request: (_d, irp) =>
      IoGetCurrentIrpStackLocation(irp).majorFunction === IRP_MJ_CREATE
        ? completeIrp(irp, STATUS_UNSUCCESSFUL)
        : null,
  });
  const storage = disk();
  assert.equal(
    openSync(system, process, `${storage.deviceName}\\f`, FILE_GENERIC_READ).status,
    STATUS_UNSUCCESSFUL,
  );
  assert.deepEqual(log, ['ToyFs: mount \\Device\\Disk0']);
  assert.deepEqual([storage.referenceCount, storage.vpb!.referenceCount], [0, 0]);
});

test('§6.4 IRP_MJ_SHUTDOWN reaches the registered file systems when the system shuts down', () => {
  const { system, log } = toySystem();
  scriptedFileSystem(system, 'ToyFs', log);
  const records = IoShutdownSystem(system);
  assert.ok(!(records instanceof Promise));
  assert.deepEqual(log, ['ToyFs: IRP_MJ_SHUTDOWN cdo']);
});

test('§6.5 a volume filter sees every file request the system services send, in order', () => {
  const { system, process, disk } = toySystem();
  const log: Log = [];
  const fs = scriptedFileSystem(system, 'ToyFs', []);
  const storage = disk();
  openSync(system, process, `${storage.deviceName}\\mount`, FILE_GENERIC_READ);
  recordingFilter(system, 'VolumeFilter', log).attach(fs.volumes[0]!);
  const file = openSync(system, process, `${storage.deviceName}\\f`, FILE_ALL_ACCESS, {
    createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
  });
  const h = file.handle!;
  const buffer = new Uint8Array(4);
  NtReadFile(process, h, new IoStatusBlock(), buffer, 4, 0);
  NtWriteFile(process, h, new IoStatusBlock(), buffer, 4, 0);
  NtQueryInformationFile(process, h, FileStandardInformation);
  NtSetInformationFile(system, process, h, FileBasicInformation, {});
  NtQueryDirectoryFile(process, h, { fileInformationClass: FileDirectoryInformation });
  NtQueryVolumeInformationFile(process, h, FileFsVolumeInformation);
  NtSetVolumeInformationFile(process, h, FileFsLabelInformation, { volumeLabel: 'X' });
  NtFsControlFile(process, h, 0x90000);
  NtDeviceIoControlFile(process, h, 0x70000);
  NtFlushBuffersFile(process, h);
  NtClose(process, h);
  assert.deepEqual(
    log.map((line) => line.replace('VolumeFilter: ', '')),
    [
      'IRP_MJ_CREATE',
      'IRP_MJ_READ',
      'IRP_MJ_WRITE',
      'IRP_MJ_QUERY_INFORMATION',
      'IRP_MJ_SET_INFORMATION',
      'IRP_MJ_DIRECTORY_CONTROL',
      'IRP_MJ_QUERY_VOLUME_INFORMATION',
      'IRP_MJ_SET_VOLUME_INFORMATION',
      'IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_USER_FS_REQUEST',
      'IRP_MJ_DEVICE_CONTROL',
      'IRP_MJ_FLUSH_BUFFERS',
      'IRP_MJ_CLEANUP',
      'IRP_MJ_CLOSE',
    ],
  );
});
