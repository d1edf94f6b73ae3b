/**
 * Every SQL statement of the SQLite metadata store, prepared once per connection.
 * Portable SQL (see migrations.ts); named parameters match the row shapes in sqlite-rows.ts.
 */
import type { Database, Statement } from 'better-sqlite3';

function upsert(table: string, columns: string[], conflict: string[], onConflict: 'update' | 'nothing' = 'update'): string {
  const updates = onConflict === 'nothing' ? [] : columns.filter((column) => !conflict.includes(column)).map((column) => `${column} = excluded.${column}`);
  return `${insert(table, columns)}
    ON CONFLICT (${conflict.join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`;
}

function insert(table: string, columns: string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((column) => `@${column}`).join(', ')})`;
}

const accountColumns = ['id', 'name', 'canonical_id', 'email', 'created_at_ms'];
const accessKeyColumns = ['access_key_id', 'secret_sealed', 'account_id', 'principal_type', 'user_name', 'status', 'created_at_ms'];
const bucketColumns = ['name', 'account_id', 'region', 'created_at_ms'];
const objectColumns = [
  'bucket', 'object_key', 'size_bytes', 'etag', 'last_modified_ms', 'owner_account_id', 'storage_class',
  'checksum_algorithm', 'checksum_type', 'checksum_value', 'headers', 'user_metadata', 'tags', 'acl', 'encryption',
  'parts_count', 'part_sizes', 'data_kind', 'blob_ids', 'inline_bytes',
];
const summaryColumns = 'object_key, size_bytes, etag, last_modified_ms, owner_account_id, storage_class, checksum_algorithm, checksum_type';
const uploadColumns = [
  'upload_id', 'bucket', 'object_key', 'initiator_account_id', 'initiator_arn', 'owner_account_id', 'initiated_ms',
  'headers', 'user_metadata', 'tags', 'acl', 'encryption', 'storage_class', 'checksum_algorithm', 'checksum_type',
];
const partColumns = ['upload_id', 'part_number', 'size_bytes', 'etag', 'last_modified_ms', 'checksum_algorithm', 'checksum_type', 'checksum_value', 'blob_id'];

const listObjectsBase = `SELECT ${summaryColumns} FROM objects WHERE bucket = @bucket`;

export const auditEventColumns = [
  'account_id', 'event_time_ms', 'event_id', 'event_name', 'event_source', 'username', 'access_key_id', 'read_only',
  'principal_arn', 'bucket', 'error_code', 'resource_names', 'resource_types', 'record',
];

/** Filters of an audit-event query that are present (the SQL shape; values are bound by name). */
export interface AuditQueryShape {
  account: boolean;
  start: boolean;
  end: boolean;
  /** Column compared with @value: '=' for most attributes, LIKE for JSON-array membership. */
  attribute: { column: string; like: boolean } | null;
  principal: boolean;
  bucket: boolean;
  denied: boolean;
  before: boolean;
}

/** Portable SELECT for one query shape, newest first (LIKE patterns use '\\' as escape). */
export function auditQuerySql(shape: AuditQueryShape): string {
  const where: string[] = [];
  if (shape.account) where.push('account_id = @account_id');
  if (shape.start) where.push('event_time_ms >= @start_ms');
  if (shape.end) where.push('event_time_ms <= @end_ms');
  if (shape.attribute) where.push(shape.attribute.like ? `${shape.attribute.column} LIKE @value ESCAPE '\\'` : `${shape.attribute.column} = @value`);
  if (shape.principal) where.push(`principal_arn LIKE @principal ESCAPE '\\'`);
  if (shape.bucket) where.push('bucket = @bucket');
  if (shape.denied) where.push(`error_code IN ('AccessDenied', 'AccessDeniedException')`);
  if (shape.before) where.push('(event_time_ms < @before_ms OR (event_time_ms = @before_ms AND event_id < @before_id))');
  return `SELECT * FROM audit_events${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY event_time_ms DESC, event_id DESC LIMIT @limit`;
}

export function prepareStatements(db: Database) {
  const p = (sql: string): Statement => db.prepare(sql);
  return {
    begin: p('BEGIN IMMEDIATE'),
    commit: p('COMMIT'),
    rollback: p('ROLLBACK'),
    savepoint: p('SAVEPOINT mutation'),
    releaseSavepoint: p('RELEASE SAVEPOINT mutation'),
    rollbackToSavepoint: p('ROLLBACK TO SAVEPOINT mutation'),

    upsertAccount: p(upsert('accounts', accountColumns, ['id'])),
    getAccount: p('SELECT * FROM accounts WHERE id = ?'),
    getAccountByName: p('SELECT * FROM accounts WHERE name = ?'),
    getAccountByCanonicalId: p('SELECT * FROM accounts WHERE canonical_id = ?'),
    listAccounts: p('SELECT * FROM accounts ORDER BY name'),

    upsertAccessKey: p(upsert('access_keys', accessKeyColumns, ['access_key_id'])),
    getAccessKey: p('SELECT * FROM access_keys WHERE access_key_id = ?'),
    listRootAccessKeys: p('SELECT * FROM access_keys WHERE account_id = ? AND user_name IS NULL ORDER BY created_at_ms, access_key_id'),
    listUserAccessKeys: p('SELECT * FROM access_keys WHERE account_id = ? AND user_name = ? ORDER BY created_at_ms, access_key_id'),
    deleteAccessKey: p('DELETE FROM access_keys WHERE access_key_id = ?'),

    getSetting: p('SELECT value FROM settings WHERE name = ?').pluck(),
    upsertSetting: p(upsert('settings', ['name', 'value'], ['name'])),

    // A bucket is never overwritten.
    insertBucket: p(upsert('buckets', bucketColumns, ['name'], 'nothing')),
    getBucket: p('SELECT * FROM buckets WHERE name = ?'),
    bucketExists: p('SELECT 1 FROM buckets WHERE name = ?').pluck(),
    listBuckets: p('SELECT * FROM buckets WHERE account_id = ? ORDER BY name'),
    deleteBucket: p('DELETE FROM buckets WHERE name = ?'),
    deleteBucketConfigs: p('DELETE FROM bucket_configs WHERE bucket = ?'),
    anyObject: p('SELECT 1 FROM objects WHERE bucket = ? LIMIT 1').pluck(),
    anyUpload: p('SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1').pluck(),
    getBucketConfig: p('SELECT value FROM bucket_configs WHERE bucket = ? AND kind = ?').pluck(),
    upsertBucketConfig: p(upsert('bucket_configs', ['bucket', 'kind', 'value'], ['bucket', 'kind'])),
    deleteBucketConfig: p('DELETE FROM bucket_configs WHERE bucket = ? AND kind = ?'),

    getObject: p('SELECT * FROM objects WHERE bucket = ? AND object_key = ?'),
    upsertObject: p(upsert('objects', objectColumns, ['bucket', 'object_key'])),
    updateObjectAttributes: p(`UPDATE objects SET
        tags = CASE WHEN @set_tags = 1 THEN @tags ELSE tags END,
        acl = CASE WHEN @set_acl = 1 THEN @acl ELSE acl END
      WHERE bucket = @bucket AND object_key = @object_key`),
    deleteObject: p('DELETE FROM objects WHERE bucket = ? AND object_key = ?'),
    countObjects: p('SELECT COUNT(*) FROM objects WHERE bucket = ?').pluck(),
    // Four shapes so the index range scan always starts at the tighter lower bound.
    listObjectsAfter: p(`${listObjectsBase} AND object_key > @lower ORDER BY object_key LIMIT @limit`),
    listObjectsAfterBounded: p(`${listObjectsBase} AND object_key > @lower AND object_key < @upper ORDER BY object_key LIMIT @limit`),
    listObjectsFrom: p(`${listObjectsBase} AND object_key >= @lower ORDER BY object_key LIMIT @limit`),
    listObjectsFromBounded: p(`${listObjectsBase} AND object_key >= @lower AND object_key < @upper ORDER BY object_key LIMIT @limit`),

    insertUpload: p(insert('uploads', uploadColumns)),
    getUpload: p('SELECT * FROM uploads WHERE upload_id = ?'),
    uploadExists: p('SELECT 1 FROM uploads WHERE upload_id = ?').pluck(),
    // marker_mode 0: keys after after_key; 1: also later uploads of after_key (initiated, id); 2: also ids > after_upload_id.
    listUploads: p(`SELECT * FROM uploads WHERE bucket = @bucket
        AND object_key >= @prefix AND (@upper IS NULL OR object_key < @upper)
        AND (object_key > @after_key
          OR (@marker_mode = 1 AND object_key = @after_key
            AND (initiated_ms > @after_initiated_ms OR (initiated_ms = @after_initiated_ms AND upload_id > @after_upload_id)))
          OR (@marker_mode = 2 AND object_key = @after_key AND upload_id > @after_upload_id))
      ORDER BY object_key, initiated_ms, upload_id LIMIT @limit`),
    deleteUpload: p('DELETE FROM uploads WHERE upload_id = ?'),

    getPart: p('SELECT * FROM parts WHERE upload_id = ? AND part_number = ?'),
    upsertPart: p(upsert('parts', partColumns, ['upload_id', 'part_number'])),
    listParts: p('SELECT * FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?'),
    allParts: p('SELECT * FROM parts WHERE upload_id = ? ORDER BY part_number'),
    deleteParts: p('DELETE FROM parts WHERE upload_id = ?'),

    insertAuditEvent: p(upsert('audit_events', auditEventColumns, ['account_id', 'event_time_ms', 'event_id'], 'nothing')),
  };
}

export type PreparedStatements = ReturnType<typeof prepareStatements>;
