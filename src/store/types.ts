/**
 * The metadata store interface. SQLite implements it now (sqlite-metadata.ts); a PostgreSQL
 * implementation may follow, so every method is async and SQL stays portable.
 * Each mutating method is one transaction; its promise resolves only once the change is durable.
 */

export type AccountId = string; // 12 digits
export type CanonicalId = string; // 64 lowercase hex

export interface AccountRecord {
  id: AccountId;
  name: string;
  canonicalId: CanonicalId;
  email: string;
  createdAtMs: number;
}

export type AccessKeyStatus = 'Active' | 'Inactive';

export interface AccessKeyRecord {
  accessKeyId: string;
  /** The secret, sealed with the master key (never plaintext at rest). */
  secretSealed: Buffer;
  accountId: AccountId;
  /** 'root' for account root keys; 'user' for IAM user keys. */
  principalType: 'root' | 'user';
  /** IAM user name for 'user' keys. */
  userName: string | null;
  status: AccessKeyStatus;
  createdAtMs: number;
}

export interface BucketRecord {
  name: string;
  accountId: AccountId;
  region: string;
  createdAtMs: number;
}

/** Where an object's bytes live: inline in the metadata database, or in a blob file. */
export type ObjectData = { kind: 'inline'; bytes: Buffer } | { kind: 'blob'; blobId: string } | { kind: 'parts'; blobIds: string[] };

export interface ChecksumValue {
  /** CRC32 | CRC32C | CRC64NVME | SHA1 | SHA256 */
  algorithm: string;
  /** base64 value as S3 returns it (composite ones carry the "-N" suffix). */
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface ObjectRecord {
  bucket: string;
  key: string;
  /** Account that owns the object (Object Ownership decides which). */
  ownerAccountId: AccountId;
  sizeBytes: number;
  /** Quoted ETag as returned in headers, e.g. "\"9e107d9d372bb6826bd81d3542a419d6\"". */
  etag: string;
  lastModifiedMs: number;
  /** Standard headers stored with the object: content-type, content-encoding, cache-control, … */
  headers: Record<string, string>;
  /** User metadata without the x-amz-meta- prefix (keys lower-case). */
  userMetadata: Record<string, string>;
  checksum: ChecksumValue | null;
  tags: Record<string, string>;
  /** Object ACL as JSON (shape owned by the S3 access-control code); null means the default. */
  acl: unknown | null;
  /** Server-side encryption details (shape owned by the encryption code); null means none. */
  encryption: unknown | null;
  storageClass: string;
  /** Number of parts for multipart objects, null for single PUTs. */
  partsCount: number | null;
  /** For multipart objects: sizes of the parts in order (for partNumber GETs). */
  partSizes: number[] | null;
  data: ObjectData;
}

export interface ObjectSummary {
  key: string;
  sizeBytes: number;
  etag: string;
  lastModifiedMs: number;
  ownerAccountId: AccountId;
  storageClass: string;
  checksumAlgorithm: string | null;
  checksumType: string | null;
}

export interface MultipartUploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  initiatorAccountId: AccountId;
  /** Initiator principal ARN (for ListParts / ListMultipartUploads Initiator). */
  initiatorArn: string;
  ownerAccountId: AccountId;
  initiatedMs: number;
  headers: Record<string, string>;
  userMetadata: Record<string, string>;
  tags: Record<string, string>;
  acl: unknown | null;
  encryption: unknown | null;
  storageClass: string;
  checksumAlgorithm: string | null;
  checksumType: 'FULL_OBJECT' | 'COMPOSITE' | null;
}

export interface PartRecord {
  uploadId: string;
  partNumber: number;
  sizeBytes: number;
  etag: string;
  lastModifiedMs: number;
  checksum: ChecksumValue | null;
  blobId: string;
}

export interface ListObjectsQuery {
  bucket: string;
  prefix: string;
  /** Return keys strictly greater than this one ('' = from the start). */
  afterKey: string;
  limit: number;
}

/**
 * Synchronous access to JSON documents inside one store transaction (IAM users, roles, policies,
 * organization state …). Rows are keyed by (scope, kind, name); scope is usually an account ID.
 */
export interface DocumentTx {
  get<T>(scope: string, kind: string, name: string): T | null;
  put(scope: string, kind: string, name: string, value: unknown): void;
  /** Returns whether a row was deleted. */
  delete(scope: string, kind: string, name: string): boolean;
  /** Rows of one kind in one scope, in binary name order; only names starting with namePrefix when given. */
  list<T>(scope: string, kind: string, namePrefix?: string): Array<{ name: string; value: T }>;
  /** Rows of one kind in every scope whose name equals `name` (lookups by globally unique IDs). */
  findByName<T>(kind: string, name: string): Array<{ scope: string; value: T }>;
}

/** One CloudTrail-like event as stored for one recipient account (append-only; see src/audit/). */
export interface AuditEventRecord {
  /** Account whose trail holds this row (a cross-account call has one row per account). */
  accountId: AccountId;
  eventTimeMs: number;
  eventId: string;
  eventName: string;
  eventSource: string;
  /** LookupEvents Username (user name, role session name, 'root'); null when unknown. */
  username: string | null;
  accessKeyId: string | null;
  readOnly: boolean;
  principalArn: string | null;
  bucket: string | null;
  errorCode: string | null;
  resourceNames: string[];
  resourceTypes: string[];
  /** The CloudTrail record as JSON text (CloudTrailEvent). */
  record: string;
}

/** LookupEvents attribute keys (one per query, as AWS allows). */
export type AuditLookupAttribute = 'EventName' | 'Username' | 'ResourceName' | 'ResourceType' | 'AccessKeyId' | 'EventSource' | 'ReadOnly' | 'EventId';

/** Newest first; every field narrows the result. */
export interface AuditEventQuery {
  /** null: every account's rows. */
  accountId: AccountId | null;
  /** Inclusive bounds on eventTimeMs. */
  startMs?: number | null;
  endMs?: number | null;
  attribute?: { key: AuditLookupAttribute; value: string } | null;
  /** Substring of the principal ARN. */
  principalContains?: string | null;
  bucket?: string | null;
  /** Only AccessDenied / AccessDeniedException events. */
  deniedOnly?: boolean;
  /** Continue after this row (pagination). */
  before?: { eventTimeMs: number; eventId: string } | null;
  limit: number;
}

export interface MetadataStore {
  close(): Promise<void>;

  // accounts and keys
  putAccount(account: AccountRecord): Promise<void>;
  getAccount(id: AccountId): Promise<AccountRecord | null>;
  getAccountByName(name: string): Promise<AccountRecord | null>;
  getAccountByCanonicalId(canonicalId: CanonicalId): Promise<AccountRecord | null>;
  listAccounts(): Promise<AccountRecord[]>;
  putAccessKey(key: AccessKeyRecord): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | null>;
  listAccessKeys(accountId: AccountId, userName: string | null): Promise<AccessKeyRecord[]>;
  deleteAccessKey(accessKeyId: string): Promise<void>;

  // small key/value settings (master-key-sealed service keys, organization id, …)
  getSetting(name: string): Promise<string | null>;
  /** Run fn against the documents (reads only); resolves with its result. */
  readDocuments<T>(fn: (tx: DocumentTx) => T): Promise<T>;
  /** Run fn in one durable transaction: all its puts/deletes commit together, or none if it throws. */
  writeDocuments<T>(fn: (tx: DocumentTx) => T): Promise<T>;
  /** Increases with every committed writeDocuments (cache invalidation for derived data). */
  documentsGeneration(): number;
  putSetting(name: string, value: string): Promise<void>;

  // buckets and per-bucket configuration documents (policy, acl, ownership, publicAccessBlock, encryption, logging, tagging …)
  createBucket(bucket: BucketRecord): Promise<'created' | 'exists'>;
  getBucket(name: string): Promise<BucketRecord | null>;
  listBuckets(accountId: AccountId): Promise<BucketRecord[]>;
  /** Deletes bucket and its configuration; 'not-empty' if objects or uploads remain. */
  deleteBucket(name: string): Promise<'deleted' | 'not-empty' | 'missing'>;
  getBucketConfig(bucket: string, kind: string): Promise<string | null>;
  /** value null deletes the configuration. */
  putBucketConfig(bucket: string, kind: string, value: string | null): Promise<void>;

  // objects (one current version per key)
  getObject(bucket: string, key: string): Promise<ObjectRecord | null>;
  /** Insert or replace; resolves with the replaced record (its blobs are the caller's to delete). */
  putObject(record: ObjectRecord): Promise<ObjectRecord | null>;
  /** Update mutable attributes only (tags, acl). Returns false when the key is missing. */
  updateObjectAttributes(bucket: string, key: string, changes: { tags?: Record<string, string>; acl?: unknown | null }): Promise<boolean>;
  /** Delete; resolves with the deleted record (its blobs are the caller's to delete). */
  deleteObject(bucket: string, key: string): Promise<ObjectRecord | null>;
  /** Keys in UTF-8 binary order. */
  listObjects(query: ListObjectsQuery): Promise<ObjectSummary[]>;
  countObjects(bucket: string): Promise<number>;

  // multipart uploads
  createUpload(upload: MultipartUploadRecord): Promise<void>;
  getUpload(uploadId: string): Promise<MultipartUploadRecord | null>;
  /** Ordered by key then initiated time then uploadId. */
  listUploads(bucket: string, prefix: string, afterKey: string, afterUploadId: string, limit: number): Promise<MultipartUploadRecord[]>;
  /** Insert or replace a part; resolves with the replaced part (its blob is the caller's to delete). */
  putPart(part: PartRecord): Promise<PartRecord | null>;
  listParts(uploadId: string, afterPartNumber: number, limit: number): Promise<PartRecord[]>;
  /** Atomically: insert the object, delete the upload and its parts. Resolves with the replaced object and the parts that were not used. */
  completeUpload(uploadId: string, record: ObjectRecord, usedPartNumbers: number[]): Promise<{ replaced: ObjectRecord | null; unusedParts: PartRecord[] }>;
  /** Delete the upload and its parts; resolves with the parts (their blobs are the caller's to delete). */
  abortUpload(uploadId: string): Promise<PartRecord[] | null>;

  // audit trail (append-only)
  /** Append events in one durable transaction. */
  appendAuditEvents(events: AuditEventRecord[]): Promise<void>;
  queryAuditEvents(query: AuditEventQuery): Promise<AuditEventRecord[]>;
}

/** Blob bytes on disk under <data>/blobs/<2-hex>/<id>; never named by key. */
export interface BlobWriter {
  /** Write a chunk (respecting backpressure through the returned promise). */
  write(chunk: Buffer): Promise<void>;
  /** fsync, rename into place; resolves with the blob id once durable. */
  commit(): Promise<{ blobId: string; sizeBytes: number }>;
  /** Discard the temp file. */
  abort(): Promise<void>;
}

export interface BlobStore {
  createWriter(): BlobWriter;
  /** Stream bytes [start, endInclusive] of a blob. */
  read(blobId: string, start?: number, endInclusive?: number): NodeJS.ReadableStream;
  sizeOf(blobId: string): Promise<number>;
  delete(blobId: string): Promise<void>;
  /** Remove temp files left by a crash. */
  sweepTemporaryFiles(): Promise<number>;
}
