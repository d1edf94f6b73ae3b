/**
 * Access-key secrets at rest: sealed with the master key, bound to their access key ID (AAD), and
 * opened on the request path through a small per-owner cache.
 */
import { open, seal } from '../crypto/seal.js';
import type { AccessKeyRecord, MetadataStore } from '../store/types.js';

/** Additional authenticated data for an access key's sealed secret. */
export function accessKeySecretAad(accessKeyId: string): string {
  return `crossbucket:access-key-secret:${accessKeyId}`;
}

export function sealAccessKeySecret(masterKey: Buffer, accessKeyId: string, secretAccessKey: string): Buffer {
  return seal(masterKey, Buffer.from(secretAccessKey, 'utf8'), accessKeySecretAad(accessKeyId));
}

/** Throws SealError if the master key is not the one that sealed it or the record was tampered with. */
export function openAccessKeySecret(masterKey: Buffer, record: AccessKeyRecord): string {
  return open(masterKey, record.secretSealed, accessKeySecretAad(record.accessKeyId)).toString('utf8');
}

/**
 * Opened secrets, keyed by access key ID. An entry is used only while the stored sealed bytes are
 * unchanged, so a rotated or re-pinned secret is never served stale; the store is still read on
 * every lookup, so deleted or deactivated keys take effect at once.
 */
export class SecretCache {
  private readonly entries = new Map<string, { sealed: Buffer; secret: string }>();

  constructor(private readonly maxEntries = 10_000) {}

  get(record: AccessKeyRecord): string | undefined {
    const entry = this.entries.get(record.accessKeyId);
    return entry && entry.sealed.equals(record.secretSealed) ? entry.secret : undefined;
  }

  set(record: AccessKeyRecord, secret: string): void {
    this.entries.delete(record.accessKeyId);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(record.accessKeyId, { sealed: Buffer.from(record.secretSealed), secret });
  }

  delete(accessKeyId: string): void {
    this.entries.delete(accessKeyId);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The secret and record of an access key (any status — the caller checks `record.status`), or null
 * when the key does not exist. Pass a SecretCache owned by the caller to skip repeated decryption.
 */
export async function resolveSecret(
  store: MetadataStore,
  masterKey: Buffer,
  accessKeyId: string,
  cache?: SecretCache,
): Promise<{ secret: string; record: AccessKeyRecord } | null> {
  const record = await store.getAccessKey(accessKeyId);
  if (!record) {
    cache?.delete(accessKeyId);
    return null;
  }
  const cached = cache?.get(record);
  if (cached !== undefined) return { secret: cached, record };
  const secret = openAccessKeySecret(masterKey, record);
  cache?.set(record, secret);
  return { secret, record };
}
