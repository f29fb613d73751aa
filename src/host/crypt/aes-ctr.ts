/**
 * The host's cipher for the Crypt filter: AES-256-CTR from node:crypto (see
 * src/drivers/filters/crypt/cipher.ts for the keystream layout). Lives in host/ because the kernel
 * imports no `node:` module; the daemon and tests hand it to createCryptDriver.
 */
import { createCipheriv } from 'node:crypto';
import type { CryptCipher, CryptKey } from '../../drivers/filters/crypt/cipher.ts';
import { CRYPT_KEY_LENGTH } from '../../drivers/filters/crypt/protocol.ts';

interface NodeKey {
  readonly raw: Buffer;
}

const BLOCK = 16;

export const nodeAesCtrCipher: CryptCipher = {
  importKey(key: Uint8Array): CryptKey | null {
    if (!(key instanceof Uint8Array) || key.length !== CRYPT_KEY_LENGTH) return null;
    return { raw: Buffer.from(key) } satisfies NodeKey;
  },
  xorKeystream(key: CryptKey, fileId: number, offset: number, data: Uint8Array): void {
    if (data.length === 0) return;
    const counter = Buffer.alloc(BLOCK);
    counter.writeBigUInt64BE(BigInt(fileId), 0);
    counter.writeBigUInt64BE(BigInt(Math.floor(offset / BLOCK)), 8);
    const cipher = createCipheriv('aes-256-ctr', (key as NodeKey).raw, counter);
    const skip = offset % BLOCK;
    if (skip > 0) cipher.update(Buffer.alloc(skip));
    const keyed = cipher.update(data);
    data.set(keyed);
  },
};
