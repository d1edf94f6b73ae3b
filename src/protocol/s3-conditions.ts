/**
 * S3 condition keys (Service Authorization Reference, "Condition keys for Amazon S3"), read from
 * the request. Lower-cased for the engine's fast path.
 */
import type { Identity, RequestInfo } from '../context/request-context.js';
import { tlsVersion } from '../context/condition-keys.js';

const headerKeys = [
  'x-amz-acl',
  'x-amz-grant-read',
  'x-amz-grant-write',
  'x-amz-grant-read-acp',
  'x-amz-grant-write-acp',
  'x-amz-grant-full-control',
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id',
  'x-amz-content-sha256',
  'x-amz-copy-source',
  'x-amz-metadata-directive',
  'x-amz-storage-class',
  'x-amz-object-ownership',
];

/** Keys that hold for every action of this request. */
export function s3RequestConditions(info: RequestInfo, identity: Identity): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = {};
  for (const name of headerKeys) {
    const value = info.headers[name];
    if (value !== undefined) keys[`s3:${name}`] = Array.isArray(value) ? value.join(',') : value;
  }
  if (identity.type !== 'Anonymous') {
    keys['s3:signatureversion'] = 'AWS4-HMAC-SHA256';
    keys['s3:authtype'] = info.headers.authorization !== undefined ? 'REST-HEADER' : 'REST-QUERY-STRING';
  }
  const tls = tlsVersion(info);
  if (tls) keys['s3:tlsversion'] = tls;
  const tagging = info.headers['x-amz-tagging'];
  if (tagging !== undefined) {
    const tags = new URLSearchParams(String(tagging));
    const tagKeys: string[] = [];
    for (const [key, value] of tags) {
      keys[`s3:requestobjecttag/${key.toLowerCase()}`] = value;
      tagKeys.push(key);
    }
    keys['s3:requestobjecttagkeys'] = tagKeys;
  }
  return keys;
}

const listActions = new Set(['s3:ListBucket', 's3:ListBucketVersions']);

/** Keys specific to the action being authorized (s3:prefix etc. apply to listing only). */
export function actionConditions(info: RequestInfo, action: string): Record<string, string | string[]> {
  if (!listActions.has(action)) return {};
  const keys: Record<string, string | string[]> = {};
  const prefix = info.query.get('prefix');
  if (prefix !== undefined) keys['s3:prefix'] = prefix;
  const delimiter = info.query.get('delimiter');
  if (delimiter !== undefined) keys['s3:delimiter'] = delimiter;
  // IAM service reference: s3:max-keys is always present for ListBucket (default 1000).
  keys['s3:max-keys'] = info.query.get('max-keys') ?? '1000';
  return keys;
}

/** Actions on existing objects for which s3:ExistingObjectTag/<key> is populated. */
export const existingTagActions = new Set([
  's3:GetObject',
  's3:GetObjectAcl',
  's3:GetObjectTagging',
  's3:PutObjectTagging',
  's3:DeleteObjectTagging',
  's3:PutObjectAcl',
  's3:GetObjectVersion',
]);
