/**
 * Child process of bench/fat.bench.ts's memory row: measures how much this process's RSS grows
 * when an image file (argv[2]) is attached, mounted by FAT and its root listed. A fresh process,
 * so the bench's own 64 MiB buffers and freed heap cannot hide or inflate the growth. Prints
 * `{"grown": bytes}`.
 */
import { createSystem } from '../../src/api/create-system.ts';
import { NtClose } from '../../src/api/nt-close.ts';
import { NtCreateFile } from '../../src/api/nt-create-file.ts';
import { NtQueryDirectoryFile } from '../../src/api/nt-query-directory.ts';
import {
  FILE_DIRECTORY_FILE,
  FILE_LIST_DIRECTORY,
  FILE_OPEN,
  FileDirectoryInformation,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../src/base/index.ts';
import { fatDriver } from '../../src/drivers/fs/fat/index.ts';
import { IoCreateImageDisk } from '../../src/host/image-disk/index.ts';
import { IoLoadDriver } from '../../src/io/index.ts';

const image = process.argv[2];
if (image === undefined) throw new Error('usage: fat-mount-probe.ts <image>');
const system = createSystem();
const proc = system.createProcess('probe.exe');
IoLoadDriver(system, fatDriver);
const before = process.memoryUsage().rss;
if (IoCreateImageDisk(system, { path: image }).status !== STATUS_SUCCESS) throw new Error('probe: attach');
const opened = NtCreateFile(system, proc, {
  objectName: '\\Device\\HarddiskVolume1\\',
  desiredAccess: FILE_LIST_DIRECTORY | SYNCHRONIZE,
  createDisposition: FILE_OPEN,
  createOptions: FILE_DIRECTORY_FILE,
});
if (opened instanceof Promise || opened.handle === null) throw new Error('probe: open the root');
const listed = NtQueryDirectoryFile(proc, opened.handle, { fileInformationClass: FileDirectoryInformation });
if (listed instanceof Promise || listed.status !== STATUS_SUCCESS) throw new Error('probe: list the root');
NtClose(proc, opened.handle);
console.log(JSON.stringify({ grown: process.memoryUsage().rss - before }));
