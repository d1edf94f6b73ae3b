import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client, CreateBucketCommand, PutObjectCommand, ListObjectsCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { startServer, type Server } from './harness.js';
import { expectS3Error, bucketName } from './expect.js';
import { signedRequest, parseXml, s3ErrorOf } from './raw.js';

const smallKeys = ['a.txt', 'b/1.txt', 'b/2.txt', 'b/c/3.txt', 'd/4.txt', 'e.txt', 'key with space/x', 'plus+key', 'ünï/y'];
const manyCount = 2500;
const manyKeys = Array.from({ length: manyCount }, (_, i) => `k/${String(i).padStart(5, '0')}`);
const prefixGroups = Array.from({ length: 30 }, (_, i) => `g/${String(i).padStart(2, '0')}/`);

async function putAll(s3: S3Client, bucket: string, keys: string[], concurrency = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** S3 encoding-type=url encodes like application/x-www-form-urlencoded (botocore decodes with unquote_plus). */
function urlDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

describe('S3 listing: ListObjects (v1) and ListObjectsV2', () => {
  let server: Server;
  let s3: S3Client;
  const small = bucketName('small');
  const many = bucketName('many');
  const empty = bucketName('empty');

  before(async () => {
    server = await startServer();
    s3 = server.s3('owner');
    for (const name of [small, many, empty]) await s3.send(new CreateBucketCommand({ Bucket: name }));
    await putAll(s3, small, smallKeys);
    await putAll(s3, many, [...manyKeys, ...prefixGroups.flatMap((p) => [`${p}one`, `${p}two`])]);
  });
  after(async () => {
    await server?.close();
  });

  it('ListObjectsV2 on an empty bucket: no Contents, KeyCount 0, not truncated', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: empty }));
    assert.equal(out.KeyCount, 0);
    assert.equal(out.Contents, undefined);
    assert.equal(out.IsTruncated, false);
    assert.equal(out.Name, empty);
    assert.equal(out.MaxKeys, 1000);
  });

  it('ListObjectsV2: all keys in UTF-8 binary order with Size, ETag, LastModified, StorageClass', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: small }));
    const keys = out.Contents!.map((o) => o.Key!);
    const sorted = [...smallKeys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(keys, sorted);
    assert.equal(out.KeyCount, smallKeys.length);
    const first = out.Contents![0]!;
    assert.equal(first.Size, Buffer.byteLength(first.Key!));
    assert.match(first.ETag ?? '', /^"[0-9a-f]{32}"$/);
    assert.ok(first.LastModified instanceof Date);
    assert.equal(first.StorageClass, 'STANDARD');
    assert.equal(first.Owner, undefined, 'V2 omits Owner unless fetch-owner=true');
  });

  it('ListObjectsV2 prefix filters keys', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: small, Prefix: 'b/' }));
    assert.deepEqual(out.Contents?.map((o) => o.Key), ['b/1.txt', 'b/2.txt', 'b/c/3.txt']);
    assert.equal(out.Prefix, 'b/');
  });

  it('S3 ListObjectsV2 docs: delimiter rolls keys up into CommonPrefixes; KeyCount counts both', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: small, Delimiter: '/' }));
    assert.deepEqual(out.Contents?.map((o) => o.Key), ['a.txt', 'e.txt', 'plus+key']);
    assert.deepEqual(out.CommonPrefixes?.map((p) => p.Prefix), ['b/', 'd/', 'key with space/', 'ünï/']);
    assert.equal(out.KeyCount, 7);
    assert.equal(out.Delimiter, '/');
  });

  it('prefix and delimiter together list one level', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: small, Prefix: 'b/', Delimiter: '/' }));
    assert.deepEqual(out.Contents?.map((o) => o.Key), ['b/1.txt', 'b/2.txt']);
    assert.deepEqual(out.CommonPrefixes?.map((p) => p.Prefix), ['b/c/']);
  });

  it('a delimiter other than "/" works', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: small, Delimiter: '.' }));
    assert.deepEqual(out.CommonPrefixes?.map((p) => p.Prefix), ['a.', 'b/1.', 'b/2.', 'b/c/3.', 'd/4.', 'e.']);
  });

  it('start-after skips keys up to and including the given key', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: small, StartAfter: 'b/2.txt' }));
    assert.equal(out.Contents?.[0]?.Key, 'b/c/3.txt');
    assert.equal(out.StartAfter, 'b/2.txt');
    assert.equal(out.KeyCount, smallKeys.length - 3);
  });

  it('max-keys truncates; the continuation token continues exactly after the last key', async () => {
    const page1 = await s3.send(new ListObjectsV2Command({ Bucket: small, MaxKeys: 2 }));
    assert.equal(page1.IsTruncated, true);
    assert.equal(page1.KeyCount, 2);
    assert.equal(page1.MaxKeys, 2);
    assert.ok(page1.NextContinuationToken);
    const page2 = await s3.send(new ListObjectsV2Command({ Bucket: small, MaxKeys: 2, ContinuationToken: page1.NextContinuationToken }));
    assert.equal(page2.ContinuationToken, page1.NextContinuationToken);
    assert.deepEqual(page2.Contents?.map((o) => o.Key), ['b/2.txt', 'b/c/3.txt']);
  });

  it('S3 ListObjectsV2: an invalid continuation token → 400 InvalidArgument', async () => {
    await expectS3Error(s3.send(new ListObjectsV2Command({ Bucket: small, ContinuationToken: 'not-a-token!!' })), 'InvalidArgument', 400);
  });

  it('S3: max-keys that is not a non-negative integer → 400 InvalidArgument', async () => {
    for (const value of ['abc', '-1']) {
      const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${small}`, query: { 'list-type': '2', 'max-keys': value } });
      assert.equal(raw.status, 400, `max-keys=${value}: ${raw.text}`);
      assert.equal(s3ErrorOf(raw).Code, 'InvalidArgument');
    }
  });

  it('S3 ListObjectsV2 docs: max-keys above 1000 is capped at 1000', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: many, MaxKeys: 5000 }));
    assert.equal(out.KeyCount, 1000);
    assert.equal(out.IsTruncated, true);
  });

  it('fetch-owner=true adds Owner (64-hex ID) to each entry', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: small, FetchOwner: true, MaxKeys: 3 }));
    for (const entry of out.Contents!) assert.match(entry.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
  });

  it('S3 ListObjectsV2 docs: encoding-type=url encodes Key, Prefix, Delimiter, StartAfter and CommonPrefixes', async () => {
    const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${small}`, query: { 'list-type': '2', 'encoding-type': 'url', delimiter: '/' } });
    assert.equal(raw.status, 200, raw.text);
    assert.ok(!/ünï|key with space/.test(raw.text), 'no raw space or non-ASCII in an encoded listing');
    const result = parseXml(raw.text).ListBucketResult;
    assert.equal(result.EncodingType, 'url');
    const prefixes = [result.CommonPrefixes].flat().map((p: { Prefix: string }) => urlDecode(p.Prefix));
    assert.deepEqual(prefixes, ['b/', 'd/', 'key with space/', 'ünï/']);
    const keys = [result.Contents].flat().map((c: { Key: string }) => urlDecode(c.Key));
    assert.deepEqual(keys, ['a.txt', 'e.txt', 'plus+key']);
    const prefixed = await signedRequest(server, 'owner', { method: 'GET', path: `/${small}`, query: { 'list-type': '2', 'encoding-type': 'url', prefix: 'ünï/', 'start-after': 'ünï/' } });
    const body = parseXml(prefixed.text).ListBucketResult;
    assert.equal(urlDecode(body.Prefix), 'ünï/');
    assert.equal(urlDecode(body.StartAfter), 'ünï/');
    assert.notEqual(body.Prefix, 'ünï/');
    assert.equal(urlDecode(body.Contents.Key), 'ünï/y');
  });

  it('S3: an encoding-type other than url → 400 InvalidArgument', async () => {
    const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${small}`, query: { 'list-type': '2', 'encoding-type': 'base64' } });
    assert.equal(raw.status, 400);
    assert.equal(s3ErrorOf(raw).Code, 'InvalidArgument');
  });

  it(`ListObjectsV2 paginates ${manyCount} keys in pages of 1000 without gaps or duplicates`, async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: many, Prefix: 'k/', ContinuationToken: token }));
      pages += 1;
      seen.push(...(out.Contents ?? []).map((o) => o.Key!));
      assert.equal(out.IsTruncated, out.NextContinuationToken !== undefined);
      token = out.NextContinuationToken;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen, manyKeys);
  });

  it('ListObjectsV2 with delimiter paginates CommonPrefixes (each counts toward max-keys)', async () => {
    const prefixes: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: many, Prefix: 'g/', Delimiter: '/', MaxKeys: 7, ContinuationToken: token }));
      pages += 1;
      assert.ok((out.KeyCount ?? 0) <= 7);
      assert.equal(out.Contents, undefined);
      prefixes.push(...(out.CommonPrefixes ?? []).map((p) => p.Prefix!));
      token = out.NextContinuationToken;
    } while (token);
    assert.deepEqual(prefixes, prefixGroups);
    assert.equal(pages, Math.ceil(prefixGroups.length / 7));
  });

  it('ListObjectsV2 with max-keys 333 and start-after paginates the rest exactly', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const out: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: many, Prefix: 'k/', StartAfter: 'k/01000', MaxKeys: 333, ContinuationToken: token }));
      seen.push(...(out.Contents ?? []).map((o) => o.Key!));
      token = out.NextContinuationToken;
    } while (token);
    assert.deepEqual(seen, manyKeys.slice(1001));
  });

  describe('ListObjects (v1)', () => {
    it('S3 ListObjects docs: v1 includes Owner by default and echoes Marker', async () => {
      const out = await s3.send(new ListObjectsCommand({ Bucket: small, Marker: 'a.txt' }));
      assert.equal(out.Marker, 'a.txt');
      assert.equal(out.Contents?.[0]?.Key, 'b/1.txt');
      for (const entry of out.Contents!) assert.match(entry.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
      assert.equal(out.IsTruncated, false);
    });

    it('S3 ListObjects docs: NextMarker is returned only with a delimiter; without one the last key is the next marker', async () => {
      const noDelimiter = await s3.send(new ListObjectsCommand({ Bucket: small, MaxKeys: 2 }));
      assert.equal(noDelimiter.IsTruncated, true);
      assert.equal(noDelimiter.NextMarker, undefined);
      const withDelimiter = await s3.send(new ListObjectsCommand({ Bucket: small, MaxKeys: 2, Delimiter: '/' }));
      assert.equal(withDelimiter.IsTruncated, true);
      assert.deepEqual(withDelimiter.Contents?.map((o) => o.Key), ['a.txt']);
      assert.deepEqual(withDelimiter.CommonPrefixes?.map((p) => p.Prefix), ['b/']);
      assert.equal(withDelimiter.NextMarker, 'b/');
      const next = await s3.send(new ListObjectsCommand({ Bucket: small, MaxKeys: 2, Delimiter: '/', Marker: withDelimiter.NextMarker }));
      assert.deepEqual(next.CommonPrefixes?.map((p) => p.Prefix), ['d/']);
      assert.deepEqual(next.Contents?.map((o) => o.Key), ['e.txt']);
    });

    it(`v1 paginates ${manyCount} keys with Marker = last key`, async () => {
      const seen: string[] = [];
      let marker: string | undefined;
      for (;;) {
        const out = await s3.send(new ListObjectsCommand({ Bucket: many, Prefix: 'k/', Marker: marker }));
        const keys = (out.Contents ?? []).map((o) => o.Key!);
        seen.push(...keys);
        if (!out.IsTruncated) break;
        marker = out.NextMarker ?? keys[keys.length - 1];
      }
      assert.deepEqual(seen, manyKeys);
    });

    it('v1 encoding-type=url encodes keys and Marker', async () => {
      const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${small}`, query: { 'encoding-type': 'url', prefix: 'key with', marker: 'key' } });
      assert.equal(raw.status, 200);
      const result = parseXml(raw.text).ListBucketResult;
      assert.equal(urlDecode(result.Contents.Key), 'key with space/x');
      assert.notEqual(result.Contents.Key, 'key with space/x');
      assert.equal(urlDecode(result.Prefix), 'key with');
    });

    it('v1 with prefix and delimiter', async () => {
      const out = await s3.send(new ListObjectsCommand({ Bucket: small, Prefix: 'b/', Delimiter: '/' }));
      assert.deepEqual(out.Contents?.map((o) => o.Key), ['b/1.txt', 'b/2.txt']);
      assert.deepEqual(out.CommonPrefixes?.map((p) => p.Prefix), ['b/c/']);
    });
  });
});
