import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  S3Client,
  CreateBucketCommand,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  CopyObjectCommand,
  ListObjectsV2Command,
  GetObjectTaggingCommand,
  PutObjectTaggingCommand,
  DeleteObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { startServer, type Server } from './harness.js';
import { expectS3Error, bucketName, streamToBuffer, quotedMd5, type SdkError } from './expect.js';
import { signedRequest, s3ErrorOf } from './raw.js';

/** Await an SDK call that must end with this HTTP status (used for bodiless 304/412 answers). */
async function expectStatus(promise: Promise<unknown>, status: number): Promise<SdkError> {
  try {
    await promise;
  } catch (e) {
    const error = e as SdkError;
    assert.equal(error.$metadata?.httpStatusCode, status, `${error.name}: ${error.message}`);
    return error;
  }
  assert.fail(`expected HTTP ${status}, the call succeeded`);
}

describe('S3 objects', () => {
  let server: Server;
  let s3: S3Client;
  const bucket = bucketName('objects');
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  let alphabetEtag = '';
  let alphabetModified = new Date(0);

  before(async () => {
    server = await startServer();
    s3 = server.s3('owner');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', Body: alphabet, ContentType: 'text/plain' }));
    alphabetEtag = put.ETag!;
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'alphabet.txt' }));
    alphabetModified = head.LastModified!;
  });
  after(async () => {
    await server?.close();
  });

  describe('PutObject / GetObject / HeadObject / DeleteObject', () => {
    it('S3 PutObject docs: ETag of a single-part object is the quoted hex MD5 of its bytes', async () => {
      const body = 'hello crossbucket';
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'hello.txt', Body: body }));
      assert.equal(put.ETag, quotedMd5(body));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'hello.txt' }));
      assert.equal(await got.Body!.transformToString(), body);
      assert.equal(got.ETag, put.ETag);
      assert.equal(got.ContentLength, body.length);
      assert.ok(got.LastModified instanceof Date);
      assert.equal(got.AcceptRanges, 'bytes');
    });

    it('HeadObject returns the same headers as GetObject and no body', async () => {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'alphabet.txt' }));
      assert.equal(head.ContentLength, 26);
      assert.equal(head.ETag, alphabetEtag);
      assert.equal(head.ContentType, 'text/plain');
      const raw = await signedRequest(server, 'owner', { method: 'HEAD', path: `/${bucket}/alphabet.txt` });
      assert.equal(raw.status, 200);
      assert.equal(raw.headers['content-length'], '26');
      assert.equal(raw.body.length, 0);
      assert.equal(raw.headers.etag, alphabetEtag);
      assert.ok(raw.headers['last-modified'] && !Number.isNaN(Date.parse(raw.headers['last-modified'])), 'RFC 1123 Last-Modified');
      assert.ok(raw.headers['x-amz-request-id']);
    });

    it('an empty object round-trips with the MD5 of zero bytes', async () => {
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'empty', Body: '' }));
      assert.equal(put.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'empty' }));
      assert.equal(got.ContentLength, 0);
      assert.equal((await streamToBuffer(got.Body)).length, 0);
    });

    it('a 3 MiB binary object round-trips byte-exactly', async () => {
      const data = randomBytes(3 * 1024 * 1024);
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'big.bin', Body: data }));
      assert.equal(put.ETag, quotedMd5(data));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
      const back = await streamToBuffer(got.Body);
      assert.equal(back.length, data.length);
      assert.ok(back.equals(data));
    });

    it('PutObject overwrites an existing key', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'over', Body: 'first version' }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'over', Body: 'second' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'over' }));
      assert.equal(await got.Body!.transformToString(), 'second');
      assert.equal(got.ContentLength, 6);
    });

    it('S3 default Content-Type when none is given is binary/octet-stream', async () => {
      const raw = await signedRequest(server, 'owner', { method: 'PUT', path: `/${bucket}/no-type`, body: 'x' });
      assert.equal(raw.status, 200, raw.text);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'no-type' }));
      assert.equal(head.ContentType, 'binary/octet-stream');
    });

    it('S3 DeleteObject docs: 204, then NoSuchKey; deleting a missing key also answers 204', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doomed', Body: 'x' }));
      const out = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doomed' }));
      assert.equal(out.$metadata.httpStatusCode, 204);
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'doomed' })), 'NoSuchKey', 404);
      const again = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doomed' }));
      assert.equal(again.$metadata.httpStatusCode, 204);
    });

    it('S3 error responses: NoSuchKey has Code, Message, Key and RequestId', async () => {
      const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${bucket}/missing/key.txt` });
      assert.equal(raw.status, 404);
      const error = s3ErrorOf(raw);
      assert.equal(error.Code, 'NoSuchKey');
      assert.equal(error.Message, 'The specified key does not exist.');
      assert.equal(error.Key, 'missing/key.txt');
      assert.equal(error.RequestId, raw.headers['x-amz-request-id']);
      const sdk = await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing/key.txt' })), 'NoSuchKey', 404, 'The specified key does not exist.');
      assert.equal(sdk.Key, 'missing/key.txt');
    });

    it('S3 HeadObject docs: missing key → 404 with no body', async () => {
      await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' })), 'NotFound', 404);
      const raw = await signedRequest(server, 'owner', { method: 'HEAD', path: `/${bucket}/missing` });
      assert.equal(raw.status, 404);
      assert.equal(raw.body.length, 0);
    });

    it('S3 error responses: object operation on a missing bucket → NoSuchBucket with BucketName', async () => {
      const name = bucketName('absent');
      const error = await expectS3Error(s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' })), 'NoSuchBucket', 404, 'The specified bucket does not exist');
      assert.equal(error.BucketName, name);
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: name, Key: 'k' })), 'NoSuchBucket', 404);
    });
  });

  describe('Range requests (RFC 7233, S3 GetObject docs)', () => {
    const cases: Array<[string, string, string]> = [
      ['bytes=0-9', 'abcdefghij', 'bytes 0-9/26'],
      ['bytes=-5', 'vwxyz', 'bytes 21-25/26'],
      ['bytes=20-', 'uvwxyz', 'bytes 20-25/26'],
      ['bytes=20-100', 'uvwxyz', 'bytes 20-25/26'],
      ['bytes=25-25', 'z', 'bytes 25-25/26'],
      ['bytes=-100', alphabet, 'bytes 0-25/26'],
    ];
    for (const [range, expected, contentRange] of cases) {
      it(`RFC 7233: Range ${range} → 206 "${expected.length > 8 ? expected.slice(0, 8) + '…' : expected}" with Content-Range ${contentRange}`, async () => {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', Range: range }));
        assert.equal(got.$metadata.httpStatusCode, 206);
        assert.equal(await got.Body!.transformToString(), expected);
        assert.equal(got.ContentRange, contentRange);
        assert.equal(got.ContentLength, expected.length);
        assert.equal(got.ETag, alphabetEtag, 'ETag is the whole object\'s');
      });
    }

    it('RFC 7233 / S3: a range starting at or past the end → 416 InvalidRange', async () => {
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', Range: 'bytes=26-30' })), 'InvalidRange', 416, 'The requested range is not satisfiable');
      const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${bucket}/alphabet.txt`, headers: { range: 'bytes=100-' } });
      assert.equal(raw.status, 416);
      const error = s3ErrorOf(raw);
      assert.equal(error.Code, 'InvalidRange');
      assert.equal(error.ActualObjectSize, '26');
      assert.equal(error.RangeRequested, 'bytes=100-');
    });

    it('RFC 7233: a range on an empty object is unsatisfiable (416)', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'empty-range', Body: '' }));
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'empty-range', Range: 'bytes=0-0' })), 'InvalidRange', 416);
    });

    it('a range inside a large (file-backed) object returns exactly those bytes', async () => {
      const data = randomBytes(2 * 1024 * 1024 + 17);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'ranged.bin', Body: data }));
      const start = 1_000_003;
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'ranged.bin', Range: `bytes=${start}-${start + 99_999}` }));
      const part = await streamToBuffer(got.Body);
      assert.ok(part.equals(data.subarray(start, start + 100_000)));
      assert.equal(got.ContentRange, `bytes ${start}-${start + 99_999}/${data.length}`);
      const tail = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'ranged.bin', Range: 'bytes=-10' }));
      assert.ok((await streamToBuffer(tail.Body)).equals(data.subarray(data.length - 10)));
    });

    it('HeadObject with Range answers 206 and the partial Content-Length', async () => {
      const raw = await signedRequest(server, 'owner', { method: 'HEAD', path: `/${bucket}/alphabet.txt`, headers: { range: 'bytes=0-9' } });
      assert.equal(raw.status, 206);
      assert.equal(raw.headers['content-length'], '10');
      assert.equal(raw.headers['content-range'], 'bytes 0-9/26');
    });
  });

  describe('conditional requests (RFC 7232, S3 GetObject docs)', () => {
    const hourMs = 3_600_000;
    const later = () => new Date(alphabetModified.getTime() + hourMs);
    const earlier = () => new Date(alphabetModified.getTime() - hourMs);

    it('RFC 7232 / S3 GetObject docs: If-Match matching → 200', async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', IfMatch: alphabetEtag }));
      assert.equal(got.$metadata.httpStatusCode, 200);
      assert.equal(await got.Body!.transformToString(), alphabet);
    });

    it('RFC 7232: If-Match * on an existing object → 200', async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', IfMatch: '*' }));
      assert.equal(got.$metadata.httpStatusCode, 200);
    });

    it('RFC 7232 / S3 GetObject docs: If-Match not matching → 412 PreconditionFailed (Condition If-Match)', async () => {
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', IfMatch: '"0123456789abcdef0123456789abcdef"' })), 'PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold');
      const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${bucket}/alphabet.txt`, headers: { 'if-match': '"nope"' } });
      assert.equal(raw.status, 412);
      assert.equal(s3ErrorOf(raw).Condition, 'If-Match');
    });

    it('RFC 7232 / S3 GetObject docs: If-None-Match matching → 304 Not Modified with no body', async () => {
      await expectStatus(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', IfNoneMatch: alphabetEtag })), 304);
      const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${bucket}/alphabet.txt`, headers: { 'if-none-match': alphabetEtag } });
      assert.equal(raw.status, 304);
      assert.equal(raw.body.length, 0);
      assert.equal(raw.headers.etag, alphabetEtag, 'RFC 7232 §4.1: 304 carries the ETag');
    });

    it('RFC 7232: If-None-Match not matching → 200', async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', IfNoneMatch: '"other"' }));
      assert.equal(got.$metadata.httpStatusCode, 200);
    });

    it('RFC 7232 / S3 GetObject docs: If-Modified-Since after Last-Modified → 304', async () => {
      await expectStatus(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', IfModifiedSince: later() })), 304);
    });

    it('RFC 7232: If-Modified-Since equal to Last-Modified → 304', async () => {
      await expectStatus(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', IfModifiedSince: alphabetModified })), 304);
    });

    it('RFC 7232: If-Modified-Since before Last-Modified → 200', async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', IfModifiedSince: earlier() }));
      assert.equal(got.$metadata.httpStatusCode, 200);
    });

    it('RFC 7232 / S3 GetObject docs: If-Unmodified-Since before Last-Modified → 412 PreconditionFailed', async () => {
      const error = await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', IfUnmodifiedSince: earlier() })), 'PreconditionFailed', 412);
      assert.equal(error.Condition, 'If-Unmodified-Since');
    });

    it('RFC 7232: If-Unmodified-Since after Last-Modified → 200', async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', IfUnmodifiedSince: later() }));
      assert.equal(got.$metadata.httpStatusCode, 200);
    });

    it('S3 GetObject docs: If-Match true and If-Unmodified-Since false → 200 (If-Match wins)', async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', IfMatch: alphabetEtag, IfUnmodifiedSince: earlier() }));
      assert.equal(got.$metadata.httpStatusCode, 200);
    });

    it('S3 GetObject docs: If-None-Match false and If-Modified-Since true → 304', async () => {
      await expectStatus(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'alphabet.txt', IfNoneMatch: alphabetEtag, IfModifiedSince: earlier() })), 304);
    });

    it('RFC 7232: HeadObject with a failing If-Match → 412 with no body', async () => {
      const raw = await signedRequest(server, 'owner', { method: 'HEAD', path: `/${bucket}/alphabet.txt`, headers: { 'if-match': '"nope"' } });
      assert.equal(raw.status, 412);
      assert.equal(raw.body.length, 0);
    });

    it('RFC 7232: HeadObject with a matching If-None-Match → 304', async () => {
      const raw = await signedRequest(server, 'owner', { method: 'HEAD', path: `/${bucket}/alphabet.txt`, headers: { 'if-none-match': alphabetEtag } });
      assert.equal(raw.status, 304);
    });
  });

  describe('headers and metadata', () => {
    it('S3 GetObject docs: response-* query parameters override the stored headers', async () => {
      const got = await s3.send(new GetObjectCommand({
        Bucket: bucket,
        Key: 'alphabet.txt',
        ResponseContentType: 'application/x-override',
        ResponseContentLanguage: 'fr-CA',
        ResponseCacheControl: 'no-store',
        ResponseContentDisposition: 'attachment; filename="a.txt"',
        ResponseContentEncoding: 'identity',
        ResponseExpires: new Date('2030-01-01T00:00:00Z'),
      }));
      assert.equal(got.ContentType, 'application/x-override');
      assert.equal(got.ContentLanguage, 'fr-CA');
      assert.equal(got.CacheControl, 'no-store');
      assert.equal(got.ContentDisposition, 'attachment; filename="a.txt"');
      assert.equal(got.ContentEncoding, 'identity');
      assert.equal(got.ExpiresString ?? got.Expires?.toUTCString(), 'Tue, 01 Jan 2030 00:00:00 GMT');
      assert.equal(await got.Body!.transformToString(), alphabet);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'alphabet.txt' }));
      assert.equal(head.ContentType, 'text/plain', 'overrides are not stored');
    });

    it('S3 user-defined metadata: x-amz-meta-* round-trips (names lower-cased) on Get and Head', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'meta', Body: 'm', Metadata: { color: 'blue', 'Mixed-Case': 'Value With Spaces', empty: '' } }));
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'meta' }));
      assert.deepEqual(head.Metadata, { color: 'blue', 'mixed-case': 'Value With Spaces', empty: '' });
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'meta' }));
      assert.equal(got.Metadata?.color, 'blue');
      await streamToBuffer(got.Body);
    });

    it('S3 PutObject docs: Content-Type, Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires are stored and returned', async () => {
      const expires = new Date('2031-02-03T04:05:06Z');
      await s3.send(new PutObjectCommand({
        Bucket: bucket,
        Key: 'headers',
        Body: 'h',
        ContentType: 'application/json; charset=utf-8',
        CacheControl: 'max-age=60, public',
        ContentDisposition: 'inline; filename="h.json"',
        ContentEncoding: 'identity',
        ContentLanguage: 'de',
        Expires: expires,
      }));
      for (const out of [await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'headers' })), await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'headers' }))]) {
        assert.equal(out.ContentType, 'application/json; charset=utf-8');
        assert.equal(out.CacheControl, 'max-age=60, public');
        assert.equal(out.ContentDisposition, 'inline; filename="h.json"');
        assert.equal(out.ContentEncoding, 'identity');
        assert.equal(out.ContentLanguage, 'de');
        assert.equal(out.ExpiresString ?? out.Expires?.toUTCString(), expires.toUTCString());
      }
    });
  });

  describe('DeleteObjects (S3 DeleteObjects docs)', () => {
    it('deletes several keys; a missing key is reported as Deleted', async () => {
      for (const key of ['d/1', 'd/2', 'd/3']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'd/1' }, { Key: 'd/2' }, { Key: 'd/3' }, { Key: 'd/never-existed' }] } }));
      assert.deepEqual(out.Deleted?.map((d) => d.Key).sort(), ['d/1', 'd/2', 'd/3', 'd/never-existed']);
      assert.equal(out.Errors?.length ?? 0, 0);
      const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'd/' }));
      assert.equal(list.KeyCount, 0);
    });

    it('Quiet mode returns only errors (none here) and still deletes', async () => {
      for (const key of ['q/1', 'q/2']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Quiet: true, Objects: [{ Key: 'q/1' }, { Key: 'q/2' }] } }));
      assert.equal(out.Deleted?.length ?? 0, 0);
      assert.equal(out.Errors?.length ?? 0, 0);
      const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'q/' }));
      assert.equal(list.KeyCount, 0);
    });

    it('S3 DeleteObjects docs: more than 1000 keys → 400 MalformedXML', async () => {
      const objects = Array.from({ length: 1001 }, (_, i) => ({ Key: `many/${i}` }));
      await expectS3Error(s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } })), 'MalformedXML', 400);
    });

    it('S3 DeleteObjects docs: a body without Content-MD5 or x-amz-checksum-* → 400 InvalidRequest', async () => {
      const body = '<Delete><Object><Key>x</Key></Object></Delete>';
      const raw = await signedRequest(server, 'owner', { method: 'POST', path: `/${bucket}`, query: { delete: '' }, body });
      assert.equal(raw.status, 400, raw.text);
      assert.equal(s3ErrorOf(raw).Code, 'InvalidRequest');
    });

    it('DeleteObjects accepts Content-MD5 instead of a checksum', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5del', Body: 'x' }));
      const body = '<Delete><Object><Key>md5del</Key></Object></Delete>';
      const md5 = createHash('md5').update(body).digest('base64');
      const raw = await signedRequest(server, 'owner', { method: 'POST', path: `/${bucket}`, query: { delete: '' }, body, headers: { 'content-md5': md5 } });
      assert.equal(raw.status, 200, raw.text);
      assert.match(raw.text, /<Deleted>\s*<Key>md5del<\/Key>/);
    });
  });

  describe('CopyObject (S3 CopyObject docs)', () => {
    before(async () => {
      await s3.send(new PutObjectCommand({
        Bucket: bucket,
        Key: 'src/original.txt',
        Body: 'copy me',
        ContentType: 'text/x-source',
        Metadata: { origin: 'source' },
        Tagging: 'stage=source',
      }));
    });

    it('MetadataDirective COPY (default) copies bytes, Content-Type and user metadata; ETag equals the source MD5', async () => {
      const out = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst/copied.txt', CopySource: `${bucket}/src/original.txt` }));
      assert.equal(out.CopyObjectResult?.ETag, quotedMd5('copy me'));
      assert.ok(out.CopyObjectResult?.LastModified instanceof Date);
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dst/copied.txt' }));
      assert.equal(await got.Body!.transformToString(), 'copy me');
      assert.equal(got.ContentType, 'text/x-source');
      assert.deepEqual(got.Metadata, { origin: 'source' });
    });

    it('MetadataDirective COPY ignores metadata given in the request', async () => {
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst/ignored.txt', CopySource: `${bucket}/src/original.txt`, Metadata: { origin: 'request' }, MetadataDirective: 'COPY' }));
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst/ignored.txt' }));
      assert.deepEqual(head.Metadata, { origin: 'source' });
    });

    it('MetadataDirective REPLACE takes metadata and Content-Type from the request', async () => {
      await s3.send(new CopyObjectCommand({
        Bucket: bucket,
        Key: 'dst/replaced.txt',
        CopySource: `${bucket}/src/original.txt`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/x-replaced',
        Metadata: { origin: 'replaced' },
      }));
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst/replaced.txt' }));
      assert.equal(head.ContentType, 'text/x-replaced');
      assert.deepEqual(head.Metadata, { origin: 'replaced' });
      assert.equal(head.ETag, quotedMd5('copy me'));
    });

    it('TaggingDirective: COPY (default) copies tags, REPLACE uses x-amz-tagging', async () => {
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst/tags-copied', CopySource: `${bucket}/src/original.txt` }));
      const copied = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'dst/tags-copied' }));
      assert.deepEqual(copied.TagSet, [{ Key: 'stage', Value: 'source' }]);
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst/tags-replaced', CopySource: `${bucket}/src/original.txt`, TaggingDirective: 'REPLACE', Tagging: 'stage=copy' }));
      const replaced = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'dst/tags-replaced' }));
      assert.deepEqual(replaced.TagSet, [{ Key: 'stage', Value: 'copy' }]);
    });

    it('copying onto itself without REPLACE → 400 InvalidRequest', async () => {
      const error = await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'src/original.txt', CopySource: `${bucket}/src/original.txt` })), 'InvalidRequest', 400);
      assert.match(error.message, /copy an object to itself without changing the object's metadata/);
    });

    it('copying onto itself with REPLACE updates the metadata', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'self', Body: 'self', Metadata: { v: '1' } }));
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self`, MetadataDirective: 'REPLACE', Metadata: { v: '2' } }));
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'self' }));
      assert.deepEqual(head.Metadata, { v: '2' });
      assert.equal(head.ContentLength, 4);
    });

    it('x-amz-copy-source-if-match mismatch → 412 PreconditionFailed; match → copies', async () => {
      await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst/c1', CopySource: `${bucket}/src/original.txt`, CopySourceIfMatch: '"bad"' })), 'PreconditionFailed', 412);
      const ok = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst/c1', CopySource: `${bucket}/src/original.txt`, CopySourceIfMatch: quotedMd5('copy me') }));
      assert.equal(ok.$metadata.httpStatusCode, 200);
    });

    it('x-amz-copy-source-if-none-match matching → 412 PreconditionFailed', async () => {
      await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst/c2', CopySource: `${bucket}/src/original.txt`, CopySourceIfNoneMatch: quotedMd5('copy me') })), 'PreconditionFailed', 412);
    });

    it('x-amz-copy-source-if-unmodified-since before Last-Modified → 412; if-modified-since after → 412', async () => {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'src/original.txt' }));
      const modified = head.LastModified!.getTime();
      await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst/c3', CopySource: `${bucket}/src/original.txt`, CopySourceIfUnmodifiedSince: new Date(modified - 3_600_000) })), 'PreconditionFailed', 412);
      await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst/c3', CopySource: `${bucket}/src/original.txt`, CopySourceIfModifiedSince: new Date(modified + 3_600_000) })), 'PreconditionFailed', 412);
      await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst/c3' })), 'NotFound', 404);
    });

    it('S3 CopyObject docs: if-match true + if-unmodified-since false → copies (200)', async () => {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'src/original.txt' }));
      const out = await s3.send(new CopyObjectCommand({
        Bucket: bucket,
        Key: 'dst/c4',
        CopySource: `${bucket}/src/original.txt`,
        CopySourceIfMatch: head.ETag,
        CopySourceIfUnmodifiedSince: new Date(head.LastModified!.getTime() - 3_600_000),
      }));
      assert.equal(out.$metadata.httpStatusCode, 200);
    });

    it('a missing copy source → 404 NoSuchKey', async () => {
      await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst/none', CopySource: `${bucket}/src/missing` })), 'NoSuchKey', 404);
    });

    it('a copy source key with spaces and unicode (URL-encoded in x-amz-copy-source) is found', async () => {
      const key = 'src/spaced name ünï.txt';
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'encoded source' }));
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst/from-encoded', CopySource: encodeURIComponent(`${bucket}/${key}`) }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dst/from-encoded' }));
      assert.equal(await got.Body!.transformToString(), 'encoded source');
    });

    it('a large (file-backed) object copies byte-exactly', async () => {
      const data = randomBytes(1024 * 1024 + 3);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src/large.bin', Body: data }));
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst/large.bin', CopySource: `${bucket}/src/large.bin` }));
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'src/large.bin' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dst/large.bin' }));
      assert.ok((await streamToBuffer(got.Body)).equals(data), 'the copy survives deletion of its source');
    });
  });

  describe('object tagging (S3 Get/Put/DeleteObjectTagging docs)', () => {
    it('x-amz-tagging on PutObject sets tags (URL-query encoded); GetObject reports x-amz-tagging-count', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tagged', Body: 't', Tagging: 'project=blue&note=two%20words' }));
      const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tagged' }));
      const sorted = [...(tags.TagSet ?? [])].sort((a, b) => a.Key!.localeCompare(b.Key!));
      assert.deepEqual(sorted, [{ Key: 'note', Value: 'two words' }, { Key: 'project', Value: 'blue' }]);
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'tagged' }));
      assert.equal(got.TagCount, 2);
      await streamToBuffer(got.Body);
    });

    it('PutObjectTagging replaces the whole tag set; DeleteObjectTagging empties it (204)', async () => {
      await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'tagged', Tagging: { TagSet: [{ Key: 'only', Value: 'one' }] } }));
      const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tagged' }));
      assert.deepEqual(tags.TagSet, [{ Key: 'only', Value: 'one' }]);
      const deleted = await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'tagged' }));
      assert.equal(deleted.$metadata.httpStatusCode, 204);
      const after = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tagged' }));
      assert.deepEqual(after.TagSet, []);
    });

    it('tagging a missing key → 404 NoSuchKey', async () => {
      await expectS3Error(s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'untagged-missing' })), 'NoSuchKey', 404);
      await expectS3Error(s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'untagged-missing', Tagging: { TagSet: [] } })), 'NoSuchKey', 404);
    });

    it('S3 tagging rules: duplicate tag keys → 400 InvalidTag', async () => {
      await expectS3Error(
        s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'tagged', Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })),
        'InvalidTag',
        400,
      );
    });

    it('S3 tagging rules: more than 10 tags per object → 400', async () => {
      const TagSet = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      const error = await expectStatus(s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'tagged', Tagging: { TagSet } })), 400);
      assert.ok(['BadRequest', 'InvalidTag'].includes(error.name), error.name);
    });
  });

  describe('keys never become paths; odd keys round-trip', () => {
    const traversal = ['../../etc/passwd', 'a/../../b', '../escape', '..', '.', './dot', 'x/./y', '/leading-slash', 'trailing/', 'double//slash'];
    const marker = `crossbucket-traversal-marker-${process.pid}-${Date.now()}`;

    it('path-traversal keys (small and file-backed) are stored as plain keys and read back', async () => {
      for (const [i, key] of traversal.entries()) {
        const small = `${marker} ${i}`;
        const large = Buffer.concat([Buffer.from(`${marker} large ${i}\n`), randomBytes(200 * 1024)]);
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `t/${i}/${key}`, Body: large }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: small }));
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        assert.equal(await got.Body!.transformToString(), small, `key ${JSON.stringify(key)}`);
        const gotLarge = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `t/${i}/${key}` }));
        assert.ok((await streamToBuffer(gotLarge.Body)).equals(large), `key t/${i}/${key}`);
      }
      const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      const keys = new Set(list.Contents?.map((o) => o.Key));
      for (const key of traversal) assert.ok(keys.has(key), `listed exactly as ${JSON.stringify(key)}`);
    });

    it('raw requests with encoded dot segments address the literal key', async () => {
      const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${bucket}/..%2F..%2Fetc%2Fpasswd` });
      assert.equal(raw.status, 200, raw.text);
      assert.match(raw.text, new RegExp(marker));
    });

    it('no file named after a key exists anywhere outside the data dir, and nothing in it is named after one', async () => {
      const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
      assert.ok(!passwd.includes(marker), '/etc/passwd untouched');
      const bases = [server.dataDir, path.join(server.dataDir, 'blobs'), path.join(server.dataDir, 'blobs', 'tmp'), process.cwd()];
      for (const base of bases) {
        for (const key of ['../../etc/passwd', 'a/../../b', '../escape']) {
          const candidate = path.resolve(base, key);
          if (candidate === '/etc/passwd') continue;
          const content = await readFile(candidate, 'utf8').catch(() => '');
          assert.ok(!content.includes(marker), `${candidate} was written`);
        }
      }
      for (const name of ['b', 'escape', 'passwd', 'dot']) {
        const candidate = path.join(os.tmpdir(), name);
        const content = await readFile(candidate, 'utf8').catch(() => '');
        assert.ok(!content.includes(marker), `${candidate} was written`);
      }
      const files: string[] = [];
      const walk = async (dir: string): Promise<void> => {
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) await walk(full);
          else files.push(path.relative(server.dataDir, full));
        }
      };
      await walk(server.dataDir);
      for (const file of files) {
        assert.ok(!/passwd|escape|leading-slash/.test(file), `data dir file ${file} is named after a key`);
        assert.ok(!file.startsWith('..'), file);
      }
      const size = (await stat(server.dataDir)).isDirectory();
      assert.ok(size);
    });

    const odd = ['dir/file with spaces.txt', 'plus+sign+key', 'percent%20literal%', 'ünïcødé/日本語.txt', 'emoji-😀', "sub-delims!$&'()*,;=:@", 'tilde~and#hash?query', 'tab\tand\\backslash', '  leading-spaces'];
    for (const key of odd) {
      it(`key ${JSON.stringify(key)} round-trips through Put, Head, Get, List and Delete`, async () => {
        const body = `body of ${key}`;
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        assert.equal(head.ContentLength, Buffer.byteLength(body));
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        assert.equal(await got.Body!.transformToString(), body);
        const prefix = key.slice(0, 4);
        const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
        assert.ok(list.Contents?.some((o) => o.Key === key), `listed under prefix ${JSON.stringify(prefix)}`);
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), 'NotFound', 404);
      });
    }

    it('"+" in a path is a literal plus, not a space (S3 decodes paths per RFC 3986)', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a b', Body: 'space' }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a+b', Body: 'plus' }));
      const plus = await signedRequest(server, 'owner', { method: 'GET', path: `/${bucket}/a%2Bb` });
      assert.equal(plus.text, 'plus');
      const space = await signedRequest(server, 'owner', { method: 'GET', path: `/${bucket}/a%20b` });
      assert.equal(space.text, 'space');
    });

    it('S3 object key limit: a key longer than 1024 bytes → 400 KeyTooLongError', async () => {
      await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k'.repeat(1025), Body: 'x' })), 'KeyTooLongError', 400);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k'.repeat(1024), Body: 'x' }));
    });
  });
});
