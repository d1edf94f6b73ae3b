// Runs the shared MetadataStore suite on SQLite, plus SQLite-specific checks (pragmas, migrations, batching).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteMetadataStore, type SqliteMetadataStore } from '../../src/store/sqlite-metadata.js';
import { migrations } from '../../src/store/migrations.js';
import { runMetadataStoreCases } from './metadata-cases.js';
import { bucket, object } from './records.js';

async function temporaryDatabase(): Promise<{ dbPath: string; remove: () => Promise<void> }> {
  const directory = await mkdtemp(path.join(tmpdir(), 'crossbucket-sqlite-'));
  return { dbPath: path.join(directory, 'metadata.db'), remove: () => rm(directory, { recursive: true, force: true }) };
}

for (const walSync of ['background', 'commit'] as const) {
  runMetadataStoreCases(`SQLite (walSync ${walSync})`, async () => {
    const { dbPath, remove } = await temporaryDatabase();
    let store = openSqliteMetadataStore(dbPath, { walSync });
    return {
      store,
      async reopen() {
        await store.close();
        store = openSqliteMetadataStore(dbPath, { walSync });
        return store;
      },
      async dispose() {
        await store.close();
        await remove();
      },
    };
  });
}

describe('SQLite metadata store specifics', () => {
  it('new databases use 16 KiB pages, so a 4 KiB inline object row fits one page', async () => {
    const { dbPath, remove } = await temporaryDatabase();
    await openSqliteMetadataStore(dbPath).close();
    const db = new Database(dbPath);
    assert.equal(db.pragma('page_size', { simple: true }), 16384);
    db.close();
    await remove();
  });

  it('cached rows follow writes: a setting, a bucket configuration and a deleted bucket read back current', async () => {
    const { dbPath, remove } = await temporaryDatabase();
    const store = openSqliteMetadataStore(dbPath);
    await store.putSetting('s', 'one');
    assert.equal(await store.getSetting('s'), 'one');
    await store.putSetting('s', 'two');
    assert.equal(await store.getSetting('s'), 'two');
    await store.createBucket(bucket('cached'));
    assert.equal(await store.getBucketConfig('cached', 'policy'), null);
    await store.putBucketConfig('cached', 'policy', '{"v":1}');
    assert.equal(await store.getBucketConfig('cached', 'policy'), '{"v":1}');
    assert.equal((await store.getBucket('cached'))?.name, 'cached');
    assert.equal(await store.deleteBucket('cached'), 'deleted');
    assert.equal(await store.getBucket('cached'), null);
    assert.equal(await store.getBucketConfig('cached', 'policy'), null);
    await store.close();
    await remove();
  });

  it('uses WAL; walSync commit (default) sets synchronous=FULL, background sets NORMAL and acknowledges after a WAL fdatasync', async () => {
    const { dbPath, remove } = await temporaryDatabase();
    await openSqliteMetadataStore(dbPath).close();
    const db = new Database(dbPath);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
    // synchronous is per connection: look at the store's own connection.
    const connectionOf = (store: SqliteMetadataStore) => (store as unknown as { db: Database.Database }).db;
    const full = openSqliteMetadataStore(dbPath);
    assert.equal(connectionOf(full).pragma('synchronous', { simple: true }), 2, 'FULL = 2');
    await full.putSetting('a', '1');
    assert.equal(full.groupCommitStats().syncs, 0);
    await full.close();
    const background = openSqliteMetadataStore(dbPath, { walSync: 'background' });
    assert.equal(connectionOf(background).pragma('synchronous', { simple: true }), 1, 'NORMAL = 1');
    await Promise.all([background.putSetting('b', '2'), background.putSetting('c', '3')]);
    const stats = background.groupCommitStats();
    assert.equal(stats.transactions, 1);
    assert.equal(stats.syncs, 1, 'one WAL fdatasync acknowledged both');
    await background.close();
    await remove();
  });

  it('records applied migrations in schema_migrations and applies each only once', async () => {
    const { dbPath, remove } = await temporaryDatabase();
    await openSqliteMetadataStore(dbPath).close();
    await openSqliteMetadataStore(dbPath).close();
    const db = new Database(dbPath);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    assert.deepEqual(versions, migrations.map((migration) => migration.version));
    db.close();
    await remove();
  });

  it('refuses a database with a schema version this build does not know', async () => {
    const { dbPath, remove } = await temporaryDatabase();
    await openSqliteMetadataStore(dbPath).close();
    const db = new Database(dbPath);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (999, ?, 0)').run('future');
    db.close();
    assert.throws(() => openSqliteMetadataStore(dbPath), /schema version 999/);
    await remove();
  });

  it('group commit: 200 concurrent puts share a handful of transactions', async () => {
    const { dbPath, remove } = await temporaryDatabase();
    const store = openSqliteMetadataStore(dbPath);
    await store.createBucket(bucket('b'));
    const before = store.groupCommitStats();
    await Promise.all(Array.from({ length: 200 }, (_, index) => store.putObject(object('b', `k${index}`))));
    const after = store.groupCommitStats();
    assert.equal(after.mutations - before.mutations, 200);
    assert.ok(after.transactions - before.transactions <= 2, `expected ≤ 2 transactions, got ${after.transactions - before.transactions}`);
    await store.close();
    await remove();
  });

  it('listObjects uses the (bucket, object_key) primary-key index for range scans', async () => {
    const { dbPath, remove } = await temporaryDatabase();
    await openSqliteMetadataStore(dbPath).close();
    const db = new Database(dbPath);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT object_key, size_bytes, etag, storage_class FROM objects WHERE bucket = 'b' AND object_key > 'a' AND object_key < 'b' ORDER BY object_key LIMIT 10")
      .all()
      .map((row) => (row as { detail: string }).detail)
      .join('\n');
    assert.match(plan, /USING (COVERING )?INDEX sqlite_autoindex_objects_1 \(bucket=\? AND object_key>\? AND object_key<\?\)/);
    assert.doesNotMatch(plan, /TEMP B-TREE/);
    db.close();
    await remove();
  });
});
