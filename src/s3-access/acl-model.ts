/**
 * The S3 ACL model [S3-ACL] (S3 User Guide "Access control list (ACL) overview"): an owner (canonical
 * user ID) and up to 100 grants, each a grantee (an account's canonical ID or a predefined group) and
 * one permission. Pure data; stored as JSON in bucket configs ('acl') and ObjectRecord.acl.
 */

export type AclPermission = 'FULL_CONTROL' | 'WRITE' | 'WRITE_ACP' | 'READ' | 'READ_ACP';

export const ACL_PERMISSIONS: readonly AclPermission[] = ['FULL_CONTROL', 'WRITE', 'WRITE_ACP', 'READ', 'READ_ACP'];

/** Predefined Amazon S3 groups (S3 UG "Amazon S3 predefined groups"). */
export const ALL_USERS_URI = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS_URI = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY_URI = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
export const GROUP_URIS: readonly string[] = [ALL_USERS_URI, AUTHENTICATED_USERS_URI, LOG_DELIVERY_URI];

/** Canonical ID S3 uses for the Amazon EC2 grantee of the aws-exec-read canned ACL ("za-team"). */
export const EC2_EXEC_READ_CANONICAL_ID = '6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c';

/** Max grants per ACL [S3-ACL]. */
export const ACL_GRANTS_MAX = 100;

export type AclGrantee =
  | { readonly type: 'CanonicalUser'; readonly id: string }
  | { readonly type: 'Group'; readonly uri: string };

export interface AclGrant {
  readonly grantee: AclGrantee;
  readonly permission: AclPermission;
}

export interface Acl {
  /** Canonical user ID of the resource owner. */
  readonly ownerId: string;
  readonly grants: readonly AclGrant[];
}

/** The default ACL of every new bucket and object: the owner gets FULL_CONTROL. */
export function defaultAcl(ownerCanonicalId: string): Acl {
  return { ownerId: ownerCanonicalId, grants: [{ grantee: { type: 'CanonicalUser', id: ownerCanonicalId }, permission: 'FULL_CONTROL' }] };
}

export function isAclPermission(value: unknown): value is AclPermission {
  return typeof value === 'string' && (ACL_PERMISSIONS as readonly string[]).includes(value);
}

/** Read a stored ACL (JSON value or text); null when absent or not an ACL. */
export function aclFromStored(value: unknown): Acl | null {
  const data = typeof value === 'string' ? safeJson(value) : value;
  if (typeof data !== 'object' || data === null) return null;
  const candidate = data as { ownerId?: unknown; grants?: unknown };
  if (typeof candidate.ownerId !== 'string' || !Array.isArray(candidate.grants)) return null;
  const grants: AclGrant[] = [];
  for (const raw of candidate.grants as Array<Record<string, any>>) {
    const grantee = raw?.grantee;
    if (!isAclPermission(raw?.permission) || typeof grantee !== 'object' || grantee === null) return null;
    if (grantee.type === 'CanonicalUser' && typeof grantee.id === 'string') grants.push({ grantee: { type: 'CanonicalUser', id: grantee.id }, permission: raw.permission });
    else if (grantee.type === 'Group' && typeof grantee.uri === 'string') grants.push({ grantee: { type: 'Group', uri: grantee.uri }, permission: raw.permission });
    else return null;
  }
  return { ownerId: candidate.ownerId, grants };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Whether the ACL grants nothing beyond FULL_CONTROL to `canonicalId` (the only ACL BucketOwnerEnforced accepts) [S3-OWN]. */
export function isOnlyFullControlFor(acl: Acl, canonicalId: string): boolean {
  return acl.grants.every((grant) => grant.permission === 'FULL_CONTROL' && grant.grantee.type === 'CanonicalUser' && grant.grantee.id === canonicalId);
}

/** Same ACL with the owner replaced and grants kept (ownership change under BucketOwnerEnforced rendering). */
export function withOwner(acl: Acl, ownerId: string): Acl {
  return { ownerId, grants: acl.grants };
}
