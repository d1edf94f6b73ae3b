/**
 * scenarios.md §1 (runbook: role + ExternalId hand-off): the outcome rows test/scenarios/runbook.test.ts
 * does not cover — role session PutObjectAcl → AccessDenied, objects written by the session encrypted at
 * rest (HEAD shows AES256) with the owner's explicit SSE-S3 default encryption (step 2), the trailing
 * comma policy (step 6) as a named test, and the external side with boto3 (sts.assume_role →
 * s3.put_object, list_objects_v2).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { AttachRolePolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startServer, hasBoto3, type Server } from '../e2e/harness.js';
import { iamClient, stsClient, s3Client, rejection, type AnyCredentials } from '../scenarios/clients.js';

const OWNER = '111111111111';
const PARTNER = '222222222222';
const bucket = 'runbook-more-bucket';
const externalId = 'HMI-CLIENT';
const roleName = 'CLIENT-ExtRole';
const roleArn = `arn:aws:iam::${OWNER}:role/${roleName}`;

const policyWithTrailingComma = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::${bucket}"] },
    { "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], "Resource": ["arn:aws:s3:::${bucket}/*"], }
  ]
}`;
const rolePolicy = policyWithTrailingComma.replace('"], }', '"] }');
const tlsOnlyPolicy = `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::${bucket}/*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}`;

describe('scenarios.md §1 (more rows): runbook — role + ExternalId hand-off', () => {
  let server: Server;
  let partnerUser: AnyCredentials;
  let session: AnyCredentials;

  before(async () => {
    server = await startServer();
    const owner = s3Client(server, server.credentials('owner'));
    // Steps 1–4: bucket, default encryption SSE-S3 (AES-256), BPA left on, TLS-only policy.
    await owner.send(new CreateBucketCommand({ Bucket: bucket }));
    await owner.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
    await owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: tlsOnlyPolicy }));
    // Steps 6–7: policy and role.
    const ownerIam = iamClient(server, server.credentials('owner'));
    const policy = await ownerIam.send(new CreatePolicyCommand({ PolicyName: roleName, PolicyDocument: rolePolicy }));
    await ownerIam.send(new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } }] }),
    }));
    await ownerIam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.Policy!.Arn }));
    // External side: B user with the hand-off policy.
    const partnerIam = iamClient(server, server.credentials('partner'));
    await partnerIam.send(new CreateUserCommand({ UserName: 'uploader' }));
    await partnerIam.send(new PutUserPolicyCommand({ UserName: 'uploader', PolicyName: 'assume', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }] }) }));
    const key = (await partnerIam.send(new CreateAccessKeyCommand({ UserName: 'uploader' }))).AccessKey!;
    partnerUser = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const out = await stsClient(server, partnerUser).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'upload', ExternalId: externalId }));
    session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
  });
  after(async () => {
    await server?.close();
  });

  it('step 6: the hand-written policy with a trailing comma → MalformedPolicyDocument with a clear message; the corrected one is accepted', async () => {
    const iam = iamClient(server, server.credentials('owner'));
    const malformed = await rejection(iam.send(new CreatePolicyCommand({ PolicyName: 'CLIENT-Copy', PolicyDocument: policyWithTrailingComma })));
    assert.equal(malformed.name, 'MalformedPolicyDocumentException');
    assert.equal(malformed.status, 400);
    assert.match(malformed.message, /Syntax errors in policy/);
    const ok = await iam.send(new CreatePolicyCommand({ PolicyName: 'CLIENT-Copy', PolicyDocument: rolePolicy }));
    assert.equal(ok.Policy!.Arn, `arn:aws:iam::${OWNER}:policy/CLIENT-Copy`);
  });

  it('steps 2–3: default encryption is SSE-S3 (AES256) and all four Block Public Access settings stay on', async () => {
    const owner = s3Client(server, server.credentials('owner'));
    const enc = await owner.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    assert.equal(enc.ServerSideEncryptionConfiguration!.Rules![0]!.ApplyServerSideEncryptionByDefault!.SSEAlgorithm, 'AES256');
    const bpa = (await owner.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration!;
    assert.deepEqual([bpa.BlockPublicAcls, bpa.IgnorePublicAcls, bpa.BlockPublicPolicy, bpa.RestrictPublicBuckets], [true, true, true, true]);
  });

  it('role session PutObjectAcl → AccessDenied', async () => {
    const s3 = s3Client(server, session);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'acl-target.txt', Body: 'x' }));
    for (const acl of ['bucket-owner-full-control', 'public-read'] as const) {
      const denied = await rejection(s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'acl-target.txt', ACL: acl })));
      assert.equal(denied.name, 'AccessDenied', `PutObjectAcl ${acl}: ${denied.message}`);
      assert.equal(denied.status, 403);
    }
  });

  it('objects written by the role session → encrypted at rest (HEAD shows AES256)', async () => {
    const s3 = s3Client(server, session);
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'incoming/enc.csv', Body: 'secret,data\n' }));
    assert.equal(put.ServerSideEncryption, 'AES256');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'incoming/enc.csv' }));
    assert.equal(head.ServerSideEncryption, 'AES256');
    const ownerHead = await s3Client(server, server.credentials('owner')).send(new HeadObjectCommand({ Bucket: bucket, Key: 'incoming/enc.csv' }));
    assert.equal(ownerHead.ServerSideEncryption, 'AES256', 'the bucket owner sees the same encryption');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'incoming/enc.csv' }));
    assert.equal(got.ServerSideEncryption, 'AES256');
    assert.equal(await got.Body!.transformToString(), 'secret,data\n');
  });

  it('external side with boto3: sts.assume_role with the ExternalId → s3.put_object, list_objects_v2 (and without it → AccessDenied)', async (t) => {
    if (!hasBoto3()) return t.skip('boto3 not installed');
    const script = `
import os, boto3, botocore
kw = dict(region_name=os.environ['CB_REGION'], endpoint_url=os.environ['CB_ENDPOINT'], verify=os.environ['CB_CA'])
sts = boto3.client('sts', aws_access_key_id=os.environ['CB_KEY'], aws_secret_access_key=os.environ['CB_SECRET'], **kw)
try:
    sts.assume_role(RoleArn=os.environ['CB_ROLE'], RoleSessionName='boto3-no-id')
    print('NO-ID-ALLOWED')
except botocore.exceptions.ClientError as e:
    print('NO-ID', e.response['Error']['Code'])
c = sts.assume_role(RoleArn=os.environ['CB_ROLE'], RoleSessionName='boto3', ExternalId=os.environ['CB_EXTERNAL_ID'])['Credentials']
s3 = boto3.client('s3', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'],
                  config=botocore.config.Config(s3={'addressing_style': 'path'}), **kw)
put = s3.put_object(Bucket=os.environ['CB_BUCKET'], Key='boto3/hello.txt', Body=b'hello from boto3')
print('PUT-SSE', put.get('ServerSideEncryption'))
for o in s3.list_objects_v2(Bucket=os.environ['CB_BUCKET'], Prefix='boto3/').get('Contents', []):
    print('KEY', o['Key'])
`;
    const r = await server.python(script, {
      CB_REGION: server.region,
      CB_ENDPOINT: server.httpsEndpoint,
      CB_CA: server.info.caPath,
      CB_KEY: partnerUser.accessKeyId,
      CB_SECRET: partnerUser.secretAccessKey,
      CB_ROLE: roleArn,
      CB_EXTERNAL_ID: externalId,
      CB_BUCKET: bucket,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^NO-ID AccessDenied$/m);
    assert.match(r.stdout, /^PUT-SSE AES256$/m);
    assert.match(r.stdout, /^KEY boto3\/hello\.txt$/m);
  });
});
