/**
 * Conformance: §6.6 of the reference, share access (IoCheckShareAccess and its family): the full
 * matrix of two opens, the access that counts, several opens, the update/set/remove routines, and
 * MemFS applying it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSystem, NtClose } from '../../src/api/index.ts';
import {
  DELETE,
  FILE_APPEND_DATA,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FILE_EXECUTE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_READ_ATTRIBUTES,
  FILE_READ_DATA,
  FILE_READ_EA,
  FILE_SHARE_DELETE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  FILE_WRITE_ATTRIBUTES,
  FILE_WRITE_DATA,
  READ_CONTROL,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
  SYNCHRONIZE,
  WRITE_DAC,
} from '../../src/base/index.ts';
import { memFsDriver, memFsFormat } from '../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../src/drivers/storage/ramdisk/index.ts';
import {
  FileObject,
  IoCheckShareAccess,
  IoCreateDevice,
  IoLoadDriver,
  IoRemoveShareAccess,
  IoSetShareAccess,
  IoUpdateShareAccess,
  ShareAccess,
} from '../../src/io/index.ts';
import { loadDriver, openSync } from '../support/conformance.ts';

const R = 1;
const W = 2;
const D = 4;
const ACCESS_OF: Record<number, number> = { [R]: FILE_READ_DATA, [W]: FILE_WRITE_DATA, [D]: DELETE };

function accessMask(bits: number): number {
  return [R, W, D].reduce((mask, bit) => (bits & bit ? mask | ACCESS_OF[bit]! : mask), 0);
}

/** A maker of fresh file objects on one device (share access only looks at the file objects). */
/** The counters of a SHARE_ACCESS: opens, readers, writers, deleters, shared read, write, delete. */
function shareCounts(state: ShareAccess): number[] {
  return [
    state.openCount,
    state.readers,
    state.writers,
    state.deleters,
    state.sharedRead,
    state.sharedWrite,
    state.sharedDelete,
  ];
}

function fileObjectMaker(): (count: number) => FileObject[] {
  const system = createSystem({ withoutRaw: true });
  const driver = loadDriver(system, 'Fs', 'file-system');
  const device = IoCreateDevice(driver, null, null, FILE_DEVICE_DISK_FILE_SYSTEM, 0, false).deviceObject!;
  return (count) => Array.from({ length: count }, () => new FileObject(device, '', null, null));
}

test('§6.6 the full matrix: a second open conflicts exactly when it wants access the first does not share, or refuses access the first has', () => {
  // Read/write/delete sets and the share bits line up: FILE_SHARE_READ 1, _WRITE 2, _DELETE 4.
  assert.deepEqual([FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_SHARE_DELETE], [R, W, D]);
  const fileObjects = fileObjectMaker();
  let conflicts = 0;
  for (let access1 = 0; access1 < 8; access1++)
    for (let share1 = 0; share1 < 8; share1++)
      for (let access2 = 0; access2 < 8; access2++)
        for (let share2 = 0; share2 < 8; share2++) {
          const [first, second] = fileObjects(2);
          const state = new ShareAccess();
          assert.equal(IoCheckShareAccess(accessMask(access1), share1, first!, state, true), STATUS_SUCCESS);
          const conflict =
            access1 !== 0 && access2 !== 0 && ((access2 & ~share1) !== 0 || (access1 & ~share2) !== 0);
          if (conflict) conflicts++;
          assert.equal(
            IoCheckShareAccess(accessMask(access2), share2, second!, state, true),
            conflict ? STATUS_SHARING_VIOLATION : STATUS_SUCCESS,
            `first ${access1}/${share1}, second ${access2}/${share2}`,
          );
        }
  assert.ok(conflicts > 1000 && conflicts < 4096);
});

test('§6.6 only read (READ_DATA, EXECUTE), write (WRITE_DATA, APPEND_DATA) and DELETE count; attributes-only opens never conflict', () => {
  const attributesOnly =
    FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES | FILE_READ_EA | READ_CONTROL | WRITE_DAC | SYNCHRONIZE;
  const [exclusive, probe, executor, appender, later] = fileObjectMaker()(5);
  const state = new ShareAccess();
  assert.equal(
    IoCheckShareAccess(FILE_READ_DATA | FILE_WRITE_DATA | DELETE, 0, exclusive!, state, true),
    STATUS_SUCCESS,
  );
  assert.equal(IoCheckShareAccess(attributesOnly, 0, probe!, state, true), STATUS_SUCCESS);
  assert.equal(state.openCount, 1); // not counted
  assert.equal(IoCheckShareAccess(FILE_EXECUTE, 7, executor!, state, true), STATUS_SHARING_VIOLATION);
  assert.equal(IoCheckShareAccess(FILE_APPEND_DATA, 7, appender!, state, true), STATUS_SHARING_VIOLATION);
  // An attributes-only first open blocks nothing either.
  const fresh = new ShareAccess();
  assert.equal(IoCheckShareAccess(attributesOnly, 0, probe!, fresh, true), STATUS_SUCCESS);
  assert.equal(IoCheckShareAccess(FILE_READ_DATA | FILE_WRITE_DATA, 0, later!, fresh, true), STATUS_SUCCESS);
});

test('§6.6 with several opens, a new open must be shared by every one of them', () => {
  const [a, b, c, d] = fileObjectMaker()(4);
  const state = new ShareAccess();
  IoCheckShareAccess(FILE_READ_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, a!, state, true);
  IoCheckShareAccess(FILE_READ_DATA, FILE_SHARE_READ, b!, state, true);
  assert.equal(IoCheckShareAccess(FILE_WRITE_DATA, 7, c!, state, true), STATUS_SHARING_VIOLATION);
  assert.equal(IoCheckShareAccess(FILE_READ_DATA, FILE_SHARE_READ, d!, state, true), STATUS_SUCCESS);
  assert.deepEqual(shareCounts(state), [3, 3, 0, 0, 3, 1, 0]);
});

test('§6.6 IoCheckShareAccess with Update FALSE records nothing; IoUpdateShareAccess records it afterwards', () => {
  const [a, b] = fileObjectMaker()(2);
  const state = new ShareAccess();
  assert.equal(IoCheckShareAccess(FILE_READ_DATA, 0, a!, state, false), STATUS_SUCCESS);
  assert.equal(state.openCount, 0);
  IoUpdateShareAccess(a!, state);
  assert.deepEqual([state.openCount, state.readers], [1, 1]);
  assert.equal(
    IoCheckShareAccess(FILE_READ_DATA, FILE_SHARE_READ, b!, state, false),
    STATUS_SHARING_VIOLATION,
  );
});

test('§6.6 IoSetShareAccess sets the state from a first open; IoRemoveShareAccess undoes exactly that open', () => {
  const [a, b] = fileObjectMaker()(2);
  const state = new ShareAccess();
  state.openCount = 9; // stale state is overwritten
  IoSetShareAccess(FILE_READ_DATA | DELETE, FILE_SHARE_READ | FILE_SHARE_DELETE, a!, state);
  const counts = () => shareCounts(state);
  assert.deepEqual(counts(), [1, 1, 0, 1, 1, 0, 1]);
  IoCheckShareAccess(FILE_READ_DATA, 7, b!, state, true);
  assert.deepEqual(counts(), [2, 2, 0, 1, 2, 1, 2]);
  IoRemoveShareAccess(a!, state);
  assert.deepEqual(counts(), [1, 1, 0, 0, 1, 1, 1]);
});

test('§6.6 the file object keeps what its open asked for', () => {
  const [a] = fileObjectMaker()(1);
  IoCheckShareAccess(FILE_EXECUTE | FILE_APPEND_DATA, FILE_SHARE_DELETE, a!, new ShareAccess(), true);
  assert.deepEqual(
    [a!.readAccess, a!.writeAccess, a!.deleteAccess, a!.sharedRead, a!.sharedWrite, a!.sharedDelete],
    [true, true, false, false, false, true],
  );
});

test('§6.6 MemFS applies share access between opens of a file, never to attributes-only opens, and releases it at cleanup', () => {
  const system = createSystem();
  const process = system.createProcess('test.exe');
  IoLoadDriver(system, memFsDriver);
  const { deviceObject } = IoCreateRamDisk(system, {
    sizeBytes: 1 << 20,
    format: memFsFormat({ label: 'M' }),
  });
  const name = `${deviceObject!.deviceName}\\file.txt`;
  const first = openSync(system, process, name, FILE_GENERIC_READ | FILE_GENERIC_WRITE, {
    createDisposition: 2,
  });
  assert.equal(first.status, STATUS_SUCCESS);
  assert.equal(
    openSync(system, process, name, FILE_GENERIC_READ, { shareAccess: 7 }).status,
    STATUS_SHARING_VIOLATION,
  );
  const probe = openSync(system, process, name, FILE_READ_ATTRIBUTES);
  assert.equal(probe.status, STATUS_SUCCESS);
  NtClose(process, first.handle!);
  const second = openSync(system, process, name, FILE_GENERIC_READ);
  assert.equal(second.status, STATUS_SUCCESS);
  NtClose(process, second.handle!);
  NtClose(process, probe.handle!);
});
