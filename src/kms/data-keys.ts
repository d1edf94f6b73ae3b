/**
 * Data keys for S3 server-side encryption with KMS keys (SSE-KMS), used by the S3 object handlers.
 *
 * S3 calls KMS on the caller's behalf: PutObject / CreateMultipartUpload need kms:GenerateDataKey,
 * GetObject / HeadObject / UploadPart / CopyObject source need kms:Decrypt — evaluated for the
 * *calling* principal against the key policy and its IAM policies, with kms:ViaService set to
 * s3.<region>.amazonaws.com. The caller's authorization is a callback (`KmsAuthorize`, see
 * makeS3KmsAuthorize) so this module does no policy I/O of its own.
 *
 * Failures are S3 errors as S3 reports them: KMS.NotFoundException, KMS.DisabledException,
 * KMS.KMSInvalidStateException, KMS.InvalidCiphertextException (400); the callback throws AccessDenied.
 */
import { randomBytes } from 'node:crypto';
import { S3Error, ServiceError, s3Error } from '../protocol/errors.js';
import type { Authorizer } from '../context/authorizer.js';
import type { Identity } from '../context/request-context.js';
import { getOrCreateAwsManagedKey, type KmsEnv } from './aws-managed.js';
import { ciphertextKeyArn, type EncryptionContext } from './ciphertext.js';
import { callerAccount, encryptionContextKeys, s3ViaService, type ConditionValues } from './condition-keys.js';
import { keyByArn, parseKeyReference, resolveKey } from './key-store.js';
import { decryptUnderKey, encryptUnderKey } from './key-use.js';
import type { KeyDoc } from './model.js';

export const dataKeyBytes = 32;

/** Authorize `action` on the key for the calling principal; throws (S3 AccessDenied) when denied. */
export type KmsAuthorize = (action: 'kms:GenerateDataKey' | 'kms:Decrypt', keyArn: string, keyAccountId: string, conditions: ConditionValues) => Promise<void>;

export interface KmsDataKeyRequest {
  /** x-amz-server-side-encryption-aws-kms-key-id or the bucket default (key ID, key ARN, alias name or alias ARN); null = AWS managed key aws/s3. */
  keyId: string | null;
  /** Account whose aws/s3 key is used when keyId is null (the bucket owner). */
  awsManagedKeyAccountId: string;
  /** Account of the calling principal (key IDs and alias names resolve here, as in AWS). */
  callerAccountId: string;
  /** S3's encryption context, e.g. {"aws:s3:arn": "arn:aws:s3:::bucket/key"} plus x-amz-server-side-encryption-context. */
  encryptionContext: EncryptionContext;
  authorize: KmsAuthorize;
}

export interface KmsDataKey {
  /** 32-byte object data key; zero it when done. Never store or log it. */
  plaintextKey: Buffer;
  /** The data key encrypted under the KMS key (a KMS ciphertext blob naming the key): store this. */
  wrappedKey: Buffer;
  /** ARN of the KMS key (x-amz-server-side-encryption-aws-kms-key-id in responses). */
  keyArn: string;
}

const kmsCodes = new Set(['NotFoundException', 'DisabledException', 'KMSInvalidStateException', 'InvalidCiphertextException', 'IncorrectKeyException', 'InvalidKeyUsageException']);

/** KMS service errors as S3 reports them (code prefixed with "KMS.", HTTP 400); other errors pass through. */
export function s3KmsError(error: unknown): unknown {
  if (error instanceof ServiceError && !(error instanceof S3Error)) {
    if (error.code === 'AccessDeniedException') return s3Error('AccessDenied', error.message);
    if (kmsCodes.has(error.code)) return new S3Error(`KMS.${error.code}`, error.message || `KMS.${error.code}`, 400);
  }
  return error;
}

function conditions(env: KmsEnv, callerAccountId: string, context: EncryptionContext): ConditionValues {
  return { ...callerAccount(callerAccountId), 'kms:ViaService': s3ViaService(env.config.region), 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT', ...encryptionContextKeys(context) };
}

async function keyForRequest(env: KmsEnv, request: KmsDataKeyRequest): Promise<KeyDoc> {
  if (request.keyId === null) return getOrCreateAwsManagedKey(env, request.awsManagedKeyAccountId, 'aws/s3');
  const scope = { callerAccountId: request.callerAccountId, region: env.config.region, nowMs: env.clock.nowMs() };
  const ref = parseKeyReference(request.keyId, scope);
  return env.store.readDocuments((tx) => resolveKey(tx, scope, ref, { aliases: true, crossAccount: true }).key);
}

/** A new data key for one object, wrapped under the KMS key (checks kms:GenerateDataKey and key state). */
export async function generateKmsDataKey(env: KmsEnv, request: KmsDataKeyRequest): Promise<KmsDataKey> {
  try {
    const key = await keyForRequest(env, request);
    await request.authorize('kms:GenerateDataKey', key.arn, key.accountId, conditions(env, request.callerAccountId, request.encryptionContext));
    const plaintextKey = randomBytes(dataKeyBytes);
    const wrappedKey = encryptUnderKey(env, key, plaintextKey, request.encryptionContext);
    return { plaintextKey, wrappedKey, keyArn: key.arn };
  } catch (error) {
    throw s3KmsError(error);
  }
}

export interface KmsUnwrapRequest {
  wrappedKey: Buffer;
  callerAccountId: string;
  encryptionContext: EncryptionContext;
  authorize: KmsAuthorize;
}

/** Unwrap a stored data key (checks kms:Decrypt for the caller and the key state). */
export async function decryptKmsDataKey(env: KmsEnv, request: KmsUnwrapRequest): Promise<{ plaintextKey: Buffer; keyArn: string }> {
  try {
    const arn = ciphertextKeyArn(request.wrappedKey);
    if (!arn) throw s3Error('KMS.InvalidCiphertextException', 'The stored data key is not a KMS ciphertext.');
    const key = await env.store.readDocuments((tx) => keyByArn(tx, arn, env.clock.nowMs()));
    if (!key) throw new S3Error('KMS.NotFoundException', `Key '${arn}' does not exist`, 400);
    await request.authorize('kms:Decrypt', key.arn, key.accountId, conditions(env, request.callerAccountId, request.encryptionContext));
    return { plaintextKey: decryptUnderKey(env, key, request.wrappedKey, request.encryptionContext), keyArn: key.arn };
  } catch (error) {
    throw s3KmsError(error);
  }
}

/**
 * The authorization callback for S3 handlers: asks the pipeline's authorizer about the calling
 * identity (with the request's global condition keys, e.g. from globalConditionKeys()) and throws
 * S3 AccessDenied carrying KMS's AccessDeniedException message when denied.
 */
export function makeS3KmsAuthorize(authorizer: Authorizer, identity: Identity, baseConditions: ConditionValues): KmsAuthorize {
  return async (action, keyArn, keyAccountId, extra) => {
    const outcome = await authorizer.authorize({
      identity,
      action,
      resourceArn: keyArn,
      resourceAccountId: keyAccountId,
      bucket: null,
      key: null,
      conditions: { ...baseConditions, ...extra },
      service: 'kms',
    });
    if (!outcome.allowed) throw s3Error('AccessDenied', outcome.message);
  };
}
