/**
 * Sealing small secrets (access-key secrets, service keys) with the master key: AES-256-GCM.
 *
 * Sealed format (version 1):
 *   byte 0        version (0x01)
 *   bytes 1..12   nonce (96 bits, random per seal)
 *   bytes 13..28  GCM authentication tag (128 bits)
 *   bytes 29..    ciphertext (same length as the plaintext)
 *
 * The additional authenticated data (`aad`) binds a sealed value to where it belongs (e.g. the
 * access key ID), so a sealed blob copied into another row fails to open. The version byte is
 * authenticated too (it is prefixed to the AAD).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const sealFormatVersion = 1;
export const masterKeyBytes = 32;
const nonceBytes = 12;
const tagBytes = 16;
const headerBytes = 1 + nonceBytes + tagBytes;

/** Thrown when a sealed value cannot be opened: wrong key, wrong AAD, tampering or unknown format. */
export class SealError extends Error {
  override readonly name = 'SealError';
}

function assertMasterKey(masterKey: Buffer): void {
  if (!Buffer.isBuffer(masterKey) || masterKey.length !== masterKeyBytes) {
    throw new SealError(`master key must be ${masterKeyBytes} bytes`);
  }
}

function authenticatedData(version: number, aad: string): Buffer {
  return Buffer.concat([Buffer.of(version), Buffer.from(aad, 'utf8')]);
}

/** Encrypt and authenticate `plaintext`; `nonce` is injectable for tests only. */
export function seal(masterKey: Buffer, plaintext: Buffer, aad: string, nonce: Buffer = randomBytes(nonceBytes)): Buffer {
  assertMasterKey(masterKey);
  if (nonce.length !== nonceBytes) throw new SealError(`nonce must be ${nonceBytes} bytes`);
  const cipher = createCipheriv('aes-256-gcm', masterKey, nonce, { authTagLength: tagBytes });
  cipher.setAAD(authenticatedData(sealFormatVersion, aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(sealFormatVersion), nonce, cipher.getAuthTag(), ciphertext]);
}

/** Decrypt a value made by `seal`; throws SealError if anything does not match. */
export function open(masterKey: Buffer, sealed: Buffer, aad: string): Buffer {
  assertMasterKey(masterKey);
  if (sealed.length < headerBytes) throw new SealError('sealed value is truncated');
  const version = sealed[0]!;
  if (version !== sealFormatVersion) throw new SealError(`unknown sealed format version ${version}`);
  const nonce = sealed.subarray(1, 1 + nonceBytes);
  const tag = sealed.subarray(1 + nonceBytes, headerBytes);
  const decipher = createDecipheriv('aes-256-gcm', masterKey, nonce, { authTagLength: tagBytes });
  decipher.setAAD(authenticatedData(version, aad));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(headerBytes)), decipher.final()]);
  } catch {
    throw new SealError('sealed value failed authentication (wrong master key, wrong context, or tampered data)');
  }
}
