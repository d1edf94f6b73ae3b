/**
 * Is a bucket policy "public"? S3 UG "Blocking public access → The meaning of public → Bucket policies"
 * [S3-BPA]: S3 assumes a policy is public, then checks whether every Allow statement grants access only
 * to fixed values (no wildcard, no policy variable) of a principal or of one of the listed condition keys.
 * Used by GetBucketPolicyStatus, BlockPublicPolicy (PutBucketPolicy) and RestrictPublicBuckets.
 */
import { parseCidr } from '../policy/index.js';

/**
 * Condition keys whose fixed values make a "*" statement non-public: the 2023 S3 UG list plus the keys
 * newer AWS documentation accepts (aws-semantics §10.3: implement the union).
 */
const RESTRICTING_KEYS = new Set(
  [
    'aws:SourceIp',
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceOwner',
    'aws:SourceAccount',
    's3:x-amz-server-side-encryption-aws-kms-key-id',
    'aws:userid',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:PrincipalAccount',
    'aws:PrincipalArn',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
  ].map((key) => key.toLowerCase()),
);

/** Operators that pin a key to the listed values (negated operators, IfExists and Null do not). */
const PINNING_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike', 'ipaddress', 'numericequals']);

// RFC 1918 private ranges: CIDRs inside them are never "public" [S3-BPA note on aws:SourceIp].
const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((text) => parseCidr(text)!);

function isFixed(value: string): boolean {
  return !value.includes('*') && !value.includes('?') && !value.includes('${');
}

function insidePrivateRange(network4: number, prefixBits: number): boolean {
  return PRIVATE_V4.some((range) => prefixBits >= range.prefixBits && ((network4 & range.mask4) >>> 0) === range.network4);
}

/** aws:SourceIp values broader than /8 (IPv4) or /32 (IPv6), outside RFC 1918, count as public. */
function isNarrowCidr(value: string): boolean {
  const cidr = parseCidr(value.trim());
  if (!cidr) return false;
  if (cidr.v6) return cidr.prefixBits >= 32;
  return cidr.prefixBits >= 8 || insidePrivateRange(cidr.network4, cidr.prefixBits);
}

function pinsValue(key: string, value: string): boolean {
  if (key === 'aws:sourceip') return isNarrowCidr(value);
  if (key === 'aws:userid') {
    // "aws:userid, outside the pattern AROLEID:*": a role's unique ID followed by ":*" pins that role.
    return isFixed(value) || /^AROA[A-Z0-9]+:\*$/.test(value);
  }
  if (key === 's3:dataaccesspointarn') {
    // A wildcard in the access point name is allowed as long as the account (and Region) is fixed.
    const match = /^arn:aws[\w-]*:s3:([^:]*):([^:]*):accesspoint\/.+$/.exec(value);
    return match !== null && isFixed(match[1]!) && isFixed(match[2]!) && match[2] !== '';
  }
  return isFixed(value);
}

function asList(value: unknown): string[] | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return value.map(String);
  return null;
}

/** Whether a Condition element restricts the statement to fixed values of a listed key. */
function conditionRestricts(condition: unknown): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  for (const [operatorName, block] of Object.entries(condition as Record<string, unknown>)) {
    let operator = operatorName.toLowerCase();
    if (operator.startsWith('foranyvalue:')) operator = operator.slice('foranyvalue:'.length);
    else if (operator.includes(':')) continue; // ForAllValues: is true when the key is absent
    if (!PINNING_OPERATORS.has(operator)) continue;
    if (typeof block !== 'object' || block === null) continue;
    for (const [keyName, raw] of Object.entries(block as Record<string, unknown>)) {
      const key = keyName.toLowerCase();
      if (!RESTRICTING_KEYS.has(key)) continue;
      const values = asList(raw);
      if (values && values.every((value) => pinsValue(key, value))) return true;
    }
  }
  return false;
}

/** Whether the Principal element names only fixed principals (accounts, ARNs, canonical users, services). */
function principalIsFixed(principal: unknown): boolean {
  if (principal === '*' || typeof principal !== 'object' || principal === null || Array.isArray(principal)) return false;
  const entries = Object.entries(principal as Record<string, unknown>);
  if (entries.length === 0) return false;
  for (const [field, raw] of entries) {
    // The doc's first public example: a Federated principal is public.
    if (field !== 'AWS' && field !== 'Service' && field !== 'CanonicalUser') return false;
    const values = asList(raw);
    if (!values || !values.every(isFixed)) return false;
  }
  return true;
}

/** Whether one statement grants public access. Deny statements never do. */
export function isPublicStatement(statement: Record<string, unknown>): boolean {
  if (statement.Effect !== 'Allow') return false;
  if ('NotPrincipal' in statement) return !conditionRestricts(statement.Condition);
  if (principalIsFixed(statement.Principal)) return false;
  return !conditionRestricts(statement.Condition);
}

/**
 * Whether a bucket policy (JSON text or the parsed document) is public. Expects a policy already
 * validated by parsePolicy; unreadable input counts as public (S3 starts from "public").
 */
export function isPublicPolicy(policy: string | Record<string, unknown>): boolean {
  let document: unknown = policy;
  if (typeof policy === 'string') {
    try {
      document = JSON.parse(policy);
    } catch {
      return true;
    }
  }
  if (typeof document !== 'object' || document === null) return true;
  const raw = (document as Record<string, unknown>).Statement;
  const statements = Array.isArray(raw) ? raw : [raw];
  return statements.some((statement) => typeof statement !== 'object' || statement === null || isPublicStatement(statement as Record<string, unknown>));
}
