import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  S3Client,
  ListBucketsCommand,
  CreateBucketCommand,
  HeadBucketCommand,
  GetBucketLocationCommand,
  DeleteBucketCommand,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  CopyObjectCommand,
  ListMultipartUploadsCommand,
  CreateMultipartUploadCommand,
  PutObjectTaggingCommand,
  GetObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { startServer, type Server } from './harness.js';
import { expectS3Error, bucketName, type SdkError } from './expect.js';
import { send, signedRequest, s3ErrorOf } from './raw.js';

describe('S3 buckets (us-east-1 server)', () => {
  let server: Server;
  let owner: S3Client;
  let partner: S3Client;
  let admin: S3Client;
  const shared = bucketName('owned');

  before(async () => {
    server = await startServer();
    owner = server.s3('owner');
    partner = server.s3('partner');
    admin = server.s3('admin');
    await owner.send(new CreateBucketCommand({ Bucket: shared }));
    await owner.send(new PutObjectCommand({ Bucket: shared, Key: 'secret.txt', Body: 'owner data' }));
  });
  after(async () => {
    await server?.close();
  });

  it('S3 ListBuckets docs: Owner has a 64-hex canonical ID and a DisplayName; buckets listed by name with CreationDate', async () => {
    const before = Date.now();
    const names = [bucketName('list-b'), bucketName('list-a')];
    for (const name of names) await owner.send(new CreateBucketCommand({ Bucket: name }));
    const out = await owner.send(new ListBucketsCommand({}));
    assert.match(out.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
    assert.equal(typeof out.Owner?.DisplayName, 'string');
    const listed = (out.Buckets ?? []).map((b) => b.Name!);
    for (const name of names) assert.ok(listed.includes(name), `${name} listed`);
    assert.deepEqual(listed, [...listed].sort(), 'buckets are listed in lexicographic order');
    const created = out.Buckets!.find((b) => b.Name === names[0])!.CreationDate!;
    assert.ok(created instanceof Date && created.getTime() >= before - 5_000 && created.getTime() <= Date.now() + 5_000, `CreationDate ${created?.toISOString()}`);
  });

  it('canonical user IDs are stable per account and differ between accounts', async () => {
    const a = await owner.send(new ListBucketsCommand({}));
    const b = await owner.send(new ListBucketsCommand({}));
    const c = await partner.send(new ListBucketsCommand({}));
    assert.equal(a.Owner!.ID, b.Owner!.ID);
    assert.match(c.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
    assert.notEqual(a.Owner!.ID, c.Owner!.ID);
  });

  it('ListBuckets lists only the caller account\'s buckets', async () => {
    const out = await partner.send(new ListBucketsCommand({}));
    assert.ok(!(out.Buckets ?? []).some((b) => b.Name === shared));
  });

  it('S3 CreateBucket docs: no LocationConstraint creates the bucket in us-east-1 (200, Location header)', async () => {
    const name = bucketName('plain');
    const out = await owner.send(new CreateBucketCommand({ Bucket: name }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(out.Location, `/${name}`);
    const location = await owner.send(new GetBucketLocationCommand({ Bucket: name }));
    assert.ok(location.LocationConstraint === undefined || (location.LocationConstraint as string) === '', `us-east-1 is an empty LocationConstraint, got ${location.LocationConstraint}`);
  });

  it('S3 GetBucketLocation docs: buckets in us-east-1 have an empty LocationConstraint element', async () => {
    const response = await signedRequest(server, 'owner', { method: 'GET', path: `/${shared}`, query: { location: '' } });
    assert.equal(response.status, 200);
    assert.match(response.text, /<LocationConstraint[^>]*(\/>|><\/LocationConstraint>)/);
  });

  it('S3 CreateBucketConfiguration docs: LocationConstraint us-east-1 → 400 InvalidLocationConstraint', async () => {
    await expectS3Error(
      owner.send(new CreateBucketCommand({ Bucket: bucketName('east'), CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })),
      'InvalidLocationConstraint',
      400,
    );
  });

  it('S3 CreateBucket: a LocationConstraint other than the endpoint region → 400 IllegalLocationConstraintException', async () => {
    const name = bucketName('west');
    const error = await expectS3Error(
      owner.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })),
      'IllegalLocationConstraintException',
      400,
    );
    assert.match(error.message, /eu-west-1/);
    await expectS3Error(owner.send(new HeadBucketCommand({ Bucket: name })), 'NotFound', 404);
  });

  it('S3 CreateBucket: malformed CreateBucketConfiguration XML → 400 MalformedXML', async () => {
    const response = await signedRequest(server, 'owner', { method: 'PUT', path: `/${bucketName('badxml')}`, body: '<CreateBucketConfiguration><LocationConstraint>' });
    assert.equal(response.status, 400);
    assert.equal(s3ErrorOf(response).Code, 'MalformedXML');
  });

  const invalidNames = [
    ['ab', 'shorter than 3 characters'],
    ['a'.repeat(64), 'longer than 63 characters'],
    ['UpperCase', 'uppercase letters'],
    ['under_score', 'underscore'],
    ['-leading-hyphen', 'starts with a hyphen'],
    ['trailing-hyphen-', 'ends with a hyphen'],
    ['two..periods', 'two adjacent periods'],
    ['192.168.5.4', 'formatted as an IP address'],
    ['xn--punycode', "reserved prefix 'xn--'"],
    ['sthree-name', "reserved prefix 'sthree-'"],
    ['name-s3alias', "reserved suffix '-s3alias'"],
    ['name--ol-s3', "reserved suffix '--ol-s3'"],
  ];
  for (const [name, why] of invalidNames) {
    it(`S3 bucket naming rules: ${why} (${name.length > 20 ? name.slice(0, 12) + '…' : name}) → 400 InvalidBucketName`, async () => {
      const response = await signedRequest(server, 'owner', { method: 'PUT', path: `/${name}` });
      assert.equal(response.status, 400, response.text);
      const error = s3ErrorOf(response);
      assert.equal(error.Code, 'InvalidBucketName');
      assert.equal(error.Message, 'The specified bucket is not valid.');
      assert.equal(error.BucketName, name);
      assert.ok(error.RequestId, 'RequestId present');
    });
  }

  it('S3 CreateBucket docs: re-creating your own bucket in us-east-1 returns 200 (legacy behaviour)', async () => {
    const out = await owner.send(new CreateBucketCommand({ Bucket: shared }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    const objects = await owner.send(new ListObjectsV2Command({ Bucket: shared }));
    assert.equal(objects.KeyCount, 1, 'the existing bucket and its objects are untouched');
  });

  it('S3 CreateBucket docs: a name owned by another account → 409 BucketAlreadyExists', async () => {
    const error = await expectS3Error(partner.send(new CreateBucketCommand({ Bucket: shared })), 'BucketAlreadyExists', 409);
    assert.equal(error.BucketName, shared);
    await expectS3Error(admin.send(new CreateBucketCommand({ Bucket: shared })), 'BucketAlreadyExists', 409);
  });

  it('S3 HeadBucket docs: 200 with x-amz-bucket-region for the owner', async () => {
    const out = await owner.send(new HeadBucketCommand({ Bucket: shared }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(out.BucketRegion, 'us-east-1');
  });

  it('S3 HeadBucket docs: missing bucket → 404 with no body', async () => {
    await expectS3Error(owner.send(new HeadBucketCommand({ Bucket: bucketName('missing') })), 'NotFound', 404);
    const raw = await signedRequest(server, 'owner', { method: 'HEAD', path: `/${bucketName('missing')}` });
    assert.equal(raw.status, 404);
    assert.equal(raw.body.length, 0);
  });

  it('S3 HeadBucket docs: another account\'s bucket → 403 with no body', async () => {
    let error: SdkError | undefined;
    try {
      await partner.send(new HeadBucketCommand({ Bucket: shared }));
    } catch (e) {
      error = e as SdkError;
    }
    assert.equal(error?.$metadata?.httpStatusCode, 403);
    const raw = await signedRequest(server, 'partner', { method: 'HEAD', path: `/${shared}` });
    assert.equal(raw.status, 403);
    assert.equal(raw.body.length, 0);
  });

  it('S3 error responses: NoSuchBucket names the bucket and carries a RequestId', async () => {
    const name = bucketName('nosuch');
    const error = await expectS3Error(owner.send(new ListObjectsV2Command({ Bucket: name })), 'NoSuchBucket', 404, 'The specified bucket does not exist');
    assert.equal(error.BucketName, name);
    assert.ok(error.$metadata?.requestId, 'x-amz-request-id header');
    const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${name}` });
    assert.equal(raw.status, 404);
    assert.match(String(raw.headers['content-type']), /application\/xml/);
    const body = s3ErrorOf(raw);
    assert.equal(body.Code, 'NoSuchBucket');
    assert.equal(body.BucketName, name);
    assert.equal(body.RequestId, raw.headers['x-amz-request-id']);
    assert.ok(raw.headers['x-amz-id-2'], 'x-amz-id-2 header');
  });

  it('S3 DeleteBucket docs: a bucket with objects → 409 BucketNotEmpty; empty → 204; then NoSuchBucket', async () => {
    const name = bucketName('del');
    await owner.send(new CreateBucketCommand({ Bucket: name }));
    await owner.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' }));
    const error = await expectS3Error(owner.send(new DeleteBucketCommand({ Bucket: name })), 'BucketNotEmpty', 409);
    assert.equal(error.BucketName, name);
    await owner.send(new DeleteObjectCommand({ Bucket: name, Key: 'k' }));
    const out = await owner.send(new DeleteBucketCommand({ Bucket: name }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    await expectS3Error(owner.send(new HeadBucketCommand({ Bucket: name })), 'NotFound', 404);
    await expectS3Error(owner.send(new DeleteBucketCommand({ Bucket: name })), 'NoSuchBucket', 404);
    const list = await owner.send(new ListBucketsCommand({}));
    assert.ok(!(list.Buckets ?? []).some((b) => b.Name === name));
  });

  it('S3 DeleteBucket (observed AWS behaviour, ceph/ceph#15630, scality/cloudserver#1591): in-progress multipart uploads do not block deletion', async () => {
    // DeleteBucket docs: all objects must be deleted first; in-progress uploads are not objects.
    const name = bucketName('delmpu');
    await owner.send(new CreateBucketCommand({ Bucket: name }));
    await owner.send(new CreateMultipartUploadCommand({ Bucket: name, Key: 'pending' }));
    const out = await owner.send(new DeleteBucketCommand({ Bucket: name }));
    assert.equal(out.$metadata.httpStatusCode, 204);
  });

  it('a deleted bucket name can be created again by another account', async () => {
    const name = bucketName('reuse');
    await owner.send(new CreateBucketCommand({ Bucket: name }));
    await owner.send(new DeleteBucketCommand({ Bucket: name }));
    await partner.send(new CreateBucketCommand({ Bucket: name }));
    await expectS3Error(owner.send(new CreateBucketCommand({ Bucket: name })), 'BucketAlreadyExists', 409);
    await partner.send(new DeleteBucketCommand({ Bucket: name }));
  });

  describe('issue 2 §6: until IAM lands only the owning account\'s root may act (S3 UG "How S3 authorizes a request": cross-account needs a grant)', () => {
    const denied: Array<[string, () => Promise<unknown>]> = [
      ['ListObjects', () => partner.send(new ListObjectsCommand({ Bucket: shared }))],
      ['ListObjectsV2', () => partner.send(new ListObjectsV2Command({ Bucket: shared }))],
      ['GetBucketLocation', () => partner.send(new GetBucketLocationCommand({ Bucket: shared }))],
      ['PutObject', () => partner.send(new PutObjectCommand({ Bucket: shared, Key: 'intruder.txt', Body: 'x' }))],
      ['GetObject', () => partner.send(new GetObjectCommand({ Bucket: shared, Key: 'secret.txt' }))],
      ['GetObject (missing key)', () => partner.send(new GetObjectCommand({ Bucket: shared, Key: 'no-such-key' }))],
      ['DeleteObject', () => partner.send(new DeleteObjectCommand({ Bucket: shared, Key: 'secret.txt' }))],
      ['DeleteBucket', () => partner.send(new DeleteBucketCommand({ Bucket: shared }))],
      ['ListMultipartUploads', () => partner.send(new ListMultipartUploadsCommand({ Bucket: shared }))],
      ['CreateMultipartUpload', () => partner.send(new CreateMultipartUploadCommand({ Bucket: shared, Key: 'mpu' }))],
      ['GetObjectTagging', () => partner.send(new GetObjectTaggingCommand({ Bucket: shared, Key: 'secret.txt' }))],
      ['PutObjectTagging', () => partner.send(new PutObjectTaggingCommand({ Bucket: shared, Key: 'secret.txt', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }))],
      ['admin account GetObject', () => admin.send(new GetObjectCommand({ Bucket: shared, Key: 'secret.txt' }))],
    ];
    for (const [name, call] of denied) {
      it(`${name} by another account → 403 AccessDenied`, async () => {
        await expectS3Error(call(), 'AccessDenied', 403);
      });
    }

    it('HeadObject by another account → 403', async () => {
      let error: SdkError | undefined;
      try {
        await partner.send(new HeadObjectCommand({ Bucket: shared, Key: 'secret.txt' }));
      } catch (e) {
        error = e as SdkError;
      }
      assert.equal(error?.$metadata?.httpStatusCode, 403);
    });

    it('CopyObject from another account\'s bucket into your own → 403 AccessDenied', async () => {
      const mine = bucketName('partner-dest');
      await partner.send(new CreateBucketCommand({ Bucket: mine }));
      await expectS3Error(partner.send(new CopyObjectCommand({ Bucket: mine, Key: 'stolen', CopySource: `${shared}/secret.txt` })), 'AccessDenied', 403);
      await expectS3Error(partner.send(new HeadObjectCommand({ Bucket: mine, Key: 'stolen' })), 'NotFound', 404);
    });

    it('DeleteObjects by another account → AccessDenied (whole request or per key) and nothing is deleted', async () => {
      try {
        const out = await partner.send(new DeleteObjectsCommand({ Bucket: shared, Delete: { Objects: [{ Key: 'secret.txt' }] } }));
        assert.equal(out.Deleted?.length ?? 0, 0);
        assert.equal(out.Errors?.[0]?.Code, 'AccessDenied');
      } catch (e) {
        assert.equal((e as SdkError).name, 'AccessDenied');
        assert.equal((e as SdkError).$metadata?.httpStatusCode, 403);
      }
      const still = await owner.send(new HeadObjectCommand({ Bucket: shared, Key: 'secret.txt' }));
      assert.equal(still.ContentLength, 'owner data'.length);
    });

    it('the owner\'s data is unchanged after all denied attempts', async () => {
      const list = await owner.send(new ListObjectsV2Command({ Bucket: shared }));
      assert.deepEqual(list.Contents?.map((o) => o.Key), ['secret.txt']);
      const tags = await owner.send(new GetObjectTaggingCommand({ Bucket: shared, Key: 'secret.txt' }));
      assert.deepEqual(tags.TagSet, []);
    });

    it('an unsigned (anonymous) request → 403 AccessDenied', async () => {
      const list = await send(server, { method: 'GET', path: `/${shared}` });
      assert.equal(list.status, 403);
      assert.equal(s3ErrorOf(list).Code, 'AccessDenied');
      const get = await send(server, { method: 'GET', path: `/${shared}/secret.txt` });
      assert.equal(get.status, 403);
      assert.equal(s3ErrorOf(get).Code, 'AccessDenied');
      const put = await send(server, { method: 'PUT', path: `/${shared}/anon.txt`, body: 'x' });
      assert.equal(put.status, 403);
      const service = await send(server, { method: 'GET', path: '/' });
      assert.equal(service.status, 403, 'anonymous ListBuckets is denied');
    });
  });

  it('S3 virtual-hosted-style requests (Host: bucket.localhost:port) address the bucket', async () => {
    const virtual = server.s3('owner', { forcePathStyle: false });
    const name = bucketName('vhost');
    await virtual.send(new CreateBucketCommand({ Bucket: name }));
    await virtual.send(new PutObjectCommand({ Bucket: name, Key: 'dir/file.txt', Body: 'virtual' }));
    const list = await owner.send(new ListObjectsV2Command({ Bucket: name }));
    assert.deepEqual(list.Contents?.map((o) => o.Key), ['dir/file.txt']);
    const raw = await signedRequest(server, 'owner', { method: 'GET', path: '/dir/file.txt', host: `${name}.localhost:${server.info.httpPort}` });
    assert.equal(raw.status, 200);
    assert.equal(raw.text, 'virtual');
    const location = await virtual.send(new GetBucketLocationCommand({ Bucket: name }));
    assert.equal(location.$metadata.httpStatusCode, 200);
  });

  it('S3 virtual-hosted style over HTTPS with the generated CA (certificate checked as localhost)', async () => {
    const virtual = server.s3('owner', { forcePathStyle: false, https: true, verifyHostAs: 'localhost' });
    const out = await virtual.send(new GetObjectCommand({ Bucket: shared, Key: 'secret.txt' }));
    assert.equal(await out.Body!.transformToString(), 'owner data');
  });
});
