/**
 * Server-side encryption of object data (S3 UG "Protecting data with server-side encryption"):
 * choosing how a new object is encrypted, getting its data key back to read it, and the response
 * headers S3 returns.
 *
 * Every new object is encrypted (SSE-S3 unless the request or the bucket default says otherwise).
 * ObjectRecord.encryption / MultipartUploadRecord.encryption hold a StoredEncryption (JSON):
 *  - SSE-S3: data key wrapped by the per-server service key, bound to "bucket/key";
 *  - SSE-KMS: data key as a KMS ciphertext under the KMS key, bound to the encryption context;
 *  - SSE-C: data key sealed under the customer's key (never stored) plus a salted HMAC of that key,
 *    so a different key is refused before anything is decrypted.
 * Object bytes use the chunked AES-256-GCM format of crypto/object-cipher.ts with a random 8-byte
 * object nonce. Multipart parts are encrypted with the upload's data key, each with its own random
 * nonce written as the first 8 bytes of the part's blob (PartRecord has no room for it, and a nonce
 * derived from the part number would repeat when a part is uploaded again).
 * Records with encryption null (written before encryption existed) are read as plaintext.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { S3Call } from './call.js';
import { S3Error, s3Error } from '../../protocol/errors.js';
import { open, seal, SealError } from '../../crypto/seal.js';
import { newObjectNonce } from '../../crypto/object-cipher.js';
import { decryptKmsDataKey, generateKmsDataKey, makeS3KmsAuthorize } from '../../kms/data-keys.js';
import { decryptS3DataKey, generateS3DataKey } from '../../kms/service-key.js';
import { loadBucketEncryption } from './encryption.js';
import { copySourceCustomerPrefix, customerPrefix, parseCustomerKey, parseSseRequest, type CustomerKey, type SseAlgorithm } from './sse-headers.js';

export interface StoredEncryption {
  v: 1;
  algorithm: SseAlgorithm | 'SSE-C';
  /** Wrapped data key, base64. */
  wrappedKey: string;
  /** Object nonce prefix, base64 (unused for multipart objects: each part blob starts with its own). */
  nonce: string;
  kmsKeyArn?: string;
  /** KMS encryption context the data key is bound to. */
  context?: Record<string, string>;
  /** Whether the caller sent x-amz-server-side-encryption-context (it is echoed then). */
  contextRequested?: boolean;
  bucketKeyEnabled?: boolean;
  /** SSE-S3 wrap binding. */
  binding?: string;
  customerKeyMd5?: string;
  customerKeySalt?: string;
  customerKeyHmac?: string;
}

/** A data key in memory: zero `key` once the request is done with it. */
export interface ObjectCipher {
  key: Buffer;
  nonce: Buffer;
}

export interface NewEncryption {
  info: StoredEncryption;
  cipher: ObjectCipher;
}

function kmsAuthorize(call: S3Call) {
  return makeS3KmsAuthorize(call.authorizer, call.identity, call.conditions);
}

function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

function customerHmac(salt: Buffer, key: Buffer): Buffer {
  return createHmac('sha256', salt).update(key).digest();
}

function customerAad(bucket: string, key: string): string {
  return `sse-c-data-key:${bucket}/${key}`;
}

/**
 * The encryption of a new object at bucket/key (PutObject, CopyObject target, CreateMultipartUpload):
 * SSE-C headers, else x-amz-server-side-encryption, else the bucket default, else SSE-S3.
 */
export async function newObjectEncryption(call: S3Call, target: { bucket: string; key: string; ownerAccountId: string }): Promise<NewEncryption> {
  const customer = parseCustomerKey(call, customerPrefix, true);
  const requested = parseSseRequest(call);
  if (customer) {
    if (requested) throw s3Error('InvalidArgument', 'Server Side Encryption with Customer provided key is incompatible with the encryption method specified', { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: requested.algorithm });
    return customerEncryption(target, customer);
  }
  const bucketDefault = requested ? null : await loadBucketEncryption(call.app, target.bucket);
  const algorithm = requested?.algorithm ?? bucketDefault!.algorithm;
  if (algorithm === 'AES256') return serviceObjectEncryption(call.app, target);
  // AWS-DIFF: aws:kms:dsse (dual-layer) is stored with one layer of encryption, like aws:kms.
  const keyId = requested ? requested.keyId : bucketDefault!.kmsMasterKeyId;
  const context = { ...(requested?.context ?? {}), 'aws:s3:arn': objectArn(target.bucket, target.key) };
  const bucketKeyEnabled = requested?.bucketKeyEnabled ?? bucketDefault?.bucketKeyEnabled ?? (await loadBucketEncryption(call.app, target.bucket)).bucketKeyEnabled;
  const dataKey = await generateKmsDataKey(call.app, {
    keyId,
    awsManagedKeyAccountId: call.bucket?.accountId ?? target.ownerAccountId,
    callerAccountId: call.identity.accountId ?? target.ownerAccountId,
    encryptionContext: context,
    authorize: kmsAuthorize(call),
  });
  const nonce = newObjectNonce();
  const info: StoredEncryption = { v: 1, algorithm, wrappedKey: dataKey.wrappedKey.toString('base64'), nonce: nonce.toString('base64'), kmsKeyArn: dataKey.keyArn, context, bucketKeyEnabled };
  if (requested?.context) info.contextRequested = true;
  return { info, cipher: { key: dataKey.plaintextKey, nonce } };
}

/** SSE-S3 for objects S3 writes itself (server access log objects): a fresh data key under the service key. */
export async function serviceObjectEncryption(app: S3Call['app'], target: { bucket: string; key: string }): Promise<NewEncryption> {
  const nonce = newObjectNonce();
  const binding = `${target.bucket}/${target.key}`;
  const { plaintextKey, wrappedKey } = await generateS3DataKey(app, binding);
  return { info: { v: 1, algorithm: 'AES256', wrappedKey: wrappedKey.toString('base64'), nonce: nonce.toString('base64'), binding }, cipher: { key: plaintextKey, nonce } };
}

function customerEncryption(target: { bucket: string; key: string }, customer: CustomerKey): NewEncryption {
  const dataKey = randomBytes(32);
  const nonce = newObjectNonce();
  const salt = randomBytes(16);
  const info: StoredEncryption = {
    v: 1,
    algorithm: 'SSE-C',
    wrappedKey: seal(customer.key, dataKey, customerAad(target.bucket, target.key)).toString('base64'),
    nonce: nonce.toString('base64'),
    customerKeyMd5: customer.md5,
    customerKeySalt: salt.toString('base64'),
    customerKeyHmac: customerHmac(salt, customer.key).toString('base64'),
  };
  customer.key.fill(0);
  return { info, cipher: { key: dataKey, nonce } };
}

export function asStoredEncryption(value: unknown): StoredEncryption | null {
  if (!value || typeof value !== 'object' || (value as StoredEncryption).v !== 1) return null;
  return value as StoredEncryption;
}

export type KeySource = 'object' | 'copy-source' | 'upload';

/**
 * The data key of a stored object (GetObject, HeadObject, CopyObject source: `source`) or upload
 * (UploadPart, UploadPartCopy, CompleteMultipartUpload). null for records written without encryption.
 * SSE-KMS asks KMS for kms:Decrypt as the calling principal; SSE-C requires the same customer key.
 */
export async function openEncryption(call: S3Call, stored: unknown, where: { bucket: string; key: string }, source: KeySource): Promise<ObjectCipher | null> {
  const prefix = source === 'copy-source' ? copySourceCustomerPrefix : customerPrefix;
  const customer = parseCustomerKey(call, prefix, source === 'upload');
  const info = asStoredEncryption(stored);
  if (!info || info.algorithm !== 'SSE-C') {
    if (customer) {
      customer.key.fill(0);
      if (source !== 'upload') throw s3Error('InvalidRequest', 'The encryption parameters are not applicable to this object.');
      throw s3Error('InvalidRequest', 'The multipart upload initiate did not request encryption. Subsequent part requests must not include encryption parameters.');
    }
    if (!info) return null;
  }
  const nonce = Buffer.from(info.nonce, 'base64');
  const wrapped = Buffer.from(info.wrappedKey, 'base64');
  if (info.algorithm === 'AES256') return { key: await decryptS3DataKey(call.app, wrapped, info.binding ?? `${where.bucket}/${where.key}`), nonce };
  if (info.algorithm === 'SSE-C') {
    if (!customer) {
      if (source === 'upload') throw s3Error('InvalidRequest', 'The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.');
      throw s3Error('InvalidRequest', 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
    }
    try {
      const expected = Buffer.from(info.customerKeyHmac ?? '', 'base64');
      const actual = customerHmac(Buffer.from(info.customerKeySalt ?? '', 'base64'), customer.key);
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
        // AWS answers a different SSE-C key with 403 (observed; message not documented).
        throw s3Error('AccessDenied', 'Access Denied');
      }
      return { key: open(customer.key, wrapped, customerAad(where.bucket, where.key)), nonce };
    } catch (error) {
      if (error instanceof SealError) throw s3Error('InternalError', 'The stored object data key failed authentication.');
      throw error;
    } finally {
      customer.key.fill(0);
    }
  }
  const { plaintextKey } = await decryptKmsDataKey(call.app, {
    wrappedKey: wrapped,
    callerAccountId: call.identity.accountId ?? '',
    encryptionContext: info.context ?? {},
    authorize: kmsAuthorize(call),
  });
  return { key: plaintextKey, nonce };
}

/** Response headers describing how an object (or upload) is encrypted, as S3 returns them. */
export function encryptionHeaders(stored: unknown): Record<string, string> {
  const info = asStoredEncryption(stored);
  if (!info) return {};
  if (info.algorithm === 'SSE-C') {
    return { 'x-amz-server-side-encryption-customer-algorithm': 'AES256', 'x-amz-server-side-encryption-customer-key-md5': info.customerKeyMd5 ?? '' };
  }
  const headers: Record<string, string> = { 'x-amz-server-side-encryption': info.algorithm };
  if (info.algorithm === 'AES256') return headers;
  if (info.kmsKeyArn) headers['x-amz-server-side-encryption-aws-kms-key-id'] = info.kmsKeyArn;
  if (info.contextRequested && info.context) headers['x-amz-server-side-encryption-context'] = Buffer.from(JSON.stringify(info.context)).toString('base64');
  if (info.bucketKeyEnabled) headers['x-amz-server-side-encryption-bucket-key-enabled'] = 'true';
  return headers;
}

/**
 * The ETag of a single-part object: its MD5 for plaintext and SSE-S3, an opaque value for SSE-KMS and
 * SSE-C (S3 API "Common response headers": those ETags are not an MD5 digest of the object data).
 */
export function objectEtagHex(stored: unknown, cipher: ObjectCipher | null, md5Hex: string): string {
  const info = asStoredEncryption(stored);
  if (!info || info.algorithm === 'AES256' || !cipher) return md5Hex;
  return createHmac('sha256', cipher.key).update('etag').update(md5Hex).digest('hex').slice(0, 32);
}

/** Zero a data key once the request no longer needs it. */
export function forget(cipher: ObjectCipher | null): void {
  cipher?.key.fill(0);
}

/** Errors from the object cipher as S3 reports them (never as wrong data). */
export function isS3Error(error: unknown): error is S3Error {
  return error instanceof S3Error;
}
