/**
 * SFilter: the classic pass-through legacy filter of the WDK (sfilter.c), the pattern every
 * notification-driven filter follows (reference §3, §4, §5.5, §8).
 *
 * What it does, and where the code is (all in the filter library, because spy, readonly and crypt
 * attach the same way):
 * - DriverEntry creates `\FileSystem\Filters\SFilterCDO`, fills every dispatch slot with a
 *   pass-through, sets FastIoDetachDevice, registers for file system notifications and attaches to
 *   RAW by name (`lib/legacy-filter.ts`);
 * - a file system reported active gets a filter device on its control device, and so do the
 *   volumes it already mounted; recognizers (`\FileSystem\Fs_Rec`) are skipped unless
 *   `attachToRecognizers` is set (`lib/fs-attach.ts`);
 * - every IRP_MN_MOUNT_VOLUME passes through the control-device filter, which attaches to the new
 *   volume device once the mount succeeds; IRP_MN_LOAD_FILE_SYSTEM makes it leave the recognizer
 *   first (`lib/fs-attach.ts`);
 * - FsActive=FALSE and FastIoDetachDevice take its devices off again.
 * Every other request, on every device, is passed down untouched with IoSkipCurrentIrpStackLocation.
 */
import type { DriverModule } from '../../../io/index.ts';
import { createLegacyFilterDriver } from '../lib/index.ts';
import { SFILTER_CONTROL_DEVICE } from './protocol.ts';

export * from './protocol.ts';

export interface SFilterOptions {
  /** sfilter's debug switch: also attach to recognizer control devices. Default false. */
  attachToRecognizers?: boolean;
}

/** SFilter with options (the debug switch sfilter keeps in a registry value). */
export function createSFilterDriver(options: SFilterOptions = {}): DriverModule {
  return createLegacyFilterDriver(
    {
      manifest: {
        name: 'SFilter',
        kind: 'legacy-filter',
        description:
          'The WDK sfilter pass-through: attaches to every file system and volume through notifications.',
      },
      controlDeviceName: SFILTER_CONTROL_DEVICE,
    },
    { attachMode: 'all-volumes', attachToRecognizers: options.attachToRecognizers ?? false },
  );
}

/** SFilter as the WDK ships it: recognizers skipped. */
export const sfilterDriver: DriverModule = createSFilterDriver();
