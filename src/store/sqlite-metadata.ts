/**
 * MetadataStore on SQLite (better-sqlite3): WAL journal, statements prepared once, and group
 * commit — mutations issued in the same event-loop turn share one transaction (see group-commit.ts).
 * No promise of a mutation resolves before its change is on stable storage. Two ways to get there:
 * - walSync 'commit' (default): synchronous=FULL, SQLite fsyncs the WAL inside every COMMIT, on the
 *   event loop (the batch shares that one fsync).
 * - walSync 'background': synchronous=NORMAL, so COMMIT only write()s the WAL; then an fdatasync of
 *   the WAL file runs in the libuv thread pool and the callers are acknowledged when it completes.
 *   The event loop never blocks on the disk; while one fdatasync runs, the next batches commit and
 *   share the next one. (Checkpoints still sync WAL and database themselves.) Measured on these
 *   machines it gives the same PUT throughput as 'commit', so it is opt-in.
 * Reads run directly on prepared statements and see every committed change (in 'background' mode
 * that includes changes whose fdatasync is still running, as with any group commit).
 */
import Database from 'better-sqlite3';
import { closeSync, fdatasync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from '../clock.js';
import { s3Error } from '../protocol/errors.js';
import { GroupCommitQueue, type GroupCommitStats } from './group-commit.js';
import { compareUtf8, prefixUpperBound } from './key-range.js';
import { applyMigrations } from './migrations.js';
import * as rows from './sqlite-rows.js';
import { auditQuerySql, prepareStatements, type AuditQueryShape, type PreparedStatements } from './sqlite-statements.js';
import type {
  AccessKeyRecord,
  AccountId,
  AccountRecord,
  AuditEventQuery,
  AuditEventRecord,
  BucketRecord,
  CanonicalId,
  DocumentTx,
  ListObjectsQuery,
  MetadataStore,
  MultipartUploadRecord,
  ObjectRecord,
  ObjectSummary,
  PartRecord,
} from './types.js';

export interface SqliteMetadataStoreOptions {
  clock?: Clock;
  /** Most mutations committed in one transaction (default 512). */
  maxBatchMutations?: number;
  /** SQLite page cache size in KiB (default 32 MiB). */
  cacheSizeKibibytes?: number;
  /** How commits reach stable storage (see the file comment); default 'commit'. */
  walSync?: 'background' | 'commit';
}

type Row = Record<string, unknown>;

export class SqliteMetadataStore implements MetadataStore {
  private readonly db: Database.Database;
  private readonly statements: PreparedStatements;
  private readonly writes: GroupCommitQueue;
  private closed = false;
  private walFileDescriptor: number | null = null;
  private generation = 0;
  private readonly rowCache = new Map<string, unknown>();
  private readonly documents: DocumentTx;
  private readonly auditQueries = new Map<string, Database.Statement>();

  constructor(dbPath: string, options: SqliteMetadataStoreOptions = {}) {
    const clock = options.clock ?? systemClock;
    if (dbPath !== ':memory:') mkdirSync(path.dirname(dbPath), { recursive: true, mode: 0o700 });
    this.db = new Database(dbPath);
    // 16 KiB pages (new databases only; SQLite ignores this once tables exist): a 4 KiB inline object
    // row then fits one page instead of following an overflow chain on every read.
    this.db.pragma('page_size = 16384');
    this.db.pragma('journal_mode = WAL');
    const walSync = options.walSync ?? 'commit';
    if (walSync === 'background' && dbPath === ':memory:') throw new Error("walSync 'background' needs a database file");
    this.db.pragma(walSync === 'commit' ? 'synchronous = FULL' : 'synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma(`cache_size = -${options.cacheSizeKibibytes ?? 32 * 1024}`);
    applyMigrations(
      {
        exec: (sql) => this.db.exec(sql),
        appliedVersions: () => this.db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
        inTransaction: (fn) => this.db.transaction(fn).immediate(),
      },
      (migration) =>
        this.db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, clock.nowMs()),
    );
    this.statements = prepareStatements(this.db);
    this.documents = documentAccess(this.db);
    const s = this.statements;
    this.writes = new GroupCommitQueue(
      {
        begin: () => s.begin.run(),
        commit: () => s.commit.run(),
        rollback: () => s.rollback.run(),
        savepoint: () => s.savepoint.run(),
        releaseSavepoint: () => s.releaseSavepoint.run(),
        rollbackToSavepoint: () => s.rollbackToSavepoint.run(),
      },
      {
        maxBatchMutations: options.maxBatchMutations ?? 512,
        sync: walSync === 'background' ? (done) => this.syncWriteAheadLog(dbPath, done) : undefined,
      },
    );
  }

  /** fdatasync the WAL in the thread pool; every COMMIT returned before this call is then durable. */
  private syncWriteAheadLog(dbPath: string, done: (error: Error | null) => void): void {
    try {
      if (this.walFileDescriptor === null) {
        // The WAL exists once a transaction committed; make its directory entry durable once.
        this.walFileDescriptor = openSync(`${dbPath}-wal`, 'r');
        const directory = openSync(path.dirname(dbPath), 'r');
        try {
          fsyncSync(directory);
        } finally {
          closeSync(directory);
        }
      }
    } catch (error) {
      done(error as Error);
      return;
    }
    fdatasync(this.walFileDescriptor, (error) => done(error ?? null));
  }

  /** Counters of the group-commit queue (transactions vs mutations shows the batching factor). */
  groupCommitStats(): Readonly<GroupCommitStats> {
    return { ...this.writes.stats };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writes.close();
    this.db.close();
    if (this.walFileDescriptor !== null) closeSync(this.walFileDescriptor);
    this.walFileDescriptor = null;
  }

  private get<T>(statement: { get(...params: unknown[]): unknown }, map: (row: Row) => T, ...params: unknown[]): T | null {
    const row = statement.get(...params) as Row | undefined;
    return row === undefined ? null : map(row);
  }

  /**
   * Read-through cache for the small rows every request reads (account, access key, bucket, bucket
   * configuration, settings). Single-process: every write below invalidates its entry when it runs
   * and again when its transaction settles, so a rolled-back batch never leaves a stale entry.
   */
  private cached<T>(key: string, load: () => T, cacheMissing = true): Promise<T> {
    if (this.closed) return Promise.reject(new Error('metadata store is closed'));
    if (this.rowCache.has(key)) return Promise.resolve(this.rowCache.get(key) as T);
    try {
      const value = load();
      if (this.rowCache.size >= 20_000) this.rowCache.clear();
      // Accounts and keys may be added by `crossbucket accounts create` in another process: never cache their absence.
      if (value !== null || cacheMissing) this.rowCache.set(key, value);
      return Promise.resolve(value);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private invalidating<T>(keys: string[], mutation: () => T): Promise<T> {
    const forget = () => {
      for (const key of keys) this.rowCache.delete(key);
    };
    const done = this.writes.run(() => {
      forget();
      return mutation();
    });
    done.then(forget, forget);
    return done;
  }

  private read<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('metadata store is closed'));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // accounts and keys

  putAccount(account: AccountRecord): Promise<void> {
    const row = rows.accountToRow(account);
    return this.invalidating([`account:${account.id}`], () => {
      this.statements.upsertAccount.run(row);
    });
  }

  getAccount(id: AccountId): Promise<AccountRecord | null> {
    return this.cached(`account:${id}`, () => this.get(this.statements.getAccount, rows.accountFromRow, id), false);
  }

  getAccountByName(name: string): Promise<AccountRecord | null> {
    return this.read(() => this.get(this.statements.getAccountByName, rows.accountFromRow, name));
  }

  getAccountByCanonicalId(canonicalId: CanonicalId): Promise<AccountRecord | null> {
    return this.read(() => this.get(this.statements.getAccountByCanonicalId, rows.accountFromRow, canonicalId));
  }

  listAccounts(): Promise<AccountRecord[]> {
    return this.read(() => (this.statements.listAccounts.all() as Row[]).map(rows.accountFromRow));
  }

  putAccessKey(key: AccessKeyRecord): Promise<void> {
    const row = rows.accessKeyToRow(key);
    return this.invalidating([`key:${key.accessKeyId}`], () => {
      this.statements.upsertAccessKey.run(row);
    });
  }

  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | null> {
    return this.cached(`key:${accessKeyId}`, () => this.get(this.statements.getAccessKey, rows.accessKeyFromRow, accessKeyId), false);
  }

  /** userName null lists the account's root keys; otherwise that IAM user's keys. */
  listAccessKeys(accountId: AccountId, userName: string | null): Promise<AccessKeyRecord[]> {
    return this.read(() => {
      const found = userName === null ? this.statements.listRootAccessKeys.all(accountId) : this.statements.listUserAccessKeys.all(accountId, userName);
      return (found as Row[]).map(rows.accessKeyFromRow);
    });
  }

  deleteAccessKey(accessKeyId: string): Promise<void> {
    return this.invalidating([`key:${accessKeyId}`], () => {
      this.statements.deleteAccessKey.run(accessKeyId);
    });
  }

  // settings

  getSetting(name: string): Promise<string | null> {
    return this.cached(`setting:${name}`, () => (this.statements.getSetting.get(name) as string | undefined) ?? null);
  }

  readDocuments<T>(fn: (tx: DocumentTx) => T): Promise<T> {
    return this.read(() => fn(this.documents));
  }

  writeDocuments<T>(fn: (tx: DocumentTx) => T): Promise<T> {
    return this.writes.run(() => {
      const result = fn(this.documents);
      this.generation += 1;
      return result;
    });
  }

  documentsGeneration(): number {
    return this.generation;
  }

  putSetting(name: string, value: string): Promise<void> {
    return this.invalidating([`setting:${name}`], () => {
      this.statements.upsertSetting.run({ name, value });
    });
  }

  // buckets

  createBucket(bucket: BucketRecord): Promise<'created' | 'exists'> {
    const row = rows.bucketToRow(bucket);
    return this.invalidating([`bucket:${bucket.name}`], () => (this.statements.insertBucket.run(row).changes === 1 ? 'created' : 'exists'));
  }

  getBucket(name: string): Promise<BucketRecord | null> {
    return this.cached(`bucket:${name}`, () => this.get(this.statements.getBucket, rows.bucketFromRow, name));
  }

  listBuckets(accountId: AccountId): Promise<BucketRecord[]> {
    return this.read(() => (this.statements.listBuckets.all(accountId) as Row[]).map(rows.bucketFromRow));
  }

  deleteBucket(name: string): Promise<'deleted' | 'not-empty' | 'missing'> {
    return this.writes.run(() => {
      const s = this.statements;
      this.forgetBucket(name);
      if (s.bucketExists.get(name) === undefined) return 'missing';
      if (s.anyObject.get(name) !== undefined || s.anyUpload.get(name) !== undefined) return 'not-empty';
      s.deleteBucketConfigs.run(name);
      s.deleteBucket.run(name);
      return 'deleted';
    }).finally(() => this.forgetBucket(name));
  }

  private forgetBucket(name: string): void {
    for (const key of [...this.rowCache.keys()]) {
      if (key === `bucket:${name}` || key.startsWith(`config:${name}\u0000`)) this.rowCache.delete(key);
    }
  }

  getBucketConfig(bucket: string, kind: string): Promise<string | null> {
    return this.cached(`config:${bucket}\u0000${kind}`, () => (this.statements.getBucketConfig.get(bucket, kind) as string | undefined) ?? null);
  }

  putBucketConfig(bucket: string, kind: string, value: string | null): Promise<void> {
    return this.invalidating([`config:${bucket}\u0000${kind}`], () => {
      if (value === null) this.statements.deleteBucketConfig.run(bucket, kind);
      else {
        this.requireBucket(bucket);
        this.statements.upsertBucketConfig.run({ bucket, kind, value });
      }
    });
  }

  // objects

  getObject(bucket: string, key: string): Promise<ObjectRecord | null> {
    return this.read(() => this.get(this.statements.getObject, rows.objectFromRow, bucket, key));
  }

  /** Throws NoSuchBucket when the bucket was deleted meanwhile (no object may outlive its bucket). */
  putObject(record: ObjectRecord): Promise<ObjectRecord | null> {
    const row = rows.objectToRow(record);
    return this.writes.run(() => {
      this.requireBucket(record.bucket);
      const replaced = this.get(this.statements.getObject, rows.objectFromRow, record.bucket, record.key);
      this.statements.upsertObject.run(row);
      return replaced;
    });
  }

  updateObjectAttributes(bucket: string, key: string, changes: { tags?: Record<string, string>; acl?: unknown | null }): Promise<boolean> {
    const row = {
      bucket,
      object_key: key,
      set_tags: changes.tags === undefined ? 0 : 1,
      tags: changes.tags === undefined ? null : JSON.stringify(changes.tags),
      set_acl: 'acl' in changes && changes.acl !== undefined ? 1 : 0,
      acl: changes.acl === undefined || changes.acl === null ? null : JSON.stringify(changes.acl),
    };
    return this.writes.run(() => this.statements.updateObjectAttributes.run(row).changes === 1);
  }

  deleteObject(bucket: string, key: string): Promise<ObjectRecord | null> {
    return this.writes.run(() => {
      const deleted = this.get(this.statements.getObject, rows.objectFromRow, bucket, key);
      if (deleted !== null) this.statements.deleteObject.run(bucket, key);
      return deleted;
    });
  }

  listObjects(query: ListObjectsQuery): Promise<ObjectSummary[]> {
    return this.read(() => {
      const s = this.statements;
      const limit = Math.max(0, Math.floor(query.limit));
      if (limit === 0) return [];
      // Start the index scan at the tighter of (key > afterKey) and (key >= prefix).
      const afterWins = query.prefix === '' || compareUtf8(query.afterKey, query.prefix) >= 0;
      const lower = afterWins ? query.afterKey : query.prefix;
      const upper = query.prefix === '' ? null : prefixUpperBound(query.prefix);
      const statement =
        upper === null ? (afterWins ? s.listObjectsAfter : s.listObjectsFrom) : afterWins ? s.listObjectsAfterBounded : s.listObjectsFromBounded;
      const params: Record<string, unknown> = { bucket: query.bucket, lower, limit };
      if (upper !== null) params.upper = upper;
      let found = (statement.all(params) as Row[]).map(rows.summaryFromRow);
      // Only a prefix of U+10FFFF characters has no upper bound: filter those by hand.
      if (upper === null && query.prefix !== '') found = found.filter((summary) => summary.key.startsWith(query.prefix));
      return found;
    });
  }

  countObjects(bucket: string): Promise<number> {
    return this.read(() => this.statements.countObjects.get(bucket) as number);
  }

  // multipart uploads

  /** Throws NoSuchBucket when the bucket was deleted meanwhile. */
  createUpload(upload: MultipartUploadRecord): Promise<void> {
    const row = rows.uploadToRow(upload);
    return this.writes.run(() => {
      this.requireBucket(upload.bucket);
      this.statements.insertUpload.run(row);
    });
  }

  getUpload(uploadId: string): Promise<MultipartUploadRecord | null> {
    return this.read(() => this.get(this.statements.getUpload, rows.uploadFromRow, uploadId));
  }

  /**
   * S3 ListMultipartUploads markers: with afterUploadId '' every upload of a key > afterKey; otherwise
   * also the uploads of afterKey that sort after afterUploadId (by initiated time, then id; an unknown
   * afterUploadId falls back to "upload ID lexicographically greater", as S3 documents).
   */
  listUploads(bucket: string, prefix: string, afterKey: string, afterUploadId: string, limit: number): Promise<MultipartUploadRecord[]> {
    return this.read(() => {
      const max = Math.max(0, Math.floor(limit));
      if (max === 0) return [];
      const marker = afterUploadId === '' ? null : this.get(this.statements.getUpload, rows.uploadFromRow, afterUploadId);
      const markerMode = afterUploadId === '' ? 0 : marker !== null && marker.key === afterKey ? 1 : 2;
      const upper = prefix === '' ? null : prefixUpperBound(prefix);
      const found = (
        this.statements.listUploads.all({
          bucket,
          prefix,
          upper,
          after_key: afterKey,
          marker_mode: markerMode,
          after_initiated_ms: marker?.initiatedMs ?? 0,
          after_upload_id: afterUploadId,
          limit: max,
        }) as Row[]
      ).map(rows.uploadFromRow);
      return upper === null && prefix !== '' ? found.filter((upload) => upload.key.startsWith(prefix)) : found;
    });
  }

  /** Throws NoSuchUpload when the upload was completed or aborted meanwhile (the part would be orphaned). */
  putPart(part: PartRecord): Promise<PartRecord | null> {
    const row = rows.partToRow(part);
    return this.writes.run(() => {
      this.requireUpload(part.uploadId);
      const replaced = this.get(this.statements.getPart, rows.partFromRow, part.uploadId, part.partNumber);
      this.statements.upsertPart.run(row);
      return replaced;
    });
  }

  listParts(uploadId: string, afterPartNumber: number, limit: number): Promise<PartRecord[]> {
    return this.read(() => (this.statements.listParts.all(uploadId, afterPartNumber, Math.max(0, Math.floor(limit))) as Row[]).map(rows.partFromRow));
  }

  /** Throws NoSuchUpload when the upload is gone (completed or aborted by a concurrent request). */
  completeUpload(uploadId: string, record: ObjectRecord, usedPartNumbers: number[]): Promise<{ replaced: ObjectRecord | null; unusedParts: PartRecord[] }> {
    const row = rows.objectToRow(record);
    const used = new Set(usedPartNumbers);
    return this.writes.run(() => {
      const s = this.statements;
      this.requireUpload(uploadId);
      const parts = (s.allParts.all(uploadId) as Row[]).map(rows.partFromRow);
      const replaced = this.get(s.getObject, rows.objectFromRow, record.bucket, record.key);
      s.upsertObject.run(row);
      s.deleteParts.run(uploadId);
      s.deleteUpload.run(uploadId);
      return { replaced, unusedParts: parts.filter((part) => !used.has(part.partNumber)) };
    });
  }

  abortUpload(uploadId: string): Promise<PartRecord[] | null> {
    return this.writes.run(() => {
      const s = this.statements;
      if (s.uploadExists.get(uploadId) === undefined) return null;
      const parts = (s.allParts.all(uploadId) as Row[]).map(rows.partFromRow);
      s.deleteParts.run(uploadId);
      s.deleteUpload.run(uploadId);
      return parts;
    });
  }

  // audit trail

  appendAuditEvents(events: AuditEventRecord[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const eventRows = events.map(rows.auditEventToRow);
    return this.writes.run(() => {
      for (const row of eventRows) this.statements.insertAuditEvent.run(row);
    });
  }

  queryAuditEvents(query: AuditEventQuery): Promise<AuditEventRecord[]> {
    return this.read(() => {
      const limit = Math.max(0, Math.floor(query.limit));
      if (limit === 0) return [];
      const attribute = query.attribute ?? null;
      const column = attribute ? auditAttributeColumns[attribute.key] : null;
      const shape: AuditQueryShape = {
        account: query.accountId !== null,
        start: query.startMs !== undefined && query.startMs !== null,
        end: query.endMs !== undefined && query.endMs !== null,
        attribute: column,
        principal: Boolean(query.principalContains),
        bucket: Boolean(query.bucket),
        denied: query.deniedOnly === true,
        before: Boolean(query.before),
      };
      const sql = auditQuerySql(shape);
      let statement = this.auditQueries.get(sql);
      if (!statement) {
        statement = this.db.prepare(sql);
        this.auditQueries.set(sql, statement);
      }
      const params: Record<string, unknown> = { limit };
      if (shape.account) params.account_id = query.accountId;
      if (shape.start) params.start_ms = query.startMs;
      if (shape.end) params.end_ms = query.endMs;
      if (attribute && column) {
        if (attribute.key === 'ReadOnly') params.value = attribute.value === 'true' ? 1 : 0;
        else params.value = column.like ? `%${escapeLike(JSON.stringify(attribute.value))}%` : attribute.value;
      }
      if (shape.principal) params.principal = `%${escapeLike(query.principalContains!)}%`;
      if (shape.bucket) params.bucket = query.bucket;
      if (shape.before) {
        params.before_ms = query.before!.eventTimeMs;
        params.before_id = query.before!.eventId;
      }
      return (statement.all(params) as Row[]).map(rows.auditEventFromRow);
    });
  }

  private requireBucket(bucket: string): void {
    if (this.statements.bucketExists.get(bucket) === undefined) throw s3Error('NoSuchBucket', undefined, { BucketName: bucket });
  }

  private requireUpload(uploadId: string): void {
    if (this.statements.uploadExists.get(uploadId) === undefined) throw s3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  }
}

const auditAttributeColumns: Record<string, { column: string; like: boolean }> = {
  EventName: { column: 'event_name', like: false },
  Username: { column: 'username', like: false },
  AccessKeyId: { column: 'access_key_id', like: false },
  EventSource: { column: 'event_source', like: false },
  ReadOnly: { column: 'read_only', like: false },
  EventId: { column: 'event_id', like: false },
  ResourceName: { column: 'resource_names', like: true },
  ResourceType: { column: 'resource_types', like: true },
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Open (creating and migrating as needed) the metadata database at dbPath. */
export function openSqliteMetadataStore(dbPath: string, options: SqliteMetadataStoreOptions = {}): SqliteMetadataStore {
  return new SqliteMetadataStore(dbPath, options);
}

/** DocumentTx over the documents table (statements prepared once). */
function documentAccess(db: Database.Database): DocumentTx {
  const get = db.prepare('SELECT value FROM documents WHERE scope = ? AND kind = ? AND name = ?').pluck();
  const put = db.prepare(
    'INSERT INTO documents (scope, kind, name, value) VALUES (?, ?, ?, ?) ON CONFLICT (scope, kind, name) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM documents WHERE scope = ? AND kind = ? AND name = ?');
  const list = db.prepare('SELECT name, value FROM documents WHERE scope = ? AND kind = ? ORDER BY name');
  const listFrom = db.prepare('SELECT name, value FROM documents WHERE scope = ? AND kind = ? AND name >= ? AND name < ? ORDER BY name');
  const find = db.prepare('SELECT scope, value FROM documents WHERE kind = ? AND name = ? ORDER BY scope');
  return {
    get<T>(scope: string, kind: string, name: string): T | null {
      const text = get.get(scope, kind, name) as string | undefined;
      return text === undefined ? null : (JSON.parse(text) as T);
    },
    put(scope, kind, name, value) {
      put.run(scope, kind, name, JSON.stringify(value));
    },
    delete(scope, kind, name) {
      return remove.run(scope, kind, name).changes > 0;
    },
    list<T>(scope: string, kind: string, namePrefix = '') {
      const upper = namePrefix === '' ? null : prefixUpperBound(namePrefix);
      const found = (upper === null ? list.all(scope, kind) : listFrom.all(scope, kind, namePrefix, upper)) as Array<{ name: string; value: string }>;
      return found
        .filter((row) => row.name.startsWith(namePrefix))
        .map((row) => ({ name: row.name, value: JSON.parse(row.value) as T }));
    },
    findByName<T>(kind: string, name: string) {
      return (find.all(kind, name) as Array<{ scope: string; value: string }>).map((row) => ({ scope: row.scope, value: JSON.parse(row.value) as T }));
    },
  };
}
