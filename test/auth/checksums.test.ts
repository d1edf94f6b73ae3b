import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import {
  BodyDigester,
  checksumOf,
  compositeChecksum,
  createChecksum,
  crc32,
  crc32Combine,
  crc32c,
  crc32cCombine,
  Crc64Nvme,
  crc64NvmeCombine,
  fullObjectChecksum,
  multipartEtag,
} from '../../src/auth/index.js';

const require = createRequire(import.meta.url);
const { Crc32 } = require('@aws-crypto/crc32') as { Crc32: new () => { update(b: Uint8Array): void; digest(): number } };
const { Crc32c } = require('@aws-crypto/crc32c') as { Crc32c: new () => { update(b: Uint8Array): void; digest(): number } };
const { Crc64Nvme: RefCrc64 } = require('@aws-sdk/crc64-nvme') as { Crc64Nvme: new () => { update(b: Uint8Array): void; digest(): Promise<Uint8Array> } };

const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString('base64');
};

test('known values: CRC32/CRC32C/CRC64NVME check values of "123456789" (CRC catalogue)', () => {
  const data = Buffer.from('123456789');
  assert.equal(crc32(data), 0xcbf43926);
  assert.equal(crc32c(data), 0xe3069283);
  const c = new Crc64Nvme();
  c.update(data);
  assert.equal(c.digest().toString('hex'), 'ae8b14860a799888');
});

test('checksums of "hello world" equal the AWS reference libraries (base64 as S3 returns)', async () => {
  const data = Buffer.from('hello world');
  const r32 = new Crc32();
  r32.update(data);
  const r32c = new Crc32c();
  r32c.update(data);
  const r64 = new RefCrc64();
  r64.update(data);
  assert.equal(checksumOf('CRC32', data), be32(r32.digest()));
  assert.equal(checksumOf('CRC32', data), 'DUoRhQ==');
  assert.equal(checksumOf('CRC32C', data), be32(r32c.digest()));
  assert.equal(checksumOf('crc64nvme', data), Buffer.from(await r64.digest()).toString('base64'));
  assert.equal(checksumOf('SHA1', data), 'Kq5sNclPz7QV2+lfQIuc6R7oRu0=');
  assert.equal(checksumOf('SHA256', data), 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=');
});

test('streaming equals one-shot for every algorithm, at odd chunk boundaries, against the references', async () => {
  const data = randomBytes(100_003);
  for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256', 'MD5']) {
    const streaming = createChecksum(algorithm);
    for (let i = 0; i < data.length; i += 977) streaming.update(data.subarray(i, i + 977));
    assert.equal(streaming.digest(), checksumOf(algorithm, data), algorithm);
    assert.equal(streaming.digest(), streaming.digestBytes().toString('base64'));
  }
  const r32c = new Crc32c();
  r32c.update(data);
  assert.equal(checksumOf('CRC32C', data), be32(r32c.digest()));
  const r64 = new RefCrc64();
  r64.update(data);
  assert.equal(checksumOf('CRC64NVME', data), Buffer.from(await r64.digest()).toString('base64'));
});

test('CRC combine: crc(A‖B) from crc(A), crc(B), len(B)', () => {
  for (const [a, b] of [[0, 5], [1, 1], [1000, 777], [65536, 3]] as const) {
    const A = randomBytes(a);
    const B = randomBytes(b);
    const AB = Buffer.concat([A, B]);
    assert.equal(crc32Combine(crc32(A), crc32(B), b), crc32(AB));
    assert.equal(crc32cCombine(crc32c(A), crc32c(B), b), crc32c(AB));
    const h = (x: Buffer) => {
      const c = new Crc64Nvme();
      c.update(x);
      return c.digest().readBigUInt64BE();
    };
    assert.equal(crc64NvmeCombine(h(A), h(B), b), h(AB));
  }
});

test('multipart FULL_OBJECT checksum equals the checksum of the whole object (S3 "Checking object integrity")', () => {
  const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(12345)];
  const whole = Buffer.concat(parts);
  for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME']) {
    const combined = fullObjectChecksum(algorithm, parts.map((p) => ({ checksum: checksumOf(algorithm, p), size: p.length })));
    assert.equal(combined, checksumOf(algorithm, whole), algorithm);
  }
  assert.throws(() => fullObjectChecksum('SHA256', []), { code: 'InvalidRequest' });
});

test('multipart COMPOSITE checksum: base64(hash(raw part checksums))-N', () => {
  const parts = [Buffer.from('part one'), Buffer.from('part two')];
  const partSums = parts.map((p) => checksumOf('SHA256', p));
  const expected = checksumOf('SHA256', Buffer.concat(partSums.map((s) => Buffer.from(s, 'base64'))));
  assert.equal(compositeChecksum('SHA256', partSums), `${expected}-2`);
  const crcParts = parts.map((p) => checksumOf('CRC32', p));
  assert.equal(compositeChecksum('crc32', crcParts), `${checksumOf('CRC32', Buffer.concat(crcParts.map((s) => Buffer.from(s, 'base64'))))}-2`);
  assert.throws(() => compositeChecksum('CRC64NVME', crcParts), { code: 'InvalidRequest' });
});

test('multipart ETag: md5 of the part md5s, "-N"', () => {
  const etags = [Buffer.from('a'), Buffer.from('b')].map(md5Hex);
  const etag = multipartEtag(etags.map((e) => `"${e}"`));
  assert.equal(etag, `${md5Hex(Buffer.concat(etags.map((e) => Buffer.from(e, 'hex'))))}-2`);
});

function md5Hex(data: Buffer): string {
  const c = createChecksum('MD5');
  c.update(data);
  return c.digestBytes().toString('hex');
}

const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string; extra: Record<string, string> };
  }
  throw new Error('expected an error');
};

test('BodyDigester: Content-MD5 malformed → InvalidDigest; mismatch → BadDigest; match → ETag', () => {
  const body = Buffer.from('hello world');
  const md5 = createChecksum('MD5');
  md5.update(body);
  assert.equal(errorOf(() => new BodyDigester({ 'content-md5': 'not-base64' })).code, 'InvalidDigest');
  const wrong = new BodyDigester({ 'content-md5': md5.digest() });
  wrong.update(Buffer.from('hello World'));
  const bad = errorOf(() => wrong.finish());
  assert.equal(bad.code, 'BadDigest');
  assert.equal(bad.message, 'The Content-MD5 you specified did not match what we received.');
  const ok = new BodyDigester({ 'content-md5': md5.digest() });
  ok.update(body);
  const digest = ok.finish();
  assert.equal(digest.md5Hex, '5eb63bbbe01eeed093cb22bb8f5acdc3');
  assert.equal(digest.size, 11);
});

test('BodyDigester: x-amz-checksum-* header malformed → InvalidRequest; mismatch → BadDigest; match → stored', () => {
  const body = Buffer.from('hello world');
  const malformed = errorOf(() => new BodyDigester({ 'x-amz-checksum-crc32': 'AAAA' }));
  assert.equal(malformed.code, 'InvalidRequest');
  assert.equal(malformed.message, 'Value for x-amz-checksum-crc32 header is invalid.');
  const two = errorOf(() => new BodyDigester({ 'x-amz-checksum-crc32': 'DUoRhQ==', 'x-amz-checksum-sha1': 'Kq5sNclPz7QV2+lfQIuc6R7oRu0=' }));
  assert.equal(two.code, 'InvalidRequest');
  const mismatch = new BodyDigester({ 'x-amz-checksum-crc32': 'AAAAAA==' });
  mismatch.update(body);
  const bad = errorOf(() => mismatch.finish());
  assert.equal(bad.code, 'BadDigest');
  assert.equal(bad.message, 'The CRC32 you specified did not match the calculated checksum.');
  const ok = new BodyDigester({ 'x-amz-checksum-crc32': 'DUoRhQ==' });
  ok.update(body);
  assert.deepEqual(ok.finish().checksum, { algorithm: 'CRC32', value: 'DUoRhQ==', type: 'FULL_OBJECT' });
  assert.equal(ok.hasIntegrityCheck, true);
});

test('BodyDigester: trailer announced but missing → InvalidRequest; default algorithm computed when none requested', () => {
  const announced = new BodyDigester({ 'x-amz-trailer': 'x-amz-checksum-crc32c' });
  assert.equal(announced.checksumFromTrailer, true);
  assert.equal(errorOf(() => announced.finish({})).code, 'InvalidRequest');
  assert.equal(errorOf(() => new BodyDigester({ 'x-amz-trailer': 'x-amz-checksum-md5' })).code, 'InvalidRequest');
  const plain = new BodyDigester({}, { defaultAlgorithm: 'CRC64NVME' });
  assert.equal(plain.hasIntegrityCheck, false);
  plain.update(Buffer.from('hello world'));
  assert.equal(plain.finish().checksum?.value, checksumOf('CRC64NVME', Buffer.from('hello world')));
  assert.equal(errorOf(() => new BodyDigester({ 'x-amz-sdk-checksum-algorithm': 'MD5' })).code, 'InvalidRequest');
});
