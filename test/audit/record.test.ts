// CloudTrail record shape (CloudTrail UG "CloudTrail record contents", "CloudTrail userIdentity element")
// and secret scrubbing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildAuditEvents, isReadOnly } from '../../src/audit/record.js';
import { scrub } from '../../src/audit/scrub.js';
import { outcomeOf, ownerAccount, partnerAccount, rootOf, sessionOf, userOf } from './helpers.js';

const region = 'us-east-1';

describe('CloudTrail record contents', () => {
  it('records an S3 PutObject by a role session once, in the role owner account, as a data event', () => {
    const identity = sessionOf(ownerAccount, 'CLIENT-ExtRole', 'partner-session');
    const outcome = outcomeOf({
      method: 'PUT', path: '/data/report.csv',
      trace: { operation: 'PutObject', identity, bucket: 'data', key: 'report.csv', bucketOwnerAccountId: ownerAccount, resourceAccountId: ownerAccount, authType: 'AuthHeader' },
    });
    const events = buildAuditEvents(outcome, { region });
    assert.equal(events.length, 1);
    const record = JSON.parse(events[0]!.record);
    assert.equal(record.eventVersion, '1.09');
    assert.equal(record.eventSource, 's3.amazonaws.com');
    assert.equal(record.eventName, 'PutObject');
    assert.equal(record.eventTime, '2025-02-06T00:00:38Z');
    assert.equal(record.awsRegion, region);
    assert.equal(record.sourceIPAddress, '192.0.2.3');
    assert.equal(record.userAgent, '[aws-cli/2.15.0]');
    assert.equal(record.readOnly, false);
    assert.equal(record.managementEvent, false);
    assert.equal(record.eventCategory, 'Data');
    assert.equal(record.eventType, 'AwsApiCall');
    assert.equal(record.recipientAccountId, ownerAccount);
    assert.equal(record.sharedEventID, undefined);
    assert.match(record.eventID, /^[0-9a-f-]{36}$/);
    assert.equal(record.requestID, '3E57427F3EXAMPLE');
    assert.deepEqual(record.requestParameters, { bucketName: 'data', Host: 'localhost:4580', key: 'report.csv' });
    assert.deepEqual(record.resources, [
      { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::data/report.csv' },
      { accountId: ownerAccount, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::data' },
    ]);
    assert.deepEqual(record.userIdentity, {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEROLEID001:partner-session',
      arn: `arn:aws:sts::${ownerAccount}:assumed-role/CLIENT-ExtRole/partner-session`,
      accountId: ownerAccount,
      accessKeyId: 'ASIASESSIONEXAMPLE01',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEROLEID001', arn: `arn:aws:iam::${ownerAccount}:role/CLIENT-ExtRole`, accountId: ownerAccount, userName: 'CLIENT-ExtRole' },
        attributes: { creationDate: '2025-02-06T00:00:00Z', mfaAuthenticated: 'false' },
      },
    });
    assert.equal(events[0]!.username, 'partner-session');
    assert.deepEqual(events[0]!.resourceTypes, ['AWS::S3::Object', 'AWS::S3::Bucket']);
    assert.ok(events[0]!.resourceNames.includes('data'));
  });

  it('records a cross-account call for both accounts with one sharedEventID; the owner sees an AWSAccount identity', () => {
    const identity = userOf(partnerAccount, 'alice');
    const outcome = outcomeOf({
      status: 400,
      trace: {
        service: 'sts', operation: 'AssumeRole', identity, resourceAccountId: ownerAccount,
        resources: [{ arn: `arn:aws:iam::${ownerAccount}:role/CLIENT-ExtRole`, type: 'AWS::IAM::Role', accountId: ownerAccount }],
        requestParameters: { RoleArn: `arn:aws:iam::${ownerAccount}:role/CLIENT-ExtRole`, RoleSessionName: 's', ExternalId: 'HMI-CLIENT' },
        responseElements: { Credentials: { AccessKeyId: 'ASIAXXXX', SecretAccessKey: 'topsecretvalue', SessionToken: 'tokenvalue', Expiration: '2025-02-06T01:00:38Z' } },
      },
    });
    const events = buildAuditEvents(outcome, { region });
    assert.deepEqual(events.map((e) => e.accountId), [partnerAccount, ownerAccount]);
    const [mine, theirs] = events.map((e) => JSON.parse(e.record));
    assert.ok(mine.sharedEventID);
    assert.equal(mine.sharedEventID, theirs.sharedEventID);
    assert.notEqual(mine.eventID, theirs.eventID);
    assert.equal(mine.recipientAccountId, partnerAccount);
    assert.equal(theirs.recipientAccountId, ownerAccount);
    assert.equal(mine.userIdentity.type, 'IAMUser');
    assert.equal(mine.userIdentity.userName, 'alice');
    assert.deepEqual(theirs.userIdentity, { type: 'AWSAccount', principalId: 'AIDAEXAMPLEUSERID001', accountId: partnerAccount, accessKeyId: 'AKIAUSEREXAMPLE00001' });
    assert.equal(mine.eventSource, 'sts.amazonaws.com');
    assert.equal(mine.readOnly, true);
    assert.equal(mine.managementEvent, true);
    assert.equal(mine.responseElements.Credentials.AccessKeyId, 'ASIAXXXX');
    for (const event of events) {
      assert.ok(!event.record.includes('topsecretvalue'), 'secret access key must not be recorded');
      assert.ok(!event.record.includes('tokenvalue'), 'session token must not be recorded');
    }
  });

  it('records errors with errorCode and errorMessage', () => {
    const outcome = outcomeOf({
      method: 'PUT', path: '/data?policy', query: 'policy', status: 403,
      trace: { operation: 'PutBucketPolicy', identity: rootOf(partnerAccount), bucket: 'data', bucketOwnerAccountId: ownerAccount, errorCode: 'AccessDenied', errorMessage: 'Access Denied' },
    });
    const events = buildAuditEvents(outcome, { region });
    assert.equal(events.length, 2);
    const record = JSON.parse(events[1]!.record);
    assert.equal(record.errorCode, 'AccessDenied');
    assert.equal(record.errorMessage, 'Access Denied');
    assert.equal(record.managementEvent, true);
    assert.deepEqual(record.requestParameters, { bucketName: 'data', Host: 'localhost:4580', policy: '' });
    assert.equal(events[1]!.errorCode, 'AccessDenied');
  });

  it('records nothing for requests that never resolved to an operation or an identity', () => {
    assert.deepEqual(buildAuditEvents(outcomeOf({ trace: { operation: null, identity: rootOf(ownerAccount) } }), { region }), []);
    assert.deepEqual(buildAuditEvents(outcomeOf({ trace: { operation: 'GetObject', identity: null } }), { region }), []);
  });

  it('leaves presigned-URL signatures out of S3 requestParameters', () => {
    const outcome = outcomeOf({
      path: '/data/k', query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=deadbeef&X-Amz-Security-Token=tok&versionId=null',
      trace: { operation: 'GetObject', identity: rootOf(ownerAccount), bucket: 'data', key: 'k', bucketOwnerAccountId: ownerAccount, authType: 'QueryString' },
    });
    const record = buildAuditEvents(outcome, { region })[0]!.record;
    assert.ok(!record.includes('deadbeef'));
    assert.ok(!record.includes('"tok"'));
    assert.match(record, /"versionId":"null"/);
  });

  it('keeps no responseElements for read-only calls (LookupEvents must not nest the trail)', () => {
    const outcome = outcomeOf({
      trace: { service: 'cloudtrail', operation: 'LookupEvents', identity: rootOf(ownerAccount), requestParameters: { MaxResults: 5 }, responseElements: { Events: [{ CloudTrailEvent: '{}' }] } },
    });
    const record = JSON.parse(buildAuditEvents(outcome, { region })[0]!.record);
    assert.equal(record.responseElements, null);
    assert.deepEqual(record.requestParameters, { MaxResults: 5 });
    assert.equal(record.eventSource, 'cloudtrail.amazonaws.com');
  });

  it('classifies read-only event names', () => {
    for (const name of ['GetObject', 'ListBuckets', 'HeadObject', 'DescribeOrganization', 'LookupEvents', 'AssumeRole', 'GetCallerIdentity']) assert.equal(isReadOnly(name), true, name);
    for (const name of ['PutObject', 'CreateUser', 'DeleteObject', 'Getaway', 'CompleteMultipartUpload']) assert.equal(isReadOnly(name), false, name);
  });
});

describe('secret scrubbing', () => {
  it('hides secret fields at any depth and in Query-protocol flattened names', () => {
    const scrubbed = scrub({
      UserName: 'bob',
      Password: 'hunter2',
      'Credentials.SecretAccessKey': 'abc',
      AccessKey: { AccessKeyId: 'AKIA1', SecretAccessKey: 'shh' },
      Plaintext: 'cGxhaW4=',
      list: [{ SessionToken: 'tok' }],
      headers: { 'x-amz-server-side-encryption-customer-key': 'a2V5', Authorization: 'AWS4-HMAC-SHA256 ...' },
    }) as Record<string, any>;
    const text = JSON.stringify(scrubbed);
    for (const secret of ['hunter2', '"abc"', 'shh', 'cGxhaW4=', '"tok"', 'a2V5', 'AWS4-HMAC']) assert.ok(!text.includes(secret), secret);
    assert.equal(scrubbed.UserName, 'bob');
    assert.equal(scrubbed.AccessKey.AccessKeyId, 'AKIA1');
  });
});
