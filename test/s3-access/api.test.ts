/**
 * End-to-end: the S3 access-control APIs through the JS SDK (and the aws CLI where installed) —
 * bucket policies, ACLs, Object Ownership, Block Public Access — as the bucket owner's own account.
 * Cross-account enforcement lives in enforcement.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetObjectAclCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { hasAwsCli, startServer, type Server } from '../e2e/harness.js';
import { expectS3Error } from '../e2e/expect.js';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

let server: Server;
let owner: S3Client;
let ownerCanonical: string;
let partnerCanonical: string;
let counter = 0;

async function newBucket(extra: Record<string, unknown> = {}): Promise<string> {
  const name = `acl-api-${process.pid}-${++counter}`;
  await owner.send(new CreateBucketCommand({ Bucket: name, ...extra }));
  return name;
}

/** A bucket with ACLs enabled and Block Public Access off (what the cookbook recipes set up first). */
async function aclBucket(ownership: 'ObjectWriter' | 'BucketOwnerPreferred' = 'ObjectWriter'): Promise<string> {
  const name = await newBucket();
  await owner.send(new PutBucketOwnershipControlsCommand({ Bucket: name, OwnershipControls: { Rules: [{ ObjectOwnership: ownership }] } }));
  await owner.send(new DeletePublicAccessBlockCommand({ Bucket: name }));
  return name;
}

// The seed runbook (scenarios.md §1 step 4): no Version, JSON boolean false.
const seedPolicy = (bucket: string) => `{
  "Statement": [
    { "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::${bucket}/*",
      "Condition": { "Bool": { "aws:SecureTransport": false } } }
  ]
}`;

before(async () => {
  server = await startServer();
  owner = server.s3('owner');
  ownerCanonical = (await owner.send(new ListBucketsCommand({}))).Owner!.ID!;
  partnerCanonical = (await server.s3('partner').send(new ListBucketsCommand({}))).Owner!.ID!;
  assert.match(ownerCanonical, /^[0-9a-f]{64}$/);
  assert.notEqual(ownerCanonical, partnerCanonical);
});
after(async () => {
  await server?.close();
});

describe('new bucket defaults (AWS since April 2023)', () => {
  it('ObjectOwnership is BucketOwnerEnforced', async () => {
    const bucket = await newBucket();
    const out = await owner.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
    assert.deepEqual(out.OwnershipControls?.Rules, [{ ObjectOwnership: 'BucketOwnerEnforced' }]);
  });
  it('all four Block Public Access settings are on', async () => {
    const bucket = await newBucket();
    const out = await owner.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    assert.deepEqual(out.PublicAccessBlockConfiguration, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
  });
  it('the bucket ACL is the owner FULL_CONTROL, owner = the creating account canonical ID', async () => {
    const bucket = await newBucket();
    const out = await owner.send(new GetBucketAclCommand({ Bucket: bucket }));
    assert.equal(out.Owner?.ID, ownerCanonical);
    assert.equal(out.Grants?.length, 1);
    assert.equal(out.Grants![0]!.Grantee?.Type, 'CanonicalUser');
    assert.equal(out.Grants![0]!.Grantee?.ID, ownerCanonical);
    assert.equal(out.Grants![0]!.Permission, 'FULL_CONTROL');
  });
  it('no bucket policy: GetBucketPolicy and GetBucketPolicyStatus → NoSuchBucketPolicy', async () => {
    const bucket = await newBucket();
    await expectS3Error(owner.send(new GetBucketPolicyCommand({ Bucket: bucket })), 'NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
    await expectS3Error(owner.send(new GetBucketPolicyStatusCommand({ Bucket: bucket })), 'NoSuchBucketPolicy', 404);
  });
  it('CreateBucket with x-amz-acl public-read → InvalidBucketAclWithObjectOwnership (ACLs disabled by default)', async () => {
    await expectS3Error(owner.send(new CreateBucketCommand({ Bucket: `acl-api-${process.pid}-pr`, ACL: 'public-read' })), 'InvalidBucketAclWithObjectOwnership', 400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
  });
  it('CreateBucket with ObjectWriter and public-read → InvalidBucketAclWithBlockPublicAccessError', async () => {
    await expectS3Error(
      owner.send(new CreateBucketCommand({ Bucket: `acl-api-${process.pid}-pr2`, ACL: 'public-read', ObjectOwnership: 'ObjectWriter' })),
      'InvalidBucketAclWithBlockPublicAccessError',
      400,
    );
  });
  it('CreateBucket with ObjectWriter and a canonical-ID grant stores the bucket ACL', async () => {
    const bucket = await newBucket({ ObjectOwnership: 'ObjectWriter', GrantWrite: `id=${partnerCanonical}`, GrantFullControl: `id=${ownerCanonical}` });
    const acl = await owner.send(new GetBucketAclCommand({ Bucket: bucket }));
    const grants = acl.Grants!.map((g) => `${g.Grantee?.ID}:${g.Permission}`).sort();
    assert.deepEqual(grants, [`${ownerCanonical}:FULL_CONTROL`, `${partnerCanonical}:WRITE`].sort());
    const ownership = await owner.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
    assert.equal(ownership.OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'ObjectWriter');
  });
});

describe('bucket policy APIs', () => {
  it('the seed runbook policy (no Version, Bool aws:SecureTransport false) is accepted and returned verbatim', async () => {
    const bucket = await newBucket();
    const text = seedPolicy(bucket);
    await owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: text }));
    const got = await owner.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    assert.equal(got.Policy, text);
    const status = await owner.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }));
    assert.equal(status.PolicyStatus?.IsPublic, false);
    await owner.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await expectS3Error(owner.send(new GetBucketPolicyCommand({ Bucket: bucket })), 'NoSuchBucketPolicy', 404);
  });
  it('MalformedPolicy: unknown account principal → "Invalid principal in policy"', async () => {
    const bucket = await newBucket();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] });
    await expectS3Error(owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })), 'MalformedPolicy', 400, 'Invalid principal in policy');
  });
  it('MalformedPolicy: a Resource outside the bucket → "Policy has invalid resource"', async () => {
    const bucket = await newBucket();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '222222222222' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::some-other-bucket/*' }] });
    await expectS3Error(owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })), 'MalformedPolicy', 400, 'Policy has invalid resource');
  });
  it('MalformedPolicy: object action on the bucket ARN only → "Action does not apply to any resource(s) in statement"', async () => {
    const bucket = await newBucket();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '222222222222' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}` }] });
    await expectS3Error(owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })), 'MalformedPolicy', 400, 'Action does not apply to any resource(s) in statement');
  });
  it('a policy naming the partner account is accepted and non-public', async () => {
    const bucket = await newBucket();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }] });
    await owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
    assert.equal((await owner.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }))).PolicyStatus?.IsPublic, false);
  });
  it('BlockPublicPolicy (default on) rejects a public policy with 403 AccessDenied; without BPA it is stored and IsPublic', async () => {
    const bucket = await newBucket();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] });
    await expectS3Error(owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })), 'AccessDenied', 403);
    await expectS3Error(owner.send(new GetBucketPolicyCommand({ Bucket: bucket })), 'NoSuchBucketPolicy', 404);
    await owner.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
    assert.equal((await owner.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }))).PolicyStatus?.IsPublic, true);
  });
  it('aws CLI: put-bucket-policy from a file, get-bucket-policy, get-bucket-policy-status', { skip: !hasAwsCli() }, async () => {
    const bucket = await newBucket();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'acl-cli-'));
    const file = path.join(dir, 'policy.json');
    await writeFile(file, seedPolicy(bucket));
    const endpoint = ['--endpoint-url', server.httpEndpoint];
    const put = await server.awsCli('owner', ['s3api', 'put-bucket-policy', '--bucket', bucket, '--policy', `file://${file}`, ...endpoint]);
    assert.equal(put.code, 0, put.stderr);
    const get = await server.awsCli('owner', ['s3api', 'get-bucket-policy', '--bucket', bucket, '--output', 'json', ...endpoint]);
    assert.equal(get.code, 0, get.stderr);
    assert.equal(JSON.parse(get.stdout).Policy, seedPolicy(bucket));
    const status = await server.awsCli('owner', ['s3api', 'get-bucket-policy-status', '--bucket', bucket, '--output', 'json', ...endpoint]);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout).PolicyStatus.IsPublic, false);
  });
});

describe('ACL APIs and Object Ownership', () => {
  it('BucketOwnerEnforced: PutBucketAcl → 400 AccessControlListNotSupported "The bucket does not allow ACLs"', async () => {
    const bucket = await newBucket();
    await expectS3Error(owner.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' })), 'AccessControlListNotSupported', 400, 'The bucket does not allow ACLs');
    await expectS3Error(owner.send(new PutBucketAclCommand({ Bucket: bucket, GrantRead: `id=${partnerCanonical}` })), 'AccessControlListNotSupported', 400);
  });
  it('BucketOwnerEnforced: PutObject with public-read fails, with bucket-owner-full-control succeeds', async () => {
    const bucket = await newBucket();
    await expectS3Error(owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ACL: 'public-read' })), 'AccessControlListNotSupported', 400);
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ACL: 'bucket-owner-full-control' }));
    await expectS3Error(owner.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'k', GrantRead: `id=${partnerCanonical}` })), 'AccessControlListNotSupported', 400);
    const acl = await owner.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'k' }));
    assert.equal(acl.Owner?.ID, ownerCanonical);
    assert.deepEqual(acl.Grants?.map((g) => [g.Grantee?.ID, g.Permission]), [[ownerCanonical, 'FULL_CONTROL']]);
  });
  it('ObjectWriter: an AccessControlPolicy granting WRITE to the partner canonical ID round-trips (cookbook 5a)', async () => {
    const bucket = await aclBucket();
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
    const acl = await owner.send(new GetBucketAclCommand({ Bucket: bucket }));
    assert.deepEqual(acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.ID, g.Permission]), [
      ['CanonicalUser', ownerCanonical, 'FULL_CONTROL'],
      ['CanonicalUser', partnerCanonical, 'WRITE'],
    ]);
    // Enforcing ownership while the ACL grants someone else fails (S3 UG Object Ownership troubleshooting).
    await expectS3Error(
      owner.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } })),
      'InvalidBucketAclWithObjectOwnership',
      400,
    );
  });
  it('PutBucketAcl: unknown canonical ID → InvalidArgument; Owner not the bucket owner → AccessDenied', async () => {
    const bucket = await aclBucket();
    await expectS3Error(owner.send(new PutBucketAclCommand({ Bucket: bucket, GrantRead: `id=${'0'.repeat(64)}` })), 'InvalidArgument', 400, 'Invalid id');
    await expectS3Error(
      owner.send(new PutBucketAclCommand({ Bucket: bucket, AccessControlPolicy: { Owner: { ID: partnerCanonical }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: partnerCanonical }, Permission: 'FULL_CONTROL' }] } })),
      'AccessDenied',
      403,
    );
  });
  it('BlockPublicAcls: a public bucket ACL is refused with 403; once BPA is removed it is stored; IgnorePublicAcls hides it from GetBucketAcl', async () => {
    const bucket = await newBucket();
    await owner.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await expectS3Error(owner.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' })), 'AccessDenied', 403);
    await expectS3Error(owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'p', Body: 'x', ACL: 'public-read' })), 'AccessDenied', 403);
    await owner.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await expectS3Error(owner.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), 'NoSuchPublicAccessBlockConfiguration', 404);
    await owner.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
    let acl = await owner.send(new GetBucketAclCommand({ Bucket: bucket }));
    assert.ok(acl.Grants?.some((g) => g.Grantee?.Type === 'Group' && g.Grantee.URI === ALL_USERS && g.Permission === 'READ'));
    await owner.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
    const bpa = await owner.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    assert.deepEqual(bpa.PublicAccessBlockConfiguration, { BlockPublicAcls: false, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false });
    acl = await owner.send(new GetBucketAclCommand({ Bucket: bucket }));
    assert.ok(!acl.Grants?.some((g) => g.Grantee?.Type === 'Group'), 'IgnorePublicAcls: GetBucketAcl shows the effective ACL');
  });
  it('object ACLs: x-amz-grant-read on PutObject, GetObjectAcl, PutObjectAcl with canned and XML forms', async () => {
    const bucket = await aclBucket();
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'o', Body: 'x', GrantRead: `id=${partnerCanonical}`, GrantFullControl: `id=${ownerCanonical}` }));
    let acl = await owner.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'o' }));
    assert.equal(acl.Owner?.ID, ownerCanonical);
    assert.deepEqual(acl.Grants?.map((g) => [g.Grantee?.ID, g.Permission]).sort(), [[ownerCanonical, 'FULL_CONTROL'], [partnerCanonical, 'READ']].sort());
    await owner.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'o', ACL: 'private' }));
    acl = await owner.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'o' }));
    assert.deepEqual(acl.Grants?.map((g) => [g.Grantee?.ID, g.Permission]), [[ownerCanonical, 'FULL_CONTROL']]);
    await owner.send(new PutObjectAclCommand({
      Bucket: bucket,
      Key: 'o',
      AccessControlPolicy: { Owner: { ID: ownerCanonical }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: partnerCanonical }, Permission: 'READ_ACP' }] },
    }));
    acl = await owner.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'o' }));
    assert.deepEqual(acl.Grants?.map((g) => [g.Grantee?.ID, g.Permission]), [[partnerCanonical, 'READ_ACP']]);
    await expectS3Error(owner.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'missing' })), 'NoSuchKey', 404);
  });
  it('canned ACL and grant headers together → InvalidRequest', async () => {
    const bucket = await aclBucket();
    await expectS3Error(owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'both', Body: 'x', ACL: 'private', GrantRead: `id=${partnerCanonical}` })), 'InvalidRequest', 400);
  });
  it('ownership controls: put/get/delete, then OwnershipControlsNotFoundError', async () => {
    const bucket = await newBucket();
    await owner.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
    const got = await owner.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
    assert.equal(got.OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'BucketOwnerPreferred');
    await owner.send(new DeleteBucketOwnershipControlsCommand({ Bucket: bucket }));
    await expectS3Error(owner.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })), 'OwnershipControlsNotFoundError', 404);
  });
  it("the bucket owner's own uploads are owned by its account (ListObjectsV2 FetchOwner)", async () => {
    const bucket = await aclBucket();
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'mine', Body: 'x' }));
    const listed = await owner.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true }));
    assert.equal(listed.Contents?.[0]?.Owner?.ID, ownerCanonical);
  });
  it('aws CLI: get-public-access-block and get-bucket-ownership-controls on a new bucket', { skip: !hasAwsCli() }, async () => {
    const bucket = await newBucket();
    const endpoint = ['--endpoint-url', server.httpEndpoint, '--output', 'json'];
    const bpa = await server.awsCli('owner', ['s3api', 'get-public-access-block', '--bucket', bucket, ...endpoint]);
    assert.equal(bpa.code, 0, bpa.stderr);
    assert.deepEqual(JSON.parse(bpa.stdout).PublicAccessBlockConfiguration, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    const own = await server.awsCli('owner', ['s3api', 'get-bucket-ownership-controls', '--bucket', bucket, ...endpoint]);
    assert.equal(own.code, 0, own.stderr);
    assert.equal(JSON.parse(own.stdout).OwnershipControls.Rules[0].ObjectOwnership, 'BucketOwnerEnforced');
    const acl = await server.awsCli('owner', ['s3api', 'put-bucket-acl', '--bucket', bucket, '--acl', 'public-read', ...endpoint]);
    assert.notEqual(acl.code, 0);
    assert.match(acl.stderr, /AccessControlListNotSupported/);
  });
});
