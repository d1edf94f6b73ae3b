// Issue 6 end to end: the seed hand-off (scenarios.md §1) with server access logging on and the audit
// trail. Sources: S3 UG "Amazon S3 server access log format", "Permissions for log delivery";
// S3 API Reference "PutBucketLogging"; CloudTrail API Reference "LookupEvents".
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CreateBucketCommand, DeleteBucketCommand, GetBucketLoggingCommand, GetObjectCommand, ListObjectsV2Command, PutBucketLoggingCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { startServer, mainScript, type Server } from '../e2e/harness.js';
import { signedRequest } from '../e2e/raw.js';

const ownerId = '111111111111';
const partnerId = '222222222222';
const role = 'CLIENT-ExtRole';
const sessionName = 'partner-upload';
const logPrefix = 's3/CLIENT/';

function loggingPolicy(logBucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Sid: 'S3ServerAccessLogsPolicy',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${logBucket}/${logPrefix}*`,
      Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::data-bucket' }, StringEquals: { 'aws:SourceAccount': ownerId } },
    }],
  });
}

async function lookupEvents(server: Server, profile: string, input: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const response = await signedRequest(server, profile, {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents' },
    body: JSON.stringify(input),
  }, { service: 'cloudtrail' });
  return { status: response.status, body: JSON.parse(response.text || '{}') };
}

async function allEvents(server: Server, profile: string, input: Record<string, unknown> = {}): Promise<any[]> {
  const events: any[] = [];
  let token: string | undefined;
  do {
    const { status, body } = await lookupEvents(server, profile, { ...input, ...(token ? { NextToken: token } : {}) });
    assert.equal(status, 200, JSON.stringify(body));
    events.push(...body.Events);
    token = body.NextToken;
  } while (token);
  return events;
}

describe('seed hand-off with server access logging and the audit trail', () => {
  let server: Server;
  let owner: S3Client;
  let session: S3Client;
  let sessionSecrets: string[] = [];
  const roleArn = `arn:aws:iam::${ownerId}:role/${role}`;
  const sessionArn = `arn:aws:sts::${ownerId}:assumed-role/${role}/${sessionName}`;

  before(async () => {
    server = await startServer({ extraArgs: ['--log-flush-seconds', '1'] });
    owner = server.s3('owner');
    await owner.send(new CreateBucketCommand({ Bucket: 'data-bucket' }));
    await owner.send(new CreateBucketCommand({ Bucket: 'log-bucket' }));
    await owner.send(new CreateBucketCommand({ Bucket: 'no-permission-logs' }));
    await owner.send(new PutBucketPolicyCommand({ Bucket: 'log-bucket', Policy: loggingPolicy('log-bucket') }));
    await owner.send(new PutBucketLoggingCommand({ Bucket: 'data-bucket', BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'log-bucket', TargetPrefix: logPrefix } } }));

    const iam = new IAMClient({ region: server.region, endpoint: server.httpEndpoint, credentials: server.credentials('owner'), requestHandler: server.requestHandler(), maxAttempts: 1 });
    const policy = await iam.send(new CreatePolicyCommand({
      PolicyName: role,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::data-bucket' },
          { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::data-bucket/*' },
        ],
      }),
    }));
    await iam.send(new CreateRoleCommand({
      RoleName: role,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${partnerId}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'HMI-CLIENT' } } }],
      }),
    }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: policy.Policy!.Arn! }));

    const sts = new STSClient({ region: server.region, endpoint: server.httpEndpoint, credentials: server.credentials('partner'), requestHandler: server.requestHandler(), maxAttempts: 1 });
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, ExternalId: 'HMI-CLIENT' }));
    const credentials = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    sessionSecrets = [credentials.secretAccessKey, credentials.sessionToken, server.credentials('partner').secretAccessKey, server.credentials('owner').secretAccessKey];
    session = server.s3('owner', { config: { credentials } });

    await session.send(new PutObjectCommand({ Bucket: 'data-bucket', Key: 'inbox/report.csv', Body: 'a,b\n1,2\n' }));
    await session.send(new ListObjectsV2Command({ Bucket: 'data-bucket' }));
    const got = await session.send(new GetObjectCommand({ Bucket: 'data-bucket', Key: 'inbox/report.csv' }));
    await got.Body!.transformToString();
    await assert.rejects(session.send(new DeleteBucketCommand({ Bucket: 'data-bucket' })), (error: Error) => error.name === 'AccessDenied');
  });

  after(async () => {
    await server?.close();
  });

  it('PutBucketLogging refuses a target without delivery permission, and logging a bucket to itself without it', async () => {
    for (const target of ['no-permission-logs', 'data-bucket']) {
      await assert.rejects(
        owner.send(new PutBucketLoggingCommand({ Bucket: 'data-bucket', BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: 'x/' } } })),
        (error: Error & { $metadata?: { httpStatusCode?: number } }) => error.name === 'InvalidTargetBucketForLogging' && error.$metadata?.httpStatusCode === 400,
      );
    }
    await assert.rejects(
      owner.send(new PutBucketLoggingCommand({ Bucket: 'data-bucket', BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'missing-bucket-xyz', TargetPrefix: 'x/' } } })),
      (error: Error) => error.name === 'InvalidTargetBucketForLogging',
    );
    const status = await owner.send(new GetBucketLoggingCommand({ Bucket: 'data-bucket' }));
    assert.deepEqual(status.LoggingEnabled && { TargetBucket: status.LoggingEnabled.TargetBucket, TargetPrefix: status.LoggingEnabled.TargetPrefix }, { TargetBucket: 'log-bucket', TargetPrefix: logPrefix });
  });

  it('the log bucket holds a record of each session request, the denied one included, with the role session ARN as requester', async () => {
    let lines: string[] = [];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const listed = await owner.send(new ListObjectsV2Command({ Bucket: 'log-bucket', Prefix: logPrefix }));
      lines = [];
      for (const object of listed.Contents ?? []) {
        assert.match(object.Key!, /^s3\/CLIENT\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$/);
        const body = await (await owner.send(new GetObjectCommand({ Bucket: 'log-bucket', Key: object.Key! }))).Body!.transformToString();
        lines.push(...body.split('\n').filter(Boolean));
      }
      if (lines.filter((line) => line.includes(sessionArn)).length >= 4) break;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const mine = lines.filter((line) => line.split(' ')[5] === sessionArn);
    const summary = mine.map((line) => {
      const match = /^\S+ data-bucket \[[^\]]+\] \S+ (\S+) \S+ (\S+) (\S+) "[^"]*" (\d{3}) (\S+) /.exec(line);
      assert.ok(match, line);
      return `${match[2]} ${match[3]} ${match[4]} ${match[5]}`;
    });
    assert.deepEqual(summary.sort(), [
      'REST.DELETE.BUCKET - 403 AccessDenied',
      'REST.GET.BUCKET - 200 -',
      'REST.GET.OBJECT inbox/report.csv 200 -',
      'REST.PUT.OBJECT inbox/report.csv 200 -',
    ]);
    for (const secret of sessionSecrets) assert.ok(!lines.join('\n').includes(secret));
  });

  it('LookupEvents shows the AssumeRole in both accounts with one sharedEventID, and the session S3 calls in the owner account', async () => {
    const ownerEvents = await allEvents(server, 'owner');
    const partnerEvents = await allEvents(server, 'partner');
    const assumeOwner = ownerEvents.filter((e) => e.EventName === 'AssumeRole');
    const assumePartner = partnerEvents.filter((e) => e.EventName === 'AssumeRole');
    assert.equal(assumeOwner.length, 1);
    assert.equal(assumePartner.length, 1);
    const [o, p] = [JSON.parse(assumeOwner[0].CloudTrailEvent), JSON.parse(assumePartner[0].CloudTrailEvent)];
    assert.ok(o.sharedEventID);
    assert.equal(o.sharedEventID, p.sharedEventID);
    assert.equal(o.recipientAccountId, ownerId);
    assert.equal(p.recipientAccountId, partnerId);
    assert.equal(o.userIdentity.type, 'AWSAccount');
    assert.equal(o.userIdentity.accountId, partnerId);
    assert.equal(p.userIdentity.type, 'Root');
    assert.equal(o.requestParameters.roleArn ?? o.requestParameters.RoleArn, roleArn);

    const sessionCalls = ownerEvents.map((e) => JSON.parse(e.CloudTrailEvent)).filter((r) => r.userIdentity.arn === sessionArn);
    const names = sessionCalls.map((r) => `${r.eventName}:${r.errorCode ?? 'OK'}`).sort();
    assert.deepEqual(names, ['DeleteBucket:AccessDenied', 'GetObject:OK', 'ListObjectsV2:OK', 'PutObject:OK']);
    for (const record of sessionCalls) {
      assert.equal(record.userIdentity.sessionContext.sessionIssuer.arn, roleArn);
      assert.equal(record.eventSource, 's3.amazonaws.com');
    }
    const everything = JSON.stringify([ownerEvents, partnerEvents]);
    for (const secret of sessionSecrets) assert.ok(!everything.includes(secret), 'no secret in any record');
  });

  it('LookupEvents is authorized as cloudtrail:LookupEvents and validates MaxResults', async () => {
    const { status, body } = await lookupEvents(server, 'owner', { MaxResults: 51 });
    assert.equal(status, 400);
    assert.equal(body.__type, 'InvalidMaxResultsException');
    const filtered = await lookupEvents(server, 'owner', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutBucketLogging' }] });
    assert.equal(filtered.status, 200);
    assert.ok(filtered.body.Events.length >= 1);
    assert.ok(filtered.body.Events.every((e: any) => e.EventName === 'PutBucketLogging'));
  });

  it('crossbucket audit prints the trail of the data dir, filtered', async () => {
    const run = (args: string[]) => spawnSync(process.execPath, [mainScript, 'audit', '--data', server.dataDir, ...args], { encoding: 'utf8' });
    const denied = run(['--account', 'owner', '--denied-only', '--json']);
    assert.equal(denied.status, 0, denied.stderr);
    const records = JSON.parse(denied.stdout).Records as any[];
    assert.ok(records.some((r) => r.eventName === 'DeleteBucket' && r.userIdentity.arn === sessionArn));
    assert.ok(records.every((r) => r.errorCode === 'AccessDenied' || r.errorCode === 'AccessDeniedException'));
    const table = run(['--principal', `assumed-role/${role}`, '--bucket', 'data-bucket']);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /PutObject/);
    assert.match(table.stdout, /AccessDenied/);
  });
});
