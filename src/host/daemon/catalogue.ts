/**
 * The driver catalogue: the driver images a Strata host can load by service name, the way the
 * service database under `HKLM\System\CurrentControlSet\Services` lists what ZwLoadDriver may load.
 *
 * Every entry is a driver module plus what the host needs to drive it from user mode: for a filter,
 * how it attaches (by file system notification as it loads, or on demand) and, for filters with a
 * control device, the private device controls that attach and detach it — the user-mode half of
 * the filter's own protocol. Adding a driver is one line here.
 */
import {
  COMMAND_ATTACH_CONTROL_DEVICE,
  commandAttachDriver,
  IOCTL_COMMAND_ATTACH_VOLUME,
  IOCTL_COMMAND_DETACH_VOLUME,
} from '../../drivers/filters/command-attach/index.ts';
import { CRYPT_CONTROL_DEVICE, createCryptDriver } from '../../drivers/filters/crypt/index.ts';
import { notifyAttachDriver } from '../../drivers/filters/notify-attach/index.ts';
import {
  createReadOnlyDriver,
  READONLY_CONTROL_DEVICE,
  readOnlyDriver,
} from '../../drivers/filters/readonly/index.ts';
import { SFILTER_CONTROL_DEVICE, sfilterDriver } from '../../drivers/filters/sfilter/index.ts';
import {
  createSpyDriver,
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_FILTER_DETACH_VOLUME,
  SPY_CONTROL_DEVICE,
  spyDriver,
} from '../../drivers/filters/spy/index.ts';
import { cdfsDriver } from '../../drivers/fs/cdfs/index.ts';
import { fatDriver } from '../../drivers/fs/fat/index.ts';
import { fsRecDriver } from '../../drivers/fs/fsrec/index.ts';
import { memFsDriver } from '../../drivers/fs/memfs/index.ts';
import { partMgrDriver } from '../../drivers/storage/partmgr/index.ts';
import { ramDiskDriver } from '../../drivers/storage/ramdisk/index.ts';
import type { DriverModule } from '../../io/index.ts';
import { nodeAesCtrCipher } from '../crypt/aes-ctr.ts';
import { hostFsDriver } from '../hostfs/index.ts';
import { imageDiskDriver } from '../image-disk/index.ts';

export type AttachMode = 'notification' | 'on-demand';

/** What an attach request may carry besides the volume. */
export interface AttachOptions {
  /** Crypt's per-volume key (32 bytes). */
  key?: Uint8Array;
}

/** How the host tells a filter to attach to or detach from a volume. */
export interface OnDemandInterface {
  /** The filter's named control device, opened like any file. */
  controlDevice: string;
  attachCode: number;
  detachCode: number;
  /** True when attaching needs a key (Crypt). */
  needsKey: boolean;
  /** The input buffer for a volume (`\??\M:`). */
  input(volumeName: string, options: AttachOptions): unknown;
}

export interface CatalogueEntry {
  /** The image loaded unless a configuration asks for a particular attach mode. */
  module: DriverModule;
  /** For filters: the ways they attach (empty for other drivers); the first is the default. */
  attach: readonly AttachMode[];
  /** For filters built per attach mode: the image for a mode. */
  moduleFor: ((mode: AttachMode) => DriverModule) | null;
  /** For filters with a control device that attaches and detaches on request. */
  onDemand: OnDemandInterface | null;
}

const commandAttach: OnDemandInterface = {
  controlDevice: COMMAND_ATTACH_CONTROL_DEVICE,
  attachCode: IOCTL_COMMAND_ATTACH_VOLUME,
  detachCode: IOCTL_COMMAND_DETACH_VOLUME,
  needsKey: false,
  input: (volumeName) => ({ volumeName }),
};

/** The sample filters' shared control protocol (filters/lib/protocol.ts) on a filter's control device. */
const sampleFilter = (controlDevice: string, needsKey = false): OnDemandInterface => ({
  controlDevice,
  attachCode: IOCTL_FILTER_ATTACH_VOLUME,
  detachCode: IOCTL_FILTER_DETACH_VOLUME,
  needsKey,
  input: (volumeName, options) => (needsKey ? { volumeName, key: options.key } : { volumeName }),
});

const entry = (
  module: DriverModule,
  attach: readonly AttachMode[] = [],
  onDemand: OnDemandInterface | null = null,
  moduleFor: ((mode: AttachMode) => DriverModule) | null = null,
): CatalogueEntry => ({ module, attach, onDemand, moduleFor });

/** Every driver this build ships, by service name. */
export function builtInCatalogue(): DriverCatalogue {
  return new DriverCatalogue([
    entry(ramDiskDriver),
    entry(imageDiskDriver),
    entry(partMgrDriver),
    entry(memFsDriver),
    entry(fatDriver),
    entry(cdfsDriver),
    entry(fsRecDriver),
    entry(hostFsDriver),
    entry(sfilterDriver, ['notification'], sampleFilter(SFILTER_CONTROL_DEVICE)),
    entry(spyDriver, ['on-demand', 'notification'], sampleFilter(SPY_CONTROL_DEVICE), (mode) =>
      mode === 'notification' ? createSpyDriver({ attachMode: 'all-volumes' }) : spyDriver,
    ),
    entry(readOnlyDriver, ['on-demand', 'notification'], sampleFilter(READONLY_CONTROL_DEVICE), (mode) =>
      mode === 'notification' ? createReadOnlyDriver({ attachMode: 'all-volumes' }) : readOnlyDriver,
    ),
    entry(
      createCryptDriver({ cipher: nodeAesCtrCipher }),
      ['on-demand'],
      sampleFilter(CRYPT_CONTROL_DEVICE, true),
    ),
    entry(notifyAttachDriver, ['notification']),
    entry(commandAttachDriver, ['on-demand'], commandAttach),
  ]);
}

export class DriverCatalogue {
  private readonly entries = new Map<string, CatalogueEntry>();

  constructor(entries: CatalogueEntry[]) {
    for (const e of entries) this.entries.set(e.module.manifest.name.toUpperCase(), e);
  }

  /** The entry for a service name, case-insensitively. */
  get(service: string): CatalogueEntry | undefined {
    return this.entries.get(service.toUpperCase());
  }

  has(service: string): boolean {
    return this.entries.has(service.toUpperCase());
  }

  /** Service names as the drivers spell them, in catalogue order. */
  get services(): string[] {
    return [...this.entries.values()].map((e) => e.module.manifest.name);
  }

  all(): CatalogueEntry[] {
    return [...this.entries.values()];
  }

  /** The preferred service among candidates that this build has (newer drivers first). */
  firstOf(...services: string[]): string | null {
    for (const service of services) if (this.has(service)) return this.get(service)!.module.manifest.name;
    return null;
  }
}
