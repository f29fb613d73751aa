/**
 * The control protocol every sample filter's control device understands: attach to a volume,
 * detach from it, list attachments. Shared by the kernel side (the filter library) and user-mode
 * clients (the daemon, the `strata` command); each filter's own `protocol.ts` re-exports these next
 * to its private codes.
 *
 * NT counterpart: the private IRP_MJ_DEVICE_CONTROL codes FileSpy's control device accepts
 * (FILESPY_StartLoggingDevice, FILESPY_StopLoggingDevice, FILESPY_ListDevices). Codes are built with
 * CTL_CODE in the vendor device-type range (0x8000 and up), METHOD_BUFFERED: the input is a
 * structured record in Irp.systemBuffer and the output replaces it (see docs/deviations.md,
 * "Information buffers").
 */
import { CTL_CODE, FILE_ANY_ACCESS, METHOD_BUFFERED } from '../../../base/file-codes.ts';

/** Device type of every sample filter's control codes (vendor range). */
export const FILE_DEVICE_STRATA_FILTER = 0x8001;

/** Builds a control code of the sample filter family (METHOD_BUFFERED, FILE_ANY_ACCESS). */
export function FILTER_CTL_CODE(fn: number): number {
  return CTL_CODE(FILE_DEVICE_STRATA_FILTER, fn, METHOD_BUFFERED, FILE_ANY_ACCESS);
}

/** Input `VolumeRequest`; attaches a filter device at the top of the volume's stack. */
export const IOCTL_FILTER_ATTACH_VOLUME = FILTER_CTL_CODE(0x800);
/** Input `VolumeRequest`; detaches the filter's device from the volume's stack. */
export const IOCTL_FILTER_DETACH_VOLUME = FILTER_CTL_CODE(0x801);
/** No input; output `FilterAttachment[]`. */
export const IOCTL_FILTER_LIST_ATTACHMENTS = FILTER_CTL_CODE(0x802);

/**
 * Names a volume: a drive letter (`M:`), a DOS device path (`\??\M:`) or a device name
 * (`\Device\RamDisk0`). The volume is mounted if it is not yet.
 */
export interface VolumeRequest {
  volumeName: string;
}

/** How a filter device came to be on a stack. */
export type AttachReason = 'notification' | 'on-demand';

/** One entry of IOCTL_FILTER_LIST_ATTACHMENTS. */
export interface FilterAttachment {
  /** The storage device under the volume (`\Device\RamDisk0`), or the control device name for a file system. */
  target: string;
  /** 'volume' for a volume stack, 'file-system' for a file system's control device stack. */
  kind: 'volume' | 'file-system';
  /** The driver at the bottom of the stack (`\FileSystem\MemFs`). */
  fileSystem: string;
  attachedBy: AttachReason;
}

/**
 * Turns a user-given volume name into an object name: `M:` and `m:` become `\??\M:`; names that
 * already start with a backslash are kept; anything else is null (a bad request).
 */
export function volumeObjectName(volumeName: unknown): string | null {
  if (typeof volumeName !== 'string' || volumeName.length === 0 || volumeName.length > 1024) return null;
  if (/^[A-Za-z]:\\?$/.test(volumeName)) return `\\??\\${volumeName[0]!.toUpperCase()}:`;
  if (volumeName[0] !== '\\' || volumeName.includes('\0')) return null;
  return volumeName.endsWith('\\') && volumeName.length > 1 ? volumeName.slice(0, -1) : volumeName;
}
