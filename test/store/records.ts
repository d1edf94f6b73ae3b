// Builders of store records for the store test suites.
import { createHash } from 'node:crypto';
import type { AccessKeyRecord, AccountRecord, BucketRecord, MultipartUploadRecord, ObjectRecord, PartRecord } from '../../src/store/types.js';

export function account(id: string, name: string, overrides: Partial<AccountRecord> = {}): AccountRecord {
  return { id, name, canonicalId: createHash('sha256').update(id).digest('hex'), email: `${name}@example.com`, createdAtMs: 1_700_000_000_000, ...overrides };
}

export function accessKey(accessKeyId: string, accountId: string, overrides: Partial<AccessKeyRecord> = {}): AccessKeyRecord {
  return {
    accessKeyId,
    secretSealed: Buffer.from(`sealed:${accessKeyId}`),
    accountId,
    principalType: 'root',
    userName: null,
    status: 'Active',
    createdAtMs: 1_700_000_000_000,
    ...overrides,
  };
}

export function bucket(name: string, accountId = '111111111111'): BucketRecord {
  return { name, accountId, region: 'us-east-1', createdAtMs: 1_700_000_000_000 };
}

export function object(bucketName: string, key: string, overrides: Partial<ObjectRecord> = {}): ObjectRecord {
  const bytes = Buffer.from(`body of ${key}`);
  return {
    bucket: bucketName,
    key,
    ownerAccountId: '111111111111',
    sizeBytes: bytes.length,
    etag: '"0123456789abcdef0123456789abcdef"',
    lastModifiedMs: 1_700_000_000_000,
    headers: { 'content-type': 'text/plain' },
    userMetadata: {},
    checksum: null,
    tags: {},
    acl: null,
    encryption: null,
    storageClass: 'STANDARD',
    partsCount: null,
    partSizes: null,
    data: { kind: 'inline', bytes },
    ...overrides,
  };
}

export function upload(uploadId: string, bucketName: string, key: string, overrides: Partial<MultipartUploadRecord> = {}): MultipartUploadRecord {
  return {
    uploadId,
    bucket: bucketName,
    key,
    initiatorAccountId: '111111111111',
    initiatorArn: 'arn:aws:iam::111111111111:root',
    ownerAccountId: '111111111111',
    initiatedMs: 1_700_000_000_000,
    headers: {},
    userMetadata: {},
    tags: {},
    acl: null,
    encryption: null,
    storageClass: 'STANDARD',
    checksumAlgorithm: null,
    checksumType: null,
    ...overrides,
  };
}

export function part(uploadId: string, partNumber: number, overrides: Partial<PartRecord> = {}): PartRecord {
  return {
    uploadId,
    partNumber,
    sizeBytes: 5 * 1024 * 1024,
    etag: `"${String(partNumber).padStart(32, '0')}"`,
    lastModifiedMs: 1_700_000_000_000,
    checksum: null,
    blobId: String(partNumber).padStart(32, 'a'),
    ...overrides,
  };
}

/** Sort like S3: by UTF-8 bytes of the key. */
export function sortUtf8(keys: string[]): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
