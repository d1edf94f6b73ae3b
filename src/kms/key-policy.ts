/** Key policy lookup for the policy authorizer (the key policy is the key's resource policy, kind 'kms-key'). */
import type { DocumentTx } from '../store/types.js';
import { keyKind, type KeyDoc } from './model.js';

/**
 * The key policy JSON of the key an ARN names (arn:aws:kms:REGION:ACCT:key/ID), or null when the
 * ARN does not name a stored key. Deletion dates are not checked here: a key pending deletion still
 * has its policy, and callers resolve the key before authorizing.
 */
export function loadKeyPolicy(tx: DocumentTx, keyArnText: string): string | null {
  const match = /^arn:aws:kms:[^:]+:(\d{12}):key\/(.+)$/.exec(keyArnText);
  if (!match) return null;
  const key = tx.get<KeyDoc>(match[1]!, keyKind, match[2]!);
  return key && key.arn === keyArnText ? key.policy : null;
}
