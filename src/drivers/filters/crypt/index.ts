/**
 * Crypt: transparent encryption of file data. The media holds ciphertext; everything above Crypt
 * sees plaintext; sizes never change.
 *
 * - Attach: on demand only. IOCTL_FILTER_ATTACH_VOLUME to `\FileSystem\Filters\Crypt` with
 *   `{ volumeName, key }` (32 bytes): the key is per volume and only user mode knows it, so there
 *   is nothing a notification could attach with. Detaching forgets the key; the data stays
 *   encrypted on the media.
 * - Cipher: injected (`createCryptDriver({ cipher })`), because the kernel imports no `node:`
 *   module; the host passes `nodeAesCtrCipher` (src/host/crypt/aes-ctr.ts). See cipher.ts for the
 *   keystream layout and docs/drivers.md for the security trade-off of a length-preserving mode.
 * - What is transformed: IRP_MJ_READ and IRP_MJ_WRITE of data files, and the zero fill of files
 *   that grow (dispatch.ts); creates that overwrite a file refresh the size Crypt knows of it.
 *   Directory contents, volume opens, metadata and names are untouched.
 * - Files written before Crypt attached, or through another path, are plaintext on the media and
 *   read back garbled through Crypt: attach it to an empty volume, or to one encrypted with the
 *   same key.
 */
import { IRP_MJ_CREATE, IRP_MJ_READ, IRP_MJ_SET_INFORMATION, IRP_MJ_WRITE } from '../../../base/irp-codes.ts';
import { STATUS_INVALID_PARAMETER } from '../../../base/ntstatus.ts';
import type { DriverModule } from '../../../io/index.ts';
import { createLegacyFilterDriver } from '../lib/index.ts';
import type { CryptCipher } from './cipher.ts';
import { type CryptContext, cryptCreate, cryptRead, cryptSetInformation, cryptWrite } from './dispatch.ts';
import { CRYPT_CONTROL_DEVICE } from './protocol.ts';
import type { CryptVolume } from './stream.ts';

export type { CryptCipher, CryptKey } from './cipher.ts';
export * from './protocol.ts';

export interface CryptOptions {
  cipher: CryptCipher;
}

export function createCryptDriver(options: CryptOptions): DriverModule {
  const { cipher } = options;
  return createLegacyFilterDriver<CryptContext, CryptVolume>(
    {
      manifest: {
        name: 'Crypt',
        kind: 'legacy-filter',
        description: 'Encrypts file data on the volumes it is attached to, with a key per volume.',
      },
      controlDeviceName: CRYPT_CONTROL_DEVICE,
      createFilterState: () => ({ cipher }),
      volumeDispatch: {
        [IRP_MJ_CREATE]: cryptCreate,
        [IRP_MJ_READ]: cryptRead,
        [IRP_MJ_WRITE]: cryptWrite,
        [IRP_MJ_SET_INFORMATION]: cryptSetInformation,
      },
      createVolumeState: (_state, _device, request) => {
        const key = (request as { key?: unknown } | null)?.key;
        const imported = key instanceof Uint8Array ? cipher.importKey(key) : null;
        if (imported === null) return STATUS_INVALID_PARAMETER;
        return { key: imported, streams: new Map(), byFileObject: new WeakMap() };
      },
    },
    { attachMode: 'on-demand' },
  );
}
