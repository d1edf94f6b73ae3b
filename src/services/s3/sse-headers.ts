/**
 * Parsing of S3's server-side encryption request headers (S3 UG "Specifying server-side encryption
 * with AWS KMS (SSE-KMS)", "Using server-side encryption with customer-provided keys (SSE-C)",
 * PutObject / GetObject / CopyObject API references).
 */
import { createHash } from 'node:crypto';
import type { S3Call } from './call.js';
import { s3Error } from '../../protocol/errors.js';

export type SseAlgorithm = 'AES256' | 'aws:kms' | 'aws:kms:dsse';

/** What a write asked for through x-amz-server-side-encryption* (null: nothing, use the bucket default). */
export interface SseRequest {
  algorithm: SseAlgorithm;
  keyId: string | null;
  context: Record<string, string> | null;
  bucketKeyEnabled: boolean | null;
}

/** A customer-provided key (SSE-C) from the request. Never stored or logged. */
export interface CustomerKey {
  key: Buffer;
  md5: string;
}

export const customerPrefix = 'x-amz-server-side-encryption-customer-';
export const copySourceCustomerPrefix = 'x-amz-copy-source-server-side-encryption-customer-';

function header(call: S3Call, name: string): string | undefined {
  const value = call.info.headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

/** x-amz-server-side-encryption and friends on a write (PutObject, CopyObject, CreateMultipartUpload). */
export function parseSseRequest(call: S3Call): SseRequest | null {
  const algorithmText = header(call, 'x-amz-server-side-encryption');
  const keyId = header(call, 'x-amz-server-side-encryption-aws-kms-key-id');
  const contextText = header(call, 'x-amz-server-side-encryption-context');
  const bucketKeyText = header(call, 'x-amz-server-side-encryption-bucket-key-enabled');
  if (algorithmText === undefined) {
    if (keyId !== undefined || contextText !== undefined) {
      throw s3Error('InvalidArgument', 'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms', { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: 'null' });
    }
    return null;
  }
  if (algorithmText !== 'AES256' && algorithmText !== 'aws:kms' && algorithmText !== 'aws:kms:dsse') {
    throw s3Error('InvalidArgument', 'The encryption method specified is not supported', { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: algorithmText });
  }
  if (algorithmText === 'AES256' && (keyId !== undefined || contextText !== undefined)) {
    throw s3Error('InvalidArgument', 'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms', { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: algorithmText });
  }
  if (keyId === '') throw s3Error('InvalidArgument', 'KMS key ID must not be empty', { ArgumentName: 'x-amz-server-side-encryption-aws-kms-key-id', ArgumentValue: '' });
  return {
    algorithm: algorithmText,
    keyId: keyId ?? null,
    context: contextText === undefined ? null : parseContext(contextText),
    bucketKeyEnabled: bucketKeyText === undefined ? null : bucketKeyText.toLowerCase() === 'true',
  };
}

/** x-amz-server-side-encryption-context: base64 of a JSON string→string map. */
function parseContext(text: string): Record<string, string> {
  const invalid = () => s3Error('InvalidArgument', "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map", { ArgumentName: 'x-amz-server-side-encryption-context', ArgumentValue: text });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  for (const value of Object.values(parsed)) if (typeof value !== 'string') throw invalid();
  return parsed as Record<string, string>;
}

/**
 * The SSE-C headers with `prefix` (the object's or the copy source's): null when none is sent.
 * SSE-C is refused over plain HTTP; the key must be 32 bytes and match its MD5 when one is sent.
 */
export function parseCustomerKey(call: S3Call, prefix: string, requireMd5: boolean): CustomerKey | null {
  const algorithm = header(call, `${prefix}algorithm`);
  const keyText = header(call, `${prefix}key`);
  const md5Text = header(call, `${prefix}key-md5`);
  if (algorithm === undefined && keyText === undefined && md5Text === undefined) return null;
  if (!call.info.tls) throw s3Error('InvalidRequest', 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.');
  if (algorithm === undefined) {
    throw s3Error('InvalidArgument', 'Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.', { ArgumentName: `${prefix}algorithm`, ArgumentValue: 'null' });
  }
  if (algorithm !== 'AES256') throw s3Error('InvalidEncryptionAlgorithmError', 'The encryption request you specified is not valid. The valid value is AES256.', { ArgumentName: `${prefix}algorithm`, ArgumentValue: algorithm });
  if (keyText === undefined) {
    throw s3Error('InvalidArgument', 'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.', { ArgumentName: `${prefix}key`, ArgumentValue: 'null' });
  }
  const key = Buffer.from(keyText, 'base64');
  if (key.length !== 32) {
    key.fill(0);
    throw s3Error('InvalidArgument', 'The secret key was invalid for the specified algorithm.', { ArgumentName: `${prefix}key`, ArgumentValue: 'null' });
  }
  const md5 = createHash('md5').update(key).digest('base64');
  if (md5Text === undefined) {
    if (requireMd5) throw s3Error('InvalidArgument', 'Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.', { ArgumentName: `${prefix}key-MD5`, ArgumentValue: 'null' });
  } else if (md5Text !== md5) {
    throw s3Error('InvalidArgument', 'The calculated MD5 hash of the key did not match the hash that was provided.', { ArgumentName: `${prefix}key-MD5`, ArgumentValue: md5Text });
  }
  return { key, md5 };
}
