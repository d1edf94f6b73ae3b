/**
 * Enforcement scenarios from ../shared/docs/scenarios.md (§4, §5a–5e, §1 TLS-only) and S3 UG rules on
 * Block Public Access and Object Ownership, end to end with two accounts: owner (A, 111111111111) and
 * partner (B, 222222222222). They depend on the authorizer evaluating bucket policies, ACLs, object
 * ownership and BPA (lead's wiring); IAM users come from the IAM API.
 * "B administrator" is played by B's root (no user context, like AdministratorAccess).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeletePublicAccessBlockCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { startServer, type Server } from '../e2e/harness.js';
import { bodyText, expectS3Error } from '../e2e/expect.js';
import { send, signedRequest } from '../e2e/raw.js';

const A = '111111111111';
const B = '222222222222';

let server: Server;
let owner: S3Client;
let partner: S3Client;
let ownerCanonical: string;
let partnerCanonical: string;
let counter = 0;

function iam(profile: string): IAMClient {
  return new IAMClient({ region: 'us-east-1', endpoint: server.httpEndpoint, credentials: server.credentials(profile), requestHandler: server.requestHandler(), maxAttempts: 1 });
}

/** An IAM user of `profile`'s account with the given inline policy (none: no permissions); returns its S3 client. */
async function userClient(profile: string, userName: string, policy: object | null): Promise<S3Client> {
  const client = iam(profile);
  await client.send(new CreateUserCommand({ UserName: userName }));
  if (policy) await client.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
  const key = (await client.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!;
  return server.s3(profile, { config: { credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } } });
}

async function aclBucket(): Promise<string> {
  const name = `enf-${process.pid}-${++counter}`;
  await owner.send(new CreateBucketCommand({ Bucket: name }));
  await owner.send(new PutBucketOwnershipControlsCommand({ Bucket: name, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
  await owner.send(new DeletePublicAccessBlockCommand({ Bucket: name }));
  return name;
}

async function plainBucket(): Promise<string> {
  const name = `enf-${process.pid}-${++counter}`;
  await owner.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

const put = (client: S3Client, bucket: string, key: string, extra: Record<string, unknown> = {}) => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}`, ...extra }));
const get = async (client: S3Client, bucket: string, key: string) => bodyText((await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body);

before(async () => {
  server = await startServer();
  owner = server.s3('owner');
  partner = server.s3('partner');
  ownerCanonical = (await owner.send(new ListBucketsCommand({}))).Owner!.ID!;
  partnerCanonical = (await partner.send(new ListBucketsCommand({}))).Owner!.ID!;
});
after(async () => {
  await server?.close();
});

describe('scenarios §5a/§5d: canonical-ID WRITE grant to B (ObjectWriter, no bucket policy)', () => {
  let bucket: string;
  before(async () => {
    bucket = await aclBucket();
    await owner.send(new PutBucketAclCommand({
      Bucket: bucket,
      AccessControlPolicy: {
        Owner: { ID: ownerCanonical },
        Grants: [
          { Grantee: { Type: 'CanonicalUser', ID: ownerCanonical }, Permission: 'FULL_CONTROL' },
          { Grantee: { Type: 'CanonicalUser', ID: partnerCanonical }, Permission: 'WRITE' },
        ],
      },
    }));
  });
  it('B administrator uploads → allowed; the object is owned by B', async () => {
    await put(partner, bucket, 'from-b');
    const listed = await owner.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true }));
    assert.equal(listed.Contents?.find((o) => o.Key === 'from-b')?.Owner?.ID, partnerCanonical);
  });
  it('A administrator GetObject on that object (uploaded without ACL) → AccessDenied (B owns it)', async () => {
    await put(partner, bucket, 'from-b-2');
    await expectS3Error(owner.send(new GetObjectCommand({ Bucket: bucket, Key: 'from-b-2' })), 'AccessDenied', 403);
  });
  it('A administrator DeleteObject on it → allowed (bucket owner can always delete)', async () => {
    await put(partner, bucket, 'from-b-3');
    await owner.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'from-b-3' }));
    const listed = await owner.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.ok(!listed.Contents?.some((o) => o.Key === 'from-b-3'));
  });
  it('B uploads with --acl bucket-owner-full-control; A administrator downloads → allowed', async () => {
    await put(partner, bucket, 'bofc', { ACL: 'bucket-owner-full-control' });
    assert.equal(await get(owner, bucket, 'bofc'), 'body of bofc');
  });
  it('B user with no policies uploads → AccessDenied', async () => {
    const user = await userClient('partner', 'nopolicy5a', null);
    await expectS3Error(put(user, bucket, 'user-none'), 'AccessDenied', 403);
  });
  it('B user with s3:PutObject + s3:PutObjectAcl on BUCKET/* uploads → allowed', async () => {
    const user = await userClient('partner', 'writer5a', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl'], Resource: `arn:aws:s3:::${bucket}/*` }] });
    await put(user, bucket, 'user-ok');
  });
  it('A user with no policies GetObject → AccessDenied', async () => {
    await put(owner, bucket, 'a-own');
    const user = await userClient('owner', 'nopolicyA', null);
    await expectS3Error(user.send(new GetObjectCommand({ Bucket: bucket, Key: 'a-own' })), 'AccessDenied', 403);
  });
});

describe('scenarios §5b: bucket policy requires bucket-owner-full-control for B:user/testuser', () => {
  let bucket: string;
  let testuser: S3Client;
  before(async () => {
    bucket = await aclBucket();
    testuser = await userClient('partner', 'testuser', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl'], Resource: `arn:aws:s3:::${bucket}/*` }] });
    await owner.send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:user/testuser` }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } }],
      }),
    }));
  });
  it('testuser uploads without a canned ACL → AccessDenied', async () => {
    await expectS3Error(put(testuser, bucket, 'no-acl'), 'AccessDenied', 403);
  });
  it('testuser uploads with --acl bucket-owner-full-control → allowed', async () => {
    await put(testuser, bucket, 'with-acl', { ACL: 'bucket-owner-full-control' });
    assert.equal(await get(owner, bucket, 'with-acl'), 'body of with-acl');
  });
  it('B administrator (not named in the bucket policy) uploads → AccessDenied', async () => {
    await expectS3Error(put(partner, bucket, 'b-admin', { ACL: 'bucket-owner-full-control' }), 'AccessDenied', 403);
  });
});

describe('scenarios §5c: public WRITE ACL (AllUsers) on the bucket, BPA off', () => {
  let bucket: string;
  before(async () => {
    bucket = await aclBucket();
    await owner.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read-write' }));
  });
  it('A user with no policies uploads → allowed', async () => {
    const user = await userClient('owner', 'nopolicy5c', null);
    await put(user, bucket, 'a-user');
  });
  it('B user with no policies uploads → AccessDenied', async () => {
    const user = await userClient('partner', 'nopolicy5c', null);
    await expectS3Error(put(user, bucket, 'b-user'), 'AccessDenied', 403);
  });
  it('B administrator uploads → allowed', async () => {
    await put(partner, bucket, 'b-admin');
  });
  it('§5e: with IgnorePublicAcls the public grant is ignored → B administrator denied', async () => {
    await owner.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
    try {
      await expectS3Error(put(partner, bucket, 'b-admin-ignored'), 'AccessDenied', 403);
    } finally {
      await owner.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    }
  });
});

describe('anonymous access through public ACLs (S3 UG BPA "IgnorePublicAcls")', () => {
  it('a public-read object is readable unsigned; with IgnorePublicAcls it is not', async () => {
    const bucket = await aclBucket();
    await put(owner, bucket, 'pub', { ACL: 'public-read' });
    const open = await send(server, { method: 'GET', path: `/${bucket}/pub` });
    assert.equal(open.status, 200, open.text);
    assert.equal(open.text, 'body of pub');
    await owner.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
    const blocked = await send(server, { method: 'GET', path: `/${bucket}/pub` });
    assert.equal(blocked.status, 403);
  });
  it('a private object is not readable unsigned', async () => {
    const bucket = await aclBucket();
    await put(owner, bucket, 'priv');
    const response = await send(server, { method: 'GET', path: `/${bucket}/priv` });
    assert.equal(response.status, 403);
  });
});

describe('scenarios §4: read access for B via bucket policy', () => {
  let bucket: string;
  before(async () => {
    bucket = await plainBucket();
    await put(owner, bucket, 'shared');
    await owner.send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }] }),
    }));
  });
  it('B (administrator) reads and lists → allowed', async () => {
    assert.equal(await get(partner, bucket, 'shared'), 'body of shared');
    const listed = await partner.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.equal(listed.KeyCount, 1);
  });
  it('B user whose own policy allows GetObject → allowed; B user with no identity policy → AccessDenied', async () => {
    const reader = await userClient('partner', 'reader4', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }] });
    assert.equal(await get(reader, bucket, 'shared'), 'body of shared');
    const nobody = await userClient('partner', 'nobody4', null);
    await expectS3Error(nobody.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared' })), 'AccessDenied', 403);
  });
  it('B PutObject → AccessDenied', async () => {
    await expectS3Error(put(partner, bucket, 'b-put'), 'AccessDenied', 403);
  });
  it('A removes the policy (revocation) → B denied from then on', async () => {
    const bucket2 = await plainBucket();
    await put(owner, bucket2, 'k');
    await owner.send(new PutBucketPolicyCommand({ Bucket: bucket2, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: B }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket2}/*` }] }) }));
    assert.equal(await get(partner, bucket2, 'k'), 'body of k');
    await owner.send(new DeleteBucketPolicyCommand({ Bucket: bucket2 }));
    await expectS3Error(partner.send(new GetObjectCommand({ Bucket: bucket2, Key: 'k' })), 'AccessDenied', 403);
  });
});

describe('scenarios §1 step 4: TLS-only bucket policy (no Version, Bool aws:SecureTransport false)', () => {
  it('PutObject over plain HTTP → AccessDenied; over HTTPS → allowed', async () => {
    const bucket = await plainBucket();
    await owner.send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::${bucket}/*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}`,
    }));
    await expectS3Error(put(owner, bucket, 'http'), 'AccessDenied', 403);
    const tls = server.s3('owner', { https: true });
    await put(tls, bucket, 'https');
    assert.equal(await get(tls, bucket, 'https'), 'body of https');
  });
});

describe('RestrictPublicBuckets (S3 UG BPA): a public policy serves only the owner account', () => {
  it('B reads through a public policy; with RestrictPublicBuckets B is denied and A still reads', async () => {
    const bucket = await plainBucket();
    await owner.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await put(owner, bucket, 'k');
    await owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] }) }));
    assert.equal(await get(partner, bucket, 'k'), 'body of k');
    await owner.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
    await expectS3Error(partner.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })), 'AccessDenied', 403);
    assert.equal(await get(owner, bucket, 'k'), 'body of k');
  });
});

describe('bucket-policy lock-out rule (S3 PutBucketPolicy docs): the owner root can always manage the policy', () => {
  it('a policy denying everything on the bucket can still be deleted by the owner root', async () => {
    const bucket = await plainBucket();
    await owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }] }) }));
    await expectS3Error(owner.send(new ListObjectsV2Command({ Bucket: bucket })), 'AccessDenied', 403);
    await owner.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await owner.send(new ListObjectsV2Command({ Bucket: bucket }));
  });
});

describe('account-level Block Public Access (S3 Control /v20180820/configuration/publicAccessBlock)', () => {
  const path = '/v20180820/configuration/publicAccessBlock';
  const body = '<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>';
  it('Get before Put → 404 NoSuchPublicAccessBlockConfiguration; Put/Get round trip; the account flag blocks public bucket ACLs', async () => {
    const missing = await signedRequest(server, 'owner', { method: 'GET', path, headers: { 'x-amz-account-id': A } });
    assert.equal(missing.status, 404, missing.text);
    assert.match(missing.text, /NoSuchPublicAccessBlockConfiguration/);
    const putResponse = await signedRequest(server, 'owner', { method: 'PUT', path, headers: { 'x-amz-account-id': A }, body });
    assert.equal(putResponse.status, 200, putResponse.text);
    const got = await signedRequest(server, 'owner', { method: 'GET', path, headers: { 'x-amz-account-id': A } });
    assert.equal(got.status, 200, got.text);
    assert.match(got.text, /<BlockPublicAcls>true<\/BlockPublicAcls><IgnorePublicAcls>false<\/IgnorePublicAcls>/);
    const bucket = await aclBucket();
    await expectS3Error(owner.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' })), 'AccessDenied', 403);
    const deleted = await signedRequest(server, 'owner', { method: 'DELETE', path, headers: { 'x-amz-account-id': A } });
    assert.ok(deleted.status === 204 || deleted.status === 200, deleted.text);
    await owner.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
  });
  it("another account's configuration cannot be read", async () => {
    const response = await signedRequest(server, 'partner', { method: 'GET', path, headers: { 'x-amz-account-id': A } });
    assert.equal(response.status, 403, response.text);
  });
});
