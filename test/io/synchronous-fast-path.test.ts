/**
 * DESIGN's execution model: when every driver answers at once, the system services allocate no
 * promise at all. Checked with async_hooks, which reports every promise V8 creates, including the
 * ones `then` chains and async functions would make.
 */
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { test } from 'node:test';
import {
  NtClose,
  NtCreateFile,
  NtFlushBuffersFile,
  NtQueryDirectoryFile,
  NtQueryInformationFile,
  NtReadFile,
  NtSetInformationFile,
  NtWriteFile,
} from '../../src/api/index.ts';
import {
  DELETE,
  FILE_CREATE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileDirectoryInformation,
  FileDispositionInformation,
  FileEndOfFileInformation,
  FileStandardInformation,
  type NTSTATUS,
  STATUS_SUCCESS,
} from '../../src/base/index.ts';
import { IoStatusBlock } from '../../src/io/index.ts';
import type { Handle } from '../../src/ob/index.ts';
import { memfsVolume } from '../drivers/fs/memfs/setup.ts';

/** Runs `body` and returns how many promises were created while it ran. */
function promisesCreatedBy(body: () => void): number {
  let count = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') count++;
    },
  });
  hook.enable();
  try {
    body();
  } finally {
    hook.disable();
  }
  return count;
}

test('open, write, read, query, set, enumerate, flush, delete and close allocate no promise', () => {
  const v = memfsVolume();
  v.writeFile('kept.txt', 'so the root has an entry to list');
  const { system } = v;
  const process = system.createProcess('sync.exe');
  const buffer = new Uint8Array(4096).fill(7);
  const iosb = new IoStatusBlock();
  const statuses: NTSTATUS[] = [];
  const created = promisesCreatedBy(() => {
    const opened = NtCreateFile(system, process, {
      objectName: '\\??\\M:\\fast.bin',
      desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE,
      createDisposition: FILE_CREATE,
      createOptions: FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
    });
    if (opened instanceof Promise) throw new Error('the open went asynchronous');
    statuses.push(opened.status);
    const handle = opened.handle as Handle;
    const sync = <T>(value: T | Promise<T>): T => {
      if (value instanceof Promise) throw new Error('a service went asynchronous');
      return value;
    };
    statuses.push(sync(NtWriteFile(process, handle, iosb, buffer, buffer.length, 0)));
    statuses.push(sync(NtReadFile(process, handle, iosb, buffer, buffer.length, 0)));
    statuses.push(sync(NtQueryInformationFile(process, handle, FileStandardInformation)).status);
    statuses.push(
      sync(NtSetInformationFile(system, process, handle, FileEndOfFileInformation, { endOfFile: 100 })),
    );
    statuses.push(sync(NtFlushBuffersFile(process, handle)));
    statuses.push(
      sync(NtSetInformationFile(system, process, handle, FileDispositionInformation, { deleteFile: true })),
    );
    statuses.push(NtClose(process, handle));
    const root = sync(
      NtCreateFile(system, process, {
        objectName: '\\??\\M:\\',
        desiredAccess: FILE_GENERIC_READ,
        createDisposition: FILE_OPEN,
      }),
    );
    statuses.push(root.status);
    statuses.push(
      sync(
        NtQueryDirectoryFile(process, root.handle as Handle, {
          fileInformationClass: FileDirectoryInformation,
        }),
      ).status,
    );
    statuses.push(NtClose(process, root.handle as Handle));
  });
  assert.deepEqual(
    statuses.map((s) => s === STATUS_SUCCESS),
    statuses.map(() => true),
    `every call succeeded: ${statuses.map((s) => `0x${(s >>> 0).toString(16)}`).join(' ')}`,
  );
  assert.equal(created, 0, 'no promise was created on the synchronous path');
});

test('the probe itself sees promises (the assertion above can fail)', () => {
  assert.ok(promisesCreatedBy(() => void Promise.resolve(1).then(() => 2)) >= 2);
});

test('booting, loading MemFS, creating a RAM disk and the mount on first open allocate no promise', () => {
  let status: NTSTATUS = -1;
  const created = promisesCreatedBy(() => {
    const v = memfsVolume();
    status = v.mkdir('first');
  });
  assert.equal(status, STATUS_SUCCESS);
  assert.equal(created, 0);
});
