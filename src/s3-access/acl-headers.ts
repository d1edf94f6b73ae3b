/**
 * ACLs given in request headers [S3-ACL]: a canned ACL (`x-amz-acl`) or explicit grants
 * (`x-amz-grant-read|write|read-acp|write-acp|full-control`, values `id=…`, `uri=…`, `emailAddress=…`,
 * comma-separated, optionally quoted). Only one of the two forms may be used per request.
 */
import { s3Error } from '../protocol/errors.js';
import {
  ALL_USERS_URI,
  AUTHENTICATED_USERS_URI,
  EC2_EXEC_READ_CANONICAL_ID,
  GROUP_URIS,
  LOG_DELIVERY_URI,
  type Acl,
  type AclGrant,
  type AclPermission,
} from './acl-model.js';
import type { AclXmlOptions } from './acl-xml.js';

export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'aws-exec-read',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
] as const;
export type CannedAclName = (typeof CANNED_ACLS)[number];

export function isCannedAcl(name: string): name is CannedAclName {
  return (CANNED_ACLS as readonly string[]).includes(name);
}

/** Grant header → permission (S3 API PutObject/PutBucketAcl request headers). */
export const GRANT_HEADERS: ReadonlyArray<readonly [string, AclPermission]> = [
  ['x-amz-grant-full-control', 'FULL_CONTROL'],
  ['x-amz-grant-read', 'READ'],
  ['x-amz-grant-read-acp', 'READ_ACP'],
  ['x-amz-grant-write', 'WRITE'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'],
];

const canonical = (id: string, permission: AclPermission): AclGrant => ({ grantee: { type: 'CanonicalUser', id }, permission });
const group = (uri: string, permission: AclPermission): AclGrant => ({ grantee: { type: 'Group', uri }, permission });

/**
 * The grants of a canned ACL (S3 UG "Canned ACL" table). bucket-owner-read and bucket-owner-full-control
 * apply to objects; on a bucket S3 ignores them (the owner keeps FULL_CONTROL).
 */
export function cannedAcl(name: string, ownerCanonicalId: string, bucketOwnerCanonicalId: string, forObject: boolean): Acl {
  const grants: AclGrant[] = [canonical(ownerCanonicalId, 'FULL_CONTROL')];
  switch (name) {
    case 'private':
      break;
    case 'public-read':
      grants.push(group(ALL_USERS_URI, 'READ'));
      break;
    case 'public-read-write':
      grants.push(group(ALL_USERS_URI, 'READ'), group(ALL_USERS_URI, 'WRITE'));
      break;
    case 'aws-exec-read':
      grants.push(canonical(EC2_EXEC_READ_CANONICAL_ID, 'READ'));
      break;
    case 'authenticated-read':
      grants.push(group(AUTHENTICATED_USERS_URI, 'READ'));
      break;
    case 'bucket-owner-read':
      if (forObject && bucketOwnerCanonicalId !== ownerCanonicalId) grants.push(canonical(bucketOwnerCanonicalId, 'READ'));
      break;
    case 'bucket-owner-full-control':
      if (forObject && bucketOwnerCanonicalId !== ownerCanonicalId) grants.push(canonical(bucketOwnerCanonicalId, 'FULL_CONTROL'));
      break;
    case 'log-delivery-write':
      grants.push(group(LOG_DELIVERY_URI, 'WRITE'), group(LOG_DELIVERY_URI, 'READ_ACP'));
      break;
    default:
      throw s3Error('InvalidArgument', undefined, { ArgumentName: 'x-amz-acl', ArgumentValue: name });
  }
  return { ownerId: ownerCanonicalId, grants };
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function headerText(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Split `id="a", uri="b"` on commas outside quotes. */
function splitGrantees(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((part) => part.trim());
}

function unquote(text: string): string {
  const trimmed = text.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/**
 * The ACL named by x-amz-grant-* headers, or null when none is present. The ACL holds exactly the
 * listed grants (S3 does not add the owner). Unknown canonical IDs → InvalidArgument "Invalid id";
 * unknown group URIs → InvalidArgument "Invalid group uri"; email grantees → UnresolvableGrantByEmailAddress
 * unless `options.resolveEmail` resolves them.
 */
export function aclFromGrantHeaders(headers: Headers, ownerCanonicalId: string, options: AclXmlOptions): Acl | null {
  const grants: AclGrant[] = [];
  let present = false;
  for (const [name, permission] of GRANT_HEADERS) {
    const value = headerText(headers, name);
    if (value === undefined) continue;
    present = true;
    for (const item of splitGrantees(value)) {
      const eq = item.indexOf('=');
      if (eq <= 0) throw s3Error('InvalidArgument', undefined, { ArgumentName: name, ArgumentValue: value });
      const kind = item.slice(0, eq).trim().toLowerCase();
      const target = unquote(item.slice(eq + 1));
      if (kind === 'id') {
        if (!options.canonicalExists(target)) throw s3Error('InvalidArgument', 'Invalid id', { ArgumentName: 'id', ArgumentValue: target });
        grants.push(canonical(target, permission));
      } else if (kind === 'uri') {
        if (!GROUP_URIS.includes(target)) throw s3Error('InvalidArgument', 'Invalid group uri', { ArgumentName: 'uri', ArgumentValue: target });
        grants.push(group(target, permission));
      } else if (kind === 'emailaddress') {
        const id = options.resolveEmail?.(target) ?? null;
        if (!id) throw s3Error('UnresolvableGrantByEmailAddress', undefined, { EmailAddress: target });
        grants.push(canonical(id, permission));
      } else {
        throw s3Error('InvalidArgument', undefined, { ArgumentName: name, ArgumentValue: value });
      }
    }
  }
  return present ? { ownerId: ownerCanonicalId, grants } : null;
}

export interface HeaderAcl {
  acl: Acl;
  /** The x-amz-acl value when a canned ACL was used. */
  canned: CannedAclName | null;
}

/**
 * The ACL a write request asks for through headers (canned or grants), or null when it names none.
 * Both forms together → 400 InvalidRequest, as S3 answers.
 */
export function aclFromRequestHeaders(
  headers: Headers,
  ownerCanonicalId: string,
  bucketOwnerCanonicalId: string,
  forObject: boolean,
  options: AclXmlOptions,
): HeaderAcl | null {
  const cannedName = headerText(headers, 'x-amz-acl');
  const granted = aclFromGrantHeaders(headers, ownerCanonicalId, options);
  if (cannedName !== undefined && granted) throw s3Error('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed');
  if (granted) return { acl: granted, canned: null };
  if (cannedName === undefined) return null;
  if (!isCannedAcl(cannedName)) throw s3Error('InvalidArgument', undefined, { ArgumentName: 'x-amz-acl', ArgumentValue: cannedName });
  return { acl: cannedAcl(cannedName, ownerCanonicalId, bucketOwnerCanonicalId, forObject), canned: cannedName };
}
