/**
 * A MemFS volume for end-to-end tests: a booted system, MemFS loaded, a formatted RAM disk linked
 * as M:, a deterministic clock, and the shared harness (test/support/fs-harness.ts) over it.
 */
import assert from 'node:assert/strict';
import { createSystem } from '../../../../src/api/index.ts';
import { STATUS_SUCCESS } from '../../../../src/base/index.ts';
import { memFsDriver, memFsFormat } from '../../../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk, type RamDiskOptions } from '../../../../src/drivers/storage/ramdisk/index.ts';
import { IoLoadDriver, type System } from '../../../../src/io/index.ts';
import { fsHarness } from '../../../support/fs-harness.ts';

export { ALL_SHARE, type OpenOptions, type OpenResult, READ_WRITE } from '../../../support/fs-harness.ts';

export interface VolumeOptions extends Omit<RamDiskOptions, 'format' | 'media'> {
  label?: string;
  serialNumber?: number;
  /** Use this media (already formatted, or not) instead of formatting a fresh one. */
  media?: Uint8Array;
}

export function memfsVolume(options: VolumeOptions = {}) {
  let time = 1_000_000;
  const system: System = createSystem({ clock: () => time });
  const process = system.createProcess('test.exe');
  IoLoadDriver(system, memFsDriver);
  const { label, serialNumber, media, ...disk } = options;
  const created = IoCreateRamDisk(system, {
    sizeBytes: media?.length ?? 1 << 20,
    ...disk,
    ...(media !== undefined
      ? { media }
      : {
          format: memFsFormat({ label: label ?? 'TEST', serialNumber: serialNumber ?? 0x1234abcd, now: 500 }),
        }),
  });
  assert.equal(created.status, STATUS_SUCCESS);
  const device = created.deviceObject!;
  system.ob.createSymbolicLink('\\??\\M:', device.deviceName!);
  return {
    ...fsHarness(system, process, { drive: '\\??\\M:', device }),
    device,
    media: (device.deviceExtension as { media: Uint8Array }).media,
    tick: (ms = 1000) => {
      time += ms;
      return time;
    },
    now: () => time,
  };
}

export type MemFsVolumeFixture = ReturnType<typeof memfsVolume>;
