/**
 * createSystem: a booted Strata kernel.
 *
 * Like Windows at boot, the RAW file system registers first, so its control devices
 * (`\Device\RawDisk`, `\Device\RawCdRom`, `\Device\RawTape`) sit last in their queues and every file
 * system registered later is asked before it. Everything else is loaded by the caller. With
 * `verify`, the driver verifier watches every driver from the start, RAW included.
 */
import { NT_SUCCESS, statusName } from '../base/index.ts';
import { rawFileSystemDriver } from '../drivers/fs/raw/index.ts';
import {
  IoInitializeDriverVerifier,
  IoLoadDriver,
  System,
  type SystemOptions,
  type VerifierOptions,
} from '../io/index.ts';

export interface CreateSystemOptions extends SystemOptions {
  /** Boot without RAW (for tests of the bare I/O manager). Default false. */
  withoutRaw?: boolean;
  /** Turn the driver verifier on before any driver loads (docs/verifier.md). Default off. */
  verify?: boolean | VerifierOptions;
}

export function createSystem(options: CreateSystemOptions = {}): System {
  const system = new System(options);
  if (options.verify) IoInitializeDriverVerifier(system, options.verify === true ? {} : options.verify);
  if (!options.withoutRaw) {
    const { status } = IoLoadDriver(system, rawFileSystemDriver);
    if (!NT_SUCCESS(status)) throw new Error(`The RAW file system failed to load: ${statusName(status)}`);
  }
  return system;
}
