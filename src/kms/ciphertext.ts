/**
 * KMS ciphertext blobs (symmetric keys). The blob names its key, so Decrypt needs no KeyId; the
 * encryption context is bound as AES-GCM additional authenticated data, so decrypting with a
 * different context (or a flipped byte, or another key's material) fails authentication.
 *
 * Format (version 1):
 *   byte 0         0x01
 *   bytes 1..2     length L of the key ARN (uint16 BE)
 *   bytes 3..3+L   key ARN (UTF-8)
 *   next 12        nonce (random per encryption)
 *   next 16        GCM tag
 *   rest           ciphertext
 * AAD = "cb-kms-v1\0" + key ARN + "\0" + canonical encryption context (keys sorted, JSON).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const version = 1;
const nonceBytes = 12;
const tagBytes = 16;

export type EncryptionContext = Record<string, string>;

export class CiphertextError extends Error {
  override readonly name = 'CiphertextError';
}

export function canonicalContext(context: EncryptionContext): string {
  const sorted = Object.keys(context).sort();
  return JSON.stringify(sorted.map((key) => [key, context[key]]));
}

function aad(keyArn: string, context: EncryptionContext): Buffer {
  return Buffer.from(`cb-kms-v1\0${keyArn}\0${canonicalContext(context)}`, 'utf8');
}

/** The key ARN a blob names, or null when the blob is not one of ours. */
export function ciphertextKeyArn(blob: Buffer): string | null {
  if (blob.length < 3 || blob[0] !== version) return null;
  const length = blob.readUInt16BE(1);
  if (length === 0 || blob.length < 3 + length + nonceBytes + tagBytes) return null;
  const arn = blob.subarray(3, 3 + length).toString('utf8');
  return arn.startsWith('arn:aws:kms:') ? arn : null;
}

export function encryptWithKey(material: Buffer, keyArn: string, plaintext: Buffer, context: EncryptionContext): Buffer {
  const arn = Buffer.from(keyArn, 'utf8');
  const header = Buffer.allocUnsafe(3);
  header[0] = version;
  header.writeUInt16BE(arn.length, 1);
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', material, nonce, { authTagLength: tagBytes });
  cipher.setAAD(aad(keyArn, context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, arn, nonce, cipher.getAuthTag(), body]);
}

/** Throws CiphertextError when the blob does not authenticate under this key and context. */
export function decryptWithKey(material: Buffer, keyArn: string, blob: Buffer, context: EncryptionContext): Buffer {
  if (ciphertextKeyArn(blob) !== keyArn) throw new CiphertextError('ciphertext names another key');
  const offset = 3 + Buffer.byteLength(keyArn, 'utf8');
  const nonce = blob.subarray(offset, offset + nonceBytes);
  const tag = blob.subarray(offset + nonceBytes, offset + nonceBytes + tagBytes);
  const decipher = createDecipheriv('aes-256-gcm', material, nonce, { authTagLength: tagBytes });
  decipher.setAAD(aad(keyArn, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(blob.subarray(offset + nonceBytes + tagBytes)), decipher.final()]);
  } catch {
    throw new CiphertextError('ciphertext failed authentication');
  }
}
