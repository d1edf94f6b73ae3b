// STS GetSessionToken / GetCallerIdentity handlers and the session token round trip
// (STS API Reference "GetSessionToken": durations, root limit, "Cannot call GetSessionToken with
// session credentials"; "GetCallerIdentity": no permissions required).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { stsOperations } from '../../src/operations/sts-table.js';
import { openSessionToken, sealSessionToken, type SessionClaims } from '../../src/identity/session-token.js';
import { identityFromClaims } from '../../src/services/sts/session-identity.js';
import { fixture, rejection, rootIdentity, serviceCall, startMs, userIdentity, type Fixture } from './fixtures.js';

const getSessionToken = stsOperations.GetSessionToken!;
const getCallerIdentity = stsOperations.GetCallerIdentity!;

describe('STS GetSessionToken', () => {
  let f: Fixture;
  before(async () => {
    f = await fixture();
  });
  after(() => f.close());

  it('needs no permission (action null)', () => {
    assert.equal(getSessionToken.action, null);
    assert.equal(getCallerIdentity.action, null);
  });

  it('IAM user: 12 hours by default, principal is the user, MFA recorded', async () => {
    const alice = userIdentity(f.admin, 'alice');
    const result = (await getSessionToken.handler(serviceCall(f.app, alice, { params: { SerialNumber: 'arn:aws:iam::000000000000:mfa/alice', TokenCode: '000000' } })))!;
    const credentials = result.Credentials as Record<string, string>;
    assert.match(credentials.AccessKeyId!, /^ASIA/);
    assert.equal(credentials.Expiration, new Date(startMs + 43_200_000).toISOString().replace('.000Z', 'Z'));
    const claims = openSessionToken(f.app.masterKey, credentials.SessionToken!)!;
    assert.equal(claims.type, 'User');
    assert.equal(claims.arn, alice.arn);
    assert.equal(claims.userId, alice.userId);
    assert.equal(claims.userName, 'alice');
    assert.equal(claims.accountId, f.admin.id);
    assert.equal(claims.mfaPresent, true);
    assert.equal(claims.chained, false);
  });

  it('root: longer durations default to one hour', async () => {
    const result = (await getSessionToken.handler(serviceCall(f.app, rootIdentity(f.owner), { params: { DurationSeconds: '129600' } })))!;
    const claims = openSessionToken(f.app.masterKey, (result.Credentials as Record<string, string>).SessionToken!)!;
    assert.equal(claims.type, 'Root');
    assert.equal(claims.arn, `arn:aws:iam::${f.owner.id}:root`);
    assert.equal(claims.expiresAtMs - claims.issuedAtMs, 3600_000);
  });

  it('DurationSeconds outside 900..129600 is a ValidationError', async () => {
    const error = await rejection(getSessionToken.handler(serviceCall(f.app, userIdentity(f.admin, 'alice'), { params: { DurationSeconds: '129601' } })));
    assert.equal(error.code, 'ValidationError');
    assert.equal(error.message, "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600");
  });

  it('session credentials cannot call it', async () => {
    const roleSession = { ...rootIdentity(f.owner), type: 'AssumedRole' as const, accessKeyId: 'ASIAEXAMPLE000000001' };
    const fromRole = await rejection(getSessionToken.handler(serviceCall(f.app, roleSession)));
    assert.equal(fromRole.code, 'AccessDenied');
    assert.equal(fromRole.statusCode, 403);
    assert.equal(fromRole.message, 'Cannot call GetSessionToken with session credentials');
    const fromUserSession = await rejection(getSessionToken.handler(serviceCall(f.app, { ...userIdentity(f.admin, 'alice'), accessKeyId: 'ASIAEXAMPLE000000002' })));
    assert.equal(fromUserSession.code, 'AccessDenied');
  });

  it('GetCallerIdentity returns Arn, UserId, Account', async () => {
    const alice = userIdentity(f.admin, 'alice');
    assert.deepEqual(await getCallerIdentity.handler(serviceCall(f.app, alice)), { Arn: alice.arn, UserId: alice.userId, Account: f.admin.id });
  });
});

describe('session token and identityFromClaims', () => {
  const masterKey = randomBytes(32);
  const claims: SessionClaims = {
    v: 1,
    accessKeyId: 'ASIAABCDEFGHIJKLMNOP',
    secretAccessKey: 'x'.repeat(40),
    accountId: '111111111111',
    type: 'AssumedRole',
    arn: 'arn:aws:sts::111111111111:assumed-role/R/s',
    userId: 'AROAABCDEFGHIJKLMNOPQ:s',
    roleArn: 'arn:aws:iam::111111111111:role/p/R',
    roleName: 'R',
    sessionName: 's',
    userName: null,
    issuedAtMs: 1000,
    expiresAtMs: 3_601_000,
    sessionPolicy: '{"Version":"2012-10-17","Statement":[]}',
    sessionPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    sourceIdentity: 'alice',
    tags: { Project: 'Apollo' },
    transitiveTagKeys: ['Project'],
    mfaPresent: true,
    chained: true,
  };

  it('round-trips every field, including the expiry', () => {
    assert.deepEqual(openSessionToken(masterKey, sealSessionToken(masterKey, claims)), claims);
  });

  it('rejects a tampered token and a foreign master key', () => {
    const token = sealSessionToken(masterKey, claims);
    const bytes = Buffer.from(token, 'base64');
    bytes[bytes.length - 5] ^= 1;
    assert.equal(openSessionToken(masterKey, bytes.toString('base64')), null);
    assert.equal(openSessionToken(randomBytes(32), token), null);
    assert.equal(openSessionToken(masterKey, 'not a token!'), null);
  });

  it('identityFromClaims maps the principal and the session facts', () => {
    const identity = identityFromClaims(claims, 'c'.repeat(64));
    assert.deepEqual(
      { ...identity, session: undefined },
      {
        type: 'AssumedRole',
        accountId: '111111111111',
        arn: claims.arn,
        userId: claims.userId,
        canonicalId: 'c'.repeat(64),
        accessKeyId: claims.accessKeyId,
        userName: null,
        roleArn: claims.roleArn,
        sessionName: 's',
        mfaPresent: true,
        tokenIssueTimeMs: 1000,
        session: undefined,
      },
    );
    assert.deepEqual(identity.session, {
      policy: claims.sessionPolicy,
      policyArns: claims.sessionPolicyArns,
      tags: claims.tags,
      transitiveTagKeys: ['Project'],
      sourceIdentity: 'alice',
      expiresAtMs: 3_601_000,
      chained: true,
    });
  });
});
