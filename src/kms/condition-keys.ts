/**
 * KMS condition keys (KMS Developer Guide, "AWS KMS condition keys"): kms:CallerAccount,
 * kms:EncryptionContext:<key>, kms:EncryptionContextKeys, kms:RequestAlias, kms:ViaService,
 * kms:EncryptionAlgorithm.
 */
import type { EncryptionContext } from './ciphertext.js';

export type ConditionValues = Record<string, string | string[]>;

export function encryptionContextKeys(...contexts: Array<EncryptionContext | null | undefined>): ConditionValues {
  const out: ConditionValues = {};
  const keys = new Set<string>();
  for (const context of contexts) {
    if (!context) continue;
    for (const [key, value] of Object.entries(context)) {
      out[`kms:EncryptionContext:${key}`] = value;
      keys.add(key);
    }
  }
  if (keys.size > 0) out['kms:EncryptionContextKeys'] = [...keys];
  return out;
}

export function callerAccount(accountId: string | null): ConditionValues {
  return accountId ? { 'kms:CallerAccount': accountId } : {};
}

/** kms:ViaService value for requests S3 makes on a caller's behalf. */
export function s3ViaService(region: string): string {
  return `s3.${region}.amazonaws.com`;
}
