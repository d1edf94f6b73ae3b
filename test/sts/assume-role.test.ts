// STS AssumeRole handler against a real store (STS API Reference "AssumeRole": request parameters,
// response elements, errors; IAM UG "Role chaining", "Passing session tags in AWS STS").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stsOperations } from '../../src/operations/sts-table.js';
import { openSessionToken } from '../../src/identity/session-token.js';
import type { Identity } from '../../src/context/request-context.js';
import type { RoleDoc } from '../../src/iam/model.js';
import { fixture, ownerId, putRole, rejection, rootIdentity, serviceCall, startMs, userIdentity, type Fixture } from './fixtures.js';

const assumeRole = stsOperations.AssumeRole!;

describe('STS AssumeRole', () => {
  let f: Fixture;
  let role: RoleDoc;
  let longRole: RoleDoc;
  let caller: Identity;

  before(async () => {
    f = await fixture();
    role = await putRole(f.app, ownerId, 'Deployer', { path: '/team/ops/' });
    longRole = await putRole(f.app, ownerId, 'LongRole', { maxSessionDurationSeconds: 43_200 });
    caller = userIdentity(f.admin, 'alice');
  });
  after(() => f.close());

  const call = (params: Record<string, string>, identity: Identity = caller) => serviceCall(f.app, identity, { params });

  it('mints ASIA credentials for a session of the role (session ARN without the role path)', async () => {
    const c = call({ RoleArn: role.arn, RoleSessionName: 'deploy-1' });
    assert.equal(assumeRole.action, 'sts:AssumeRole');
    assert.equal(assumeRole.resource(c), role.arn);
    const result = (await assumeRole.handler(c))!;
    const credentials = result.Credentials as Record<string, string>;
    assert.match(credentials.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.match(credentials.SecretAccessKey!, /^[A-Za-z0-9+/]{40}$/);
    assert.equal(credentials.Expiration, new Date(startMs + 3600_000).toISOString().replace('.000Z', 'Z'));
    assert.deepEqual(result.AssumedRoleUser, {
      AssumedRoleId: `${role.roleId}:deploy-1`,
      Arn: `arn:aws:sts::${ownerId}:assumed-role/Deployer/deploy-1`,
    });
    assert.equal(result.PackedPolicySize, undefined, 'PackedPolicySize only with session policies or tags');
    assert.equal(result.SourceIdentity, undefined);

    const claims = openSessionToken(f.app.masterKey, credentials.SessionToken!);
    assert.ok(claims);
    assert.deepEqual(claims, {
      v: 1,
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      accountId: ownerId,
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ownerId}:assumed-role/Deployer/deploy-1`,
      userId: `${role.roleId}:deploy-1`,
      roleArn: `arn:aws:iam::${ownerId}:role/team/ops/Deployer`,
      roleName: 'Deployer',
      sessionName: 'deploy-1',
      userName: null,
      issuedAtMs: startMs,
      expiresAtMs: startMs + 3600_000,
      sessionPolicy: null,
      sessionPolicyArns: [],
      sourceIdentity: null,
      tags: {},
      transitiveTagKeys: [],
      mfaPresent: false,
      chained: false,
    });
  });

  it('condition keys: sts:RoleSessionName always, sts:ExternalId only when given', () => {
    assert.deepEqual(assumeRole.context!(call({ RoleArn: role.arn, RoleSessionName: 's1' })), { 'sts:RoleSessionName': 's1' });
    const context = assumeRole.context!(call({ RoleArn: role.arn, RoleSessionName: 's1', ExternalId: 'HMI-CLIENT', SerialNumber: 'arn:aws:iam::111111111111:mfa/alice', TokenCode: '123456' }));
    assert.equal(context['sts:ExternalId'], 'HMI-CLIENT');
    assert.equal(context['aws:MultiFactorAuthPresent'], 'true');
  });

  it('RoleSessionName pattern violation uses the model-validation wording (before authorization)', async () => {
    const error = await rejection(() => assumeRole.resource(call({ RoleArn: role.arn, RoleSessionName: 'x y' })));
    assert.equal(error.code, 'ValidationError');
    assert.equal(error.statusCode, 400);
    assert.equal(error.message, "1 validation error detected: Value 'x y' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  });

  it('missing required members and several violations are counted in one message', async () => {
    const missing = await rejection(() => assumeRole.resource(call({})));
    assert.equal(missing.message, "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
    const short = await rejection(() => assumeRole.resource(call({ RoleArn: 'arn:aws:iam::1:r', RoleSessionName: 'a' })));
    assert.match(short.message, /^2 validation errors detected: Value 'arn:aws:iam::1:r' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2$/);
  });

  it('DurationSeconds below 900 or above 43200 is a ValidationError', async () => {
    const low = await rejection(() => assumeRole.resource(call({ RoleArn: role.arn, RoleSessionName: 's', DurationSeconds: '899' })));
    assert.match(low.message, /Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900/);
    const high = await rejection(() => assumeRole.resource(call({ RoleArn: longRole.arn, RoleSessionName: 'ss', DurationSeconds: '43201' })));
    assert.match(high.message, /^1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200$/);
  });

  it('DurationSeconds above the role MaxSessionDuration fails; within it sets the expiry', async () => {
    const error = await rejection(assumeRole.handler(call({ RoleArn: role.arn, RoleSessionName: 'ss', DurationSeconds: '3601' })));
    assert.equal(error.code, 'ValidationError');
    assert.equal(error.message, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    const result = (await assumeRole.handler(call({ RoleArn: longRole.arn, RoleSessionName: 'ss', DurationSeconds: '43200' })))!;
    assert.equal((result.Credentials as Record<string, string>).Expiration, '2025-01-16T00:00:00Z');
  });

  it('role chaining: a role session may not ask for more than one hour, and the new session is marked chained', async () => {
    const first = (await assumeRole.handler(call({ RoleArn: longRole.arn, RoleSessionName: 'first' })))!;
    const firstCredentials = first.Credentials as Record<string, string>;
    const sessionCaller: Identity = {
      ...rootIdentity(f.owner),
      type: 'AssumedRole',
      arn: (first.AssumedRoleUser as Record<string, string>).Arn!,
      userId: (first.AssumedRoleUser as Record<string, string>).AssumedRoleId!,
      accessKeyId: firstCredentials.AccessKeyId!,
      roleArn: longRole.arn,
      sessionName: 'first',
    };
    const error = await rejection(assumeRole.handler(call({ RoleArn: longRole.arn, RoleSessionName: 'second', DurationSeconds: '7200' }, sessionCaller)));
    assert.equal(error.code, 'ValidationError');
    assert.equal(error.message, 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    // Without Identity.session the handler reads the caller's token from the request.
    const chained = serviceCall(f.app, sessionCaller, { params: { RoleArn: role.arn, RoleSessionName: 'second' }, headers: { 'x-amz-security-token': firstCredentials.SessionToken! } });
    const result = (await assumeRole.handler(chained))!;
    const claims = openSessionToken(f.app.masterKey, (result.Credentials as Record<string, string>).SessionToken!)!;
    assert.equal(claims.chained, true);
    assert.equal(claims.expiresAtMs - claims.issuedAtMs, 3600_000);
  });

  it('session tags: sts:TagSession is authorized, tags and transitive keys are sealed, aws:RequestTag keys are in context', async () => {
    const c = call({
      RoleArn: role.arn,
      RoleSessionName: 'tagged',
      'Tags.member.1.Key': 'Project',
      'Tags.member.1.Value': 'Apollo',
      'Tags.member.2.Key': 'CostCenter',
      'Tags.member.2.Value': '42',
      'TransitiveTagKeys.member.1': 'Project',
    });
    const context = assumeRole.context!(c);
    assert.equal(context['aws:RequestTag/Project'], 'Apollo');
    assert.deepEqual(context['aws:TagKeys'], ['Project', 'CostCenter']);
    const result = (await assumeRole.handler(c))!;
    assert.deepEqual(c.authorized, [{ action: 'sts:TagSession', resourceArn: role.arn, resourceAccountId: ownerId }]);
    assert.equal(typeof result.PackedPolicySize, 'number');
    const claims = openSessionToken(f.app.masterKey, (result.Credentials as Record<string, string>).SessionToken!)!;
    assert.deepEqual(claims.tags, { Project: 'Apollo', CostCenter: '42' });
    assert.deepEqual(claims.transitiveTagKeys, ['Project']);
  });

  it('transitive tags of the calling session carry over and cannot be redefined', async () => {
    const chainedCaller: Identity = {
      ...rootIdentity(f.owner),
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ownerId}:assumed-role/LongRole/a`,
      accessKeyId: 'ASIAEXAMPLECHAINED01',
      session: { policy: null, policyArns: [], tags: { Project: 'Apollo', Temp: 'x' }, transitiveTagKeys: ['Project'], sourceIdentity: 'alice', expiresAtMs: startMs + 1000, chained: false },
    };
    const result = (await assumeRole.handler(call({ RoleArn: role.arn, RoleSessionName: 'next' }, chainedCaller)))!;
    const claims = openSessionToken(f.app.masterKey, (result.Credentials as Record<string, string>).SessionToken!)!;
    assert.deepEqual(claims.tags, { Project: 'Apollo' });
    assert.deepEqual(claims.transitiveTagKeys, ['Project']);
    assert.equal(claims.sourceIdentity, 'alice', 'source identity persists across chained sessions');
    assert.equal(result.SourceIdentity, 'alice');
    const conflict = await rejection(assumeRole.handler(call({ RoleArn: role.arn, RoleSessionName: 'next', 'Tags.member.1.Key': 'project', 'Tags.member.1.Value': 'v' }, chainedCaller)));
    assert.equal(conflict.code, 'InvalidParameterValue');
  });

  it('duplicate session tag keys differ only in case: InvalidParameterValue', async () => {
    const error = await rejection(() => assumeRole.resource(call({ RoleArn: role.arn, RoleSessionName: 'ss', 'Tags.member.1.Key': 'Dept', 'Tags.member.1.Value': 'a', 'Tags.member.2.Key': 'dept', 'Tags.member.2.Value': 'b' })));
    assert.equal(error.code, 'InvalidParameterValue');
    assert.equal(error.message, 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  });

  it('SourceIdentity needs sts:SetSourceIdentity and is returned', async () => {
    const c = call({ RoleArn: role.arn, RoleSessionName: 'ss', SourceIdentity: 'alice@example.com' });
    assert.equal(assumeRole.context!(c)['sts:SourceIdentity'], 'alice@example.com');
    const result = (await assumeRole.handler(c))!;
    assert.deepEqual(c.authorized.map((entry) => entry.action), ['sts:SetSourceIdentity']);
    assert.equal(result.SourceIdentity, 'alice@example.com');
    const reserved = await rejection(() => assumeRole.resource(call({ RoleArn: role.arn, RoleSessionName: 'ss', SourceIdentity: 'aws:me' })));
    assert.equal(reserved.code, 'ValidationError');
  });

  it('inline session policy: validated as a session policy, sealed, and counted in PackedPolicySize', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }] });
    const result = (await assumeRole.handler(call({ RoleArn: role.arn, RoleSessionName: 'ss', Policy: policy, 'PolicyArns.member.1.arn': 'arn:aws:iam::aws:policy/ReadOnlyAccess' })))!;
    assert.ok((result.PackedPolicySize as number) > 0 && (result.PackedPolicySize as number) <= 100);
    const claims = openSessionToken(f.app.masterKey, (result.Credentials as Record<string, string>).SessionToken!)!;
    assert.equal(claims.sessionPolicy, policy);
    assert.deepEqual(claims.sessionPolicyArns, ['arn:aws:iam::aws:policy/ReadOnlyAccess']);

    const malformed = await rejection(assumeRole.handler(call({ RoleArn: role.arn, RoleSessionName: 'ss', Policy: '{"Version":"2012-10-17","Statement":[' })));
    assert.equal(malformed.code, 'MalformedPolicyDocument');
    const withPrincipal = await rejection(assumeRole.handler(call({ RoleArn: role.arn, RoleSessionName: 'ss', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] }) })));
    assert.equal(withPrincipal.code, 'MalformedPolicyDocument');
  });

  it('a session policy over the packed limit fails with PackedPolicyTooLarge', async () => {
    const statements = Array.from({ length: 40 }, (_, index) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-number-${index}/*` }));
    const error = await rejection(assumeRole.handler(call({ RoleArn: role.arn, RoleSessionName: 'ss', Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) })));
    assert.equal(error.code, 'PackedPolicyTooLarge');
    assert.match(error.message, /^Packed policy consumes \d+% of allotted space, please use smaller policy\.$/);
  });

  it('MFA: SerialNumber + any six-digit TokenCode marks the session (AWS-DIFF: codes are not verified)', async () => {
    const result = (await assumeRole.handler(call({ RoleArn: role.arn, RoleSessionName: 'ss', SerialNumber: 'arn:aws:iam::111111111111:mfa/alice', TokenCode: '123456' })))!;
    assert.equal(openSessionToken(f.app.masterKey, (result.Credentials as Record<string, string>).SessionToken!)!.mfaPresent, true);
    const badCode = await rejection(() => assumeRole.resource(call({ RoleArn: role.arn, RoleSessionName: 'ss', SerialNumber: 'arn:aws:iam::111111111111:mfa/alice', TokenCode: '12345a' })));
    assert.match(badCode.message, /at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\d\]\*/);
  });

  it('ExternalId shorter than 2 characters is a ValidationError', async () => {
    const error = await rejection(() => assumeRole.resource(call({ RoleArn: role.arn, RoleSessionName: 'ss', ExternalId: 'x' })));
    assert.match(error.message, /Value 'x' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2/);
  });

  it('a role that does not exist (or a path that does not match) is AccessDenied, not NoSuchEntity', async () => {
    const missing = await rejection(assumeRole.handler(call({ RoleArn: `arn:aws:iam::${ownerId}:role/Nope`, RoleSessionName: 'ss' })));
    assert.equal(missing.code, 'AccessDenied');
    assert.equal(missing.statusCode, 403);
    assert.equal(missing.message, `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ownerId}:role/Nope`);
    const wrongPath = await rejection(assumeRole.handler(call({ RoleArn: `arn:aws:iam::${ownerId}:role/Deployer`, RoleSessionName: 'ss' })));
    assert.equal(wrongPath.code, 'AccessDenied');
  });
});
