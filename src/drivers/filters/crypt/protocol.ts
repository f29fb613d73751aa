/**
 * Crypt's kernel/user protocol: its control device and the attach request, which carries the
 * volume's key. Detach and list are the library's codes. Imported by user-mode clients.
 */
export {
  type FilterAttachment,
  IOCTL_FILTER_ATTACH_VOLUME,
  IOCTL_FILTER_DETACH_VOLUME,
  IOCTL_FILTER_LIST_ATTACHMENTS,
  type VolumeRequest,
} from '../lib/protocol.ts';

export const CRYPT_CONTROL_DEVICE = '\\FileSystem\\Filters\\Crypt';

/** AES-256: the key is 32 bytes. */
export const CRYPT_KEY_LENGTH = 32;

/** Input of IOCTL_FILTER_ATTACH_VOLUME for Crypt: the volume and its key. */
export interface CryptAttachRequest {
  volumeName: string;
  key: Uint8Array;
}
