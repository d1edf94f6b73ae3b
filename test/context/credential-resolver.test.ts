/**
 * STS session credentials at the resolver (issue 3 §3): expiry is enforced (ExpiredToken), tokens
 * cannot be forged or altered, and the token's access key must be the request's.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openSqliteMetadataStore } from '../../src/store/sqlite-metadata.js';
import { ensureAccounts } from '../../src/identity/accounts.js';
import { ManualClock } from '../../src/clock.js';
import { StoreCredentialResolver, CredentialError } from '../../src/context/credential-resolver.js';
import { sealSessionToken, type SessionClaims } from '../../src/identity/session-token.js';
import type { MetadataStore } from '../../src/store/types.js';

describe('StoreCredentialResolver: STS session tokens', () => {
  const masterKey = randomBytes(32);
  const clock = new ManualClock(Date.parse('2026-12-02T00:00:00Z'));
  let store: MetadataStore;
  let claims: SessionClaims;

  before(async () => {
    store = openSqliteMetadataStore(':memory:');
    await ensureAccounts(store, masterKey, [{ name: 'owner', id: '111111111111' }]);
    claims = {
      v: 1,
      accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
      secretAccessKey: 'session-secret-session-secret-session-se',
      accountId: '111111111111',
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111111111111:assumed-role/Worker/s1',
      userId: 'AROAEXAMPLEEXAMPLE123:s1',
      roleArn: 'arn:aws:iam::111111111111:role/Worker',
      roleName: 'Worker',
      sessionName: 's1',
      userName: null,
      issuedAtMs: clock.nowMs(),
      expiresAtMs: clock.nowMs() + 900_000,
      sessionPolicy: null,
      sessionPolicyArns: [],
      sourceIdentity: null,
      tags: {},
      transitiveTagKeys: [],
      mfaPresent: false,
      chained: false,
    };
  });
  after(async () => {
    await store.close();
  });

  it('a valid token resolves to the assumed-role session identity', async () => {
    const resolver = new StoreCredentialResolver(store, masterKey, clock);
    const resolved = await resolver.resolve(claims.accessKeyId, sealSessionToken(masterKey, claims));
    assert.equal(resolved?.secretAccessKey, claims.secretAccessKey);
    assert.equal(resolved?.identity.type, 'AssumedRole');
    assert.equal(resolved?.identity.arn, claims.arn);
    assert.equal(resolved?.identity.roleArn, claims.roleArn);
    assert.equal(resolved?.identity.session?.expiresAtMs, claims.expiresAtMs);
  });

  it('STS docs: credentials past their Expiration are rejected (ExpiredToken)', async () => {
    const later = new ManualClock(claims.expiresAtMs);
    const resolver = new StoreCredentialResolver(store, masterKey, later);
    await assert.rejects(resolver.resolve(claims.accessKeyId, sealSessionToken(masterKey, claims)), (error: unknown) => error instanceof CredentialError && error.kind === 'expired-token');
  });

  it('an altered token, a token sealed with another key, or a token for another access key is invalid', async () => {
    const resolver = new StoreCredentialResolver(store, masterKey, clock);
    const token = sealSessionToken(masterKey, claims);
    const bytes = Buffer.from(token, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    const invalid = (error: unknown) => error instanceof CredentialError && error.kind === 'invalid-token';
    await assert.rejects(resolver.resolve(claims.accessKeyId, bytes.toString('base64')), invalid);
    await assert.rejects(resolver.resolve(claims.accessKeyId, sealSessionToken(randomBytes(32), claims)), invalid);
    await assert.rejects(resolver.resolve('ASIAOTHEROTHEROTHER1', token), invalid);
    await assert.rejects(resolver.resolve(claims.accessKeyId, 'not base64 at all!'), invalid);
  });
});
