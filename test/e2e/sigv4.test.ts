import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createHash, randomBytes } from 'node:crypto';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Crc32c } from '@aws-crypto/crc32c';
import { startServer, type Server } from './harness.js';
import { expectS3Error, bucketName, crc32Base64, quotedMd5 } from './expect.js';
import { send, sendUrl, signHeaders, signedRequest, s3ErrorOf, signedChunkedBody, unsignedChunkedBody, parseXml, sha256Hex } from './raw.js';

const KiB = 1024;

function crc32cBase64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(new Crc32c().update(data).digest() >>> 0);
  return out.toString('base64');
}

describe('SigV4 authentication and payload integrity', () => {
  let server: Server;
  let s3: S3Client;
  const bucket = bucketName('sigv4');
  const path = (key: string) => `/${bucket}/${key}`;

  before(async () => {
    server = await startServer();
    s3 = server.s3('owner');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'existing', Body: 'existing body' }));
  });
  after(async () => {
    await server?.close();
  });

  async function readObject(key: string): Promise<Buffer> {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await got.Body!.transformToByteArray());
  }

  describe('default @aws-sdk/client-s3 checksum behaviour', () => {
    for (const useHttps of [false, true]) {
      it(`a streamed PutObject is sent aws-chunked with STREAMING-UNSIGNED-PAYLOAD-TRAILER and a CRC32 trailer (${useHttps ? 'HTTPS' : 'HTTP'})`, async () => {
        const client = server.s3('owner', { https: useHttps });
        const seen: Record<string, string>[] = [];
        client.middlewareStack.add(
          (next) => async (args) => {
            seen.push({ ...((args.request as { headers: Record<string, string> }).headers) });
            return next(args);
          },
          { step: 'deserialize', name: 'recordRequestHeaders' },
        );
        const data = randomBytes(300 * KiB + 7);
        const key = `streamed-${useHttps}`;
        const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]), ContentLength: data.length }));
        const headers = seen[0]!;
        assert.equal(headers['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
        assert.equal(headers['x-amz-trailer'], 'x-amz-checksum-crc32');
        assert.equal(put.ETag, quotedMd5(data));
        assert.equal(put.ChecksumCRC32, crc32Base64(data));
        const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
        assert.equal(got.ChecksumCRC32, crc32Base64(data));
        assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data));
      });
    }

    it('a buffered PutObject carries x-amz-checksum-crc32 as a signed header', async () => {
      const data = Buffer.from('buffered body');
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'buffered', Body: data }));
      assert.equal(put.ChecksumCRC32, crc32Base64(data));
    });
  });

  describe('payload modes by hand (AWS SigV4 for S3: "Authenticating requests")', () => {
    it('signed payload (hex SHA-256 of the body) → 200', async () => {
      const body = 'signed payload body';
      const response = await signedRequest(server, 'owner', { method: 'PUT', path: path('signed'), body });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.headers.etag, quotedMd5(body));
      assert.equal((await readObject('signed')).toString(), body);
    });

    it('UNSIGNED-PAYLOAD → 200', async () => {
      const response = await signedRequest(server, 'owner', { method: 'PUT', path: path('unsigned'), body: 'unsigned body' }, { payloadHash: 'UNSIGNED-PAYLOAD' });
      assert.equal(response.status, 200, response.text);
      assert.equal((await readObject('unsigned')).toString(), 'unsigned body');
    });

    it('x-amz-content-sha256 that does not match the body → 400 XAmzContentSHA256Mismatch; the old object is intact', async () => {
      const response = await signedRequest(server, 'owner', { method: 'PUT', path: path('existing'), body: 'tampered' }, { payloadHash: sha256Hex('something else') });
      assert.equal(response.status, 400, response.text);
      const error = s3ErrorOf(response);
      assert.equal(error.Code, 'XAmzContentSHA256Mismatch');
      assert.equal(error.ClientComputedContentSHA256, sha256Hex('something else'));
      assert.equal(error.S3ComputedContentSHA256, sha256Hex('tampered'));
      assert.equal((await readObject('existing')).toString(), 'existing body');
    });

    it('an x-amz-content-sha256 value that is neither hex nor a known mode → 400 InvalidArgument', async () => {
      const response = await signedRequest(server, 'owner', { method: 'PUT', path: path('bad-mode'), body: 'x' }, { payloadHash: 'NOT-A-MODE' });
      assert.equal(response.status, 400, response.text);
      assert.equal(s3ErrorOf(response).Code, 'InvalidArgument');
    });

    async function chunkedPut(key: string, chunks: Buffer[], options: { trailer?: Record<string, string>; tamper?: (body: Buffer) => Buffer } = {}) {
      const decoded = Buffer.concat(chunks);
      const mode = options.trailer ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
      const headers: Record<string, string> = {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(decoded.length),
      };
      if (options.trailer) headers['x-amz-trailer'] = Object.keys(options.trailer).join(',');
      // Content-Length of the encoded body is signed; compute the body once with a provisional seed to learn it.
      const provisional = await signHeaders(server, 'owner', { method: 'PUT', path: path(key), headers }, { payloadHash: mode });
      const length = (await signedChunkedBody(server, 'owner', provisional, chunks, options.trailer)).length;
      headers['content-length'] = String(length);
      const seed = await signHeaders(server, 'owner', { method: 'PUT', path: path(key), headers }, { payloadHash: mode });
      let body = await signedChunkedBody(server, 'owner', seed, chunks, options.trailer);
      if (options.tamper) body = options.tamper(body);
      return send(server, { method: 'PUT', path: path(key), headers: seed.headers, body });
    }

    it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD with valid chunk signatures → 200 and the decoded bytes are stored', async () => {
      const chunks = [randomBytes(64 * KiB), randomBytes(64 * KiB), randomBytes(1000)];
      const response = await chunkedPut('chunked', chunks);
      assert.equal(response.status, 200, response.text);
      assert.ok((await readObject('chunked')).equals(Buffer.concat(chunks)));
    });

    it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD with one tampered chunk byte → 403 SignatureDoesNotMatch; nothing is stored', async () => {
      const chunks = [Buffer.alloc(64 * KiB, 0x61), Buffer.alloc(10 * KiB, 0x62)];
      const response = await chunkedPut('tampered-chunk', chunks, {
        tamper: (body) => {
          const copy = Buffer.from(body);
          const at = copy.indexOf(0x62); // first byte of the second chunk's data
          copy[at] = 0x63;
          return copy;
        },
      });
      assert.equal(response.status, 403, response.text);
      assert.equal(s3ErrorOf(response).Code, 'SignatureDoesNotMatch');
      await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'tampered-chunk' })), 'NotFound', 404);
    });

    it('a tampered chunk over an existing key leaves the previous version intact', async () => {
      const response = await chunkedPut('existing', [Buffer.alloc(70 * KiB, 0x61)], {
        tamper: (body) => {
          const copy = Buffer.from(body);
          copy[copy.length - 100] ^= 1;
          return copy;
        },
      });
      assert.equal(response.status, 403);
      assert.equal((await readObject('existing')).toString(), 'existing body');
    });

    it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER with a correct signed CRC32 trailer → 200; the checksum is stored', async () => {
      const data = randomBytes(80 * KiB);
      const response = await chunkedPut('signed-trailer', [data.subarray(0, 65536), data.subarray(65536)], { trailer: { 'x-amz-checksum-crc32': crc32Base64(data) } });
      assert.equal(response.status, 200, response.text);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'signed-trailer', ChecksumMode: 'ENABLED' }));
      assert.equal(head.ChecksumCRC32, crc32Base64(data));
      assert.ok((await readObject('signed-trailer')).equals(data));
    });

    it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER with a wrong CRC32 trailer → 400 BadDigest (versity/versitygw#1694 shows AWS)', async () => {
      const data = randomBytes(10 * KiB);
      const response = await chunkedPut('signed-trailer-bad', [data], { trailer: { 'x-amz-checksum-crc32': crc32Base64(Buffer.from('other')) } });
      assert.equal(response.status, 400, response.text);
      const error = s3ErrorOf(response);
      assert.equal(error.Code, 'BadDigest');
      assert.equal(error.Message, 'The CRC32 you specified did not match the calculated checksum.');
      await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'signed-trailer-bad' })), 'NotFound', 404);
    });

    it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER with a forged trailer signature → 403 SignatureDoesNotMatch', async () => {
      const data = randomBytes(1000);
      const response = await chunkedPut('signed-trailer-forged', [data], {
        trailer: { 'x-amz-checksum-crc32': crc32Base64(data) },
        tamper: (body) => {
          const text = body.toString('latin1');
          const at = text.lastIndexOf('x-amz-trailer-signature:') + 'x-amz-trailer-signature:'.length;
          const copy = Buffer.from(body);
          copy[at] = copy[at] === 0x30 ? 0x31 : 0x30;
          return copy;
        },
      });
      assert.equal(response.status, 403, response.text);
      assert.equal(s3ErrorOf(response).Code, 'SignatureDoesNotMatch');
    });

    async function unsignedTrailerPut(key: string, chunks: Buffer[], trailer: Record<string, string>) {
      const decoded = Buffer.concat(chunks);
      const body = unsignedChunkedBody(chunks, trailer);
      const headers: Record<string, string> = {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(decoded.length),
        'x-amz-trailer': Object.keys(trailer).join(','),
        'content-length': String(body.length),
      };
      const seed = await signHeaders(server, 'owner', { method: 'PUT', path: path(key), headers }, { payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' });
      return send(server, { method: 'PUT', path: path(key), headers: seed.headers, body });
    }

    const trailerAlgorithms: Array<[string, string, (d: Buffer) => string, 'ChecksumCRC32' | 'ChecksumCRC32C' | 'ChecksumSHA1' | 'ChecksumSHA256']> = [
      ['CRC32', 'x-amz-checksum-crc32', crc32Base64, 'ChecksumCRC32'],
      ['CRC32C', 'x-amz-checksum-crc32c', crc32cBase64, 'ChecksumCRC32C'],
      ['SHA1', 'x-amz-checksum-sha1', (d) => createHash('sha1').update(d).digest('base64'), 'ChecksumSHA1'],
      ['SHA256', 'x-amz-checksum-sha256', (d) => createHash('sha256').update(d).digest('base64'), 'ChecksumSHA256'],
    ];
    for (const [name, header, compute, field] of trailerAlgorithms) {
      it(`STREAMING-UNSIGNED-PAYLOAD-TRAILER with a correct ${name} trailer → 200; returned with x-amz-checksum-mode ENABLED`, async () => {
        const data = randomBytes(50 * KiB + 3);
        const key = `unsigned-trailer-${name}`;
        const response = await unsignedTrailerPut(key, [data.subarray(0, 8192), data.subarray(8192)], { [header]: compute(data) });
        assert.equal(response.status, 200, response.text);
        assert.equal(response.headers[header], compute(data), 'PutObject echoes the checksum');
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
        assert.equal(head[field], compute(data));
        assert.ok((await readObject(key)).equals(data));
      });
    }

    it('STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC64NVME trailer → 200 and the value is returned', async () => {
      const { Crc64Nvme } = await import('@aws-sdk/crc64-nvme');
      const data = randomBytes(20 * KiB);
      const crc = new Crc64Nvme();
      crc.update(data);
      const value = Buffer.from(await crc.digest()).toString('base64');
      const response = await unsignedTrailerPut('unsigned-trailer-crc64', [data], { 'x-amz-checksum-crc64nvme': value });
      assert.equal(response.status, 200, response.text);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'unsigned-trailer-crc64', ChecksumMode: 'ENABLED' }));
      assert.equal(head.ChecksumCRC64NVME, value);
    });

    it('STREAMING-UNSIGNED-PAYLOAD-TRAILER with a wrong trailer checksum → 400 BadDigest; the old object stays', async () => {
      const response = await unsignedTrailerPut('existing', [Buffer.from('replacement')], { 'x-amz-checksum-crc32': crc32Base64(Buffer.from('not it')) });
      assert.equal(response.status, 400, response.text);
      assert.equal(s3ErrorOf(response).Code, 'BadDigest');
      assert.equal((await readObject('existing')).toString(), 'existing body');
    });

    it('x-amz-decoded-content-length that disagrees with the chunks → 400; nothing stored', async () => {
      const body = unsignedChunkedBody([Buffer.from('12345')], { 'x-amz-checksum-crc32': crc32Base64(Buffer.from('12345')) });
      const headers: Record<string, string> = {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '10',
        'x-amz-trailer': 'x-amz-checksum-crc32',
        'content-length': String(body.length),
      };
      const seed = await signHeaders(server, 'owner', { method: 'PUT', path: path('short'), headers }, { payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' });
      const response = await send(server, { method: 'PUT', path: path('short'), headers: seed.headers, body });
      assert.equal(response.status, 400, response.text);
      assert.ok(['IncompleteBody', 'InvalidRequest', 'InvalidArgument'].includes(s3ErrorOf(response).Code!), response.text);
      await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'short' })), 'NotFound', 404);
    });
  });

  describe('Content-MD5 and x-amz-checksum-* headers (S3 PutObject docs)', () => {
    it('a matching Content-MD5 → 200', async () => {
      const body = 'md5 checked';
      const response = await signedRequest(server, 'owner', { method: 'PUT', path: path('md5-ok'), body, headers: { 'content-md5': createHash('md5').update(body).digest('base64') } });
      assert.equal(response.status, 200, response.text);
    });

    it('Content-MD5 mismatch → 400 BadDigest; nothing stored', async () => {
      const response = await signedRequest(server, 'owner', { method: 'PUT', path: path('md5-bad'), body: 'body', headers: { 'content-md5': createHash('md5').update('other').digest('base64') } });
      assert.equal(response.status, 400, response.text);
      const error = s3ErrorOf(response);
      assert.equal(error.Code, 'BadDigest');
      assert.equal(error.Message, 'The Content-MD5 you specified did not match what we received.');
      await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'md5-bad' })), 'NotFound', 404);
    });

    it('a Content-MD5 that is not a base64 MD5 → 400 InvalidDigest (ceph/s3-tests#18)', async () => {
      const response = await signedRequest(server, 'owner', { method: 'PUT', path: path('md5-invalid'), body: 'body', headers: { 'content-md5': 'not-base64-md5' } });
      assert.equal(response.status, 400, response.text);
      assert.equal(s3ErrorOf(response).Code, 'InvalidDigest');
    });

    it('x-amz-checksum-crc32 header mismatch → 400 BadDigest (ministackorg/ministack#1497 shows AWS)', async () => {
      const response = await signedRequest(server, 'owner', { method: 'PUT', path: path('crc-bad'), body: 'hello\n', headers: { 'x-amz-checksum-crc32': 'AAAAAA==' } });
      assert.equal(response.status, 400, response.text);
      const error = s3ErrorOf(response);
      assert.equal(error.Code, 'BadDigest');
      assert.equal(error.Message, 'The CRC32 you specified did not match the calculated checksum.');
    });

    it('x-amz-checksum-sha256 header match → 200 and echoed', async () => {
      const body = 'sha256 checked';
      const value = createHash('sha256').update(body).digest('base64');
      const response = await signedRequest(server, 'owner', { method: 'PUT', path: path('sha-ok'), body, headers: { 'x-amz-checksum-sha256': value } });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.headers['x-amz-checksum-sha256'], value);
    });
  });

  describe('presigned URLs (@aws-sdk/s3-request-presigner)', () => {
    // The presigner signs for an empty body; WHEN_REQUIRED keeps it from hoisting a CRC32 of nothing into the URL.
    const presignClient = () => server.s3('owner', { config: { requestChecksumCalculation: 'WHEN_REQUIRED' } });

    it('a presigned GET works without credentials', async () => {
      const url = await getSignedUrl(presignClient(), new GetObjectCommand({ Bucket: bucket, Key: 'existing' }), { expiresIn: 300 });
      assert.match(url, /X-Amz-Signature=/);
      const response = await sendUrl(server, url);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.text, 'existing body');
    });

    it('a presigned GET over HTTPS works', async () => {
      const client = server.s3('owner', { https: true });
      const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: 'existing' }), { expiresIn: 300 });
      assert.ok(url.startsWith('https://'));
      const response = await sendUrl(server, url);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.text, 'existing body');
    });

    it('a presigned PUT uploads the body', async () => {
      const url = await getSignedUrl(presignClient(), new PutObjectCommand({ Bucket: bucket, Key: 'presigned-put' }), { expiresIn: 300 });
      const response = await sendUrl(server, url, 'PUT', 'uploaded via presigned URL');
      assert.equal(response.status, 200, response.text);
      assert.equal((await readObject('presigned-put')).toString(), 'uploaded via presigned URL');
    });

    it('the maximum X-Amz-Expires of 7 days (604800 s) is accepted', async () => {
      const url = await getSignedUrl(presignClient(), new GetObjectCommand({ Bucket: bucket, Key: 'existing' }), { expiresIn: 604800 });
      const response = await sendUrl(server, url);
      assert.equal(response.status, 200, response.text);
    });

    it('S3: an expired presigned URL → 403 AccessDenied "Request has expired"', async () => {
      const url = await getSignedUrl(presignClient(), new GetObjectCommand({ Bucket: bucket, Key: 'existing' }), { expiresIn: 60, signingDate: new Date(Date.now() - 2 * 3_600_000) });
      const response = await sendUrl(server, url);
      assert.equal(response.status, 403, response.text);
      const error = s3ErrorOf(response);
      assert.equal(error.Code, 'AccessDenied');
      assert.equal(error.Message, 'Request has expired');
      assert.equal(error.X_Amz_Expires ?? error['X-Amz-Expires'], '60');
    });

    it('S3: X-Amz-Expires above 604800 → 400 AuthorizationQueryParametersError', async () => {
      const url = new URL(await getSignedUrl(presignClient(), new GetObjectCommand({ Bucket: bucket, Key: 'existing' }), { expiresIn: 60 }));
      url.searchParams.set('X-Amz-Expires', '604801');
      const response = await sendUrl(server, url.toString());
      assert.equal(response.status, 400, response.text);
      assert.equal(s3ErrorOf(response).Code, 'AuthorizationQueryParametersError');
    });

    it('a presigned URL used for another key → 403 SignatureDoesNotMatch', async () => {
      const url = new URL(await getSignedUrl(presignClient(), new GetObjectCommand({ Bucket: bucket, Key: 'existing' }), { expiresIn: 300 }));
      url.pathname = `/${bucket}/signed`;
      const response = await sendUrl(server, url.toString());
      assert.equal(response.status, 403, response.text);
      assert.equal(s3ErrorOf(response).Code, 'SignatureDoesNotMatch');
    });

    it('a presigned GET with response-content-type override honours it', async () => {
      const url = await getSignedUrl(presignClient(), new GetObjectCommand({ Bucket: bucket, Key: 'existing', ResponseContentType: 'text/x-presigned' }), { expiresIn: 300 });
      const response = await sendUrl(server, url);
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], 'text/x-presigned');
    });
  });

  describe('authentication errors (S3 API Reference "Error responses")', () => {
    it('a client clock 1 h behind (no skew correction, one attempt) → 403 RequestTimeTooSkewed', async () => {
      const skewed = server.s3('owner', { config: { systemClockOffset: -3_600_000 } });
      const error = await expectS3Error(skewed.send(new ListObjectsV2Command({ Bucket: bucket })), 'RequestTimeTooSkewed', 403);
      assert.match(error.message, /difference between the request time and the current time is too large/);
      assert.ok(error.ServerTime, 'ServerTime field');
      assert.ok(error.RequestTime, 'RequestTime field');
      assert.equal(error.MaxAllowedSkewMilliseconds, '900000');
    });

    it('a clock 20 minutes ahead → 403 RequestTimeTooSkewed; 10 minutes behind is within the 15-minute window', async () => {
      const ahead = server.s3('owner', { config: { systemClockOffset: 20 * 60_000 } });
      await expectS3Error(ahead.send(new ListObjectsV2Command({ Bucket: bucket })), 'RequestTimeTooSkewed', 403);
      const behind = server.s3('owner', { config: { systemClockOffset: -10 * 60_000 } });
      const out = await behind.send(new ListObjectsV2Command({ Bucket: bucket }));
      assert.equal(out.$metadata.httpStatusCode, 200);
    });

    it('a wrong secret key → 403 SignatureDoesNotMatch with StringToSign and CanonicalRequest in the body', async () => {
      const real = server.credentials('owner');
      const wrong = server.s3('owner', { config: { credentials: { accessKeyId: real.accessKeyId, secretAccessKey: real.secretAccessKey.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) } } });
      const error = await expectS3Error(wrong.send(new ListObjectsV2Command({ Bucket: bucket })), 'SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
      assert.equal(error.AWSAccessKeyId, real.accessKeyId);
      const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${bucket}`, query: { 'list-type': '2' } }, { credentials: { accessKeyId: real.accessKeyId, secretAccessKey: 'wrong-secret' } });
      assert.equal(raw.status, 403);
      const body = s3ErrorOf(raw);
      assert.equal(body.Code, 'SignatureDoesNotMatch');
      assert.match(body.StringToSign ?? '', /^AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/);
      assert.match(body.CanonicalRequest ?? '', new RegExp(`^GET\\n/${bucket}\\nlist-type=2\\nhost:`));
      assert.ok(body.SignatureProvided, 'SignatureProvided field');
      assert.ok(!raw.text.includes(server.credentials('owner').secretAccessKey), 'the secret is never echoed');
    });

    it('an unknown access key → 403 InvalidAccessKeyId', async () => {
      const unknown = server.s3('owner', { config: { credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } } });
      const error = await expectS3Error(unknown.send(new ListObjectsV2Command({ Bucket: bucket })), 'InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.');
      assert.equal(error.AWSAccessKeyId, 'AKIAIOSFODNN7EXAMPLE');
    });

    it('a credential scope for the wrong region → 400 AuthorizationHeaderMalformed naming the expected region', async () => {
      const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${bucket}` }, { region: 'eu-west-1' });
      assert.equal(raw.status, 400, raw.text);
      const error = s3ErrorOf(raw);
      assert.equal(error.Code, 'AuthorizationHeaderMalformed');
      assert.equal(error.Region, 'us-east-1');
      assert.match(error.Message ?? '', /the region 'eu-west-1' is wrong; expecting 'us-east-1'/);
    });

    it('a garbled Authorization header → 400 AuthorizationHeaderMalformed', async () => {
      const raw = await send(server, {
        method: 'GET',
        path: `/${bucket}`,
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=garbage', 'x-amz-date': new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, ''), 'x-amz-content-sha256': sha256Hex('') },
      });
      assert.equal(raw.status, 400, raw.text);
      assert.equal(s3ErrorOf(raw).Code, 'AuthorizationHeaderMalformed');
    });

    it('a signed header changed after signing → 403 SignatureDoesNotMatch', async () => {
      const signed = await signHeaders(server, 'owner', { method: 'GET', path: path('existing'), headers: { 'x-amz-meta-signed': 'yes' } });
      const raw = await send(server, { method: 'GET', path: path('existing'), headers: { ...signed.headers, 'x-amz-meta-signed': 'no' } });
      assert.equal(raw.status, 403);
      assert.equal(s3ErrorOf(raw).Code, 'SignatureDoesNotMatch');
    });

    it('headers not listed in SignedHeaders may change freely', async () => {
      const signed = await signHeaders(server, 'owner', { method: 'GET', path: path('existing') });
      const raw = await send(server, { method: 'GET', path: path('existing'), headers: { ...signed.headers, 'user-agent': 'changed-after-signing', 'x-unsigned-extra': '1' } });
      assert.equal(raw.status, 200, raw.text);
      assert.equal(raw.text, 'existing body');
    });
  });

  describe('STS and routing', () => {
    const accounts: Array<[string, string]> = [['owner', '111111111111'], ['partner', '222222222222']];
    for (const [profile, account] of accounts) {
      it(`STS GetCallerIdentity for the ${profile} root keys → Arn arn:aws:iam::${account}:root`, async () => {
        const out = await server.sts(profile).send(new GetCallerIdentityCommand({}));
        assert.equal(out.Account, account);
        assert.equal(out.Arn, `arn:aws:iam::${account}:root`);
        assert.equal(out.UserId, account);
      });
    }

    it('STS GetCallerIdentity for admin → a 12-digit account root ARN', async () => {
      const out = await server.sts('admin', { https: true }).send(new GetCallerIdentityCommand({}));
      assert.match(out.Account ?? '', /^\d{12}$/);
      assert.equal(out.Arn, `arn:aws:iam::${out.Account}:root`);
    });

    it('STS with a wrong secret → 403 SignatureDoesNotMatch in the Query error shape', async () => {
      const real = server.credentials('owner');
      const body = 'Action=GetCallerIdentity&Version=2011-06-15';
      const raw = await signedRequest(server, 'owner', { method: 'POST', path: '/', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, { service: 'sts', credentials: { accessKeyId: real.accessKeyId, secretAccessKey: 'nope' } });
      assert.equal(raw.status, 403, raw.text);
      const doc = parseXml(raw.text);
      assert.equal(doc.ErrorResponse?.Error?.Code, 'SignatureDoesNotMatch');
      assert.equal(doc.ErrorResponse?.Error?.Type, 'Sender');
    });

    it('AWS Query API common errors: an unknown STS action → 400 InvalidAction', async () => {
      const body = 'Action=NoSuchAction&Version=2011-06-15';
      const raw = await signedRequest(server, 'owner', { method: 'POST', path: '/', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, { service: 'sts' });
      assert.equal(raw.status, 400, raw.text);
      assert.equal(parseXml(raw.text).ErrorResponse?.Error?.Code, 'InvalidAction');
    });

    it('unsigned IAM/STS Query calls → 403 MissingAuthenticationToken; unsigned KMS JSON → MissingAuthenticationTokenException', async () => {
      const query = await send(server, { method: 'POST', path: '/', body: 'Action=CreateUser&UserName=x&Version=2010-05-08', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(query.status, 403, query.text);
      assert.equal(parseXml(query.text).ErrorResponse?.Error?.Code, 'MissingAuthenticationToken');
      const json = await send(server, { method: 'POST', path: '/', body: '{}', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' } });
      assert.equal(json.status, 400, json.text);
      assert.equal(JSON.parse(json.text).__type, 'MissingAuthenticationTokenException');
    });

    it('issue 2 §4: an S3 operation crossbucket does not implement → 501 NotImplemented', async () => {
      const raw = await signedRequest(server, 'owner', { method: 'GET', path: `/${bucket}`, query: { website: '' } });
      assert.equal(raw.status, 501, raw.text);
      const error = s3ErrorOf(raw);
      assert.equal(error.Code, 'NotImplemented');
      assert.ok(error.RequestId);
      const put = await signedRequest(server, 'owner', { method: 'PUT', path: `/${bucket}`, query: { lifecycle: '' }, body: '<LifecycleConfiguration/>' });
      assert.equal(put.status, 501, put.text);
      assert.equal(s3ErrorOf(put).Code, 'NotImplemented');
    });
  });
});
