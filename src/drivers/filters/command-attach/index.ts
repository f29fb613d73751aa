/**
 * CommandAttach: the smallest legacy filter that attaches only when a user-mode program tells it
 * to (FileSpy's attach-on-demand mode, reference §3.1, §5.5), kept as the minimal teaching case
 * next to spy and used by the conformance suite.
 *
 * It never registers for file system notifications. Its named control device
 * `\FileSystem\Filters\CommandAttach` accepts IOCTL_COMMAND_ATTACH_VOLUME and
 * IOCTL_COMMAND_DETACH_VOLUME with `{ volumeName }` (`\??\M:` or a device name); the filter
 * library's on-demand attach does the work (so it always lands above every notification-driven
 * filter), and the library's own attach/detach/list codes work too. Everything else passes down.
 */
import { CTL_CODE, FILE_ANY_ACCESS, METHOD_BUFFERED } from '../../../base/file-codes.ts';
import type { DriverModule } from '../../../io/index.ts';
import { attachVolumeOnDemand, createLegacyFilterDriver, detachVolumeOnDemand } from '../lib/index.ts';

export const COMMAND_ATTACH_CONTROL_DEVICE = '\\FileSystem\\Filters\\CommandAttach';
const FILE_DEVICE_COMMAND_ATTACH = 0x8000;
export const IOCTL_COMMAND_ATTACH_VOLUME = CTL_CODE(
  FILE_DEVICE_COMMAND_ATTACH,
  0x800,
  METHOD_BUFFERED,
  FILE_ANY_ACCESS,
);
export const IOCTL_COMMAND_DETACH_VOLUME = CTL_CODE(
  FILE_DEVICE_COMMAND_ATTACH,
  0x801,
  METHOD_BUFFERED,
  FILE_ANY_ACCESS,
);

/** The input buffer of both device controls. */
export interface VolumeCommand {
  volumeName: string;
}

export const commandAttachDriver: DriverModule = createLegacyFilterDriver(
  {
    manifest: {
      name: 'CommandAttach',
      kind: 'legacy-filter',
      description: 'Attaches to a volume only when a user-mode program asks, through its control device.',
    },
    controlDeviceName: COMMAND_ATTACH_CONTROL_DEVICE,
    passPower: true,
    controlDeviceIoControl: (state, irp, code) => {
      if (code === IOCTL_COMMAND_ATTACH_VOLUME) return attachVolumeOnDemand(state.driver, irp);
      if (code === IOCTL_COMMAND_DETACH_VOLUME) return detachVolumeOnDemand(state.driver, irp);
      return null;
    },
  },
  { attachMode: 'on-demand' },
);
