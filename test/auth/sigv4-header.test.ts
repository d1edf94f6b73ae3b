import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuth, verifySignature, SigningKeyCache, sha256Hex, type AuthInput, type SignedAuth } from '../../src/auth/index.js';
import { accessKeyId, rfc3986, secretAccessKey, signedInput, signingNowMs, thrown } from './helpers.js';

const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const s3 = { region: 'us-east-1', service: 's3' };

function verify(input: AuthInput, opts: { region?: string; service?: string } = s3, secret = secretAccessKey): SignedAuth {
  const parsed = parseAuth(input, opts);
  assert.notEqual(parsed.kind, 'anonymous');
  verifySignature(parsed, input, secret, opts);
  return parsed as SignedAuth;
}

test('S3 header auth: GET with x-amz-content-sha256 verifies against the smithy oracle', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/key.txt', headers: { host: 'localhost:4580' } });
  const parsed = verify(input);
  assert.equal(parsed.kind, 'header');
  assert.equal(parsed.accessKeyId, accessKeyId);
  assert.equal(parsed.date, '20130524');
  assert.equal(parsed.payloadMode, 'signed');
  assert.equal(parsed.payloadHash, emptyHash);
});

test('S3 header auth: PUT with a body and extra signed headers', async () => {
  const input = await signedInput({
    method: 'PUT',
    path: '/bucket/dir/file.bin',
    headers: { host: 'localhost:4580', 'content-type': 'text/plain', 'x-amz-meta-color': '  blue   and   green ', 'content-length': '5' },
    body: 'hello',
  });
  const parsed = verify(input);
  assert.ok(parsed.signedHeaders.includes('x-amz-meta-color'));
  assert.equal(parsed.payloadHash, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
});

test('S3 canonical URI: keys with spaces, unicode, +, %, !, * and // sign as the SDK encodes them', async () => {
  for (const key of ['my key.txt', 'ünïcödé/日本語', 'a+b=c', '100%real', 'odd!*()\'', 'double//slash', 'dot/../segment', '~tilde_-.']) {
    const path = '/bucket/' + key.split('/').map(rfc3986).join('/');
    const input = await signedInput({ method: 'GET', path, headers: { host: 'localhost:4580' } });
    verify(input);
  }
});

test('S3 canonical query: special characters, empty values, repeated and unsorted parameters', async () => {
  const input = await signedInput({
    method: 'GET',
    path: '/bucket',
    query: { 'list-type': '2', prefix: 'a b+c/ü&=?', delimiter: '/', 'continuation-token': 'x/y+z==', acl: '', 'start-after': '*()!' },
    headers: { host: 'localhost:4580' },
  });
  verify(input);
});

test('S3 query param without "=" canonicalizes like an empty value (?acl)', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket', query: { acl: '' }, headers: { host: 'localhost:4580' } });
  const bare = { ...input, rawQuery: 'acl' };
  verify(bare);
});

test('only headers listed in SignedHeaders are canonicalized (unsigned headers may change)', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580', 'x-amz-checksum-mode': 'ENABLED' } });
  const parsed = verify(input);
  assert.ok(parsed.signedHeaders.includes('x-amz-checksum-mode'));
  verify({ ...input, headers: { ...input.headers, 'user-agent': 'changed', accept: '*/*' } });
});

test('repeated header values join with "," (AWS SigV4 canonical headers rule)', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580', 'x-amz-meta-list': 'a,b' } });
  verify({ ...input, headers: { ...input.headers, 'x-amz-meta-list': [' a ', 'b'] } });
});

test('signing-key cache: same result, reused across requests', async () => {
  const cache = new SigningKeyCache(2);
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580' } });
  const parsed = parseAuth(input, s3);
  verifySignature(parsed, input, secretAccessKey, { ...s3, signingKeys: cache });
  verifySignature(parsed, input, secretAccessKey, { ...s3, signingKeys: cache });
  assert.equal(cache.size, 1);
});

test('tampered signature → SignatureDoesNotMatch with StringToSign and CanonicalRequest (S3 error body)', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580' } });
  const auth = String(input.headers.authorization);
  const last = auth.at(-1) === '0' ? '1' : '0';
  const tampered = { ...input, headers: { ...input.headers, authorization: auth.slice(0, -1) + last } };
  const parsed = parseAuth(tampered, s3);
  const error = thrown(() => verifySignature(parsed, tampered, secretAccessKey, s3));
  assert.equal(error.code, 'SignatureDoesNotMatch');
  assert.equal(error.statusCode, 403);
  assert.equal(error.message, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  assert.deepEqual(Object.keys(error.extra), ['AWSAccessKeyId', 'StringToSign', 'SignatureProvided', 'StringToSignBytes', 'CanonicalRequest', 'CanonicalRequestBytes']);
  assert.equal(error.extra.AWSAccessKeyId, accessKeyId);
  assert.ok(error.extra.StringToSign!.startsWith('AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n'));
  assert.ok(error.extra.CanonicalRequest!.startsWith('GET\n/bucket/k\n\nhost:localhost:4580\n'));
  assert.ok(error.extra.StringToSignBytes!.startsWith('41 57 53 34 2d'));
});

test('tampered request (path changed after signing) → SignatureDoesNotMatch', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580' } });
  const error = thrown(() => verify({ ...input, rawPath: '/bucket/other' }));
  assert.equal(error.code, 'SignatureDoesNotMatch');
});

test('wrong secret → SignatureDoesNotMatch', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580' } });
  assert.equal(thrown(() => verify(input, s3, 'not-the-secret')).code, 'SignatureDoesNotMatch');
});

test('wrong region → AuthorizationHeaderMalformed naming the expected region (S3)', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580' } }, { region: 'eu-west-1' });
  const error = thrown(() => parseAuth(input, s3));
  assert.equal(error.code, 'AuthorizationHeaderMalformed');
  assert.equal(error.statusCode, 400);
  assert.equal(error.message, "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'us-east-1'");
  assert.equal(error.extra.Region, 'us-east-1');
});

test('credential scope for another service on the S3 endpoint → AuthorizationHeaderMalformed', async () => {
  const input = await signedInput({ method: 'GET', path: '/', headers: { host: 'localhost:4580', 'x-amz-content-sha256': emptyHash } }, { service: 'sts' });
  const error = thrown(() => parseAuth(input, s3));
  assert.equal(error.code, 'AuthorizationHeaderMalformed');
  assert.match(error.message, /incorrect service "sts"/);
});

test('clock skew over 15 minutes → RequestTimeTooSkewed with RequestTime/ServerTime/MaxAllowedSkewMilliseconds', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580' } }, { nowMs: signingNowMs + 15 * 60_000 + 1000 });
  const error = thrown(() => parseAuth(input, s3));
  assert.equal(error.code, 'RequestTimeTooSkewed');
  assert.equal(error.statusCode, 403);
  assert.deepEqual(error.extra, { RequestTime: '20130524T000000Z', ServerTime: '2013-05-24T00:15:01Z', MaxAllowedSkewMilliseconds: '900000' });
  // Just inside the window, both ways.
  verify({ ...input, nowMs: signingNowMs + 15 * 60_000 });
  verify({ ...input, nowMs: signingNowMs - 15 * 60_000 });
});

test('missing x-amz-content-sha256 on S3 → InvalidRequest', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580' } });
  const headers = { ...input.headers };
  delete headers['x-amz-content-sha256'];
  const error = thrown(() => parseAuth({ ...input, headers }, s3));
  assert.equal(error.code, 'InvalidRequest');
  assert.equal(error.message, 'Missing required header for this request: x-amz-content-sha256');
});

test('invalid x-amz-content-sha256 value → InvalidArgument', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580', 'x-amz-content-sha256': 'nope' } });
  const error = thrown(() => parseAuth(input, s3));
  assert.equal(error.code, 'InvalidArgument');
  assert.equal(error.extra.ArgumentName, 'x-amz-content-sha256');
});

test('SigV2 Authorization → InvalidRequest "Please use AWS4-HMAC-SHA256"; unknown scheme → InvalidArgument', () => {
  const base = { method: 'GET', rawPath: '/b/k', rawQuery: '', nowMs: signingNowMs };
  const v2 = thrown(() => parseAuth({ ...base, headers: { authorization: 'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=' } }, s3));
  assert.equal(v2.code, 'InvalidRequest');
  assert.equal(v2.message, 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  const other = thrown(() => parseAuth({ ...base, headers: { authorization: 'Bearer abc' } }, s3));
  assert.equal(other.code, 'InvalidArgument');
  assert.equal(other.message, 'Unsupported Authorization Type');
});

test('malformed Authorization components → AuthorizationHeaderMalformed', () => {
  const base = { method: 'GET', rawPath: '/b/k', rawQuery: '', nowMs: signingNowMs };
  const missing = thrown(() => parseAuth({ ...base, headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request' } }, s3));
  assert.equal(missing.code, 'AuthorizationHeaderMalformed');
  const badCredential = thrown(() =>
    parseAuth({ ...base, headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/2013/us-east-1/s3, SignedHeaders=host, Signature=00' } }, s3),
  );
  assert.equal(badCredential.code, 'AuthorizationHeaderMalformed');
  assert.match(badCredential.message, /the Credential is mal-formed/);
});

test('missing x-amz-date and Date → AccessDenied; credential date differing from x-amz-date → AuthorizationHeaderMalformed', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580' } });
  const noDate = { ...input.headers };
  delete noDate['x-amz-date'];
  const error = thrown(() => parseAuth({ ...input, headers: noDate }, s3));
  assert.equal(error.code, 'AccessDenied');
  assert.equal(error.message, 'AWS authentication requires a valid Date or x-amz-date header');
  const otherDay = thrown(() => parseAuth({ ...input, headers: { ...input.headers, 'x-amz-date': '20130525T000000Z' }, nowMs: signingNowMs + 86_400_000 }, s3));
  assert.equal(otherDay.code, 'AuthorizationHeaderMalformed');
  assert.equal(otherDay.message, 'The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.');
});

test('x-amz-* header present but not signed → AccessDenied HeadersNotSigned (S3)', async () => {
  const input = await signedInput({ method: 'PUT', path: '/bucket/k', headers: { host: 'localhost:4580' }, body: '' });
  const error = thrown(() => parseAuth({ ...input, headers: { ...input.headers, 'x-amz-meta-extra': '1' } }, s3));
  assert.equal(error.code, 'AccessDenied');
  assert.equal(error.message, 'There were headers present in the request which were not signed');
  assert.equal(error.extra.HeadersNotSigned, 'x-amz-meta-extra');
});

test('session token is reported from x-amz-security-token', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580' } }, { sessionToken: 'FwoGZXIvYXdzEBYaD+token/==' });
  const parsed = verify(input);
  assert.equal(parsed.sessionToken, 'FwoGZXIvYXdzEBYaD+token/==');
});

test('unsigned request → anonymous', () => {
  const parsed = parseAuth({ method: 'GET', rawPath: '/bucket/k', rawQuery: 'prefix=a', headers: { host: 'x' }, nowMs: 0 }, s3);
  assert.deepEqual(parsed, { kind: 'anonymous' });
});

test('both Authorization header and X-Amz-Signature query → InvalidArgument (one auth mechanism)', async () => {
  const input = await signedInput({ method: 'GET', path: '/bucket/k', headers: { host: 'localhost:4580' } });
  const error = thrown(() => parseAuth({ ...input, rawQuery: 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00' }, s3));
  assert.equal(error.code, 'InvalidArgument');
  assert.match(error.message, /Only one auth mechanism allowed/);
});

// ---- Non-S3 services (Query/JSON protocols): normalized, double-encoded path; their own errors.

const sts = { region: 'us-east-1', service: 'sts' };

test('STS POST GetCallerIdentity signed by the oracle verifies (SDK sends x-amz-content-sha256)', async () => {
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const input = await signedInput(
    { method: 'POST', path: '/', headers: { host: 'localhost:4580', 'content-type': 'application/x-www-form-urlencoded', 'x-amz-content-sha256': sha256Hex(body) }, body },
    { service: 'sts' },
  );
  const parsed = parseAuth(input, sts);
  assert.equal(parsed.kind, 'header');
  verifySignature(parsed, input, secretAccessKey, sts);
});

test('non-S3 path is normalized and double-encoded (get-relative / get-space rules)', async () => {
  for (const path of ['/', '/a/b/../c', '/example%20space/', '/./x//y/']) {
    const input = await signedInput({ method: 'GET', path, headers: { host: 'localhost:4580' } }, { service: 'sts' });
    const parsed = parseAuth(input, sts);
    assert.equal((parsed as SignedAuth).payloadMode, 'body-hash');
    verifySignature(parsed, input, secretAccessKey, sts);
  }
});

test('non-S3 signature mismatch → SignatureDoesNotMatch with the services message, no S3 extras', async () => {
  const input = await signedInput({ method: 'GET', path: '/', query: { Action: 'GetCallerIdentity' }, headers: { host: 'localhost:4580' } }, { service: 'sts' });
  const parsed = parseAuth(input, sts);
  const error = thrown(() => verifySignature(parsed, input, 'wrong', sts));
  assert.equal(error.code, 'SignatureDoesNotMatch');
  assert.equal(error.statusCode, 403);
  assert.equal(error.message, 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  assert.deepEqual(error.extra, {});
});

test('non-S3 skew → SignatureDoesNotMatch "Signature expired"', async () => {
  const input = await signedInput({ method: 'GET', path: '/', headers: { host: 'localhost:4580' } }, { service: 'sts', nowMs: signingNowMs + 20 * 60_000 });
  const error = thrown(() => parseAuth(input, sts));
  assert.equal(error.code, 'SignatureDoesNotMatch');
  assert.equal(error.message, 'Signature expired: 20130524T000000Z is now earlier than 20130524T000500Z (20130524T002000Z - 15 min.)');
});
