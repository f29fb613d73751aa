/**
 * The HostFS control protocol: device I/O controls sent to an open of the control device
 * `\Device\HostFs` (NtDeviceIoControlFile), with the records they carry in the system buffer.
 * Shared by the driver and whoever manages shares from outside (the future control plane).
 *
 * - IOCTL_HOSTFS_ADD_SHARE, input HostFsShareOptions: exposes a host directory.
 * - IOCTL_HOSTFS_REMOVE_SHARE, input { name }: withdraws a share; its open handles then fail with
 *   STATUS_NETWORK_NAME_DELETED.
 * - IOCTL_HOSTFS_QUERY_SHARES, no input: output HostFsShareInfo[] (Information: their number).
 */
import {
  CTL_CODE,
  FILE_DEVICE_NETWORK_FILE_SYSTEM,
  FILE_READ_ACCESS,
  FILE_WRITE_ACCESS,
  METHOD_BUFFERED,
} from '../../base/index.ts';
import type { ContainmentMode } from './host-namespace.ts';

export const IOCTL_HOSTFS_ADD_SHARE = CTL_CODE(
  FILE_DEVICE_NETWORK_FILE_SYSTEM,
  0x800,
  METHOD_BUFFERED,
  FILE_WRITE_ACCESS,
);
export const IOCTL_HOSTFS_REMOVE_SHARE = CTL_CODE(
  FILE_DEVICE_NETWORK_FILE_SYSTEM,
  0x801,
  METHOD_BUFFERED,
  FILE_WRITE_ACCESS,
);
export const IOCTL_HOSTFS_QUERY_SHARES = CTL_CODE(
  FILE_DEVICE_NETWORK_FILE_SYSTEM,
  0x802,
  METHOD_BUFFERED,
  FILE_READ_ACCESS,
);

export interface HostFsShareOptions {
  /** 1 to 80 characters, none of `" / \ [ ] : | < > + = ; , ? *`; case-insensitive. */
  name: string;
  /** The host directory (resolved to its real path when the share is added). */
  path: string;
  /** Refuse every change (STATUS_ACCESS_DENIED). */
  readOnly?: boolean;
  /**
   * How HostFS keeps to the share (host-namespace.ts): `procfs` (Linux, the default there) or
   * `path` (the portable mode, the default elsewhere). Forcing `path` on Linux is for testing it.
   */
  containment?: ContainmentMode;
}

export interface HostFsShareInfo {
  name: string;
  /** The real host path of the share's root. */
  path: string;
  readOnly: boolean;
  containment: ContainmentMode;
  /** Opens not yet closed. */
  openCount: number;
}
