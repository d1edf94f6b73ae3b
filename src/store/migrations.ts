/**
 * Versioned schema of the metadata database.
 *
 * Portable SQL only, so a PostgreSQL implementation can replay the same list:
 * - types are TEXT, BLOB (PostgreSQL: BYTEA), INTEGER and BIGINT (64-bit sizes and epoch milliseconds);
 * - upserts use `INSERT … ON CONFLICT … DO UPDATE` (SQLite ≥ 3.24, PostgreSQL ≥ 9.5);
 * - key order is UTF-8 binary: SQLite's default BINARY collation on TEXT gives it, PostgreSQL needs
 *   `COLLATE "C"` on object_key columns;
 * - maps (headers, user metadata, tags, ACL, encryption, checksum) are JSON in TEXT columns;
 * - the applied version lives in a plain table (schema_migrations), not in PRAGMA user_version.
 * Never edit a released migration: append a new one.
 */

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, keys, settings, buckets, objects, multipart uploads',
    statements: [
      `CREATE TABLE accounts (
        id TEXT NOT NULL PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        canonical_id TEXT NOT NULL UNIQUE,
        email TEXT NOT NULL,
        created_at_ms BIGINT NOT NULL
      )`,
      `CREATE TABLE access_keys (
        access_key_id TEXT NOT NULL PRIMARY KEY,
        secret_sealed BLOB NOT NULL,
        account_id TEXT NOT NULL,
        principal_type TEXT NOT NULL,
        user_name TEXT,
        status TEXT NOT NULL,
        created_at_ms BIGINT NOT NULL
      )`,
      `CREATE INDEX access_keys_by_account ON access_keys (account_id, user_name)`,
      `CREATE TABLE settings (
        name TEXT NOT NULL PRIMARY KEY,
        value TEXT NOT NULL
      )`,
      `CREATE TABLE buckets (
        name TEXT NOT NULL PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        created_at_ms BIGINT NOT NULL
      )`,
      `CREATE INDEX buckets_by_account ON buckets (account_id, name)`,
      `CREATE TABLE bucket_configs (
        bucket TEXT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (bucket, kind)
      )`,
      // Listing columns first, inline bytes last: a listing then reads only the start of each row.
      `CREATE TABLE objects (
        bucket TEXT NOT NULL,
        object_key TEXT NOT NULL,
        size_bytes BIGINT NOT NULL,
        etag TEXT NOT NULL,
        last_modified_ms BIGINT NOT NULL,
        owner_account_id TEXT NOT NULL,
        storage_class TEXT NOT NULL,
        checksum_algorithm TEXT,
        checksum_type TEXT,
        checksum_value TEXT,
        headers TEXT NOT NULL,
        user_metadata TEXT NOT NULL,
        tags TEXT NOT NULL,
        acl TEXT,
        encryption TEXT,
        parts_count INTEGER,
        part_sizes TEXT,
        data_kind TEXT NOT NULL,
        blob_ids TEXT,
        inline_bytes BLOB,
        PRIMARY KEY (bucket, object_key)
      )`,
      `CREATE TABLE uploads (
        upload_id TEXT NOT NULL PRIMARY KEY,
        bucket TEXT NOT NULL,
        object_key TEXT NOT NULL,
        initiator_account_id TEXT NOT NULL,
        initiator_arn TEXT NOT NULL,
        owner_account_id TEXT NOT NULL,
        initiated_ms BIGINT NOT NULL,
        headers TEXT NOT NULL,
        user_metadata TEXT NOT NULL,
        tags TEXT NOT NULL,
        acl TEXT,
        encryption TEXT,
        storage_class TEXT NOT NULL,
        checksum_algorithm TEXT,
        checksum_type TEXT
      )`,
      `CREATE INDEX uploads_by_key ON uploads (bucket, object_key, initiated_ms, upload_id)`,
      `CREATE TABLE parts (
        upload_id TEXT NOT NULL,
        part_number INTEGER NOT NULL,
        size_bytes BIGINT NOT NULL,
        etag TEXT NOT NULL,
        last_modified_ms BIGINT NOT NULL,
        checksum_algorithm TEXT,
        checksum_type TEXT,
        checksum_value TEXT,
        blob_id TEXT NOT NULL,
        PRIMARY KEY (upload_id, part_number)
      )`,
    ],
  },
  {
    version: 2,
    name: 'documents: IAM entities, STS and organization state as JSON rows',
    statements: [
      // scope = account ID (or 'aws' / 'global'); kind = 'user' | 'role' | 'policy' …; name unique per (scope, kind).
      `CREATE TABLE documents (
        scope TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (scope, kind, name)
      )`,
      `CREATE INDEX documents_by_kind ON documents (kind, name)`,
    ],
  },
  {
    version: 3,
    name: 'audit_events: the append-only CloudTrail-like trail, one row per recipient account',
    statements: [
      // resource_names / resource_types are JSON arrays of strings (LookupEvents ResourceName/ResourceType use LIKE).
      `CREATE TABLE audit_events (
        account_id TEXT NOT NULL,
        event_time_ms BIGINT NOT NULL,
        event_id TEXT NOT NULL,
        event_name TEXT NOT NULL,
        event_source TEXT NOT NULL,
        username TEXT,
        access_key_id TEXT,
        read_only INTEGER NOT NULL,
        principal_arn TEXT,
        bucket TEXT,
        error_code TEXT,
        resource_names TEXT NOT NULL,
        resource_types TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (account_id, event_time_ms, event_id)
      )`,
      `CREATE INDEX audit_events_by_name ON audit_events (account_id, event_name, event_time_ms)`,
      `CREATE INDEX audit_events_by_time ON audit_events (event_time_ms)`,
      `CREATE INDEX audit_events_by_id ON audit_events (event_id)`,
    ],
  },
];

/** The minimal database surface migrations need (better-sqlite3 satisfies it; a pg adapter can too). */
export interface MigrationTarget {
  exec(sql: string): void;
  appliedVersions(): number[];
  /** Runs fn in one transaction. */
  inTransaction(fn: () => void): void;
}

export const migrationsTableSql = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at_ms BIGINT NOT NULL
)`;

/** Applies every migration not yet recorded, in version order; returns the versions applied now. */
export function applyMigrations(
  target: MigrationTarget,
  record: (migration: Migration) => void,
  list: readonly Migration[] = migrations,
): number[] {
  target.exec(migrationsTableSql);
  const applied = new Set(target.appliedVersions());
  const known = new Set(list.map((migration) => migration.version));
  for (const version of applied) {
    if (!known.has(version)) throw new Error(`metadata database has schema version ${version}, unknown to this build (newer crossbucket?)`);
  }
  const done: number[] = [];
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    target.inTransaction(() => {
      for (const statement of migration.statements) target.exec(statement);
      record(migration);
    });
    done.push(migration.version);
  }
  return done;
}
