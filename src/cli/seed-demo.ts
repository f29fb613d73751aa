/**
 * `strata demo` (`npm run demo`): the seed scenario, narrated, in one process.
 *
 * MemFS registers; a filter registers for notifications and is told about MemFS at once; a RAM
 * disk mounts and the filter attaches to the new volume; a second filter attaches later on a
 * user-mode command and lands above the first; MemFS unregisters and the filter hears
 * FsActive=FALSE while the mounted volume keeps working. Every step prints the stacks it changed,
 * and one write is traced through every driver it visits.
 */

import { createSystem } from '../api/create-system.ts';
import { formatDeviceStack } from '../api/devstack.ts';
import { formatIrpTraceRecord, type IrpTraceRecord, startIrpTrace } from '../api/irp-trace.ts';
import { NtClose } from '../api/nt-close.ts';
import { NtDeviceIoControlFile } from '../api/nt-control.ts';
import { NtCreateFile } from '../api/nt-create-file.ts';
import { NtReadFile, NtWriteFile } from '../api/nt-read-write.ts';
import {
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_OPEN,
  FILE_OPEN_IF,
  FILE_SYNCHRONOUS_IO_NONALERT,
  NT_SUCCESS,
  statusName,
} from '../base/index.ts';
import { mustBeSync } from '../base/maybe-promise.ts';
import { sfilterDriver } from '../drivers/filters/sfilter/index.ts';
import {
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_SPY_GET_RECORDS,
  SPY_CONTROL_DEVICE,
  type SpyRecordBatch,
  spyDriver,
} from '../drivers/filters/spy/index.ts';
import { memFsDriver, memFsFormat } from '../drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../drivers/storage/ramdisk/index.ts';
import {
  type DeviceObject,
  IoLoadDriver,
  IoStatusBlock,
  IoUnregisterFileSystem,
  type System,
} from '../io/index.ts';

const bold = (text: string): string => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const dim = (text: string): string => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text);

/** Prints numbered steps: each run of the demo counts from 1. */
function stepPrinter(): (title: string, explanation: string) => void {
  let stepNumber = 0;
  return (title, explanation) => {
    stepNumber++;
    console.log(`\n${bold(`${stepNumber}. ${title}`)}`);
    console.log(dim(explanation));
  };
}

function show(label: string, device: DeviceObject): void {
  console.log(`\n  ${label}:`);
  for (const line of formatDeviceStack(device).split('\n')) console.log(`    ${line}`);
}

function check(status: number, what: string): void {
  if (!NT_SUCCESS(status)) throw new Error(`${what} failed: ${statusName(status)}`);
}

function queue(system: System): string {
  return system.io.diskFileSystemQueue.map((cdo) => cdo.deviceName ?? cdo.describe()).join(' → ');
}

export function runSeedDemo(): void {
  const step = stepPrinter();
  const system = createSystem();
  const app = system.createProcess('demo.exe');

  step(
    'Boot',
    'createSystem() builds a kernel; RAW registers at boot, so it is always last in the disk queue.',
  );
  console.log(`  disk file system queue: ${queue(system)}`);

  step(
    'MemFS registers',
    'MemFS DriverEntry creates its control device and calls IoRegisterFileSystem: head of the queue.',
  );
  check(IoLoadDriver(system, memFsDriver).status, 'loading MemFS');
  console.log(`  disk file system queue: ${queue(system)}`);
  const memFsCdo = system.io.diskFileSystemQueue[0]!;

  step(
    'A filter registers for notifications',
    "SFilter calls IoRegisterFsRegistrationChange and is told about MemFS before the call returns (the replay);\nit attaches to MemFS's control device, so every mount request will pass through it (and to RAW's, by name).",
  );
  const unlisten = system.io.addListener((event) => {
    if (event.kind === 'fs-notify') {
      console.log(
        `  notification → ${event.driver.serviceName}: ${event.device.deviceName} FsActive=${event.fsActive ? 'TRUE' : 'FALSE'}${event.replay ? ' (replay)' : ''}`,
      );
    }
  });
  check(IoLoadDriver(system, sfilterDriver).status, 'loading SFilter');
  show('MemFS control device stack', memFsCdo);

  step(
    'A RAM disk mounts',
    'The first open of M:\\ walks the disk queue; MemFS claims the volume; SFilter sees the mount pass and attaches to the new volume device.',
  );
  const disk = IoCreateRamDisk(system, {
    sizeBytes: 8 * 1024 * 1024,
    format: memFsFormat({ label: 'DEMO' }),
  });
  check(disk.status, 'creating the RAM disk');
  system.ob.createSymbolicLink('\\??\\M:', disk.deviceObject!.deviceName!);
  const file = mustBeSync(
    NtCreateFile(system, app, {
      objectName: '\\??\\M:\\hello.txt',
      desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE,
      createDisposition: FILE_OPEN_IF,
      createOptions: FILE_SYNCHRONOUS_IO_NONALERT,
    }),
    'NtCreateFile',
  );
  check(file.status, 'opening M:\\hello.txt');
  const volume = disk.deviceObject!.vpb!.deviceObject!;
  show('Device stack of M:, top first', volume);

  step(
    'A second filter attaches on a user-mode command',
    'demo.exe opens \\FileSystem\\Filters\\FileSpy and sends IOCTL_FILTER_ATTACH_VOLUME for M:.\nAttachment only happens at the top of the current stack, so Spy lands above SFilter.',
  );
  check(IoLoadDriver(system, spyDriver).status, 'loading Spy');
  const control = mustBeSync(
    NtCreateFile(system, app, {
      objectName: SPY_CONTROL_DEVICE,
      desiredAccess: FILE_GENERIC_READ,
      createDisposition: FILE_OPEN,
    }),
    'NtCreateFile',
  );
  check(control.status, 'opening the Spy control device');
  check(
    mustBeSync(
      NtDeviceIoControlFile(app, control.handle!, IOCTL_FILTER_ATTACH_VOLUME, { volumeName: 'M:' }),
      'NtDeviceIoControlFile',
    ).status,
    'attach command',
  );
  show('Device stack of M:, top first', volume);

  step(
    'One write, traced',
    'NtWriteFile builds an IRP_MJ_WRITE sized for the stack and hands it to the top; each filter passes it down.',
  );
  const records: IrpTraceRecord[] = [];
  const stopTrace = startIrpTrace(system, (record) => records.push(record));
  const iosb = new IoStatusBlock();
  const text = new TextEncoder().encode('Hello from the top of the stack.\n');
  check(mustBeSync(NtWriteFile(app, file.handle!, iosb, text, text.length, 0), 'NtWriteFile'), 'writing');
  stopTrace();
  for (const record of records) console.log(`  ${formatIrpTraceRecord(record)}`);
  console.log(`  IoStatus: ${statusName(iosb.status)}, ${iosb.information} bytes`);
  const drained = mustBeSync(
    NtDeviceIoControlFile(app, control.handle!, IOCTL_SPY_GET_RECORDS, null),
    'NtDeviceIoControlFile',
  );
  console.log('  What Spy recorded on M: (drained with IOCTL_SPY_GET_RECORDS):');
  for (const r of (drained.output as SpyRecordBatch).records) {
    console.log(
      `    #${r.sequence} ${r.processName} ${r.majorName} "${r.fileName ?? ''}" = ${statusName(r.status)}, ${r.information}`,
    );
  }
  NtClose(app, control.handle!);

  step(
    'MemFS unregisters',
    'IoUnregisterFileSystem takes MemFS out of the queue and notifies FsActive=FALSE;\nSFilter detaches from the control device. Mounted volumes are not touched.',
  );
  IoUnregisterFileSystem(memFsCdo);
  unlisten();
  console.log(`  disk file system queue: ${queue(system)}`);
  show('MemFS control device stack', memFsCdo);
  show('Device stack of M:, top first (unchanged)', volume);

  step('The mounted volume keeps working', 'The open handle still reaches MemFS through the VPB.');
  const back = new Uint8Array(64);
  check(mustBeSync(NtReadFile(app, file.handle!, iosb, back, back.length, 0), 'NtReadFile'), 'reading back');
  console.log(
    `  read ${iosb.information} bytes: ${JSON.stringify(new TextDecoder().decode(back.subarray(0, iosb.information)))}`,
  );
  NtClose(app, file.handle!);
  console.log('\nDone.');
}
