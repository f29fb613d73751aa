/**
 * The worked filter of docs/writing-drivers.md, run: loaded next to MemFS under the driver
 * verifier, it attaches to the volume when it mounts (notification, then IRP_MN_MOUNT_VOLUME),
 * refuses delete-on-close, lets every other request through, and breaks no rule.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createSystem, deviceStack } from '../../src/api/index.ts';
import {
  DELETE,
  FILE_DELETE_ON_CLOSE,
  FILE_NON_DIRECTORY_FILE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  STATUS_ACCESS_DENIED,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../src/base/index.ts';
import { memFsDriver, memFsFormat } from '../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../src/drivers/storage/ramdisk/index.ts';
import { type DriverVerifier, IoLoadDriver } from '../../src/io/index.ts';
import { fsHarness } from '../support/fs-harness.ts';
import { noDeleteDriver } from './no-delete-filter.ts';

function volumeWithNoDelete() {
  const system = createSystem({ verify: true });
  assert.equal(IoLoadDriver(system, memFsDriver).status, STATUS_SUCCESS);
  assert.equal(IoLoadDriver(system, noDeleteDriver).status, STATUS_SUCCESS);
  const disk = IoCreateRamDisk(system, { sizeBytes: 1 << 20, format: memFsFormat({ label: 'DATA' }) })
    .deviceObject!;
  system.ob.createSymbolicLink('\\??\\M:', disk.deviceName!);
  const v = fsHarness(system, system.createProcess('app.exe'), { drive: '\\??\\M:', device: disk });
  return { system, disk, v, verifier: system.io.verifier as DriverVerifier };
}

test('NoDelete attaches above MemFS when the volume mounts, by notification', () => {
  const { disk, v } = volumeWithNoDelete();
  v.writeFile('keep.txt', 'data');
  const drivers = deviceStack(disk.vpb!.deviceObject!).map((entry) => entry.driverName);
  assert.deepEqual(drivers, ['\\FileSystem\\NoDelete', '\\FileSystem\\MemFs']);
});

test('an open asking for delete-on-close is refused with STATUS_ACCESS_DENIED and the file stays', () => {
  const { v, verifier } = volumeWithNoDelete();
  v.writeFile('keep.txt', 'data');
  const opened = v.open('keep.txt', {
    access: DELETE | SYNCHRONIZE,
    options: FILE_DELETE_ON_CLOSE | FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
  });
  assert.equal(opened.status, STATUS_ACCESS_DENIED);
  assert.equal(opened.handle, null);
  assert.equal(v.readFile('keep.txt'), 'data');
  assert.equal(verifier.violations.length, 0);
});

test('every other request passes through: files are written, read, renamed and deleted by disposition', () => {
  const { v, verifier } = volumeWithNoDelete();
  v.writeFile('a.txt', 'hello');
  assert.equal(v.readFile('a.txt'), 'hello');
  assert.equal(v.rename('a.txt', 'b.txt'), STATUS_SUCCESS);
  assert.equal(v.remove('b.txt'), STATUS_SUCCESS);
  assert.equal(v.exists('b.txt'), false);
  assert.equal(verifier.violations.length, 0);
});

test('docs/writing-drivers.md shows this filter as it is, with the import paths of src/drivers/filters/nodelete/', () => {
  const doc = readFileSync(new URL('../../docs/writing-drivers.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL('./no-delete-filter.ts', import.meta.url), 'utf8');
  const code = source
    .slice(source.indexOf(' */\n') + 4)
    .replaceAll("'../../src/drivers/filters/lib/", "'../lib/")
    .replaceAll("'../../src/", "'../../../");
  assert.ok(
    doc.includes(`\`\`\`ts\n${code}\`\`\``),
    'the snippet differs from test/examples/no-delete-filter.ts',
  );
});
