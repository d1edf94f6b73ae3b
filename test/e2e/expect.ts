/** Assertions on S3 errors as the JS SDK surfaces them (name = S3 error Code). */
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { Crc32 } from '@aws-crypto/crc32';

export interface SdkError extends Error {
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { statusCode?: number; headers?: Record<string, string> };
  Code?: string;
  [field: string]: unknown;
}

/** Await a promise that must fail with the given S3 error code and HTTP status; returns the error. */
export async function expectS3Error(promise: Promise<unknown>, code: string, status: number, message?: string | RegExp): Promise<SdkError> {
  let error: SdkError | undefined;
  try {
    const value = await promise;
    assert.fail(`expected ${code} (${status}), but the call succeeded: ${JSON.stringify(value && typeof value === 'object' ? { ...(value as object), Body: undefined } : value).slice(0, 300)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    error = e as SdkError;
  }
  assert.equal(error.name, code, `error code: got ${error.name} (${error.$metadata?.httpStatusCode}): ${error.message}`);
  assert.equal(error.$metadata?.httpStatusCode, status, `HTTP status for ${code}`);
  if (message instanceof RegExp) assert.match(error.message, message);
  else if (message !== undefined) assert.equal(error.message, message);
  return error;
}

export async function streamToBuffer(body: unknown): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export async function bodyText(body: unknown): Promise<string> {
  return (await streamToBuffer(body)).toString('utf8');
}

/** Hash a response body while streaming it (never holding it whole). */
export async function streamHash(body: unknown, algorithm = 'sha256'): Promise<{ digest: string; bytes: number }> {
  const hash = createHash(algorithm);
  let bytes = 0;
  for await (const chunk of body as Readable) {
    hash.update(chunk as Uint8Array);
    bytes += (chunk as Uint8Array).length;
  }
  return { digest: hash.digest('hex'), bytes };
}

export function md5Hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

/** The quoted ETag S3 returns for a single-part, unencrypted object: "md5-hex". */
export function quotedMd5(data: Buffer | string): string {
  return `"${md5Hex(data)}"`;
}

/** Multipart ETag: hex MD5 of the concatenated binary part MD5s, a dash and the part count. */
export function multipartEtag(parts: Buffer[]): string {
  const joined = Buffer.concat(parts.map((p) => createHash('md5').update(p).digest()));
  return `"${createHash('md5').update(joined).digest('hex')}-${parts.length}"`;
}

let counter = 0;
/** A unique, valid bucket name for this process. */
export function bucketName(label: string): string {
  counter += 1;
  return `${label}-${process.pid}-${counter}`.toLowerCase().slice(0, 63);
}


function crc32Bytes(data: Uint8Array): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(new Crc32().update(data).digest() >>> 0);
  return out;
}

/** x-amz-checksum-crc32 value: base64 of the big-endian CRC32. */
export function crc32Base64(data: Uint8Array): string {
  return crc32Bytes(data).toString('base64');
}

/** Composite multipart checksum (S3 UG "Checking object integrity"): CRC32 of the part CRC32s, "-N". */
export function compositeCrc32(parts: Uint8Array[]): string {
  return `${crc32Bytes(Buffer.concat(parts.map(crc32Bytes))).toString('base64')}-${parts.length}`;
}
