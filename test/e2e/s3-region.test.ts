import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client, CreateBucketCommand, GetBucketLocationCommand, HeadBucketCommand, ListBucketsCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { startServer, type Server } from './harness.js';
import { expectS3Error, bucketName } from './expect.js';
import { signedRequest, s3ErrorOf } from './raw.js';

describe('S3 buckets on a server whose region is not us-east-1 (eu-west-1)', () => {
  let server: Server;
  let owner: S3Client;
  let partner: S3Client;

  before(async () => {
    server = await startServer({ region: 'eu-west-1' });
    owner = server.s3('owner');
    partner = server.s3('partner');
  });
  after(async () => {
    await server?.close();
  });

  it('server.json reports the region', () => {
    assert.equal(server.info.region, 'eu-west-1');
  });

  it('S3 CreateBucket: no LocationConstraint on a regional endpoint → 400 IllegalLocationConstraintException', async () => {
    // The SDK adds the client region as LocationConstraint on its own; send a body-less request by hand.
    const name = bucketName('unspecified');
    const response = await signedRequest(server, 'owner', { method: 'PUT', path: `/${name}` });
    assert.equal(response.status, 400, response.text);
    const error = s3ErrorOf(response);
    assert.equal(error.Code, 'IllegalLocationConstraintException');
    assert.match(error.Message ?? '', /unspecified location constraint is incompatible/);
  });

  it('S3 CreateBucket: LocationConstraint equal to the region creates the bucket; GetBucketLocation returns it', async () => {
    const name = bucketName('regional');
    await owner.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const location = await owner.send(new GetBucketLocationCommand({ Bucket: name }));
    assert.equal(location.LocationConstraint, 'eu-west-1');
    const head = await owner.send(new HeadBucketCommand({ Bucket: name }));
    assert.equal(head.BucketRegion, 'eu-west-1');
    const list = await owner.send(new ListBucketsCommand({}));
    const entry = list.Buckets?.find((b) => b.Name === name);
    assert.ok(entry, 'listed');
    await owner.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'regional' }));
    const got = await owner.send(new GetObjectCommand({ Bucket: name, Key: 'k' }));
    assert.equal(await got.Body!.transformToString(), 'regional');
  });

  it('S3 CreateBucket docs: outside us-east-1 re-creating your own bucket → 409 BucketAlreadyOwnedByYou', async () => {
    const name = bucketName('mine');
    await owner.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const error = await expectS3Error(
      owner.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })),
      'BucketAlreadyOwnedByYou',
      409,
    );
    assert.equal(error.BucketName, name);
    await expectS3Error(
      partner.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })),
      'BucketAlreadyExists',
      409,
    );
  });

  it('S3 CreateBucket: a LocationConstraint for another region → 400 IllegalLocationConstraintException', async () => {
    await expectS3Error(
      owner.send(new CreateBucketCommand({ Bucket: bucketName('other'), CreateBucketConfiguration: { LocationConstraint: 'ap-south-1' } })),
      'IllegalLocationConstraintException',
      400,
    );
  });
});
