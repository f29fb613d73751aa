/**
 * The driver catalogue: the driver images a Strata host can load by service name, the way the
 * service database under `HKLM\System\CurrentControlSet\Services` lists what ZwLoadDriver may load.
 *
 * Every entry is a driver module plus what the host needs to drive it from user mode: for a filter,
 * how it attaches (by file system notification as it loads, or on demand) and, for on-demand
 * filters, the private device control it answers on its control device — the user-mode half of
 * the filter's own protocol. Adding a driver is one line here.
 */
import {
  COMMAND_ATTACH_CONTROL_DEVICE,
  commandAttachDriver,
  IOCTL_COMMAND_ATTACH_VOLUME,
  IOCTL_COMMAND_DETACH_VOLUME,
} from '../../drivers/filters/command-attach/index.ts';
import { notifyAttachDriver } from '../../drivers/filters/notify-attach/index.ts';
import { SFILTER_CONTROL_DEVICE, sfilterDriver } from '../../drivers/filters/sfilter/index.ts';
import {
  createSpyDriver,
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_FILTER_DETACH_VOLUME,
  SPY_CONTROL_DEVICE,
  spyDriver,
} from '../../drivers/filters/spy/index.ts';
import { memFsDriver } from '../../drivers/fs/memfs/index.ts';
import { ramDiskDriver } from '../../drivers/storage/ramdisk/index.ts';
import type { DriverModule } from '../../io/index.ts';

export type AttachMode = 'notification' | 'on-demand';

/** How the host tells an on-demand filter to attach to or detach from a volume. */
export interface OnDemandInterface {
  /** The filter's named control device, opened like any file. */
  controlDevice: string;
  attachCode: number;
  detachCode: number;
  /** The input buffer for a volume (`\??\M:`). */
  input(volumeName: string): unknown;
}

export interface CatalogueEntry {
  /** The image loaded unless a configuration asks for a particular attach mode. */
  module: DriverModule;
  /** For filters: the ways they attach (empty for other drivers); the first is the default. */
  attach: readonly AttachMode[];
  /** For filters built per attach mode (spy): the image for a mode. */
  moduleFor: ((mode: AttachMode) => DriverModule) | null;
  /** For filters with a control device that attaches and detaches on request. */
  onDemand: OnDemandInterface | null;
}

const commandAttach: OnDemandInterface = {
  controlDevice: COMMAND_ATTACH_CONTROL_DEVICE,
  attachCode: IOCTL_COMMAND_ATTACH_VOLUME,
  detachCode: IOCTL_COMMAND_DETACH_VOLUME,
  input: (volumeName) => ({ volumeName }),
};

/** The sample filters' shared control protocol (filters/lib/protocol.ts) on a filter's control device. */
const sampleFilter = (controlDevice: string): OnDemandInterface => ({
  controlDevice,
  attachCode: IOCTL_FILTER_ATTACH_VOLUME,
  detachCode: IOCTL_FILTER_DETACH_VOLUME,
  input: (volumeName) => ({ volumeName }),
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
    entry(memFsDriver),
    entry(notifyAttachDriver, ['notification']),
    entry(commandAttachDriver, ['on-demand'], commandAttach),
    entry(sfilterDriver, ['notification'], sampleFilter(SFILTER_CONTROL_DEVICE)),
    entry(spyDriver, ['on-demand', 'notification'], sampleFilter(SPY_CONTROL_DEVICE), (mode) =>
      mode === 'notification' ? createSpyDriver({ attachMode: 'all-volumes' }) : spyDriver,
    ),
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
