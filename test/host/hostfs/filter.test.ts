import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type IrpTraceRecord, startIrpTrace } from '../../../src/api/index.ts';
import {
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import { notifyAttachDriver } from '../../../src/drivers/filters/notify-attach/index.ts';
import { HOSTFS_CONTROL_DEVICE_NAME } from '../../../src/host/hostfs/index.ts';
import { IoGetAttachedDevice, IoLoadDriver, type System } from '../../../src/io/index.ts';
import { withShare } from './setup.ts';

/** The drivers each request of `major` went through, top first. */
function path(records: IrpTraceRecord[], major: string): string[][] {
  const paths: string[][] = [];
  for (const record of records) {
    if (record.major !== major) continue;
    if (record.depth === 0) paths.push([]);
    paths.at(-1)?.push(record.driver);
  }
  return paths;
}

for (const order of ['filter loaded first', 'filter loaded after HostFS'] as const) {
  test(`a notification-driven filter on the HostFS control device sees every create and read (${order})`, () => {
    // Loaded first, the filter hears HostFS register; loaded after, it hears the replay of the
    // file systems already registered. Either way it ends up on the control device.
    const loadFilter = (system: System): void => {
      assert.equal(IoLoadDriver(system, notifyAttachDriver).status, STATUS_SUCCESS);
    };
    const first = order === 'filter loaded first';
    withShare(first ? { boot: loadFilter } : {}, (v) => {
      if (!first) loadFilter(v.system);
      const cdo = v.system.io.networkFileSystemQueue[0]!;
      assert.equal(cdo.deviceName, HOSTFS_CONTROL_DEVICE_NAME);
      assert.equal(IoGetAttachedDevice(cdo).driverObject.driverName, '\\FileSystem\\NotifyAttach');

      const records: IrpTraceRecord[] = [];
      const stop = startIrpTrace(v.system, (record) => records.push(record));
      try {
        const created = v.open('seen.txt', { disposition: FILE_CREATE });
        assert.equal(created.status, STATUS_SUCCESS);
        v.write(created.handle!, 'filtered');
        v.close(created.handle!);
        assert.equal(v.readFile('seen.txt'), 'filtered');
        const dir = v.handle('', { access: FILE_GENERIC_READ, options: FILE_DIRECTORY_FILE });
        v.queryDirectory(dir);
        v.close(dir);
      } finally {
        stop();
      }
      const through = ['\\FileSystem\\NotifyAttach', '\\FileSystem\\HostFs'];
      for (const major of [
        'IRP_MJ_CREATE',
        'IRP_MJ_READ',
        'IRP_MJ_WRITE',
        'IRP_MJ_DIRECTORY_CONTROL',
        'IRP_MJ_CLEANUP',
        'IRP_MJ_CLOSE',
      ]) {
        const paths = path(records, major);
        assert.ok(paths.length > 0, `${major} was sent`);
        for (const p of paths) assert.deepEqual(p, through, major);
      }
      const create = records.find((r) => r.major === 'IRP_MJ_CREATE' && r.depth === 0)!;
      assert.equal(create.fileName, '\\share\\seen.txt', 'the filter sees the share-relative name');
    });
  });
}
