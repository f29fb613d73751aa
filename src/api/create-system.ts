/**
 * createSystem: a booted Strata kernel.
 *
 * Like Windows at boot, the RAW file system registers first, so its control devices
 * (`\Device\RawDisk`, `\Device\RawCdRom`, `\Device\RawTape`) sit last in their queues and every file
 * system registered later is asked before it. Everything else is loaded by the caller.
 */
import { NT_SUCCESS } from '../base/ntstatus.ts';
import { statusName } from '../base/status-name.ts';
import { rawFileSystemDriver } from '../drivers/fs/raw/index.ts';
import { IoLoadDriver, System, type SystemOptions } from '../io/index.ts';

export interface CreateSystemOptions extends SystemOptions {
  /** Boot without RAW (for tests of the bare I/O manager). Default false. */
  withoutRaw?: boolean;
}

export function createSystem(options: CreateSystemOptions = {}): System {
  const system = new System(options);
  if (!options.withoutRaw) {
    const { status } = IoLoadDriver(system, rawFileSystemDriver);
    if (!NT_SUCCESS(status)) throw new Error(`The RAW file system failed to load: ${statusName(status)}`);
  }
  return system;
}
