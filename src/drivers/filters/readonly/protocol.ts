/**
 * ReadOnly's kernel/user protocol: its control device and the library's attach, detach and list
 * codes (a volume becomes read-only when ReadOnly attaches to it). Imported by user-mode clients.
 */
export {
  type FilterAttachment,
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_FILTER_DETACH_VOLUME,
  IOCTL_FILTER_LIST_ATTACHMENTS,
  type VolumeRequest,
} from '../lib/protocol.ts';

export const READONLY_CONTROL_DEVICE = '\\FileSystem\\Filters\\ReadOnly';
