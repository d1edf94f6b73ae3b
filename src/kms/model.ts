/**
 * KMS keys and aliases as documents (scope = owning account ID): kind 'kms-key' named by key ID,
 * kind 'kms-alias' named by alias name ('alias/…'). Key material is stored sealed with the master
 * key (key-material.ts), never in clear.
 */
export const keyKind = 'kms-key';
export const aliasKind = 'kms-alias';

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

export interface KeyDoc {
  keyId: string;
  accountId: string;
  region: string;
  arn: string;
  description: string;
  keyState: KeyState;
  keyManager: 'CUSTOMER' | 'AWS';
  creationDateMs: number;
  deletionDateMs: number | null;
  pendingWindowInDays: number | null;
  /** The key policy (JSON text, as put). */
  policy: string;
  tags: Array<{ TagKey: string; TagValue: string }>;
  /** base64 of seal(masterKey, material, materialAad(arn)). */
  materialSealed: string;
}

export interface AliasDoc {
  aliasName: string;
  targetKeyId: string;
  creationDateMs: number;
  lastUpdatedDateMs: number;
}

export function keyArn(region: string, accountId: string, keyId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

export function aliasArn(region: string, accountId: string, aliasName: string): string {
  return `arn:aws:kms:${region}:${accountId}:${aliasName}`;
}

/** A key whose waiting period has passed is deleted (lazily: it is treated as absent and purged on writes). */
export function isDeleted(key: KeyDoc, nowMs: number): boolean {
  return key.keyState === 'PendingDeletion' && key.deletionDateMs !== null && key.deletionDateMs <= nowMs;
}
