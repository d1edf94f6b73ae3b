/**
 * Object Ownership: Get/Put/DeleteBucketOwnershipControls [S3-OWN][S3-OWNERR], stored as bucket config
 * 'ownership' (the ObjectOwnership value).
 */
import type { App } from '../../app.js';
import type { S3Handler } from './call.js';
import { s3Error } from '../../protocol/errors.js';
import { toXml } from '../../protocol/xml.js';
import { readXmlBody } from './config-body.js';
import { effectiveOwnership, isObjectOwnership, isPublicAcl, isOnlyFullControlFor, type ObjectOwnership } from '../../s3-access/index.js';
import { loadStoredBucketAcl } from './acl.js';

export const OWNERSHIP_CONFIG = 'ownership';

/** The setting S3 applies to the bucket (ObjectWriter when no controls are set). */
export async function loadObjectOwnership(app: App, bucket: string): Promise<ObjectOwnership> {
  return effectiveOwnership(await app.store.getBucketConfig(bucket, OWNERSHIP_CONFIG));
}

export const getBucketOwnershipControls: S3Handler = async (call) => {
  const stored = await call.app.store.getBucketConfig(call.bucketName!, OWNERSHIP_CONFIG);
  if (!isObjectOwnership(stored)) throw s3Error('OwnershipControlsNotFoundError', undefined, { BucketName: call.bucketName! });
  return { body: toXml('OwnershipControls', { Rule: { ObjectOwnership: stored } }) };
};

export const putBucketOwnershipControls: S3Handler = async (call) => {
  const root = await readXmlBody(call, 'OwnershipControls', (call.body.declaredLength ?? 1) > 0);
  const rules = Array.isArray(root.Rule) ? root.Rule : [];
  if (rules.length !== 1 || typeof rules[0] !== 'object' || rules[0] === null) throw s3Error('MalformedXML');
  const value = rules[0].ObjectOwnership;
  if (!isObjectOwnership(value)) throw s3Error('MalformedXML');
  if (value === 'BucketOwnerEnforced') {
    // Enforcing while the bucket ACL grants anyone but the owner fails [S3-OWNERR].
    const acl = await loadStoredBucketAcl(call.app, call.bucket!);
    if (!isOnlyFullControlFor(acl, acl.ownerId) || isPublicAcl(acl)) throw s3Error('InvalidBucketAclWithObjectOwnership');
  }
  await call.app.store.putBucketConfig(call.bucketName!, OWNERSHIP_CONFIG, value);
  return {};
};

export const deleteBucketOwnershipControls: S3Handler = async (call) => {
  await call.app.store.putBucketConfig(call.bucketName!, OWNERSHIP_CONFIG, null);
  return { status: 204 };
};
