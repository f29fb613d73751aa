/**
 * A booted system with MemFS loaded and one formatted RAM disk mounted: the setup the MemFS
 * benchmarks share. `root` is the disk's device name, so `${root}\\file` names a file on the volume.
 */
import { createSystem } from '../../src/api/create-system.ts';
import { NtClose } from '../../src/api/nt-close.ts';
import { NtCreateFile } from '../../src/api/nt-create-file.ts';
import { FILE_DIRECTORY_FILE, FILE_LIST_DIRECTORY, FILE_OPEN, SYNCHRONIZE } from '../../src/base/index.ts';
import { memFsDriver, memFsFormat } from '../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../src/drivers/storage/ramdisk/index.ts';
import { type DeviceObject, IoLoadDriver, type System } from '../../src/io/index.ts';
import type { Process } from '../../src/ob/index.ts';

export interface MemFsVolume {
  system: System;
  process: Process;
  root: string;
  /** The mounted volume device (the base of the volume stack). */
  volumeDevice(): DeviceObject;
}

export function createMemFsVolume(sizeBytes: number): MemFsVolume {
  const system = createSystem();
  const process = system.createProcess('bench.exe');
  IoLoadDriver(system, memFsDriver);
  const { deviceObject: disk } = IoCreateRamDisk(system, {
    sizeBytes,
    format: memFsFormat({ label: 'BENCH' }),
  });
  if (disk === null) throw new Error('bench setup: RAM disk creation failed');
  const root = disk.deviceName!;
  // Mount now, so filters can attach to the volume before the first measured request.
  const opened = NtCreateFile(system, process, {
    objectName: `${root}\\`,
    desiredAccess: FILE_LIST_DIRECTORY | SYNCHRONIZE,
    createDisposition: FILE_OPEN,
    createOptions: FILE_DIRECTORY_FILE,
  });
  if (opened instanceof Promise || opened.handle === null) throw new Error('bench setup: mount failed');
  NtClose(process, opened.handle);
  return {
    system,
    process,
    root,
    volumeDevice: () => {
      const volume = disk.vpb?.deviceObject;
      if (volume === null || volume === undefined) throw new Error('bench setup: the volume is not mounted');
      return volume;
    },
  };
}
