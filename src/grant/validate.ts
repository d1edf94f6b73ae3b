/**
 * Input validation for grant / verify / review / revoke, run before any AWS call. Each failure is one
 * line (GrantInputError → exit code 2).
 */
export class GrantInputError extends Error {
  override readonly name = 'GrantInputError';
}

export type Access = 'read' | 'write' | 'read-write' | 'upload-only';
export const accessLevels: readonly Access[] = ['read', 'write', 'read-write', 'upload-only'];

/** Role and policy names are `<client>-ExtRole`; IAM role names are at most 64 characters. */
export const roleSuffix = '-ExtRole';
const maxClientLength = 64 - roleSuffix.length;

export function validateAccountId(value: string, what = '--external-account'): string {
  if (!/^\d{12}$/.test(value)) throw new GrantInputError(`${what} must be a 12-digit AWS account ID, got ${JSON.stringify(value)}`);
  return value;
}

/** General purpose bucket naming rules (Amazon S3 User Guide, "Bucket naming rules"). */
export function validateBucketName(value: string, what = '--bucket'): string {
  const fail = (why: string): never => {
    throw new GrantInputError(`${what} ${JSON.stringify(value)} is not a valid bucket name: ${why}`);
  };
  if (value.length < 3 || value.length > 63) fail('must be 3 to 63 characters long');
  if (!/^[a-z0-9.-]+$/.test(value)) fail('only lowercase letters, digits, dots and hyphens are allowed');
  if (!/^[a-z0-9]/.test(value) || !/[a-z0-9]$/.test(value)) fail('must begin and end with a letter or digit');
  if (value.includes('..')) fail('must not contain two adjacent dots');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) fail('must not be formatted as an IP address');
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) if (value.startsWith(prefix)) fail(`must not start with "${prefix}"`);
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) if (value.endsWith(suffix)) fail(`must not end with "${suffix}"`);
  return value;
}

/**
 * Client names become IAM names (`<client>-ExtRole`), statement IDs, tag values and the log prefix
 * `s3/<client>/`, so they are kept to the characters every one of those accepts.
 */
export function validateClientName(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(value)) {
    throw new GrantInputError(`--client ${JSON.stringify(value)} must start with a letter or digit and contain only letters, digits, '-' and '_'`);
  }
  if (value.length > maxClientLength) throw new GrantInputError(`--client must be at most ${maxClientLength} characters (the role name <client>${roleSuffix} is limited to 64)`);
  return value;
}

/** A key prefix such as `incoming/`: no wildcards or policy variables, ends with '/'. */
export function validatePrefix(value: string): string {
  const fail = (why: string): never => {
    throw new GrantInputError(`--prefix ${JSON.stringify(value)} ${why}`);
  };
  if (value === '') fail('must not be empty (omit --prefix to grant the whole bucket)');
  if (value.startsWith('/')) fail("must not start with '/' (S3 keys have no leading slash)");
  if (!value.endsWith('/')) fail("must end with '/' (e.g. incoming/)");
  if (/[*?]/.test(value)) fail("must not contain '*' or '?' (they are wildcards in policy ARNs)");
  if (value.includes('${')) fail("must not contain '${' (policy variable syntax)");
  if (value.split('/').some((part, index, parts) => part === '' && index < parts.length - 1) || value.split('/').includes('..') || value.split('/').includes('.')) {
    fail("must not contain empty, '.' or '..' path segments");
  }
  if (/[\u0000-\u001f\u007f]/.test(value)) fail('must not contain control characters');
  if (Buffer.byteLength(value) > 512) fail('must be at most 512 bytes');
  return value;
}

export function validateAccess(value: string): Access {
  if (!(accessLevels as readonly string[]).includes(value)) throw new GrantInputError(`--access must be one of ${accessLevels.join(', ')}, got ${JSON.stringify(value)}`);
  return value as Access;
}

/** sts:ExternalId: 2–1224 characters of [\w+=,.@:/-] (STS AssumeRole API reference). */
export function validateExternalId(value: string): string {
  if (value.length < 2 || value.length > 1224 || !/^[\w+=,.@:/-]+$/.test(value)) {
    throw new GrantInputError('--external-id must be 2 to 1224 characters of letters, digits and +=,.@:/-_');
  }
  return value;
}

/** `1h`, `90m`, `3600s` or `3600` → seconds; a role's MaxSessionDuration is 3600–43200 seconds. */
export function parseMaxSession(value: string): number {
  const match = /^(\d+)\s*([hms]?)$/.exec(value.trim());
  if (!match) throw new GrantInputError(`--max-session must look like 1h, 90m or 3600s, got ${JSON.stringify(value)}`);
  const seconds = Number(match[1]) * (match[2] === 'h' ? 3600 : match[2] === 'm' ? 60 : 1);
  if (seconds < 3600 || seconds > 43200) throw new GrantInputError(`--max-session must be between 1h and 12h (IAM MaxSessionDuration), got ${seconds}s`);
  return seconds;
}

/** `new`, a key ID (UUID or multi-Region mrk-…), a key ARN or an alias (alias/NAME or its ARN). */
export function validateKmsKey(value: string): string {
  if (value === 'new') return value;
  const keyId = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
  const alias = /^alias\/[A-Za-z0-9/_-]{1,250}$/;
  const arn = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/.+|alias\/.+)$/;
  if (keyId.test(value) || alias.test(value) || arn.test(value)) return value;
  throw new GrantInputError(`--kms must be 'new', a key ID, a key ARN or alias/NAME, got ${JSON.stringify(value)}`);
}

export function validateEndpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GrantInputError(`--endpoint-url ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new GrantInputError('--endpoint-url must be an http:// or https:// URL');
  return value.replace(/\/+$/, '');
}

export function validateRegion(value: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(value)) throw new GrantInputError(`--region ${JSON.stringify(value)} is not a region name such as us-east-1`);
  return value;
}
