/**
 * NotifyAttach: the smallest notification-driven legacy filter (reference §3.1, §5.5), kept as the
 * minimal teaching case next to sfilter and used by the conformance suite.
 *
 * It is sfilter without a control device and without RAW: the filter library registers for file
 * system notifications, attaches to each file system's control device (recognizers skipped) and to
 * the volumes it already mounted, attaches to each new volume once its mount completes, and leaves
 * on FsActive=FALSE and FastIoDetachDevice. Every request is passed down untouched, IRP_MJ_POWER
 * included. The logic lives once, in `../lib/`; prefer `sfilter` for anything new.
 */
import type { DriverModule } from '../../../io/index.ts';
import { createLegacyFilterDriver } from '../lib/index.ts';

export const notifyAttachDriver: DriverModule = createLegacyFilterDriver(
  {
    manifest: {
      name: 'NotifyAttach',
      kind: 'legacy-filter',
      description:
        'Attaches to every file system and every volume as it mounts, via file system notifications.',
    },
    controlDeviceName: null,
    passPower: true,
  },
  { attachMode: 'all-volumes', attachToRaw: false },
);
