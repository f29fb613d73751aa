/**
 * Formatting media for MemFS: what a format utility (format.com with its file system library)
 * does from user mode, here as a pure function over the media bytes.
 *
 * A fresh volume is a superblock and an empty root directory. The label follows the volume label
 * rules (at most 32 characters, no control characters: else STATUS_INVALID_VOLUME_LABEL); media too
 * small to hold the superblock and the root is STATUS_INVALID_PARAMETER. Bytes past the image are
 * left as they were.
 */
import { FILE_ATTRIBUTE_DIRECTORY } from '../../../base/file-codes.ts';
import {
  type NTSTATUS,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_VOLUME_LABEL,
  STATUS_SUCCESS,
} from '../../../base/ntstatus.ts';
import { isValidVolumeLabel } from '../../../io/index.ts';
import { serializeVolume } from './on-disk.ts';
import { MemNode, MemVolume, NODE_RECORD_SIZE, SUPERBLOCK_SIZE } from './tree.ts';

export interface MemFsFormatOptions {
  label?: string;
  /** The volume serial number; derived from the time when omitted. */
  serialNumber?: number;
  /** The creation time, in milliseconds since 1970; defaults to now. */
  now?: number;
}

/** The smallest media MemFS can format: a superblock and an empty root. */
export const MEMFS_MINIMUM_MEDIA_SIZE = SUPERBLOCK_SIZE + NODE_RECORD_SIZE;

export function formatMemFsVolume(media: Uint8Array, options: MemFsFormatOptions = {}): NTSTATUS {
  const label = options.label ?? '';
  if (typeof label !== 'string' || !isValidVolumeLabel(label)) return STATUS_INVALID_VOLUME_LABEL;
  if (media.length < MEMFS_MINIMUM_MEDIA_SIZE) return STATUS_INVALID_PARAMETER;
  const now = options.now ?? Date.now();
  if (!Number.isFinite(now)) return STATUS_INVALID_PARAMETER;
  const serialNumber = options.serialNumber ?? (Math.imul(Math.floor(now), 0x9e3779b1) ^ 0x5a17a5) >>> 0;
  if (!Number.isInteger(serialNumber) || serialNumber < 0 || serialNumber > 0xffffffff)
    return STATUS_INVALID_PARAMETER;
  const root = new MemNode(1, '', '', true, FILE_ATTRIBUTE_DIRECTORY, now);
  const volume = new MemVolume({ label, serialNumber, creationTime: now }, media.length, root, 2);
  media.set(serializeVolume(volume, 1), 0);
  return STATUS_SUCCESS;
}

/** A formatter for `createRamDisk`'s `format` option: `format: memFsFormat({ label: 'DATA' })`. */
export function memFsFormat(options: MemFsFormatOptions = {}): (media: Uint8Array) => NTSTATUS {
  return (media) => formatMemFsVolume(media, options);
}
