/**
 * Mapping between store records and SQL rows (snake_case columns, JSON TEXT for maps).
 * Shared by any SQL implementation of MetadataStore.
 */
import type {
  AccessKeyRecord,
  AccountRecord,
  AuditEventRecord,
  BucketRecord,
  ChecksumValue,
  MultipartUploadRecord,
  ObjectData,
  ObjectRecord,
  ObjectSummary,
  PartRecord,
} from './types.js';

type Row = Record<string, unknown>;

function parseMap(text: unknown): Record<string, string> {
  return text === '{}' || text === null || text === undefined ? {} : (JSON.parse(text as string) as Record<string, string>);
}

function parseNullableJson(text: unknown): unknown | null {
  return text === null || text === undefined ? null : JSON.parse(text as string);
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function checksumFromRow(algorithm: unknown, type: unknown, value: unknown): ChecksumValue | null {
  if (algorithm === null || value === null) return null;
  return { algorithm: algorithm as string, type: type as ChecksumValue['type'], value: value as string };
}

export function accountToRow(account: AccountRecord): Row {
  return { id: account.id, name: account.name, canonical_id: account.canonicalId, email: account.email, created_at_ms: account.createdAtMs };
}

export function accountFromRow(row: Row): AccountRecord {
  return {
    id: row.id as string,
    name: row.name as string,
    canonicalId: row.canonical_id as string,
    email: row.email as string,
    createdAtMs: row.created_at_ms as number,
  };
}

export function accessKeyToRow(key: AccessKeyRecord): Row {
  return {
    access_key_id: key.accessKeyId,
    secret_sealed: key.secretSealed,
    account_id: key.accountId,
    principal_type: key.principalType,
    user_name: key.userName,
    status: key.status,
    created_at_ms: key.createdAtMs,
  };
}

export function accessKeyFromRow(row: Row): AccessKeyRecord {
  return {
    accessKeyId: row.access_key_id as string,
    secretSealed: row.secret_sealed as Buffer,
    accountId: row.account_id as string,
    principalType: row.principal_type as AccessKeyRecord['principalType'],
    userName: (row.user_name as string | null) ?? null,
    status: row.status as AccessKeyRecord['status'],
    createdAtMs: row.created_at_ms as number,
  };
}

export function bucketToRow(bucket: BucketRecord): Row {
  return { name: bucket.name, account_id: bucket.accountId, region: bucket.region, created_at_ms: bucket.createdAtMs };
}

export function bucketFromRow(row: Row): BucketRecord {
  return { name: row.name as string, accountId: row.account_id as string, region: row.region as string, createdAtMs: row.created_at_ms as number };
}

function dataToColumns(data: ObjectData): { data_kind: string; blob_ids: string | null; inline_bytes: Buffer | null } {
  switch (data.kind) {
    case 'inline':
      return { data_kind: 'inline', blob_ids: null, inline_bytes: data.bytes };
    case 'blob':
      return { data_kind: 'blob', blob_ids: JSON.stringify([data.blobId]), inline_bytes: null };
    case 'parts':
      return { data_kind: 'parts', blob_ids: JSON.stringify(data.blobIds), inline_bytes: null };
  }
}

function dataFromColumns(row: Row): ObjectData {
  switch (row.data_kind) {
    case 'inline':
      return { kind: 'inline', bytes: (row.inline_bytes as Buffer | null) ?? Buffer.alloc(0) };
    case 'blob':
      return { kind: 'blob', blobId: (JSON.parse(row.blob_ids as string) as string[])[0]! };
    case 'parts':
      return { kind: 'parts', blobIds: JSON.parse(row.blob_ids as string) as string[] };
    default:
      throw new Error(`corrupt object row: unknown data_kind ${String(row.data_kind)}`);
  }
}

export function objectToRow(record: ObjectRecord): Row {
  return {
    bucket: record.bucket,
    object_key: record.key,
    size_bytes: record.sizeBytes,
    etag: record.etag,
    last_modified_ms: record.lastModifiedMs,
    owner_account_id: record.ownerAccountId,
    storage_class: record.storageClass,
    checksum_algorithm: record.checksum?.algorithm ?? null,
    checksum_type: record.checksum?.type ?? null,
    checksum_value: record.checksum?.value ?? null,
    headers: JSON.stringify(record.headers),
    user_metadata: JSON.stringify(record.userMetadata),
    tags: JSON.stringify(record.tags),
    acl: jsonOrNull(record.acl),
    encryption: jsonOrNull(record.encryption),
    parts_count: record.partsCount,
    part_sizes: jsonOrNull(record.partSizes),
    ...dataToColumns(record.data),
  };
}

export function objectFromRow(row: Row): ObjectRecord {
  return {
    bucket: row.bucket as string,
    key: row.object_key as string,
    ownerAccountId: row.owner_account_id as string,
    sizeBytes: row.size_bytes as number,
    etag: row.etag as string,
    lastModifiedMs: row.last_modified_ms as number,
    headers: parseMap(row.headers),
    userMetadata: parseMap(row.user_metadata),
    checksum: checksumFromRow(row.checksum_algorithm, row.checksum_type, row.checksum_value),
    tags: parseMap(row.tags),
    acl: parseNullableJson(row.acl),
    encryption: parseNullableJson(row.encryption),
    storageClass: row.storage_class as string,
    partsCount: (row.parts_count as number | null) ?? null,
    partSizes: parseNullableJson(row.part_sizes) as number[] | null,
    data: dataFromColumns(row),
  };
}

export function summaryFromRow(row: Row): ObjectSummary {
  return {
    key: row.object_key as string,
    sizeBytes: row.size_bytes as number,
    etag: row.etag as string,
    lastModifiedMs: row.last_modified_ms as number,
    ownerAccountId: row.owner_account_id as string,
    storageClass: row.storage_class as string,
    checksumAlgorithm: (row.checksum_algorithm as string | null) ?? null,
    checksumType: (row.checksum_type as string | null) ?? null,
  };
}

export function uploadToRow(upload: MultipartUploadRecord): Row {
  return {
    upload_id: upload.uploadId,
    bucket: upload.bucket,
    object_key: upload.key,
    initiator_account_id: upload.initiatorAccountId,
    initiator_arn: upload.initiatorArn,
    owner_account_id: upload.ownerAccountId,
    initiated_ms: upload.initiatedMs,
    headers: JSON.stringify(upload.headers),
    user_metadata: JSON.stringify(upload.userMetadata),
    tags: JSON.stringify(upload.tags),
    acl: jsonOrNull(upload.acl),
    encryption: jsonOrNull(upload.encryption),
    storage_class: upload.storageClass,
    checksum_algorithm: upload.checksumAlgorithm,
    checksum_type: upload.checksumType,
  };
}

export function uploadFromRow(row: Row): MultipartUploadRecord {
  return {
    uploadId: row.upload_id as string,
    bucket: row.bucket as string,
    key: row.object_key as string,
    initiatorAccountId: row.initiator_account_id as string,
    initiatorArn: row.initiator_arn as string,
    ownerAccountId: row.owner_account_id as string,
    initiatedMs: row.initiated_ms as number,
    headers: parseMap(row.headers),
    userMetadata: parseMap(row.user_metadata),
    tags: parseMap(row.tags),
    acl: parseNullableJson(row.acl),
    encryption: parseNullableJson(row.encryption),
    storageClass: row.storage_class as string,
    checksumAlgorithm: (row.checksum_algorithm as string | null) ?? null,
    checksumType: (row.checksum_type as MultipartUploadRecord['checksumType']) ?? null,
  };
}

export function partToRow(part: PartRecord): Row {
  return {
    upload_id: part.uploadId,
    part_number: part.partNumber,
    size_bytes: part.sizeBytes,
    etag: part.etag,
    last_modified_ms: part.lastModifiedMs,
    checksum_algorithm: part.checksum?.algorithm ?? null,
    checksum_type: part.checksum?.type ?? null,
    checksum_value: part.checksum?.value ?? null,
    blob_id: part.blobId,
  };
}

export function partFromRow(row: Row): PartRecord {
  return {
    uploadId: row.upload_id as string,
    partNumber: row.part_number as number,
    sizeBytes: row.size_bytes as number,
    etag: row.etag as string,
    lastModifiedMs: row.last_modified_ms as number,
    checksum: checksumFromRow(row.checksum_algorithm, row.checksum_type, row.checksum_value),
    blobId: row.blob_id as string,
  };
}

export function auditEventToRow(event: AuditEventRecord): Row {
  return {
    account_id: event.accountId,
    event_time_ms: event.eventTimeMs,
    event_id: event.eventId,
    event_name: event.eventName,
    event_source: event.eventSource,
    username: event.username,
    access_key_id: event.accessKeyId,
    read_only: event.readOnly ? 1 : 0,
    principal_arn: event.principalArn,
    bucket: event.bucket,
    error_code: event.errorCode,
    resource_names: JSON.stringify(event.resourceNames),
    resource_types: JSON.stringify(event.resourceTypes),
    record: event.record,
  };
}

export function auditEventFromRow(row: Row): AuditEventRecord {
  return {
    accountId: row.account_id as string,
    eventTimeMs: Number(row.event_time_ms),
    eventId: row.event_id as string,
    eventName: row.event_name as string,
    eventSource: row.event_source as string,
    username: (row.username as string | null) ?? null,
    accessKeyId: (row.access_key_id as string | null) ?? null,
    readOnly: Number(row.read_only) === 1,
    principalArn: (row.principal_arn as string | null) ?? null,
    bucket: (row.bucket as string | null) ?? null,
    errorCode: (row.error_code as string | null) ?? null,
    resourceNames: JSON.parse(row.resource_names as string) as string[],
    resourceTypes: JSON.parse(row.resource_types as string) as string[],
    record: row.record as string,
  };
}
