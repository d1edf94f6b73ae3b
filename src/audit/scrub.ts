/**
 * Secrets never reach a record: request parameters and response elements are copied with every
 * secret-bearing field replaced. CloudTrail itself omits or masks these (credentials in AssumeRole
 * responses keep only the access key ID and expiration; passwords and plaintexts never appear).
 */

/** Field names (lower-cased) whose values are secrets wherever they appear. */
const SECRET_FIELDS = new Set([
  'secretaccesskey',
  'sessiontoken',
  'password',
  'newpassword',
  'oldpassword',
  'plaintext',
  'privatekey',
  'authorization',
  'x-amz-signature',
  'x-amz-security-token',
  'x-amz-server-side-encryption-customer-key',
  'x-amz-copy-source-server-side-encryption-customer-key',
  'ssecustomerkey',
  'copysourcessecustomerkey',
  'samlassertion',
  'webidentitytoken',
  'serialnumber-token',
  'tokencode',
  'authenticationcode1',
  'authenticationcode2',
]);

/** Query-protocol flattened names such as "Credentials.SecretAccessKey" or "PolicyArns.member.1.arn" end in the field. */
function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  if (SECRET_FIELDS.has(lower)) return true;
  const last = lower.slice(lower.lastIndexOf('.') + 1);
  return SECRET_FIELDS.has(last);
}

export const REDACTED = 'HIDDEN_DUE_TO_SECURITY_REASONS';

const MAX_DEPTH = 12;

/** A deep copy of value without secrets (Buffers become their length; functions are dropped). */
export function scrub(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      if (typeof item === 'function') continue;
      out[name] = isSecretName(name) ? REDACTED : scrub(item, depth + 1);
    }
    return out;
  }
  return null;
}

/** Scrubbed copy of a parameter map, or null. */
export function scrubRecord(value: Record<string, unknown> | null): Record<string, unknown> | null {
  if (value === null) return null;
  return scrub(value) as Record<string, unknown>;
}
