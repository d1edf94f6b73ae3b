/**
 * SSE-S3: object data keys wrapped by one per-server service key. The service key is random, sealed
 * with the master key and stored once (a document, so concurrent first uses agree in one
 * transaction); the clear key is kept in memory only.
 */
import { randomBytes } from 'node:crypto';
import { open, seal, SealError } from '../crypto/seal.js';
import { s3Error } from '../protocol/errors.js';
import type { MetadataStore } from '../store/types.js';
import type { KmsEnv } from './aws-managed.js';
import { dataKeyBytes } from './data-keys.js';

const scope = 'crossbucket';
const kind = 'sse-s3-service-key';
const name = 'v1';
const sealAad = 'sse-s3-service-key:v1';

interface StoredServiceKey {
  sealed: string;
}

const cache = new WeakMap<MetadataStore, Buffer>();

async function serviceKey(env: KmsEnv): Promise<Buffer> {
  const hit = cache.get(env.store);
  if (hit) return hit;
  let stored = await env.store.readDocuments((tx) => tx.get<StoredServiceKey>(scope, kind, name));
  if (!stored) {
    stored = await env.store.writeDocuments((tx) => {
      const existing = tx.get<StoredServiceKey>(scope, kind, name);
      if (existing) return existing;
      const fresh = randomBytes(32);
      const value = { sealed: seal(env.masterKey, fresh, sealAad).toString('base64') };
      fresh.fill(0);
      tx.put(scope, kind, name, value);
      return value;
    });
  }
  const key = open(env.masterKey, Buffer.from(stored.sealed, 'base64'), sealAad);
  cache.set(env.store, key);
  return key;
}

function wrapAad(objectContext: string): string {
  return `sse-s3-data-key:${objectContext}`;
}

/**
 * A new 32-byte object data key and its wrapped form. `objectContext` binds the wrapped key to where
 * it is stored (e.g. the blob or upload ID), so a wrapped key copied elsewhere does not open.
 */
export async function generateS3DataKey(env: KmsEnv, objectContext: string): Promise<{ plaintextKey: Buffer; wrappedKey: Buffer }> {
  const plaintextKey = randomBytes(dataKeyBytes);
  return { plaintextKey, wrappedKey: seal(await serviceKey(env), plaintextKey, wrapAad(objectContext)) };
}

/** Unwrap an SSE-S3 data key; a tampered or misplaced wrapped key is an InternalError, never a wrong key. */
export async function decryptS3DataKey(env: KmsEnv, wrappedKey: Buffer, objectContext: string): Promise<Buffer> {
  try {
    return open(await serviceKey(env), wrappedKey, wrapAad(objectContext));
  } catch (error) {
    if (error instanceof SealError) throw s3Error('InternalError', 'The stored object data key failed authentication.');
    throw error;
  }
}
