// KMS key store and the S3 data-key API in process, on a real in-memory SQLite store. Sources: KMS
// Developer Guide "Key states of AWS KMS keys", "AWS managed keys"; S3 UG "Using server-side
// encryption with AWS KMS keys" (S3 reports KMS failures as KMS.DisabledException,
// KMS.KMSInvalidStateException, KMS.NotFoundException).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ManualClock } from '../../src/clock.js';
import { openSqliteMetadataStore } from '../../src/store/sqlite-metadata.js';
import type { MetadataStore } from '../../src/store/types.js';
import { getOrCreateAwsManagedKey, type KmsEnv } from '../../src/kms/aws-managed.js';
import { newKey } from '../../src/kms/new-key.js';
import { defaultKeyPolicy } from '../../src/kms/default-policy.js';
import { keyByArn, parseKeyReference, putAlias, putKey, resolveKey } from '../../src/kms/key-store.js';
import { loadKeyPolicy } from '../../src/kms/key-policy.js';
import { decryptKmsDataKey, generateKmsDataKey, type KmsAuthorize } from '../../src/kms/data-keys.js';
import { decryptS3DataKey, generateS3DataKey } from '../../src/kms/service-key.js';
import type { KeyDoc } from '../../src/kms/model.js';
import { ServiceError } from '../../src/protocol/errors.js';

const owner = '111111111111';
const partner = '222222222222';

describe('KMS key store and S3 data keys', () => {
  let store: MetadataStore;
  let env: KmsEnv;
  const clock = new ManualClock(Date.parse('2026-06-01T00:00:00Z'));
  const calls: Array<{ action: string; keyArn: string; conditions: Record<string, string | string[]> }> = [];
  const allow: KmsAuthorize = async (action, keyArn, _account, conditions) => {
    calls.push({ action, keyArn, conditions });
  };

  before(() => {
    store = openSqliteMetadataStore(':memory:');
    env = { store, masterKey: randomBytes(32), clock, config: { region: 'us-east-1' } };
  });
  after(() => store.close());

  async function createKey(accountId = owner): Promise<KeyDoc> {
    const key = newKey({ accountId, region: 'us-east-1', nowMs: clock.nowMs(), masterKey: env.masterKey, description: '', policy: defaultKeyPolicy(accountId), keyManager: 'CUSTOMER', tags: [] });
    await store.writeDocuments((tx) => putKey(tx, key));
    return key;
  }

  it('key material is stored sealed, never in clear, and bound to its key', async () => {
    const key = await createKey();
    const stored = await store.readDocuments((tx) => keyByArn(tx, key.arn, clock.nowMs()));
    assert.equal(stored!.materialSealed, key.materialSealed);
    assert.equal(Buffer.from(key.materialSealed, 'base64').length, 1 + 12 + 16 + 32);
    // Material sealed for one key does not open for another (AAD binds it to the ARN).
    const other = await createKey();
    await store.writeDocuments((tx) => putKey(tx, { ...other, materialSealed: key.materialSealed }));
    const ctx = { 'aws:s3:arn': 'arn:aws:s3:::b/k' };
    await assert.rejects(generateKmsDataKey(env, { keyId: other.arn, awsManagedKeyAccountId: owner, callerAccountId: owner, encryptionContext: ctx, authorize: allow }), /failed authentication/);
  });

  it('references: key IDs and alias names resolve in the caller account only; ARNs reach other accounts', async () => {
    const key = await createKey();
    await store.writeDocuments((tx) => putAlias(tx, owner, { aliasName: 'alias/shared', targetKeyId: key.keyId, creationDateMs: 0, lastUpdatedDateMs: 0 }));
    const resolve = (caller: string, text: string) =>
      store.readDocuments((tx) => {
        const scope = { callerAccountId: caller, region: 'us-east-1', nowMs: clock.nowMs() };
        return resolveKey(tx, scope, parseKeyReference(text, scope), { aliases: true, crossAccount: true }).key.arn;
      });
    assert.equal(await resolve(owner, key.keyId), key.arn);
    assert.equal(await resolve(owner, 'alias/shared'), key.arn);
    assert.equal(await resolve(partner, key.arn), key.arn);
    assert.equal(await resolve(partner, `arn:aws:kms:us-east-1:${owner}:alias/shared`), key.arn);
    await assert.rejects(resolve(partner, key.keyId), (e: ServiceError) => e.code === 'NotFoundException');
    await assert.rejects(resolve(partner, 'alias/shared'), (e: ServiceError) => e.code === 'NotFoundException');
    await assert.rejects(resolve(owner, key.arn.replace('us-east-1', 'eu-west-1')), (e: ServiceError) => e.code === 'NotFoundException');
  });

  it('loadKeyPolicy returns the key policy for the key ARN and null otherwise', async () => {
    const key = await createKey();
    assert.equal(await store.readDocuments((tx) => loadKeyPolicy(tx, key.arn)), defaultKeyPolicy(owner));
    assert.equal(await store.readDocuments((tx) => loadKeyPolicy(tx, key.arn.replace(owner, partner))), null);
    assert.equal(await store.readDocuments((tx) => loadKeyPolicy(tx, 'arn:aws:kms:us-east-1:111111111111:alias/x')), null);
  });

  it('SSE-KMS data keys: generate, unwrap with the same context, authorize the calling principal via S3', async () => {
    const key = await createKey();
    const ctx = { 'aws:s3:arn': 'arn:aws:s3:::bucket/object' };
    calls.length = 0;
    const made = await generateKmsDataKey(env, { keyId: key.keyId, awsManagedKeyAccountId: owner, callerAccountId: owner, encryptionContext: ctx, authorize: allow });
    assert.equal(made.plaintextKey.length, 32);
    assert.equal(made.keyArn, key.arn);
    assert.ok(!made.wrappedKey.includes(made.plaintextKey));
    const back = await decryptKmsDataKey(env, { wrappedKey: made.wrappedKey, callerAccountId: partner, encryptionContext: ctx, authorize: allow });
    assert.deepEqual(back.plaintextKey, made.plaintextKey);
    assert.deepEqual(calls.map((c) => c.action), ['kms:GenerateDataKey', 'kms:Decrypt']);
    assert.equal(calls[1]!.conditions['kms:ViaService'], 's3.us-east-1.amazonaws.com');
    assert.equal(calls[1]!.conditions['kms:CallerAccount'], partner);
    assert.equal(calls[1]!.conditions['kms:EncryptionContext:aws:s3:arn'], 'arn:aws:s3:::bucket/object');
    await assert.rejects(
      decryptKmsDataKey(env, { wrappedKey: made.wrappedKey, callerAccountId: owner, encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::bucket/other' }, authorize: allow }),
      (e: ServiceError) => e.code === 'KMS.InvalidCiphertextException' && e.statusCode === 400,
    );
    // A denial from the callback is what S3 returns.
    const deny: KmsAuthorize = async () => {
      throw new ServiceError('AccessDenied', 'denied by test', 403);
    };
    await assert.rejects(decryptKmsDataKey(env, { wrappedKey: made.wrappedKey, callerAccountId: partner, encryptionContext: ctx, authorize: deny }), (e: ServiceError) => e.code === 'AccessDenied');
  });

  it('disabled and pending-deletion keys fail the way S3 reports them; deleted keys are gone', async () => {
    const key = await createKey();
    const ctx = {};
    const made = await generateKmsDataKey(env, { keyId: key.arn, awsManagedKeyAccountId: owner, callerAccountId: owner, encryptionContext: ctx, authorize: allow });
    await store.writeDocuments((tx) => putKey(tx, { ...key, keyState: 'Disabled' }));
    await assert.rejects(generateKmsDataKey(env, { keyId: key.arn, awsManagedKeyAccountId: owner, callerAccountId: owner, encryptionContext: ctx, authorize: allow }), (e: ServiceError) => e.code === 'KMS.DisabledException' && e.statusCode === 400);
    await assert.rejects(decryptKmsDataKey(env, { wrappedKey: made.wrappedKey, callerAccountId: owner, encryptionContext: ctx, authorize: allow }), (e: ServiceError) => e.code === 'KMS.DisabledException');
    const deletionDateMs = clock.nowMs() + 7 * 86_400_000;
    await store.writeDocuments((tx) => putKey(tx, { ...key, keyState: 'PendingDeletion', deletionDateMs, pendingWindowInDays: 7 }));
    await assert.rejects(decryptKmsDataKey(env, { wrappedKey: made.wrappedKey, callerAccountId: owner, encryptionContext: ctx, authorize: allow }), (e: ServiceError) => e.code === 'KMS.KMSInvalidStateException' && /pending deletion/.test(e.message));
    clock.advance(7 * 86_400_000);
    await assert.rejects(decryptKmsDataKey(env, { wrappedKey: made.wrappedKey, callerAccountId: owner, encryptionContext: ctx, authorize: allow }), (e: ServiceError) => e.code === 'KMS.NotFoundException');
  });

  it('aws/s3 is created once per account, even under concurrent first use, and is used when no key is named', async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => getOrCreateAwsManagedKey(env, partner, 'aws/s3')));
    assert.equal(new Set(keys.map((k) => k.keyId)).size, 1);
    assert.equal(keys[0]!.keyManager, 'AWS');
    const made = await generateKmsDataKey(env, { keyId: null, awsManagedKeyAccountId: partner, callerAccountId: partner, encryptionContext: {}, authorize: allow });
    assert.equal(made.keyArn, keys[0]!.arn);
    const policy = JSON.parse(keys[0]!.policy);
    assert.deepEqual(policy.Statement[0].Condition.StringEquals, { 'kms:CallerAccount': partner, 'kms:ViaService': 's3.us-east-1.amazonaws.com' });
  });

  it('SSE-S3 data keys: one service key per server, wrapped keys bound to their object context', async () => {
    const a = await generateS3DataKey(env, 'blob-1');
    const b = await generateS3DataKey(env, 'blob-2');
    assert.notDeepEqual(a.plaintextKey, b.plaintextKey);
    assert.deepEqual(await decryptS3DataKey(env, a.wrappedKey, 'blob-1'), a.plaintextKey);
    await assert.rejects(decryptS3DataKey(env, a.wrappedKey, 'blob-2'), (e: ServiceError) => e.code === 'InternalError');
    const flipped = Buffer.from(a.wrappedKey);
    flipped[flipped.length - 1]! ^= 1;
    await assert.rejects(decryptS3DataKey(env, flipped, 'blob-1'), (e: ServiceError) => e.code === 'InternalError');
    // Another server process on the same store (fresh in-memory cache) reads the same service key.
    const stored = await store.readDocuments((tx) => tx.list<{ sealed: string }>('crossbucket', 'sse-s3-service-key'));
    assert.equal(stored.length, 1);
    assert.ok(!stored[0]!.value.sealed.includes(a.plaintextKey.toString('base64')));
  });
});
