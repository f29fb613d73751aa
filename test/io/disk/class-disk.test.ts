/**
 * The class-driver rules every Strata storage driver shares (src/io/disk/): ClassCreateClose, the
 * transfer checks of ClassReadWrite / DiskReadWriteVerification and the buffered IOCTL answer,
 * driven with hand-built IRPs.
 * The drivers' own suites (storage/ramdisk, storage/partmgr, host/image-disk) check them through
 * NtReadFile and the mount path.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_OPENED,
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import {
  ClassCreateClose,
  completeDiskIoctl,
  type FileObject,
  IoAllocateIrp,
  IoGetNextIrpStackLocation,
  IoSetNextIrpStackLocation,
  type Irp,
  isTransferInRange,
  verifyDiskTransfer,
} from '../../../src/io/index.ts';

function request(majorFunction: number, fileName: string | null): Irp {
  const irp = IoAllocateIrp(1);
  const location = IoGetNextIrpStackLocation(irp);
  location.majorFunction = majorFunction;
  location.fileObject = fileName === null ? null : ({ fileName } as unknown as FileObject);
  IoSetNextIrpStackLocation(irp);
  return irp;
}

test('a disk opens only as itself: a name below it is STATUS_OBJECT_PATH_NOT_FOUND; cleanup and close succeed', () => {
  const device = null as never;
  const itself = request(IRP_MJ_CREATE, '');
  assert.equal(ClassCreateClose(device, itself), STATUS_SUCCESS);
  assert.equal(itself.ioStatus.information, FILE_OPENED);
  const below = request(IRP_MJ_CREATE, '\\dir\\file');
  assert.equal(ClassCreateClose(device, below), STATUS_OBJECT_PATH_NOT_FOUND);
  assert.equal(below.ioStatus.information, 0);
  // A file name on a cleanup or close is the file object's own, not a request for a name.
  for (const major of [IRP_MJ_CLEANUP, IRP_MJ_CLOSE]) {
    const irp = request(major, '\\dir\\file');
    assert.equal(ClassCreateClose(device, irp), STATUS_SUCCESS);
    assert.equal(irp.completed, true);
  }
});

test('a transfer must be whole sectors inside the media with a buffer that holds it', () => {
  const media = 4096;
  const check = (byteOffset: number, length: number, buffer: Uint8Array | null = new Uint8Array(4096)) => {
    const irp = IoAllocateIrp(1);
    irp.userBuffer = buffer;
    return verifyDiskTransfer(irp, { byteOffset, length, key: 0 }, 512, media);
  };
  assert.equal(check(0, 4096), STATUS_SUCCESS);
  assert.equal(check(3584, 512), STATUS_SUCCESS);
  assert.equal(check(4096, 0, null), STATUS_SUCCESS, 'zero bytes at the end');
  for (const [offset, length] of [
    [4096, 512],
    [3584, 1024],
    [100, 512],
    [0, 100],
    [-512, 512],
    [0, -512],
    [0.5, 512],
    [Number.MAX_SAFE_INTEGER + 1, 0],
  ] as const) {
    assert.equal(check(offset, length), STATUS_INVALID_PARAMETER, `${offset}+${length}`);
  }
  assert.equal(check(0, 1024, new Uint8Array(512)), STATUS_INVALID_PARAMETER, 'a short buffer');
  assert.equal(check(0, 512, null), STATUS_INVALID_PARAMETER, 'no buffer');
});

test('a range check alone (a partition forwarding to its disk) ignores alignment', () => {
  assert.equal(isTransferInRange(100, 7, 107), true);
  assert.equal(isTransferInRange(100, 8, 107), false);
  assert.equal(isTransferInRange(-1, 1, 107), false);
  assert.equal(isTransferInRange(0, Number.NaN, 107), false);
});

test('a disk IOCTL answer needs an output buffer that holds the C structure', () => {
  const record = { length: 4096 };
  const short = IoAllocateIrp(1);
  assert.equal(completeDiskIoctl(short, 7, 8, record), STATUS_BUFFER_TOO_SMALL);
  assert.equal(short.systemBuffer, null);
  assert.equal(short.ioStatus.information, 0);
  const enough = IoAllocateIrp(1);
  assert.equal(completeDiskIoctl(enough, 8, 8, record), STATUS_SUCCESS);
  assert.equal(enough.systemBuffer, record);
  assert.equal(enough.ioStatus.information, 8);
  const partial = IoAllocateIrp(1);
  completeDiskIoctl(partial, 804, 804, record, 20);
  assert.equal(partial.ioStatus.information, 20, 'a variable record counts what it fills');
});
