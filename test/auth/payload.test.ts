import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPayloadVerifier, parseAuth, verifySignature } from '../../src/auth/index.js';
import { rejected, runThrough, secretAccessKey, signedInput } from './helpers.js';

const s3 = { region: 'us-east-1', service: 's3' };
const sts = { region: 'us-east-1', service: 'sts' };

test('signed payload: body matching x-amz-content-sha256 passes through unchanged', async () => {
  const input = await signedInput({ method: 'PUT', path: '/bucket/k', headers: { host: 'localhost:4580' }, body: 'hello world' });
  const parsed = parseAuth(input, s3);
  verifySignature(parsed, input, secretAccessKey, s3);
  const verifier = createPayloadVerifier(parsed, input, secretAccessKey, s3);
  assert.equal((await runThrough(verifier, [Buffer.from('hello '), Buffer.from('world')])).toString(), 'hello world');
  assert.deepEqual(verifier.trailers, {});
});

test('signed payload: a different body → XAmzContentSHA256Mismatch with both hashes', async () => {
  const input = await signedInput({ method: 'PUT', path: '/bucket/k', headers: { host: 'localhost:4580' }, body: 'hello world' });
  const parsed = parseAuth(input, s3);
  const error = await rejected(runThrough(createPayloadVerifier(parsed, input, secretAccessKey, s3), [Buffer.from('hello World')]));
  assert.equal(error.code, 'XAmzContentSHA256Mismatch');
  assert.equal(error.statusCode, 400);
  assert.equal(error.extra.ClientComputedContentSHA256, 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
  assert.equal(error.extra.S3ComputedContentSHA256, 'db4067cec62c58bf8b2f8982071e77c082da9e00924bf3631f3b024fa54e7d7e');
});

test('UNSIGNED-PAYLOAD: any body passes', async () => {
  const input = await signedInput({ method: 'PUT', path: '/bucket/k', headers: { host: 'localhost:4580', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: 'x' });
  const parsed = parseAuth(input, s3);
  verifySignature(parsed, input, secretAccessKey, s3);
  assert.equal((await runThrough(createPayloadVerifier(parsed, input, secretAccessKey, s3), [Buffer.from('anything')])).toString(), 'anything');
});

test('non-S3 body-hash mode (boto3/CLI style STS POST without x-amz-content-sha256): checked at end of body', async () => {
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const input = await signedInput(
    { method: 'POST', path: '/', headers: { host: 'localhost:4580', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(body.length) }, body },
    { service: 'sts' },
  );
  assert.equal(input.headers['x-amz-content-sha256'], undefined);
  const parsed = parseAuth(input, sts);
  assert.equal(parsed.kind !== 'anonymous' && parsed.payloadMode, 'body-hash');
  verifySignature(parsed, input, secretAccessKey, sts); // non-empty body: deferred
  assert.equal((await runThrough(createPayloadVerifier(parsed, input, secretAccessKey, sts), [Buffer.from(body)])).toString(), body);
  const error = await rejected(runThrough(createPayloadVerifier(parsed, input, secretAccessKey, sts), [Buffer.from(body.replace('Get', 'Got'))]));
  assert.equal(error.code, 'SignatureDoesNotMatch');
  const wrongSecret = await rejected(runThrough(createPayloadVerifier(parsed, input, 'nope', sts), [Buffer.from(body)]));
  assert.equal(wrongSecret.code, 'SignatureDoesNotMatch');
});

test('anonymous request: body passes through', async () => {
  const input = { method: 'PUT', rawPath: '/b/k', rawQuery: '', headers: {}, nowMs: 0 };
  const parsed = parseAuth(input, s3);
  assert.equal((await runThrough(createPayloadVerifier(parsed, input, '', s3), [Buffer.from('abc')])).toString(), 'abc');
});

test('anonymous aws-chunked body (no key to check chunk signatures): framing decoded, trailers kept', async () => {
  const body = Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n');
  const input = { method: 'PUT', rawPath: '/b/k', rawQuery: '', headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked' }, nowMs: 0 };
  const verifier = createPayloadVerifier(parseAuth(input, s3), input, '', s3);
  assert.equal((await runThrough(verifier, [body])).toString(), 'hello');
  assert.deepEqual(verifier.trailers, { 'x-amz-checksum-crc32': 'NhCmhg==' });
});
