/**
 * Every denial carries AWS's reason (issue 3 §5; IAM UG "Access denied error messages"), and
 * permissions boundaries and session policies narrow access (IAM UG "Policy evaluation logic").
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { UpdateAccessKeyCommand, DeleteAccessKeyCommand, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand, CreatePolicyCommand, PutUserPermissionsBoundaryCommand, CreateRoleCommand, PutRolePolicyCommand, CreatePolicyVersionCommand, AttachUserPolicyCommand, SetDefaultPolicyVersionCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startServer, type Server } from '../e2e/harness.js';
import { iamClient, stsClient, s3Client, rejection, type AnyCredentials } from './clients.js';

const OWNER = '111111111111';
const bucket = 'reasons-bucket';
const allowS3 = (actions: string[], resource = `arn:aws:s3:::${bucket}/*`) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] });

describe('denials name principal, action, resource and reason (IAM UG "Access denied error messages")', () => {
  let server: Server;
  let iam: ReturnType<typeof iamClient>;

  async function userWith(name: string, inline: string | null): Promise<AnyCredentials> {
    await iam.send(new CreateUserCommand({ UserName: name }));
    if (inline) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: inline }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  }

  before(async () => {
    server = await startServer();
    iam = iamClient(server, server.credentials('owner'));
    await server.s3('owner').send(new CreateBucketCommand({ Bucket: bucket }));
    await server.s3('owner').send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
  });
  after(async () => {
    await server?.close();
  });

  it('same-account user without an identity policy: "because no identity-based policy allows the s3:GetObject action"', async () => {
    const creds = await userWith('nopolicy', null);
    const denied = await rejection(s3Client(server, creds).send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.message, `User: arn:aws:iam::${OWNER}:user/nopolicy is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::${bucket}/k" because no identity-based policy allows the s3:GetObject action`);
  });

  it('explicit deny in an identity policy: "with an explicit deny in an identity-based policy"', async () => {
    const creds = await userWith('denied', JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Sid: 'NoReads', Effect: 'Deny', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
      ],
    }));
    const denied = await rejection(s3Client(server, creds).send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })));
    assert.match(denied.message, /with an explicit deny in an identity-based policy$/);
    // The same user may list: the deny is narrow.
    await s3Client(server, creds).send(new ListObjectsV2Command({ Bucket: bucket }));
  });

  it('permissions boundary narrows an allow: "because no permissions boundary allows the s3:PutObject action"', async () => {
    const boundary = await iam.send(new CreatePolicyCommand({ PolicyName: 'ReadOnlyBoundary', PolicyDocument: allowS3(['s3:GetObject', 's3:ListBucket'], '*') }));
    const creds = await userWith('bounded', allowS3(['s3:GetObject', 's3:PutObject']));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded', PermissionsBoundary: boundary.Policy!.Arn }));
    const s3 = s3Client(server, creds);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    assert.equal(await got.Body!.transformToString(), 'v');
    const denied = await rejection(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'new', Body: 'x' })));
    assert.match(denied.message, /because no permissions boundary allows the s3:PutObject action$/);
  });

  it('session policy narrows a role session: "because no session policy allows the s3:PutObject action"', async () => {
    await iam.send(new CreateRoleCommand({
      RoleName: 'Worker',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'sts:AssumeRole' }] }),
    }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'Worker', PolicyName: 'rw', PolicyDocument: allowS3(['s3:GetObject', 's3:PutObject']) }));
    const out = await stsClient(server, server.credentials('owner')).send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${OWNER}:role/Worker`,
      RoleSessionName: 'narrow',
      Policy: allowS3(['s3:GetObject']),
    }));
    const s3 = s3Client(server, { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! });
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    const denied = await rejection(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'new', Body: 'x' })));
    assert.equal(denied.message, `User: arn:aws:sts::${OWNER}:assumed-role/Worker/narrow is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${bucket}/new" because no session policy allows the s3:PutObject action`);
  });

  it('IAM denials use IAM wording (unquoted resource) and status 403', async () => {
    const creds = await userWith('iamless', null);
    const denied = await rejection(iamClient(server, creds).send(new CreateUserCommand({ UserName: 'mallory' })));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
    assert.equal(denied.message, `User: arn:aws:iam::${OWNER}:user/iamless is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${OWNER}:user/mallory because no identity-based policy allows the iam:CreateUser action`);
  });

  it('S3 GetObject docs: a missing key is 404 NoSuchKey with s3:ListBucket, 403 AccessDenied without it', async () => {
    const readOnly = await userWith('getonly', allowS3(['s3:GetObject']));
    const denied = await rejection(s3Client(server, readOnly).send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
    const lister = await userWith('getlist', JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` },
      ],
    }));
    const missing = await rejection(s3Client(server, lister).send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })));
    assert.equal(missing.name, 'NoSuchKey');
    assert.equal(missing.status, 404);
  });

  it('IAM UpdateAccessKey/DeleteAccessKey take effect on the next request (InvalidAccessKeyId), and reactivation works', async () => {
    const creds = await userWith('rotating', allowS3(['s3:GetObject']));
    const s3 = s3Client(server, creds);
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'rotating', AccessKeyId: creds.accessKeyId, Status: 'Inactive' }));
    const inactive = await rejection(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })));
    assert.equal(inactive.name, 'InvalidAccessKeyId');
    assert.equal(inactive.status, 403);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'rotating', AccessKeyId: creds.accessKeyId, Status: 'Active' }));
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'rotating', AccessKeyId: creds.accessKeyId }));
    assert.equal((await rejection(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })))).name, 'InvalidAccessKeyId');
  });

  it('S3 CreateBucket docs: another account\'s name is BucketAlreadyExists even when its bucket policy denies everything', async () => {
    const taken = 'reasons-taken-name';
    await server.s3('owner').send(new CreateBucketCommand({ Bucket: taken }));
    await server.s3('owner').send(new PutBucketPolicyCommand({
      Bucket: taken,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${taken}`, `arn:aws:s3:::${taken}/*`] }] }),
    }));
    const refused = await rejection(server.s3('partner').send(new CreateBucketCommand({ Bucket: taken })));
    assert.equal(refused.name, 'BucketAlreadyExists');
    assert.equal(refused.status, 409);
  });

  it('policy versions: the default version decides; switching it changes access at once', async () => {
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'Versioned', PolicyDocument: allowS3(['s3:GetObject']) }));
    const arn = policy.Policy!.Arn!;
    const creds = await userWith('versioned', null);
    await iam.send(new AttachUserPolicyCommand({ UserName: 'versioned', PolicyArn: arn }));
    const s3 = s3Client(server, creds);
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allowS3(['s3:PutObject']), SetAsDefault: true }));
    assert.match((await rejection(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })))).message, /no identity-based policy allows the s3:GetObject action/);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'by-v2', Body: 'x' }));
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
  });
});
