/**
 * The cipher Crypt uses, injected by the host (the kernel imports no `node:` module, DESIGN).
 *
 * The mode is a length-preserving keystream: AES-256 in counter mode, the 128-bit counter block
 * being the file's index number (64 bits, big-endian) followed by the 16-byte block number within
 * the file (64 bits). Any byte of any file can be encrypted or decrypted alone, so reads and writes
 * at any offset and length need no read-modify-write, and sizes never change. The host's
 * implementation is `src/host/crypt/aes-ctr.ts` (node:crypto, synchronous, so Crypt keeps the
 * synchronous fast path); a browser host would supply its own.
 */

/** An imported key, opaque to Crypt. */
export type CryptKey = object;

export interface CryptCipher {
  /** Prepares a raw key; null when it is not usable (wrong length). */
  importKey(key: Uint8Array): CryptKey | null;
  /**
   * XORs `data` in place with the keystream of (key, fileId) starting at byte `offset` of the file.
   * Encryption and decryption are the same operation.
   */
  xorKeystream(key: CryptKey, fileId: number, offset: number, data: Uint8Array): void;
}
