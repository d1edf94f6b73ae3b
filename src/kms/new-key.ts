/** Building a new KMS key document (customer managed or AWS managed). */
import { randomUUID } from 'node:crypto';
import { keyArn, type KeyDoc } from './model.js';
import { newSealedMaterial } from './key-material.js';

export interface NewKeyInput {
  accountId: string;
  region: string;
  nowMs: number;
  masterKey: Buffer;
  description: string;
  policy: string;
  keyManager: 'CUSTOMER' | 'AWS';
  tags: Array<{ TagKey: string; TagValue: string }>;
}

export function newKey(input: NewKeyInput): KeyDoc {
  const keyId = randomUUID();
  const arn = keyArn(input.region, input.accountId, keyId);
  return {
    keyId,
    accountId: input.accountId,
    region: input.region,
    arn,
    description: input.description,
    keyState: 'Enabled',
    keyManager: input.keyManager,
    creationDateMs: input.nowMs,
    deletionDateMs: null,
    pendingWindowInDays: null,
    policy: input.policy,
    tags: input.tags,
    materialSealed: newSealedMaterial(input.masterKey, arn),
  };
}
