/** Using a key for cryptography: state checks (KMS "Key states" table) and encrypt/decrypt under its material. */
import type { KmsEnv } from './aws-managed.js';
import type { KeyDoc } from './model.js';
import { CiphertextError, decryptWithKey, encryptWithKey, type EncryptionContext } from './ciphertext.js';
import { openMaterial } from './key-material.js';
import { disabled, invalidCiphertext, pendingDeletion } from './errors.js';

/** Cryptographic operations need an Enabled key: Disabled → DisabledException, PendingDeletion → KMSInvalidStateException. */
export function assertUsable(key: KeyDoc): void {
  if (key.keyState === 'Disabled') throw disabled(key.arn);
  if (key.keyState === 'PendingDeletion') throw pendingDeletion(key.arn);
}

function withMaterial<T>(env: KmsEnv, key: KeyDoc, fn: (material: Buffer) => T): T {
  const material = openMaterial(env.masterKey, key.arn, key.materialSealed);
  try {
    return fn(material);
  } finally {
    material.fill(0);
  }
}

export function encryptUnderKey(env: KmsEnv, key: KeyDoc, plaintext: Buffer, context: EncryptionContext): Buffer {
  assertUsable(key);
  return withMaterial(env, key, (material) => encryptWithKey(material, key.arn, plaintext, context));
}

/** Throws InvalidCiphertextException when the blob does not authenticate (tampering, wrong context). */
export function decryptUnderKey(env: KmsEnv, key: KeyDoc, blob: Buffer, context: EncryptionContext): Buffer {
  assertUsable(key);
  try {
    return withMaterial(env, key, (material) => decryptWithKey(material, key.arn, blob, context));
  } catch (error) {
    if (error instanceof CiphertextError) throw invalidCiphertext();
    throw error;
  }
}
