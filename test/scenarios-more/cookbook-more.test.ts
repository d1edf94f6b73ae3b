/**
 * scenarios.md §5a → §5b in the cookbook's order, for the rows test/s3-access/enforcement.test.ts does
 * not cover: B's canonical ID from `aws s3api list-buckets --query Owner.ID` run by B and the grant set
 * with `aws s3api put-bucket-acl --access-control-policy file://acl.json`; the B user whose
 * s3:PutObject+s3:PutObjectAcl policy is a managed policy attached to its GROUP; then (5b) the ACL grant
 * removed and a bucket policy for B:user/testuser requiring bucket-owner-full-control: testuser without
 * its own identity policy, and "B grants its users more than A granted → no effect".
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { startServer, hasAwsCli, type Server } from '../e2e/harness.js';
import { iamClient, s3Client, rejection, type AnyCredentials } from '../scenarios/clients.js';

const B = '222222222222';
const bucket = 'cookbook-more';
const writeAclPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl'], Resource: `arn:aws:s3:::${bucket}/*` }] });

describe('scenarios.md §5a → §5b (more rows): canonical-ID grant by CLI, group policy, then bucket policy for testuser', () => {
  let server: Server;
  let owner: S3Client;
  let ownerCanonical: string;
  let partnerCanonical: string;
  let groupUser: AnyCredentials;
  let testuser: AnyCredentials;
  let usedCli = false;

  before(async () => {
    server = await startServer();
    owner = s3Client(server, server.credentials('owner'));
    await owner.send(new CreateBucketCommand({ Bucket: bucket }));
    await owner.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await owner.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    ownerCanonical = (await owner.send(new ListBucketsCommand({}))).Owner!.ID!;
    const acl = (partner: string) => ({
      Owner: { ID: ownerCanonical },
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: ownerCanonical }, Permission: 'FULL_CONTROL' },
        { Grantee: { Type: 'CanonicalUser', ID: partner }, Permission: 'WRITE' },
      ],
    });
    if (hasAwsCli()) {
      usedCli = true;
      const id = await server.awsCli('partner', ['s3api', 'list-buckets', '--query', 'Owner.ID', '--output', 'text']);
      assert.equal(id.code, 0, id.stderr);
      partnerCanonical = id.stdout.trim();
      const file = path.join(server.dataDir, 'acl.json');
      await writeFile(file, JSON.stringify(acl(partnerCanonical)));
      const put = await server.awsCli('owner', ['s3api', 'put-bucket-acl', '--bucket', bucket, '--access-control-policy', `file://${file}`]);
      assert.equal(put.code, 0, put.stderr);
    } else {
      console.log('# aws CLI not installed: §5a grant set with the JS SDK instead of put-bucket-acl file://acl.json');
      partnerCanonical = (await s3Client(server, server.credentials('partner')).send(new ListBucketsCommand({}))).Owner!.ID!;
      await owner.send(new PutBucketAclCommand({ Bucket: bucket, AccessControlPolicy: acl(partnerCanonical) as never }));
    }

    const iam = iamClient(server, server.credentials('partner'));
    const managed = await iam.send(new CreatePolicyCommand({ PolicyName: 'UploadToPartnerBucket', PolicyDocument: writeAclPolicy }));
    await iam.send(new CreateGroupCommand({ GroupName: 'uploaders' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'uploaders', PolicyArn: managed.Policy!.Arn }));
    await iam.send(new CreateUserCommand({ UserName: 'groupie' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'uploaders', UserName: 'groupie' }));
    const k1 = (await iam.send(new CreateAccessKeyCommand({ UserName: 'groupie' }))).AccessKey!;
    groupUser = { accessKeyId: k1.AccessKeyId!, secretAccessKey: k1.SecretAccessKey! };
    await iam.send(new CreateUserCommand({ UserName: 'testuser' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'testuser', PolicyName: 'upload', PolicyDocument: writeAclPolicy }));
    const k2 = (await iam.send(new CreateAccessKeyCommand({ UserName: 'testuser' }))).AccessKey!;
    testuser = { accessKeyId: k2.AccessKeyId!, secretAccessKey: k2.SecretAccessKey! };
  });
  after(async () => {
    await server?.close();
  });

  const put = (creds: AnyCredentials, key: string, acl?: 'bucket-owner-full-control') => s3Client(server, creds).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}`, ...(acl ? { ACL: acl } : {}) }));

  it('§5a setup: B canonical ID from list-buckets Owner.ID; put-bucket-acl file://acl.json stores the WRITE grant to B', async () => {
    assert.match(partnerCanonical, /^[0-9a-f]{64}$/);
    assert.notEqual(partnerCanonical, ownerCanonical);
    const acl = await owner.send(new GetBucketAclCommand({ Bucket: bucket }));
    assert.equal(acl.Owner!.ID, ownerCanonical);
    assert.ok(acl.Grants!.some((g) => g.Grantee?.ID === partnerCanonical && g.Permission === 'WRITE'), JSON.stringify(acl.Grants));
    if (!usedCli) console.log('# (set with the JS SDK: aws CLI not installed)');
  });

  it('§5a: B creates s3:PutObject+s3:PutObjectAcl on BUCKET/*, attaches it to the user\'s group; user uploads → allowed', async () => {
    await put(groupUser, 'by-group-user.txt');
    const listed = await owner.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true }));
    assert.equal(listed.Contents?.find((o) => o.Key === 'by-group-user.txt')?.Owner?.ID, partnerCanonical, 'B owns the object it wrote');
  });

  it('§5b setup: A removes the ACL grant → the B administrator (root) can no longer upload', async () => {
    await owner.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
    assert.equal((await rejection(put(server.credentials('partner'), 'before-policy.txt'))).name, 'AccessDenied', 'B administrator upload once the WRITE grant is removed');
    await owner.send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:user/testuser` }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } }],
      }),
    }));
    await put(testuser, 'policy-in-place.txt', 'bucket-owner-full-control');
  });

  it('§5b: B grants its users more than A granted → no effect: A\'s side still decides', async () => {
    const iam = iamClient(server, server.credentials('partner'));
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'owned-by-a.txt', Body: 'A data' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'testuser', PolicyName: 'everything', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) }));
    try {
      const s3 = s3Client(server, testuser);
      assert.equal((await rejection(put(testuser, 'no-acl.txt'))).name, 'AccessDenied', 'upload without the canned ACL');
      assert.equal((await rejection(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'owned-by-a.txt' })))).name, 'AccessDenied', "GetObject on A's object");
      assert.equal((await rejection(s3.send(new ListObjectsV2Command({ Bucket: bucket })))).name, 'AccessDenied', 'ListBucket');
      assert.equal((await rejection(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'owned-by-a.txt' })))).name, 'AccessDenied', 'DeleteObject');
      assert.equal((await rejection(s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: '{"Version":"2012-10-17","Statement":[]}' })))).name, 'AccessDenied', 'PutBucketPolicy');
      await put(testuser, 'still-allowed.txt', 'bucket-owner-full-control');
    } finally {
      await iam.send(new DeleteUserPolicyCommand({ UserName: 'testuser', PolicyName: 'everything' }));
    }
  });

  it('§5b: testuser without its own identity policy → AccessDenied', async () => {
    const iam = iamClient(server, server.credentials('partner'));
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'testuser', PolicyName: 'upload' }));
    const denied = await rejection(put(testuser, 'no-identity-policy.txt', 'bucket-owner-full-control'));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
  });
});
