/**
 * Default bucket encryption: Get/Put/DeleteBucketEncryption (S3 API Reference; S3 UG "Setting default
 * server-side encryption behavior for Amazon S3 buckets"). Stored as bucket config 'encryption'.
 * Since January 2023 every bucket encrypts new objects with SSE-S3 when nothing else is configured,
 * so GetBucketEncryption without a stored configuration answers AES256 and Delete reverts to it.
 */
import type { App } from '../../app.js';
import type { S3Handler } from './call.js';
import { s3Error } from '../../protocol/errors.js';
import { toXml } from '../../protocol/xml.js';
import { readXmlBody } from './config-body.js';
import type { SseAlgorithm } from './sse-headers.js';

export const ENCRYPTION_CONFIG = 'encryption';

export interface BucketEncryption {
  algorithm: SseAlgorithm;
  kmsMasterKeyId: string | null;
  bucketKeyEnabled: boolean;
}

export const defaultBucketEncryption: BucketEncryption = { algorithm: 'AES256', kmsMasterKeyId: null, bucketKeyEnabled: false };

export async function loadBucketEncryption(app: App, bucket: string): Promise<BucketEncryption> {
  const text = await app.store.getBucketConfig(bucket, ENCRYPTION_CONFIG);
  if (text === null) return defaultBucketEncryption;
  try {
    return JSON.parse(text) as BucketEncryption;
  } catch {
    return defaultBucketEncryption;
  }
}

export const getBucketEncryption: S3Handler = async (call) => {
  const config = await loadBucketEncryption(call.app, call.bucketName!);
  const byDefault: Record<string, unknown> = { SSEAlgorithm: config.algorithm };
  if (config.kmsMasterKeyId !== null) byDefault.KMSMasterKeyID = config.kmsMasterKeyId;
  return { body: toXml('ServerSideEncryptionConfiguration', { Rule: { ApplyServerSideEncryptionByDefault: byDefault, BucketKeyEnabled: config.bucketKeyEnabled } }) };
};

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') return null;
  return String(value).trim();
}

export const putBucketEncryption: S3Handler = async (call) => {
  const root = await readXmlBody(call, 'ServerSideEncryptionConfiguration', true);
  const rules: Array<Record<string, any>> = Array.isArray(root.Rule) ? root.Rule : [];
  if (rules.length !== 1) throw s3Error('MalformedXML');
  const rule = rules[0]!;
  const byDefault = rule.ApplyServerSideEncryptionByDefault as Record<string, unknown> | undefined;
  if (!byDefault || typeof byDefault !== 'object') throw s3Error('MalformedXML');
  const algorithm = text(byDefault.SSEAlgorithm);
  if (algorithm !== 'AES256' && algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') throw s3Error('MalformedXML');
  const keyId = text(byDefault.KMSMasterKeyID);
  if (keyId !== null && algorithm === 'AES256') {
    throw s3Error('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', { ArgumentName: 'ApplyServerSideEncryptionByDefault' });
  }
  if (keyId === '') throw s3Error('InvalidArgument', 'KMS key ID must not be empty', { ArgumentName: 'KMSMasterKeyID' });
  const bucketKey = text(rule.BucketKeyEnabled);
  if (bucketKey !== null && bucketKey !== 'true' && bucketKey !== 'false') throw s3Error('MalformedXML');
  // AWS-DIFF: the key reference is stored as given and resolved on each write (as AWS does for
  // aliases); AWS also does not validate it here. S3 Bucket Keys are accepted and echoed, but each
  // object still gets its own data key from KMS.
  const config: BucketEncryption = { algorithm, kmsMasterKeyId: keyId, bucketKeyEnabled: bucketKey === 'true' };
  await call.app.store.putBucketConfig(call.bucketName!, ENCRYPTION_CONFIG, JSON.stringify(config));
  return {};
};

export const deleteBucketEncryption: S3Handler = async (call) => {
  await call.app.store.putBucketConfig(call.bucketName!, ENCRYPTION_CONFIG, null);
  return { status: 204 };
};
