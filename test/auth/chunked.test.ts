import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BodyDigester, checksumOf, createPayloadVerifier, parseAuth, verifySignature, type AuthInput } from '../../src/auth/index.js';
import { chunkedRequest } from './chunked-helpers.js';
import { rejected, runThrough, secretAccessKey, signingNowMs } from './helpers.js';

const s3 = { region: 'us-east-1', service: 's3' };

function verifier(input: AuthInput, minChunkBytes?: number) {
  const parsed = parseAuth(input, s3);
  verifySignature(parsed, input, secretAccessKey, s3);
  return createPayloadVerifier(parsed, input, secretAccessKey, { ...s3, ...(minChunkBytes !== undefined ? { minChunkBytes } : {}) });
}

test('S3 doc example: chunked upload (seed 4f232c43…, 64 KiB + 1 KiB of "a")', async () => {
  const input: AuthInput = {
    method: 'PUT',
    rawPath: '/examplebucket/chunkObject.txt',
    rawQuery: '',
    headers: {
      host: 's3.amazonaws.com',
      'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560',
      'content-length': '66824',
    },
    nowMs: signingNowMs,
  };
  const body = Buffer.concat([
    Buffer.from('10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n'),
    Buffer.alloc(65536, 'a'),
    Buffer.from('\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n'),
    Buffer.alloc(1024, 'a'),
    Buffer.from('\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n'),
  ]);
  assert.equal(body.length, 66824);
  const out = await runThrough(verifier(input), [body]);
  assert.deepEqual(out, Buffer.alloc(66560, 'a'));
  // The same body with one byte of chunk 2 changed fails that chunk's signature.
  const tampered = Buffer.from(body);
  tampered[65536 + 200] = 'b'.charCodeAt(0);
  const error = await rejected(runThrough(verifier(input), [tampered]));
  assert.equal(error.code, 'SignatureDoesNotMatch');
});

test('STREAMING-AWS4-HMAC-SHA256-PAYLOAD from the oracle decodes; a tampered chunk → SignatureDoesNotMatch', async () => {
  const payload = Buffer.alloc(3 * 65536 + 123, 7);
  const { input, body } = await chunkedRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', payload, 65536);
  assert.deepEqual(await runThrough(verifier(input), [body]), payload);
  const tampered = Buffer.from(body);
  tampered[body.length - 300] ^= 1;
  const error = await rejected(runThrough(verifier(input), [tampered]));
  assert.equal(error.code, 'SignatureDoesNotMatch');
  assert.equal(error.statusCode, 403);
  assert.ok(error.extra.StringToSign!.startsWith('AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n'));
});

test('a chunk signature swapped for another valid one (reordered chain) → SignatureDoesNotMatch', async () => {
  const payload = Buffer.alloc(2 * 8192, 1);
  const { input, body } = await chunkedRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', payload, 8192);
  const text = body.toString('latin1');
  const signatures = [...text.matchAll(/chunk-signature=([0-9a-f]{64})/g)].map((m) => m[1]!);
  const swapped = Buffer.from(text.replace(signatures[0]!, 'X').replace(signatures[1]!, signatures[0]!).replace('X', signatures[1]!), 'latin1');
  assert.equal((await rejected(runThrough(verifier(input), [swapped]))).code, 'SignatureDoesNotMatch');
});

test('every split position of a small signed aws-chunked body decodes identically', async () => {
  const payload = Buffer.from('The quick brown fox jumps over the lazy dog, 0123456789!');
  const { input, body } = await chunkedRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', payload, 10);
  for (let i = 0; i <= body.length; i++) {
    const out = await runThrough(verifier(input, 0), [body.subarray(0, i), body.subarray(i)]);
    assert.deepEqual(out, payload, `split at ${i}`);
  }
  const bytewise = [...body].map((b) => Buffer.from([b]));
  const v = verifier(input, 0);
  assert.deepEqual(await runThrough(v, bytewise), payload);
  assert.deepEqual(v.trailers, { 'x-amz-checksum-crc32': checksumOf('CRC32', payload) });
});

test('every split position of a small unsigned-trailer body decodes identically', async () => {
  const payload = Buffer.from('hello world, aws-chunked with a trailing checksum');
  const { input, body } = await chunkedRequest('STREAMING-UNSIGNED-PAYLOAD-TRAILER', payload, 7, { algorithm: 'CRC64NVME' });
  for (let i = 0; i <= body.length; i++) {
    const v = verifier(input);
    const out = await runThrough(v, [body.subarray(0, i), body.subarray(i)]);
    assert.deepEqual(out, payload, `split at ${i}`);
    assert.equal(Object.keys(v.trailers!)[0], 'x-amz-checksum-crc64nvme');
  }
});

test('signed chunks smaller than 8 KiB (but the last) → InvalidChunkSizeError', async () => {
  const payload = Buffer.alloc(300, 2);
  const { input, body } = await chunkedRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', payload, 100);
  const error = await rejected(runThrough(verifier(input), [body]));
  assert.equal(error.code, 'InvalidChunkSizeError');
  assert.deepEqual(error.extra, { Chunk: '1', BadChunkSize: '100' });
});

test('STREAMING-UNSIGNED-PAYLOAD-TRAILER: trailer checksum verified by BodyDigester; wrong value → BadDigest', async () => {
  const payload = Buffer.from('some object bytes '.repeat(1000));
  for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256']) {
    const { input, body } = await chunkedRequest('STREAMING-UNSIGNED-PAYLOAD-TRAILER', payload, 4096, { algorithm });
    const v = verifier(input);
    const digester = new BodyDigester(input.headers);
    digester.update(await runThrough(v, [body]));
    const digest = digester.finish(v.trailers);
    assert.equal(digest.checksum?.algorithm, algorithm);
    assert.equal(digest.checksum?.value, v.trailers![`x-amz-checksum-${algorithm.toLowerCase()}`]);
  }
  const wrongValue = Buffer.from([1, 2, 3, 4]).toString('base64');
  const { input, body } = await chunkedRequest('STREAMING-UNSIGNED-PAYLOAD-TRAILER', payload, 4096, { trailerValue: wrongValue });
  const v = verifier(input);
  const digester = new BodyDigester(input.headers);
  digester.update(await runThrough(v, [body]));
  const error = (() => {
    try {
      digester.finish(v.trailers);
    } catch (e) {
      return e as { code: string; message: string };
    }
    throw new Error('expected BadDigest');
  })();
  assert.equal(error.code, 'BadDigest');
  assert.equal(error.message, 'The CRC32 you specified did not match the calculated checksum.');
});

test('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: signed trailer verified; altered trailer → SignatureDoesNotMatch', async () => {
  const payload = Buffer.alloc(20000, 9);
  const { input, body } = await chunkedRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', payload, 8192, { algorithm: 'CRC32C' });
  const v = verifier(input);
  assert.deepEqual(await runThrough(v, [body]), payload);
  assert.deepEqual(v.trailers, { 'x-amz-checksum-crc32c': checksumOf('CRC32C', payload) });
  const text = body.toString('latin1');
  const altered = Buffer.from(text.replace(/x-amz-checksum-crc32c:([^\r]+)/, 'x-amz-checksum-crc32c:AAAAAA=='), 'latin1');
  const error = await rejected(runThrough(verifier(input), [altered]));
  assert.equal(error.code, 'SignatureDoesNotMatch');
  assert.ok(error.extra.StringToSign!.startsWith('AWS4-HMAC-SHA256-TRAILER\n'));
});

test('truncated aws-chunked body → IncompleteBody; decoded length mismatch → IncompleteBody', async () => {
  const payload = Buffer.alloc(10000, 3);
  const { input, body } = await chunkedRequest('STREAMING-UNSIGNED-PAYLOAD-TRAILER', payload, 4096);
  assert.equal((await rejected(runThrough(verifier(input), [body.subarray(0, 5000)]))).code, 'IncompleteBody');
  // (The header is signed, so build the verifier directly: a client that lies about it signed the lie.)
  const wrongLength = { ...input, headers: { ...input.headers, 'x-amz-decoded-content-length': '10001' } };
  const v = createPayloadVerifier(parseAuth(wrongLength, s3), wrongLength, secretAccessKey, s3);
  assert.equal((await rejected(runThrough(v, [body]))).code, 'IncompleteBody');
});

test('garbage chunk framing → IncompleteBody', async () => {
  const payload = Buffer.alloc(100, 3);
  const { input } = await chunkedRequest('STREAMING-UNSIGNED-PAYLOAD-TRAILER', payload, 4096);
  assert.equal((await rejected(runThrough(verifier(input), [Buffer.from('zz\r\nabc')]))).code, 'IncompleteBody');
});

test('large aws-chunked body streams in 64 KiB chunks and decodes exactly', async () => {
  const payload = Buffer.alloc(4 * 1024 * 1024);
  for (let i = 0; i < payload.length; i += 4) payload.writeUInt32LE(i, i);
  const { input, body } = await chunkedRequest('STREAMING-UNSIGNED-PAYLOAD-TRAILER', payload, 65536);
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += 65521) pieces.push(body.subarray(i, i + 65521));
  const v = verifier(input);
  const digester = new BodyDigester(input.headers);
  const out = await runThrough(v, pieces);
  digester.update(out);
  assert.equal(digester.finish(v.trailers).size, payload.length);
  assert.ok(out.equals(payload));
});

test('trailing headers in STREAMING-AWS4-HMAC-SHA256-PAYLOAD (no trailer mode) are refused', async () => {
  const payload = Buffer.alloc(100, 5);
  const { input, body } = await chunkedRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', payload, 8192);
  const withTrailer = Buffer.concat([body.subarray(0, body.length - 2), Buffer.from('x-amz-checksum-crc32:AAAAAA==\r\n\r\n')]);
  assert.equal((await rejected(runThrough(verifier(input), [withTrailer]))).code, 'IncompleteBody');
});
