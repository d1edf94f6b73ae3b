/**
 * AWS managed keys (alias/aws/<service>), created per account on first use as AWS does. Only
 * aws/s3 is provided. Creation is one transaction, so concurrent first uses agree on one key.
 */
import type { MetadataStore } from '../store/types.js';
import { awsManagedS3KeyPolicy } from './default-policy.js';
import { getAlias, getKey, putAlias, putKey } from './key-store.js';
import type { KeyDoc } from './model.js';
import { newKey } from './new-key.js';

/** What KMS code needs from the App. */
export interface KmsEnv {
  store: MetadataStore;
  masterKey: Buffer;
  clock: { nowMs(): number };
  config: { region: string };
}

export type AwsManagedKeyName = 'aws/s3';

const descriptions: Record<AwsManagedKeyName, string> = {
  'aws/s3': 'Default key that protects my S3 objects when no other key is defined',
};

export async function getOrCreateAwsManagedKey(env: KmsEnv, accountId: string, name: AwsManagedKeyName): Promise<KeyDoc> {
  const aliasName = `alias/${name}`;
  const nowMs = env.clock.nowMs();
  return env.store.writeDocuments((tx) => {
    const alias = getAlias(tx, accountId, aliasName);
    const existing = alias ? getKey(tx, accountId, alias.targetKeyId, nowMs) : null;
    if (existing) return existing;
    const key = newKey({
      accountId,
      region: env.config.region,
      nowMs,
      masterKey: env.masterKey,
      description: descriptions[name],
      policy: awsManagedS3KeyPolicy(accountId, env.config.region),
      keyManager: 'AWS',
      tags: [],
    });
    putKey(tx, key);
    putAlias(tx, accountId, { aliasName, targetKeyId: key.keyId, creationDateMs: nowMs, lastUpdatedDateMs: nowMs });
    return key;
  });
}
