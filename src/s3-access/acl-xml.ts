/**
 * AccessControlPolicy XML (S3 API Reference PutBucketAcl / GetBucketAcl, S3 UG "Sample ACL"):
 * parse a request body into the ACL model and render the model for Get*Acl responses.
 * Grantee ID existence is checked by the caller-supplied `canonicalExists` (pure here).
 */
import { s3Error } from '../protocol/errors.js';
import { parseXml, toXml } from '../protocol/xml.js';
import { ACL_GRANTS_MAX, GROUP_URIS, isAclPermission, type Acl, type AclGrant } from './acl-model.js';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function malformed() {
  return s3Error('MalformedACLError');
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') return null;
  return String(value);
}

export interface AclXmlOptions {
  /** Whether a canonical user ID belongs to an account (unknown IDs → InvalidArgument "Invalid id"). */
  canonicalExists: (canonicalId: string) => boolean;
  /** Email grantee resolution; absent → UnresolvableGrantByEmailAddress (see grant-headers.ts). */
  resolveEmail?: ((email: string) => string | null) | undefined;
}

/**
 * Parse an AccessControlPolicy document. Throws MalformedACLError for XML that does not follow the
 * schema (missing Owner/ID, unknown Permission, Grantee without xsi:type …), InvalidArgument for
 * unknown canonical IDs or group URIs (as S3: ArgumentName CanonicalUser/ID or Group/URI).
 */
export function parseAclXml(body: string, options: AclXmlOptions): Acl {
  const doc = parseXml(body);
  if (!doc) throw s3Error('MalformedXML');
  const root = doc.AccessControlPolicy;
  if (typeof root !== 'object' || root === null) throw malformed();
  const owner = root.Owner;
  const ownerId = typeof owner === 'object' && owner !== null ? text(owner.ID) : null;
  if (!ownerId) throw malformed();
  const list = root.AccessControlList;
  let rawGrants: unknown[] = [];
  if (list !== undefined && list !== '') {
    if (typeof list !== 'object' || list === null) throw malformed();
    rawGrants = Array.isArray(list.Grant) ? list.Grant : list.Grant === undefined ? [] : [list.Grant];
  }
  if (rawGrants.length > ACL_GRANTS_MAX) throw malformed();
  const grants = rawGrants.map((raw) => parseGrant(raw, options));
  return { ownerId, grants };
}

function parseGrant(raw: unknown, options: AclXmlOptions): AclGrant {
  if (typeof raw !== 'object' || raw === null) throw malformed();
  const grant = raw as Record<string, any>;
  const permission = text(grant.Permission);
  if (!isAclPermission(permission)) throw malformed();
  const grantee = grant.Grantee;
  if (typeof grantee !== 'object' || grantee === null) throw malformed();
  const type = text(grantee['@_type']);
  if (type === 'CanonicalUser') {
    const id = text(grantee.ID);
    if (!id) throw malformed();
    if (!options.canonicalExists(id)) throw s3Error('InvalidArgument', 'Invalid id', { ArgumentName: 'CanonicalUser/ID', ArgumentValue: id });
    return { grantee: { type: 'CanonicalUser', id }, permission };
  }
  if (type === 'Group') {
    const uri = text(grantee.URI);
    if (!uri) throw malformed();
    if (!GROUP_URIS.includes(uri)) throw s3Error('InvalidArgument', 'Invalid group uri', { ArgumentName: 'Group/URI', ArgumentValue: uri });
    return { grantee: { type: 'Group', uri }, permission };
  }
  if (type === 'AmazonCustomerByEmail') {
    const email = text(grantee.EmailAddress);
    if (!email) throw malformed();
    const id = options.resolveEmail?.(email) ?? null;
    if (!id) throw s3Error('UnresolvableGrantByEmailAddress', undefined, { EmailAddress: email });
    return { grantee: { type: 'CanonicalUser', id }, permission };
  }
  throw malformed();
}

/** Display names by canonical ID for rendering (S3 stopped returning DisplayName in late 2025; we still render it when known). */
export type DisplayNames = (canonicalId: string) => string | undefined;

/** The AccessControlPolicy body of GetBucketAcl / GetObjectAcl. */
export function renderAclXml(acl: Acl, displayNames: DisplayNames = () => undefined): string {
  const person = (id: string): Record<string, string> => {
    const name = displayNames(id);
    return name === undefined ? { ID: id } : { ID: id, DisplayName: name };
  };
  const grants = acl.grants.map((grant) => ({
    Grantee: grant.grantee.type === 'CanonicalUser'
      ? { '@_xmlns:xsi': XSI, '@_xsi:type': 'CanonicalUser', ...person(grant.grantee.id) }
      : { '@_xmlns:xsi': XSI, '@_xsi:type': 'Group', URI: grant.grantee.uri },
    Permission: grant.permission,
  }));
  return toXml('AccessControlPolicy', {
    Owner: person(acl.ownerId),
    AccessControlList: grants.length ? { Grant: grants } : '',
  });
}
