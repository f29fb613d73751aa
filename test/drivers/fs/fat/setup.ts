/**
 * A FAT volume for end-to-end tests: a booted system with FAT loaded, a RAM disk holding a FAT
 * image (formatted by Strata, or bytes an oracle tool produced) linked as M:, a deterministic
 * clock in 2024 (FAT cannot store 1970), and the shared harness (test/support/fs-harness.ts).
 * `save` writes the volume back and copies the disk to a host file for fsck.fat and mtools.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createSystem } from '../../../../src/api/index.ts';
import { STATUS_SUCCESS } from '../../../../src/base/index.ts';
import { fatDriver, formatFatVolume } from '../../../../src/drivers/fs/fat/index.ts';
import { IoCreateRamDisk } from '../../../../src/drivers/storage/ramdisk/index.ts';
import { type DriverModule, IoLoadDriver } from '../../../../src/io/index.ts';
import { fsHarness } from '../../../support/fs-harness.ts';
import './oracles.ts';

export type FatBits = 12 | 16 | 32;
export const FAT_TYPES: readonly FatBits[] = [12, 16, 32];

/** Small sizes that still give each type: FAT32 needs 65,525 clusters. */
export const DEFAULT_SIZE: Record<FatBits, number> = { 12: 2 << 20, 16: 16 << 20, 32: 34 << 20 };

export const START_TIME = Date.UTC(2024, 0, 15, 10, 30, 0);

export interface FatVolumeOptions {
  fatType?: FatBits;
  sizeBytes?: number;
  /** An image to use as the disk instead of a fresh format (not copied). */
  media?: Uint8Array;
  label?: string;
  readOnly?: boolean;
  completeAsynchronously?: boolean;
  sectorSize?: number;
  /** The FAT driver image to load (fatDriverWith(...) for options); fatDriver by default. */
  driver?: DriverModule;
}

export function fatVolume(options: FatVolumeOptions = {}) {
  let time = START_TIME;
  const system = createSystem({ clock: () => time });
  const process = system.createProcess('test.exe');
  IoLoadDriver(system, options.driver ?? fatDriver);
  const fatType = options.fatType ?? 16;
  let media = options.media;
  if (media === undefined) {
    media = new Uint8Array(options.sizeBytes ?? DEFAULT_SIZE[fatType]);
    const status = formatFatVolume(media, {
      fatType,
      label: options.label ?? 'TEST',
      serialNumber: 0x1234abcd,
      now: time,
      sectorSize: options.sectorSize ?? 512,
    });
    assert.equal(status, STATUS_SUCCESS, 'format');
  }
  const created = IoCreateRamDisk(system, {
    media,
    readOnly: options.readOnly ?? false,
    completeAsynchronously: options.completeAsynchronously ?? false,
    sectorSize: options.sectorSize ?? 512,
  });
  assert.equal(created.status, STATUS_SUCCESS);
  const device = created.deviceObject!;
  system.ob.createSymbolicLink('\\??\\M:', device.deviceName!);
  const api = fsHarness(system, process, { drive: '\\??\\M:', device });
  const disk = media;

  /** Writes the volume's metadata back (FSCTL-free: a flush through a volume open). */
  function flushVolume(): void {
    const volume = api.openVolume();
    assert.equal(volume.status, STATUS_SUCCESS, 'volume open');
    assert.equal(api.flush(volume.handle!), STATUS_SUCCESS, 'flush');
    api.close(volume.handle!);
  }

  /** Flushes and copies the disk to `dir/name`; returns the path. */
  function save(dir: string, name = 'volume.img'): string {
    flushVolume();
    const file = path.join(dir, name);
    fs.writeFileSync(file, disk);
    return file;
  }

  return {
    ...api,
    device,
    fatType,
    media: disk,
    tick: (ms = 1000) => {
      time += ms;
      return time;
    },
    setTime: (ms: number) => {
      time = ms;
    },
    now: () => time,
    flushVolume,
    save,
  };
}

export type FatVolumeFixture = ReturnType<typeof fatVolume>;

/** A FAT volume over an image file's bytes (read whole: for small oracle-made images). */
export function fatVolumeFromFile(file: string, options: Omit<FatVolumeOptions, 'media'> = {}) {
  return fatVolume({ ...options, media: new Uint8Array(fs.readFileSync(file)) });
}
