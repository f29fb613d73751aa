/**
 * The write-back order every file system's shutdown shares (src/io/fsrtl/flush.ts): volumes in
 * turn, dismounted ones skipped, the first failure reported after all were tried, whether the
 * write-backs answer at once or later.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type NTSTATUS,
  STATUS_DEVICE_NOT_READY,
  STATUS_DISK_FULL,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import { flushVolumes } from '../../../src/io/index.ts';

interface Volume {
  name: string;
  dismounted: boolean;
  status: NTSTATUS;
}

function volumes(): Volume[] {
  return [
    { name: 'a', dismounted: false, status: STATUS_SUCCESS },
    { name: 'b', dismounted: false, status: STATUS_DISK_FULL },
    { name: 'c', dismounted: true, status: STATUS_DEVICE_NOT_READY },
    { name: 'd', dismounted: false, status: STATUS_DEVICE_NOT_READY },
  ];
}

test('write-backs that answer at once: every mounted volume in turn, the first failure reported, before the call returns', () => {
  const written: string[] = [];
  let result: NTSTATUS | null = null;
  flushVolumes(
    volumes(),
    (volume, done) => {
      written.push(volume.name);
      done(volume.status);
    },
    (status) => {
      result = status;
    },
  );
  assert.deepEqual(written, ['a', 'b', 'd'], 'the dismounted volume is skipped');
  assert.equal(result, STATUS_DISK_FULL);
});

test('write-backs that pend: each volume waits for the one before, and the answer comes with the last', () => {
  const written: string[] = [];
  const pending: Array<() => void> = [];
  let result: NTSTATUS | null = null;
  flushVolumes(
    volumes(),
    (volume, done) => {
      written.push(volume.name);
      pending.push(() => done(volume.status));
    },
    (status) => {
      result = status;
    },
  );
  assert.deepEqual(written, ['a']);
  pending.shift()!();
  assert.deepEqual(written, ['a', 'b']);
  pending.shift()!();
  assert.deepEqual(written, ['a', 'b', 'd']);
  assert.equal(result, null, 'not before the last write-back');
  pending.shift()!();
  assert.equal(result, STATUS_DISK_FULL);
});

test('no volume to write back is success at once', () => {
  let result: NTSTATUS | null = null;
  flushVolumes<Volume>(
    [],
    () => assert.fail('nothing to write'),
    (status) => {
      result = status;
    },
  );
  assert.equal(result, STATUS_SUCCESS);
});
