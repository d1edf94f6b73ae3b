import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  S3Client,
  CreateBucketCommand,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  CompleteMultipartUploadCommand,
  AbortMultipartUploadCommand,
  ListPartsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { startServer, type Server } from './harness.js';
import { expectS3Error, type SdkError, bucketName, streamToBuffer, streamHash, multipartEtag, quotedMd5, crc32Base64, compositeCrc32 } from './expect.js';

const MiB = 1024 * 1024;

describe('S3 multipart uploads', () => {
  let server: Server;
  let s3: S3Client;
  const bucket = bucketName('mpu');

  before(async () => {
    server = await startServer();
    s3 = server.s3('owner');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  after(async () => {
    await server?.close();
  });

  async function create(key: string, extra: Record<string, unknown> = {}): Promise<string> {
    const out = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...extra }));
    assert.equal(out.Bucket, bucket);
    assert.equal(out.Key, key);
    assert.ok(out.UploadId);
    return out.UploadId!;
  }

  async function uploadParts(key: string, uploadId: string, parts: Buffer[]): Promise<CompletedPart[]> {
    const done: CompletedPart[] = [];
    for (const [i, body] of parts.entries()) {
      const out = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: i + 1, Body: body }));
      assert.equal(out.ETag, quotedMd5(body), 'UploadPart ETag is the part MD5');
      done.push({ PartNumber: i + 1, ETag: out.ETag });
    }
    return done;
  }

  it('S3 UG "Checking object integrity": Complete returns ETag = MD5 of the part MD5s + "-N"; the object reads back whole', async () => {
    const key = 'two-parts.bin';
    const parts = [randomBytes(5 * MiB), randomBytes(MiB + 123)];
    const uploadId = await create(key, { ContentType: 'application/x-test', Metadata: { origin: 'mpu' } });
    const done = await uploadParts(key, uploadId, parts);
    const out = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: done } }));
    const expected = multipartEtag(parts);
    assert.equal(out.ETag, expected);
    assert.equal(out.Key, key);
    assert.equal(out.Bucket, bucket);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(head.ETag, expected);
    assert.equal(head.ContentLength, 6 * MiB + 123);
    assert.equal(head.ContentType, 'application/x-test', 'headers given at CreateMultipartUpload apply to the object');
    assert.deepEqual(head.Metadata, { origin: 'mpu' });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.ok((await streamToBuffer(got.Body)).equals(Buffer.concat(parts)));
    const ranged = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${5 * MiB - 5}-${5 * MiB + 4}` }));
    assert.ok((await streamToBuffer(ranged.Body)).equals(Buffer.concat(parts).subarray(5 * MiB - 5, 5 * MiB + 5)), 'a range across the part boundary');
  });

  it('a single part smaller than 5 MiB is allowed (the last part may be small)', async () => {
    const key = 'one-small-part';
    const uploadId = await create(key);
    const parts = [Buffer.from('tiny')];
    const done = await uploadParts(key, uploadId, parts);
    const out = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: done } }));
    assert.equal(out.ETag, multipartEtag(parts));
  });

  it('S3 UG multipart limits: a part other than the last under 5 MiB → 400 EntityTooSmall at Complete', async () => {
    const key = 'too-small';
    const uploadId = await create(key);
    const done = await uploadParts(key, uploadId, [randomBytes(MiB), randomBytes(MiB)]);
    const error = await expectS3Error(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: done } })),
      'EntityTooSmall',
      400,
      'Your proposed upload is smaller than the minimum allowed object size.',
    );
    assert.equal(error.MinSizeAllowed, String(5 * MiB));
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), 'NotFound', 404);
    const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    assert.equal(parts.Parts?.length, 2, 'the upload stays open after a failed Complete');
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  });

  it('S3 CompleteMultipartUpload docs: a wrong part ETag → 400 InvalidPart', async () => {
    const key = 'invalid-part';
    const uploadId = await create(key);
    await uploadParts(key, uploadId, [Buffer.from('x')]);
    await expectS3Error(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] } })),
      'InvalidPart',
      400,
    );
    await expectS3Error(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: quotedMd5('x') }] } })),
      'InvalidPart',
      400,
    );
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  });

  it('S3 CompleteMultipartUpload docs: parts not in ascending order → 400 InvalidPartOrder', async () => {
    const key = 'part-order';
    const uploadId = await create(key);
    const done = await uploadParts(key, uploadId, [randomBytes(5 * MiB), Buffer.from('last')]);
    await expectS3Error(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: [done[1]!, done[0]!] } })),
      'InvalidPartOrder',
      400,
    );
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  });

  it('parts may skip numbers; only listed parts form the object', async () => {
    const key = 'sparse';
    const uploadId = await create(key);
    const a = randomBytes(5 * MiB);
    const b = Buffer.from('unused part');
    const c = Buffer.from('tail');
    const ea = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 3, Body: a }));
    await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 5, Body: b }));
    const ec = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 9, Body: c }));
    const out = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: [{ PartNumber: 3, ETag: ea.ETag }, { PartNumber: 9, ETag: ec.ETag }] } }));
    assert.equal(out.ETag, multipartEtag([a, c]));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.ok((await streamToBuffer(got.Body)).equals(Buffer.concat([a, c])));
  });

  it('re-uploading a part number replaces it', async () => {
    const key = 'replace-part';
    const uploadId = await create(key);
    await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, Body: 'first' }));
    const second = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, Body: 'second' }));
    const list = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    assert.equal(list.Parts?.length, 1);
    assert.equal(list.Parts?.[0]?.ETag, second.ETag);
    assert.equal(list.Parts?.[0]?.Size, 6);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: second.ETag }] } }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(await got.Body!.transformToString(), 'second');
  });

  it('S3 UploadPart docs: part numbers outside 1..10000 → 400 InvalidArgument', async () => {
    const key = 'bad-part-number';
    const uploadId = await create(key);
    for (const PartNumber of [0, 10001]) {
      await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: 'x' })), 'InvalidArgument', 400);
    }
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  });

  it('S3 AbortMultipartUpload docs: 204, then every use of the upload ID → 404 NoSuchUpload', async () => {
    const key = 'aborted';
    const uploadId = await create(key);
    await uploadParts(key, uploadId, [Buffer.from('part')]);
    const out = await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    const error = await expectS3Error(s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId })), 'NoSuchUpload', 404);
    assert.equal(error.UploadId, uploadId);
    await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 2, Body: 'x' })), 'NoSuchUpload', 404);
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: quotedMd5('part') }] } })), 'NoSuchUpload', 404);
    await expectS3Error(s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })), 'NoSuchUpload', 404);
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), 'NotFound', 404);
  });

  it('an unknown upload ID → 404 NoSuchUpload (also when the upload belongs to another key)', async () => {
    await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'k', UploadId: 'definitely-not-an-upload', PartNumber: 1, Body: 'x' })), 'NoSuchUpload', 404);
    const uploadId = await create('key-a');
    await expectS3Error(s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'key-b', UploadId: uploadId })), 'NoSuchUpload', 404);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'key-a', UploadId: uploadId }));
  });

  it('S3 ListParts docs: parts with PartNumber, ETag, Size, LastModified; max-parts and part-number-marker paginate', async () => {
    const key = 'list-parts';
    const uploadId = await create(key);
    const bodies = [Buffer.from('one'), Buffer.from('two!'), Buffer.from('three')];
    await uploadParts(key, uploadId, bodies);
    const all = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    assert.deepEqual(all.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size]), bodies.map((b, i) => [i + 1, quotedMd5(b), b.length]));
    assert.ok(all.Parts?.every((p) => p.LastModified instanceof Date));
    assert.equal(all.IsTruncated, false);
    assert.equal(all.UploadId, uploadId);
    assert.equal(all.StorageClass, 'STANDARD');
    assert.match(all.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
    assert.ok(all.Initiator?.ID, 'Initiator present');
    const page1 = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MaxParts: 2 }));
    assert.equal(page1.IsTruncated, true);
    assert.equal(page1.Parts?.length, 2);
    assert.equal(page1.NextPartNumberMarker, '2');
    const page2 = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MaxParts: 2, PartNumberMarker: page1.NextPartNumberMarker }));
    assert.deepEqual(page2.Parts?.map((p) => p.PartNumber), [3]);
    assert.equal(page2.IsTruncated, false);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  });

  it('S3 ListMultipartUploads docs: lists in-progress uploads (Key, UploadId, Initiated), filtered by prefix; completed ones disappear', async () => {
    const keys = ['uploads/a', 'uploads/b', 'uploads/b', 'elsewhere/c'];
    const ids: string[] = [];
    for (const key of keys) ids.push(await create(key));
    const out = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'uploads/' }));
    const listed = (out.Uploads ?? []).map((u) => [u.Key, u.UploadId]);
    assert.equal(listed.length, 3);
    for (let i = 0; i < 3; i++) assert.ok(listed.some(([k, id]) => k === keys[i] && id === ids[i]), `upload ${i} listed`);
    assert.deepEqual(out.Uploads!.map((u) => u.Key), ['uploads/a', 'uploads/b', 'uploads/b'], 'sorted by key');
    assert.ok(out.Uploads!.every((u) => u.Initiated instanceof Date));
    assert.equal(out.Bucket, bucket);
    const delimited = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Delimiter: '/' }));
    const prefixes = (delimited.CommonPrefixes ?? []).map((p) => p.Prefix);
    assert.ok(prefixes.includes('uploads/') && prefixes.includes('elsewhere/'), `CommonPrefixes ${prefixes}`);
    const paged = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'uploads/', MaxUploads: 1 }));
    assert.equal(paged.IsTruncated, true);
    assert.equal(paged.Uploads?.length, 1);
    assert.equal(paged.NextKeyMarker, 'uploads/a');
    // Finish one, abort the rest.
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: keys[0], UploadId: ids[0], PartNumber: 1, Body: 'a' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: keys[0], UploadId: ids[0], MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    for (let i = 1; i < keys.length; i++) await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: keys[i], UploadId: ids[i] }));
    const after = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'uploads/' }));
    assert.equal(after.Uploads?.length ?? 0, 0);
  });

  it('in-progress uploads are not listed as objects', async () => {
    const uploadId = await create('invisible');
    await uploadParts('invisible', uploadId, [Buffer.from('x')]);
    const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'invisible' }));
    assert.equal(list.KeyCount, 0);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'invisible', UploadId: uploadId }));
  });

  describe('UploadPartCopy (S3 UploadPartCopy docs)', () => {
    const source = randomBytes(7 * MiB + 11);
    before(async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'copy-source.bin', Body: source }));
    });

    it('copies byte ranges of an existing object into parts; the result equals the source', async () => {
      const key = 'assembled.bin';
      const uploadId = await create(key);
      const split = 5 * MiB;
      const p1 = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, CopySource: `${bucket}/copy-source.bin`, CopySourceRange: `bytes=0-${split - 1}` }));
      assert.equal(p1.CopyPartResult?.ETag, quotedMd5(source.subarray(0, split)));
      assert.ok(p1.CopyPartResult?.LastModified instanceof Date);
      const p2 = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 2, CopySource: `${bucket}/copy-source.bin`, CopySourceRange: `bytes=${split}-${source.length - 1}` }));
      const out = await s3.send(new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.CopyPartResult!.ETag }, { PartNumber: 2, ETag: p2.CopyPartResult!.ETag }] },
      }));
      assert.equal(out.ETag, multipartEtag([source.subarray(0, split), source.subarray(split)]));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      assert.ok((await streamToBuffer(got.Body)).equals(source));
    });

    it('without a range the whole source becomes the part', async () => {
      const key = 'whole-copy';
      const uploadId = await create(key);
      const part = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, CopySource: `${bucket}/copy-source.bin` }));
      assert.equal(part.CopyPartResult?.ETag, quotedMd5(source));
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    });

    it('copy-source-if-match mismatch → 412 PreconditionFailed', async () => {
      const key = 'copy-cond';
      const uploadId = await create(key);
      await expectS3Error(s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, CopySource: `${bucket}/copy-source.bin`, CopySourceIfMatch: '"nope"' })), 'PreconditionFailed', 412);
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    });

    it('AWS (observed, versity/versitygw#610, gaul/s3proxy#304): malformed or out-of-bounds x-amz-copy-source-range → 400 InvalidArgument', async () => {
      const key = 'copy-range';
      const uploadId = await create(key);
      await expectS3Error(s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, CopySource: `${bucket}/copy-source.bin`, CopySourceRange: '0-1024' })), 'InvalidArgument', 400);
      await expectS3Error(s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, CopySource: `${bucket}/copy-source.bin`, CopySourceRange: `bytes=0-${source.length}` })), 'InvalidArgument', 400);
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    });

    it('a missing copy source → 404 NoSuchKey', async () => {
      const key = 'copy-missing';
      const uploadId = await create(key);
      await expectS3Error(s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, CopySource: `${bucket}/nothing-here` })), 'NoSuchKey', 404);
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    });
  });

  describe('checksums (S3 UG "Checking object integrity")', () => {
    it('default SDK behaviour: PutObject sends CRC32; GetObject/HeadObject with ChecksumMode ENABLED return it', async () => {
      const body = randomBytes(100_000);
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'crc.bin', Body: body }));
      assert.equal(put.ChecksumCRC32, crc32Base64(body));
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'crc.bin', ChecksumMode: 'ENABLED' }));
      assert.equal(head.ChecksumCRC32, crc32Base64(body));
      assert.equal(head.ChecksumType, 'FULL_OBJECT');
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'crc.bin', ChecksumMode: 'ENABLED' }));
      assert.equal(got.ChecksumCRC32, crc32Base64(body));
      assert.ok((await streamToBuffer(got.Body)).equals(body), 'SDK response checksum validation passes');
      const plain = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'crc.bin' }));
      assert.equal(plain.ChecksumCRC32, undefined, 'checksums are returned only with x-amz-checksum-mode: ENABLED');
    });

    it('multipart with ChecksumAlgorithm CRC32: parts carry CRC32s; the object has the composite checksum "crc-of-crcs-N"', async () => {
      const key = 'crc-mpu.bin';
      const parts = [randomBytes(5 * MiB), randomBytes(333_333)];
      const uploadId = await create(key, { ChecksumAlgorithm: 'CRC32' });
      const done: CompletedPart[] = [];
      for (const [i, body] of parts.entries()) {
        const out = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: i + 1, Body: body, ChecksumAlgorithm: 'CRC32' }));
        assert.equal(out.ChecksumCRC32, crc32Base64(body));
        done.push({ PartNumber: i + 1, ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32 });
      }
      const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
      assert.deepEqual(listed.Parts?.map((p) => p.ChecksumCRC32), parts.map(crc32Base64));
      const out = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: done } }));
      assert.equal(out.ChecksumCRC32, compositeCrc32(parts));
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      assert.equal(head.ChecksumCRC32, compositeCrc32(parts));
      assert.equal(head.ChecksumType, 'COMPOSITE');
    });

    it('Complete with a part checksum that differs from the uploaded part → 400 (InvalidPart; exact AWS code unverified) and no object', async () => {
      const key = 'crc-mismatch';
      const uploadId = await create(key, { ChecksumAlgorithm: 'CRC32' });
      const out = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, Body: 'abc', ChecksumAlgorithm: 'CRC32' }));
      let error: SdkError | undefined;
      try {
        await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: out.ETag, ChecksumCRC32: crc32Base64(Buffer.from('xyz')) }] } }));
      } catch (e) {
        error = e as SdkError;
      }
      assert.equal(error?.$metadata?.httpStatusCode, 400, `got ${error?.name ?? 'success'}`);
      assert.ok(['InvalidPart', 'InvalidRequest', 'BadDigest'].includes(error!.name), error!.name);
      await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), 'NotFound', 404);
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    });
  });

  it('a 64 MiB upload in 8 MiB parts downloads byte-exactly (streamed SHA-256 compare)', async () => {
    // @aws-sdk/lib-storage is not installed: parts are uploaded by hand, two at a time.
    const key = 'large/64MiB.bin';
    const partSize = 8 * MiB;
    const partCount = 8;
    const uploadId = await create(key);
    const whole = createHash('sha256');
    const partMd5s: Buffer[] = [];
    const completed: CompletedPart[] = [];
    for (let i = 0; i < partCount; i += 2) {
      const batch = [randomBytes(partSize), randomBytes(partSize)];
      for (const body of batch) {
        whole.update(body);
        partMd5s.push(createHash('md5').update(body).digest());
      }
      const outs = await Promise.all(batch.map((body, j) => s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: i + j + 1, Body: body }))));
      outs.forEach((out, j) => completed.push({ PartNumber: i + j + 1, ETag: out.ETag }));
    }
    const expectedSha = whole.digest('hex');
    const expectedEtag = `"${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partCount}"`;
    const out = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: completed } }));
    assert.equal(out.ETag, expectedEtag);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(got.ContentLength, partSize * partCount);
    const { digest, bytes } = await streamHash(got.Body);
    assert.equal(bytes, partSize * partCount);
    assert.equal(digest, expectedSha);
  });
});
