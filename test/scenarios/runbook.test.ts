/**
 * scenarios.md §1 (runbook: role + ExternalId hand-off), §3 (put via a role in the destination
 * account) and §4 (read access via a bucket policy), end to end with the JS SDK and the aws CLI.
 * Outcomes are the ones scenarios.md lists.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, DeleteObjectCommand, PutBucketPolicyCommand, DeleteBucketCommand, DeleteBucketPolicyCommand } from '@aws-sdk/client-s3';
import { CreatePolicyCommand, CreateRoleCommand, AttachRolePolicyCommand, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startServer, hasAwsCli, type Server } from '../e2e/harness.js';
import { iamClient, stsClient, s3Client, rejection, type AnyCredentials } from './clients.js';

const OWNER = '111111111111';
const PARTNER = '222222222222';
const bucket = 'runbook-client-bucket';
const externalId = 'HMI-CLIENT';
const roleArn = `arn:aws:iam::${OWNER}:role/CLIENT-ExtRole`;

const policyWithTrailingComma = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::${bucket}"] },
    { "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], "Resource": ["arn:aws:s3:::${bucket}/*"], }
  ]
}`;
const rolePolicy = policyWithTrailingComma.replace('"], }', '"] }');
const trustPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } }],
});
// scenarios.md §1 step 4: no Version element and a JSON boolean false — both must be accepted.
const tlsOnlyPolicy = `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::${bucket}/*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}`;

describe('scenarios.md §1: runbook — grant an external party access with a role and an ExternalId', () => {
  let server: Server;
  let partnerUser: AnyCredentials;
  let partnerUserWithoutAssume: AnyCredentials;

  before(async () => {
    server = await startServer();
    const owner = server.credentials('owner');
    const partner = server.credentials('partner');
    await server.s3('owner').send(new CreateBucketCommand({ Bucket: bucket }));
    await s3Client(server, owner).send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: tlsOnlyPolicy }));

    const ownerIam = iamClient(server, owner);
    const malformed = await rejection(ownerIam.send(new CreatePolicyCommand({ PolicyName: 'CLIENT-ExtRole', PolicyDocument: policyWithTrailingComma })));
    // The SDK names the IAM error code MalformedPolicyDocument as MalformedPolicyDocumentException (as against AWS).
    assert.equal(malformed.name, 'MalformedPolicyDocumentException', 'a trailing comma is refused (scenarios.md §1 step 6)');
    assert.match(malformed.message, /Syntax errors in policy/);
    const policy = await ownerIam.send(new CreatePolicyCommand({ PolicyName: 'CLIENT-ExtRole', PolicyDocument: rolePolicy }));
    await ownerIam.send(new CreateRoleCommand({ RoleName: 'CLIENT-ExtRole', AssumeRolePolicyDocument: trustPolicy }));
    await ownerIam.send(new AttachRolePolicyCommand({ RoleName: 'CLIENT-ExtRole', PolicyArn: policy.Policy!.Arn }));

    const partnerIam = iamClient(server, partner);
    await partnerIam.send(new CreateUserCommand({ UserName: 'uploader' }));
    await partnerIam.send(new PutUserPolicyCommand({
      UserName: 'uploader',
      PolicyName: 'assume-client-role',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }] }),
    }));
    const key = await partnerIam.send(new CreateAccessKeyCommand({ UserName: 'uploader' }));
    partnerUser = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
    await partnerIam.send(new CreateUserCommand({ UserName: 'bystander' }));
    const other = await partnerIam.send(new CreateAccessKeyCommand({ UserName: 'bystander' }));
    partnerUserWithoutAssume = { accessKeyId: other.AccessKey!.AccessKeyId!, secretAccessKey: other.AccessKey!.SecretAccessKey! };
  });
  after(async () => {
    await server?.close();
  });

  async function assume(credentials: AnyCredentials, id: string | undefined) {
    const out = await stsClient(server, credentials).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'upload', ExternalId: id }));
    const c = out.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  }

  it('B user AssumeRole with the right ExternalId → temporary credentials for the assumed-role session', async () => {
    const session = await assume(partnerUser, externalId);
    assert.match(session.accessKeyId, /^ASIA/);
    const who = await stsClient(server, session).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:sts::${OWNER}:assumed-role/CLIENT-ExtRole/upload`);
    assert.equal(who.Account, OWNER);
  });

  it('without the ExternalId, or with a wrong one → AccessDenied', async () => {
    for (const id of [undefined, 'HMI-WRONG']) {
      const denied = await rejection(assume(partnerUser, id));
      assert.equal(denied.name, 'AccessDenied', `ExternalId ${id}`);
      assert.equal(denied.status, 403);
      assert.match(denied.message, new RegExp(`User: arn:aws:iam::${PARTNER}:user/uploader is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`));
    }
  });

  it('B user without sts:AssumeRole in its own account → AccessDenied (cross-account needs both sides)', async () => {
    const denied = await rejection(assume(partnerUserWithoutAssume, externalId));
    assert.equal(denied.name, 'AccessDenied');
  });

  it('role session PutObject / ListBucket / GetObject / DeleteObject over HTTPS → allowed', async () => {
    const s3 = s3Client(server, await assume(partnerUser, externalId));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'incoming/report.csv', Body: 'a,b\n1,2\n' }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['incoming/report.csv']);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'incoming/report.csv' }));
    assert.equal(await got.Body!.transformToString(), 'a,b\n1,2\n');
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'incoming/report.csv' }));
  });

  it('role session PutObject over plain HTTP → AccessDenied (explicit deny in the TLS-only bucket policy)', async () => {
    const s3 = s3Client(server, await assume(partnerUser, externalId), { https: false });
    const denied = await rejection(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain-http', Body: 'x' })));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
  });

  it('role session PutBucketPolicy, DeleteBucket → AccessDenied', async () => {
    const s3 = s3Client(server, await assume(partnerUser, externalId));
    assert.equal((await rejection(s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: tlsOnlyPolicy })))).name, 'AccessDenied');
    assert.equal((await rejection(s3.send(new DeleteBucketCommand({ Bucket: bucket })))).name, 'AccessDenied');
  });

  it('B user calling S3 directly with its own keys (no role) → AccessDenied', async () => {
    const denied = await rejection(s3Client(server, partnerUser).send(new ListObjectsV2Command({ Bucket: bucket })));
    assert.equal(denied.name, 'AccessDenied');
  });

  it('the aws CLI profile with role_arn + source_profile + external_id assumes the role itself (scenarios.md §2 profile)', async (t) => {
    if (!hasAwsCli()) return t.skip('aws CLI not installed');
    const credentialsFile = path.join(server.dataDir, 'partner-credentials');
    const configFile = path.join(server.dataDir, 'partner-config');
    await writeFile(credentialsFile, `[b-original]\naws_access_key_id = ${partnerUser.accessKeyId}\naws_secret_access_key = ${partnerUser.secretAccessKey}\n`, { mode: 0o600 });
    const common = `region = ${server.region}\nendpoint_url = ${server.httpsEndpoint}\nca_bundle = ${server.info.caPath}\ns3 =\n    addressing_style = path\n`;
    await writeFile(configFile, `[profile b-original]\n${common}\n[profile b-cross]\nrole_arn = ${roleArn}\nsource_profile = b-original\nexternal_id = ${externalId}\n${common}\n[profile b-no-external-id]\nrole_arn = ${roleArn}\nsource_profile = b-original\n${common}`);
    // HOME too: the CLI caches assumed-role credentials under ~/.aws/cli/cache, keyed without the source keys.
    const env = { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile, HOME: server.dataDir };
    const local = path.join(server.dataDir, 'upload.txt');
    await writeFile(local, 'uploaded through the CLI profile\n');
    const put = await server.awsCli('b-cross', ['s3', 'cp', local, `s3://${bucket}/cli/upload.txt`], { env });
    assert.equal(put.code, 0, put.stderr + put.stdout);
    const listed = await server.awsCli('b-cross', ['s3', 'ls', `s3://${bucket}/cli/`], { env });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /upload\.txt/);
    const who = await server.awsCli('b-cross', ['sts', 'get-caller-identity', '--output', 'json'], { env });
    assert.equal(JSON.parse(who.stdout).Arn.startsWith(`arn:aws:sts::${OWNER}:assumed-role/CLIENT-ExtRole/`), true);
    const removed = await server.awsCli('b-cross', ['s3', 'rm', `s3://${bucket}/cli/upload.txt`], { env });
    assert.equal(removed.code, 0, removed.stderr);
    const noId = await server.awsCli('b-no-external-id', ['s3', 'ls', `s3://${bucket}/`], { env });
    assert.notEqual(noId.code, 0);
    assert.match(noId.stderr, /AccessDenied/);
    assert.match(noId.stderr, /AssumeRole/);
  });
});

describe('scenarios.md §4: read access for a third-party account via a bucket policy', () => {
  let server: Server;
  let reader: AnyCredentials;
  let noPolicyUser: AnyCredentials;
  const shared = 'shared-reports';

  before(async () => {
    server = await startServer();
    const owner = server.s3('owner');
    await owner.send(new CreateBucketCommand({ Bucket: shared }));
    await owner.send(new PutObjectCommand({ Bucket: shared, Key: 'q3.csv', Body: 'numbers' }));
    await owner.send(new PutBucketPolicyCommand({
      Bucket: shared,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'PartnerRead', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${shared}`, `arn:aws:s3:::${shared}/*`] }],
      }),
    }));
    const iam = iamClient(server, server.credentials('partner'));
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'reader',
      PolicyName: 'read-shared',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${shared}`, `arn:aws:s3:::${shared}/*`] }] }),
    }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
    reader = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
    await iam.send(new CreateUserCommand({ UserName: 'nobody' }));
    const other = await iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }));
    noPolicyUser = { accessKeyId: other.AccessKey!.AccessKeyId!, secretAccessKey: other.AccessKey!.SecretAccessKey! };
  });
  after(async () => {
    await server?.close();
  });

  it('B user whose own policy allows GetObject/ListBucket → allowed', async () => {
    const s3 = s3Client(server, reader);
    const got = await s3.send(new GetObjectCommand({ Bucket: shared, Key: 'q3.csv' }));
    assert.equal(await got.Body!.transformToString(), 'numbers');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: shared }));
    assert.equal(listed.KeyCount, 1);
  });

  it('B user with no identity policy → AccessDenied (its account did not delegate)', async () => {
    const denied = await rejection(s3Client(server, noPolicyUser).send(new GetObjectCommand({ Bucket: shared, Key: 'q3.csv' })));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.message, 'Access Denied', 'S3 keeps the plain message for cross-account denials');
  });

  it('B user PutObject → AccessDenied', async () => {
    assert.equal((await rejection(s3Client(server, reader).send(new PutObjectCommand({ Bucket: shared, Key: 'x', Body: 'x' })))).name, 'AccessDenied');
  });

  it('A removes the statement (revocation) → B denied from then on', async () => {
    await server.s3('owner').send(new DeleteBucketPolicyCommand({ Bucket: shared }));
    assert.equal((await rejection(s3Client(server, reader).send(new GetObjectCommand({ Bucket: shared, Key: 'q3.csv' })))).name, 'AccessDenied');
  });
});

describe('scenarios.md §3: put from another account via a role the destination account owns', () => {
  let server: Server;
  const dest = 'destination-bucket';
  const destRole = `arn:aws:iam::${OWNER}:role/IncomingWriter`;

  before(async () => {
    server = await startServer({ accounts: `${'owner=' + OWNER},${'partner=' + PARTNER},third=333333333333` });
    await server.s3('owner').send(new CreateBucketCommand({ Bucket: dest }));
    const iam = iamClient(server, server.credentials('owner'));
    await iam.send(new CreateRoleCommand({
      RoleName: 'IncomingWriter',
      // FAQ: one role can trust several source accounts (a list of principals).
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${PARTNER}:root`, 'arn:aws:iam::333333333333:root'] }, Action: 'sts:AssumeRole' }] }),
    }));
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'IncomingWriter',
      PolicyName: 'put-incoming',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${dest}/incoming/*` }] }),
    }));
  });
  after(async () => {
    await server?.close();
  });

  it('a trusted source account root assumes the role and puts under incoming/; writes elsewhere are denied', async () => {
    for (const profile of ['partner', 'third']) {
      const out = await stsClient(server, server.credentials(profile)).send(new AssumeRoleCommand({ RoleArn: destRole, RoleSessionName: `from-${profile}` }));
      const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
      const s3 = s3Client(server, session);
      await s3.send(new PutObjectCommand({ Bucket: dest, Key: `incoming/${profile}.txt`, Body: profile }));
      assert.equal((await rejection(s3.send(new PutObjectCommand({ Bucket: dest, Key: `elsewhere/${profile}.txt`, Body: profile })))).name, 'AccessDenied');
    }
    const listed = await server.s3('owner').send(new ListObjectsV2Command({ Bucket: dest }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['incoming/partner.txt', 'incoming/third.txt']);
  });

  it('an account that is not trusted → AccessDenied at AssumeRole', async () => {
    const denied = await rejection(stsClient(server, server.credentials('admin')).send(new AssumeRoleCommand({ RoleArn: destRole, RoleSessionName: 'intruder' })));
    assert.equal(denied.name, 'AccessDenied');
  });
});
