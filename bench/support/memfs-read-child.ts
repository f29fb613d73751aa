/**
 * One configuration of the MemFS 4 KiB read benchmark, in a process of its own:
 * `node --import tsx bench/support/memfs-read-child.ts <filters>` builds a MemFS volume with that
 * many pass-through filters, measures 4 KiB NtReadFile against memfs readSync in interleaved rounds,
 * and prints `{ strataNs, referenceNs }` as JSON. A process per configuration keeps one
 * configuration's JIT feedback (inlining, call-site shapes) from shaping another's: in one process
 * the filterless path ran 10–15% faster once the filtered ones had warmed the same code, which
 * showed up as a per-filter cost no configuration has on its own.
 */
import { Volume } from 'memfs';
import { NtCreateFile } from '../../src/api/nt-create-file.ts';
import { NtReadFile, NtWriteFile } from '../../src/api/nt-read-write.ts';
import {
  FILE_CREATE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_NON_DIRECTORY_FILE,
  FILE_SYNCHRONOUS_IO_NONALERT,
} from '../../src/base/index.ts';
import { IoGetAttachedDevice, IoLoadDriver, IoStatusBlock } from '../../src/io/index.ts';
import { passThroughFilterDriver } from './bench-drivers.ts';
import { measureInterleaved } from './measure.ts';
import { createMemFsVolume } from './memfs-volume.ts';

const KiB4 = 4096;
const filters = Number(process.argv[2]);
if (!Number.isInteger(filters) || filters < 0) throw new Error('usage: memfs-read-child.ts <filters>');

const { system, process: proc, root, volumeDevice } = createMemFsVolume(64 << 20);
for (let i = 0; i < filters; i++) {
  const filter = passThroughFilterDriver(`Pass${i}`);
  const { driverObject } = IoLoadDriver(system, filter);
  filter.attach(driverObject!, IoGetAttachedDevice(volumeDevice()));
}
const created = NtCreateFile(system, proc, {
  objectName: `${root}\\data.bin`,
  desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE,
  createDisposition: FILE_CREATE,
  createOptions: FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
});
if (created instanceof Promise || created.handle === null) throw new Error('bench setup: create failed');
const handle = created.handle;
const payload = new Uint8Array(1 << 20).map((_, i) => i & 0xff);
const iosb = new IoStatusBlock();
NtWriteFile(proc, handle, iosb, payload, payload.length, 0);
const buffer = new Uint8Array(KiB4);
const blocks = payload.length / KiB4;
const strata = (n: number): void => {
  for (let i = 0; i < n; i++) NtReadFile(proc, handle, iosb, buffer, KiB4, (i % blocks) * KiB4);
};

const vol = Volume.fromJSON({});
vol.writeFileSync('/data.bin', payload);
const fd = vol.openSync('/data.bin', 'r');
const refBuffer = new Uint8Array(KiB4);
const reference = (n: number): void => {
  for (let i = 0; i < n; i++) vol.readSync(fd, refBuffer, 0, KiB4, (i % blocks) * KiB4);
};

const [strataNs, referenceNs] = measureInterleaved([strata, reference], { operations: 50_000, rounds: 11 });
process.stdout.write(`${JSON.stringify({ strataNs, referenceNs })}\n`);
