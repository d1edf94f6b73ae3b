/**
 * Which IAM actions an ACL grants, per S3 UG "Access control list (ACL) overview → Mapping of ACL
 * permissions and access policy permissions" [S3-ACL], and who receives them.
 */
import { ALL_USERS_URI, AUTHENTICATED_USERS_URI, LOG_DELIVERY_URI, type Acl, type AclPermission } from './acl-model.js';

export type AclLevel = 'bucket' | 'object';

/** ACL permission → actions it allows, when granted on a bucket / on an object. FULL_CONTROL is the union. */
export const ACL_ACTIONS: Readonly<Record<AclLevel, Readonly<Record<Exclude<AclPermission, 'FULL_CONTROL'>, readonly string[]>>>> = {
  bucket: {
    READ: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'],
    // "Bucket owner can create, overwrite, and delete any object in the bucket"; DeleteObjectVersion
    // only when the grantee is the bucket owner (handled in aclGrants).
    WRITE: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
    READ_ACP: ['s3:GetBucketAcl'],
    WRITE_ACP: ['s3:PutBucketAcl'],
  },
  object: {
    READ: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTorrent'],
    WRITE: [],
    READ_ACP: ['s3:GetObjectAcl', 's3:GetObjectVersionAcl'],
    WRITE_ACP: ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'],
  },
};

/** The ACL permissions that allow `action` at `level` (FULL_CONTROL included when any does). */
export function permissionsFor(action: string, level: AclLevel): AclPermission[] {
  const lower = action.toLowerCase();
  const table = ACL_ACTIONS[level];
  const found = (Object.keys(table) as Array<keyof typeof table>).filter((permission) => table[permission].some((a) => a.toLowerCase() === lower));
  return found.length ? ['FULL_CONTROL', ...found] : [];
}

export interface AclGrantees {
  /** Canonical user IDs (accounts) the ACL grants the action to. */
  canonicalIds: string[];
  allUsers: boolean;
  authenticatedUsers: boolean;
  logDelivery: boolean;
}

export interface AclGrantOptions {
  /** Canonical ID of the bucket owner: bucket WRITE allows s3:DeleteObjectVersion only to it. */
  bucketOwnerCanonicalId?: string | null;
}

/** Who the ACL grants `action` to. */
export function aclGrants(acl: Acl, action: string, level: AclLevel, options: AclGrantOptions = {}): AclGrantees {
  const out: AclGrantees = { canonicalIds: [], allUsers: false, authenticatedUsers: false, logDelivery: false };
  const permissions = permissionsFor(action, level);
  if (permissions.length === 0) return out;
  const deleteVersion = level === 'bucket' && action.toLowerCase() === 's3:deleteobjectversion';
  for (const grant of acl.grants) {
    if (!permissions.includes(grant.permission)) continue;
    if (grant.grantee.type === 'CanonicalUser') {
      if (deleteVersion && grant.grantee.id !== options.bucketOwnerCanonicalId) continue;
      if (!out.canonicalIds.includes(grant.grantee.id)) out.canonicalIds.push(grant.grantee.id);
      continue;
    }
    if (deleteVersion) continue;
    if (grant.grantee.uri === ALL_USERS_URI) out.allUsers = true;
    else if (grant.grantee.uri === AUTHENTICATED_USERS_URI) out.authenticatedUsers = true;
    else if (grant.grantee.uri === LOG_DELIVERY_URI) out.logDelivery = true;
  }
  return out;
}

export interface AclCaller {
  /** Canonical ID of the caller's account; null for anonymous callers. */
  canonicalId: string | null;
  /** Whether the request was signed by an AWS principal (AuthenticatedUsers). */
  authenticated: boolean;
  /** The caller is the S3 log delivery service (LogDelivery group). */
  logDelivery?: boolean;
}

/**
 * Does the ACL grant `action` to this caller? 'public' when through AllUsers/AuthenticatedUsers (acts like
 * Principal "*": the policy engine's aclGrant 'public'), 'account' when through the caller's account
 * canonical ID or the LogDelivery group, null otherwise. With IgnorePublicAcls the public groups count
 * for nothing [S3-BPA]. A public grant wins over an account grant (it is the stronger one).
 */
export function aclAllows(acl: Acl, action: string, level: AclLevel, caller: AclCaller, ignorePublicAcls: boolean, options: AclGrantOptions = {}): 'account' | 'public' | null {
  const grantees = aclGrants(acl, action, level, options);
  if (!ignorePublicAcls && (grantees.allUsers || (grantees.authenticatedUsers && caller.authenticated))) return 'public';
  if (caller.canonicalId !== null && grantees.canonicalIds.includes(caller.canonicalId)) return 'account';
  if (caller.logDelivery && grantees.logDelivery) return 'account';
  return null;
}

/** S3 UG "The meaning of public → ACLs": any permission to AllUsers or AuthenticatedUsers. */
export function isPublicAcl(acl: Acl): boolean {
  return acl.grants.some((grant) => grant.grantee.type === 'Group' && (grant.grantee.uri === ALL_USERS_URI || grant.grantee.uri === AUTHENTICATED_USERS_URI));
}

/** The ACL with public grants removed: what S3 enforces (and Get*Acl returns) under IgnorePublicAcls [S3-BPA]. */
export function withoutPublicGrants(acl: Acl): Acl {
  return { ownerId: acl.ownerId, grants: acl.grants.filter((grant) => !(grant.grantee.type === 'Group' && (grant.grantee.uri === ALL_USERS_URI || grant.grantee.uri === AUTHENTICATED_USERS_URI))) };
}
