/**
 * SFilter's kernel/user protocol: the name of its control device and the codes it accepts (the
 * library's attach, detach and list; sfilter adds none). Imported by user-mode clients.
 */
export {
  type FilterAttachment,
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_FILTER_DETACH_VOLUME,
  IOCTL_FILTER_LIST_ATTACHMENTS,
  type VolumeRequest,
} from '../lib/protocol.ts';

/** SFilter's control device object (sfilter.c: SFILTER_FULLDEVNAME_FILTERS). */
export const SFILTER_CONTROL_DEVICE = '\\FileSystem\\Filters\\SFilterCDO';
