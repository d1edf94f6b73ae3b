/**
 * The S3-specific inputs of one authorization (S3 UG "How Amazon S3 authorizes a request"):
 * who owns the bucket and — for object reads and ACL/tag operations — the object (object context),
 * what the bucket ACL and object ACL grant the caller, and whether RestrictPublicBuckets reduces a
 * public bucket policy to its denies for this caller. Loaded by the S3 dispatcher (I/O), consumed
 * by the PolicyAuthorizer.
 */
import type { App } from '../app.js';
import type { BucketRecord } from '../store/types.js';
import type { Identity } from './request-context.js';
import { aclAllows, aclsEnabled, isPublicPolicy, type AclCaller } from '../s3-access/index.js';
import { AccountDirectory, effectiveObjectAcl, effectiveObjectOwnerAccount, loadStoredBucketAcl } from '../services/s3/acl.js';
import { loadObjectOwnership } from '../services/s3/ownership-controls.js';
import { loadEffectivePublicAccessBlock } from '../services/s3/public-access-block.js';

export interface S3AuthContext {
  bucketOwnerAccountId: string;
  /** Set when the action is evaluated in the object context and the object's owner is not the bucket owner. */
  objectOwnerAccountId: string | null;
  /** What the bucket ACL grants the caller for this action. */
  bucketAclGrant: 'account' | 'public' | null;
  /** What the object ACL grants the caller for this action (existing objects only). */
  objectAclGrant: 'account' | 'public' | null;
  /** RestrictPublicBuckets: the bucket policy is public and the caller is outside the owner account → only its denies count. */
  policyDenyOnly: boolean;
}

/** Actions S3 evaluates in the object context (object ACL; the object owner decides). */
const objectContextActions = new Set([
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectAcl',
  's3:GetObjectVersionAcl',
  's3:PutObjectAcl',
  's3:PutObjectVersionAcl',
  's3:GetObjectTagging',
  's3:PutObjectTagging',
  's3:DeleteObjectTagging',
  's3:GetObjectAttributes',
  's3:GetObjectTorrent',
]);

export async function loadS3AuthContext(app: App, bucket: BucketRecord, key: string | null, action: string, identity: Identity, policyText: string | null): Promise<S3AuthContext> {
  const context: S3AuthContext = { bucketOwnerAccountId: bucket.accountId, objectOwnerAccountId: null, bucketAclGrant: null, objectAclGrant: null, policyDenyOnly: false };
  const block = await loadEffectivePublicAccessBlock(app, bucket);
  if (block.restrictPublicBuckets && policyText !== null && identity.accountId !== bucket.accountId) {
    let isPublic = false;
    try {
      isPublic = isPublicPolicy(policyText);
    } catch {
      isPublic = false;
    }
    context.policyDenyOnly = isPublic;
  }
  const ownership = await loadObjectOwnership(app, bucket.name);
  // BucketOwnerEnforced: ACLs are disabled; the only grant is the owner's FULL_CONTROL, which adds nothing.
  if (!aclsEnabled(ownership)) return context;
  const caller: AclCaller = { canonicalId: identity.canonicalId, authenticated: identity.type !== 'Anonymous' };
  const directory = await AccountDirectory.load(app);
  context.bucketAclGrant = aclAllows(await loadStoredBucketAcl(app, bucket, directory), action, 'bucket', caller, block.ignorePublicAcls);
  if (key !== null && objectContextActions.has(action)) {
    const record = await app.store.getObject(bucket.name, key);
    if (record) {
      const owner = effectiveObjectOwnerAccount(ownership, record, bucket);
      if (owner !== bucket.accountId) context.objectOwnerAccountId = owner;
      context.objectAclGrant = aclAllows(effectiveObjectAcl(directory, ownership, record, bucket), action, 'object', caller, block.ignorePublicAcls);
    }
  }
  return context;
}
