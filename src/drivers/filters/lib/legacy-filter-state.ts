/**
 * What a sample filter tells the library about itself, and the per-driver state the library keeps
 * on `DriverObject.driverExtension` (NT filters keep it in globals; Strata has none).
 *
 * Invariant: one LegacyFilterState per loaded driver object; it owns the control device pointer
 * (identified by pointer comparison, as §3.2 says) and the notification routine registered, if any.
 */
import type { NTSTATUS } from '../../../base/ntstatus.ts';
import type {
  DeviceObject,
  DriverDispatch,
  DriverManifest,
  DriverObject,
  FsNotificationRoutine,
  Irp,
} from '../../../io/index.ts';

/**
 * How volume filter devices get on stacks:
 * - 'all-volumes': registers for file system notifications, attaches to every file system and to
 *   every volume as it mounts (sfilter, FileSpy's ATTACH_ALL_VOLUMES);
 * - 'on-demand': never registers; attaches only when user mode asks through the control device
 *   (FileSpy's ATTACH_ON_DEMAND). The attach/detach/list codes work in both modes.
 */
export type AttachMode = 'all-volumes' | 'on-demand';

export interface LegacyFilterOptions {
  attachMode: AttachMode;
  /** Attach to recognizer control devices (`\FileSystem\Fs_Rec`) too; sfilter's debug switch. */
  attachToRecognizers: boolean;
  /** In 'all-volumes' mode, attach to RAW's control devices by name at load (sfilter does). */
  attachToRaw: boolean;
}

export interface LegacyFilterDefinition<TFilter = unknown, TVolume = unknown> {
  readonly manifest: DriverManifest;
  /** The named control device, `\FileSystem\Filters\<Name>`; null for a filter user mode never talks to. */
  readonly controlDeviceName: string | null;
  /**
   * Put a pass-through in the IRP_MJ_POWER slot too. Default false: power never reaches file
   * system stacks and filters must not register for it (§3.5), so the slot keeps the I/O
   * manager's default.
   */
  readonly passPower?: boolean;
  /** Per-driver state, made in DriverEntry before anything is attached. */
  createFilterState?(driver: DriverObject): TFilter;
  /** Dispatch routines for requests arriving on volume filter devices; unset majors pass through. */
  readonly volumeDispatch?: Readonly<Partial<Record<number, DriverDispatch>>>;
  /**
   * Per-volume state for a new volume filter device. `request` is the attach request's input for
   * on-demand attaches, null for notification-driven ones. Returning a number fails the attach
   * with that status (crypt refuses an attach without a key).
   */
  createVolumeState?(
    state: LegacyFilterState<TFilter, TVolume>,
    device: DeviceObject,
    request: unknown,
  ): TVolume | number | null;
  /** Called once a volume filter device is on its stack (after any temporary open is closed). */
  volumeAttached?(state: LegacyFilterState<TFilter, TVolume>, device: DeviceObject): void;
  /**
   * Private device controls on the control device, beyond the library's attach/detach/list.
   * Complete the IRP and return its status, or return null for an unknown code.
   */
  controlDeviceIoControl?(
    state: LegacyFilterState<TFilter, TVolume>,
    irp: Irp,
    code: number,
  ): NTSTATUS | null;
  /** Called from DriverUnload before the library detaches and deletes the devices. */
  unload?(state: LegacyFilterState<TFilter, TVolume>): void;
}

export interface LegacyFilterState<TFilter = unknown, TVolume = unknown> {
  readonly driver: DriverObject;
  readonly definition: LegacyFilterDefinition<TFilter, TVolume>;
  readonly options: LegacyFilterOptions;
  controlDevice: DeviceObject | null;
  notificationRoutine: FsNotificationRoutine | null;
  filter: TFilter;
}

export function legacyFilterState<TFilter = unknown, TVolume = unknown>(
  driver: DriverObject,
): LegacyFilterState<TFilter, TVolume> {
  return driver.driverExtension as LegacyFilterState<TFilter, TVolume>;
}
