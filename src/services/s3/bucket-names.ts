import { s3Error } from '../../protocol/errors.js';

/**
 * General purpose bucket naming rules (S3 User Guide, "Bucket naming rules"): 3–63 characters of
 * lowercase letters, digits, dots and hyphens; starts and ends with a letter or digit; no two
 * adjacent periods; not an IP address; reserved prefixes and suffixes refused.
 */
export function bucketNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 63) return 'The bucket name must be between 3 and 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'Bucket name can only contain lowercase letters, numbers, dots (.), and hyphens (-)';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'Bucket name must begin and end with a letter or number';
  if (name.includes('..')) return 'Bucket name must not contain two adjacent periods';
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return 'Bucket name must not be formatted as an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) if (name.startsWith(prefix)) return `Bucket name must not start with the prefix '${prefix}'`;
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) if (name.endsWith(suffix)) return `Bucket name must not end with the suffix '${suffix}'`;
  return null;
}

export function assertValidBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem) throw s3Error('InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
}
