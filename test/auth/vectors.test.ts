import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuth, verifySignature, computeSignature, type AuthInput, type SignedAuth } from '../../src/auth/index.js';

// Published examples: AWS S3 API reference "Signature Calculations for the Authorization Header"
// (GET Object, PUT Object, GET Bucket Lifecycle, ListObjects) and "Query-string authentication"
// examples, signed with AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY at
// 20130524T000000Z in us-east-1; plus the SigV4 test suite (get-vanilla family, AKIDEXAMPLE,
// 20150830T123600Z, service "service").
const s3Key = 'AKIAIOSFODNN7EXAMPLE';
const s3Secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const now = Date.UTC(2013, 4, 24, 0, 5, 0);
const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function headerAuth(signedHeaders: string, signature: string, key = s3Key, scope = '20130524/us-east-1/s3/aws4_request'): string {
  return `AWS4-HMAC-SHA256 Credential=${key}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

function check(input: AuthInput, opts: { region: string; service: string }, secret: string): void {
  const parsed = parseAuth(input, opts);
  verifySignature(parsed, input, secret, opts);
}

test('S3 doc example: GET Object (Range) → f0e8bdb8…', () => {
  check(
    {
      method: 'GET',
      rawPath: '/test.txt',
      rawQuery: '',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': emptyHash,
        'x-amz-date': '20130524T000000Z',
        authorization: headerAuth('host;range;x-amz-content-sha256;x-amz-date', 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'),
      },
      nowMs: now,
    },
    { region: 'us-east-1', service: 's3' },
    s3Secret,
  );
});

test('S3 doc example: PUT Object test$file.text → 98ad7217…', () => {
  check(
    {
      method: 'PUT',
      rawPath: '/test%24file.text',
      rawQuery: '',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        date: 'Fri, 24 May 2013 00:00:00 GMT',
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
        authorization: headerAuth('date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class', '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd'),
      },
      nowMs: now,
    },
    { region: 'us-east-1', service: 's3' },
    s3Secret,
  );
});

test('S3 doc example: GET Bucket lifecycle (?lifecycle) → fea454ca…', () => {
  check(
    {
      method: 'GET',
      rawPath: '/',
      rawQuery: 'lifecycle',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        'x-amz-date': '20130524T000000Z',
        'x-amz-content-sha256': emptyHash,
        authorization: headerAuth('host;x-amz-content-sha256;x-amz-date', 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543'),
      },
      nowMs: now,
    },
    { region: 'us-east-1', service: 's3' },
    s3Secret,
  );
});

test('S3 doc example: ListObjects ?max-keys=2&prefix=J → 34b48302…', () => {
  check(
    {
      method: 'GET',
      rawPath: '/',
      rawQuery: 'max-keys=2&prefix=J',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        'x-amz-date': '20130524T000000Z',
        'x-amz-content-sha256': emptyHash,
        authorization: headerAuth('host;x-amz-content-sha256;x-amz-date', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7'),
      },
      nowMs: now,
    },
    { region: 'us-east-1', service: 's3' },
    s3Secret,
  );
});

test('S3 doc example: presigned GET test.txt, 86400 s → aeeed9bb…', () => {
  const input: AuthInput = {
    method: 'GET',
    rawPath: '/test.txt',
    rawQuery:
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    headers: { host: 'examplebucket.s3.amazonaws.com' },
    nowMs: now,
  };
  check(input, { region: 'us-east-1', service: 's3' }, s3Secret);
});

// SigV4 test suite: the get-vanilla family.
const suiteSecret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const suiteNow = Date.UTC(2015, 7, 30, 12, 36, 0);
const suite = { region: 'us-east-1', service: 'service' };

function suiteInput(rawPath: string, rawQuery: string, signature: string): AuthInput {
  return {
    method: 'GET',
    rawPath,
    rawQuery,
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization: headerAuth('host;x-amz-date', signature, 'AKIDEXAMPLE', '20150830/us-east-1/service/aws4_request'),
    },
    nowMs: suiteNow,
  };
}

const vanilla = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
const cases: Array<[string, string, string, string]> = [
  ['get-vanilla', '/', '', vanilla],
  ['get-vanilla-query-order-key-case', '/', 'Param2=value2&Param1=value1', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
  ['get-vanilla-empty-query-key', '/', 'Param1=value1', 'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb'],
  ['get-relative-relative (normalize-path)', '/example1/example2/../..', '', vanilla],
  ['get-slash-dot-slash (normalize-path)', '/./', '', vanilla],
  ['get-slashes (normalize-path)', '//', '', vanilla],
];

for (const [name, path, query, signature] of cases) {
  test(`SigV4 test suite: ${name}`, () => {
    const input = suiteInput(path, query, signature);
    const parsed = parseAuth(input, suite) as SignedAuth;
    // Non-S3 services without x-amz-content-sha256 sign the body hash; these GETs have no body.
    assert.equal(parsed.payloadMode, 'body-hash');
    assert.equal(computeSignature(parsed, input, suiteSecret, emptyHash).signature, signature);
    verifySignature(parsed, input, suiteSecret, suite);
  });
}
