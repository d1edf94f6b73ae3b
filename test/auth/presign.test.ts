import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuth, verifySignature, type SignedAuth } from '../../src/auth/index.js';
import { presignedInput, secretAccessKey, signingNowMs, thrown } from './helpers.js';

const s3 = { region: 'us-east-1', service: 's3' };
// What @aws-sdk/s3-request-presigner does: X-Amz-Content-Sha256=UNSIGNED-PAYLOAD, hoisted to the query.
const s3Request = (path = '/bucket/my%20key.txt') => ({ method: 'GET', path, headers: { host: 'localhost:4580', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });

test('presigned GET URL (s3-request-presigner shape) verifies', async () => {
  const input = await presignedInput(s3Request(), 900, { nowMs: signingNowMs + 60_000 });
  const parsed = parseAuth(input, s3) as SignedAuth;
  assert.equal(parsed.kind, 'presigned');
  assert.equal(parsed.expiresSeconds, 900);
  assert.equal(parsed.payloadMode, 'unsigned');
  assert.deepEqual(parsed.signedHeaders, ['host']);
  verifySignature(parsed, input, secretAccessKey, s3);
});

test('presigned URL with other query parameters and a signed x-amz-meta header (hoisted to the query)', async () => {
  const input = await presignedInput(
    { method: 'PUT', path: '/bucket/a%2Bb', headers: { host: 'localhost:4580', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-meta-note': 'x y' } },
    3600,
  );
  assert.match(input.rawQuery, /x-amz-meta-note=x%20y/);
  const parsed = parseAuth(input, s3);
  verifySignature(parsed, input, secretAccessKey, s3);
});

test('presigned URL with a tampered signature → SignatureDoesNotMatch', async () => {
  const input = await presignedInput(s3Request(), 900);
  const tampered = { ...input, rawQuery: input.rawQuery.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`) };
  const parsed = parseAuth(tampered, s3);
  assert.equal(thrown(() => verifySignature(parsed, tampered, secretAccessKey, s3)).code, 'SignatureDoesNotMatch');
});

test('expired presigned URL → AccessDenied "Request has expired" with X-Amz-Expires, Expires, ServerTime', async () => {
  const input = await presignedInput(s3Request(), 60, { nowMs: signingNowMs + 61_000 });
  const error = thrown(() => parseAuth(input, s3));
  assert.equal(error.code, 'AccessDenied');
  assert.equal(error.statusCode, 403);
  assert.equal(error.message, 'Request has expired');
  assert.deepEqual(error.extra, { 'X-Amz-Expires': '60', Expires: '2013-05-24T00:01:00Z', ServerTime: '2013-05-24T00:01:01Z' });
  // A presigned URL is not subject to the 15-minute skew: a 2-hour URL used after 1 hour is fine.
  const long = await presignedInput(s3Request(), 7200, { nowMs: signingNowMs + 3_600_000 });
  verifySignature(parseAuth(long, s3), long, secretAccessKey, s3);
});

test('X-Amz-Expires over 7 days → AuthorizationQueryParametersError', async () => {
  const input = await presignedInput(s3Request(), 604800);
  verifySignature(parseAuth(input, s3), input, secretAccessKey, s3);
  const tooLong = { ...input, rawQuery: input.rawQuery.replace('X-Amz-Expires=604800', 'X-Amz-Expires=604801') };
  const error = thrown(() => parseAuth(tooLong, s3));
  assert.equal(error.code, 'AuthorizationQueryParametersError');
  assert.equal(error.message, 'X-Amz-Expires must be less than a week (in seconds) that is 604800');
  const negative = thrown(() => parseAuth({ ...input, rawQuery: input.rawQuery.replace('X-Amz-Expires=604800', 'X-Amz-Expires=-1') }, s3));
  assert.equal(negative.message, 'X-Amz-Expires must be non-negative');
});

test('presigned URL dated in the future beyond the skew window → AccessDenied "Request is not yet valid"', async () => {
  const input = await presignedInput(s3Request(), 900, { nowMs: signingNowMs - 3_600_000 });
  const error = thrown(() => parseAuth(input, s3));
  assert.equal(error.code, 'AccessDenied');
  assert.equal(error.message, 'Request is not yet valid');
});

test('missing presign parameters → AuthorizationQueryParametersError', () => {
  const error = thrown(() =>
    parseAuth({ method: 'GET', rawPath: '/b/k', rawQuery: 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20130524%2Fus-east-1%2Fs3%2Faws4_request', headers: {}, nowMs: signingNowMs }, s3),
  );
  assert.equal(error.code, 'AuthorizationQueryParametersError');
  assert.match(error.message, /requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters/);
});

test('presigned wrong region → AuthorizationQueryParametersError naming the expected region', async () => {
  const input = await presignedInput(s3Request(), 900);
  const error = thrown(() => parseAuth(input, { region: 'eu-central-1', service: 's3' }));
  assert.equal(error.code, 'AuthorizationQueryParametersError');
  assert.equal(error.message, "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-central-1'");
  assert.equal(error.extra.Region, 'eu-central-1');
});

test('presigned request carrying an unsigned x-amz-* header → AccessDenied HeadersNotSigned', async () => {
  const input = await presignedInput(s3Request(), 900);
  const error = thrown(() => parseAuth({ ...input, headers: { ...input.headers, 'x-amz-acl': 'public-read' } }, s3));
  assert.equal(error.code, 'AccessDenied');
  assert.equal(error.extra.HeadersNotSigned, 'x-amz-acl');
});

test('SigV2 presigned query (AWSAccessKeyId/Signature/Expires) → InvalidRequest', () => {
  const error = thrown(() =>
    parseAuth({ method: 'GET', rawPath: '/b/k', rawQuery: 'AWSAccessKeyId=AKID&Expires=1&Signature=abc%3D', headers: {}, nowMs: signingNowMs }, s3),
  );
  assert.equal(error.code, 'InvalidRequest');
});

test('STS presigned GetCallerIdentity (EKS-token style): payload is the body hash', async () => {
  const sts = { region: 'us-east-1', service: 'sts' };
  const input = await presignedInput(
    { method: 'GET', path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: 'localhost:4580' } },
    60,
    { service: 'sts' },
  );
  const parsed = parseAuth(input, sts) as SignedAuth;
  assert.equal(parsed.payloadMode, 'body-hash');
  verifySignature(parsed, input, secretAccessKey, sts);
  assert.equal(thrown(() => verifySignature(parsed, input, 'wrong', sts)).code, 'SignatureDoesNotMatch');
});
