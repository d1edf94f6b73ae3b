/**
 * Micro-benchmark of the storage layer alone (no HTTP, no SigV4):
 *   - durable 4 KiB inline PUTs at concurrency 1 and 16 (group commit at work; both walSync modes),
 *   - 4 KiB GETs (one prepared-statement read),
 *   - listing 10,000 keys in pages of 1,000,
 *   - a 64 MiB blob written (fsync + rename) and read back.
 * Run: node dist/bench/store-bench.js
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { openSqliteMetadataStore } from '../src/store/sqlite-metadata.js';
import { FileBlobStore } from '../src/store/file-blob-store.js';
import type { ObjectRecord } from '../src/store/types.js';

export interface StoreBenchResult {
  name: string;
  operations: number;
  seconds: number;
  operationsPerSecond: number;
  megabytesPerSecond: number | null;
  note?: string;
}

function inlineObject(key: string, body: Buffer): ObjectRecord {
  return {
    bucket: 'bench', key, ownerAccountId: '111111111111', sizeBytes: body.length, etag: '"00000000000000000000000000000000"',
    lastModifiedMs: Date.now(), headers: { 'content-type': 'application/octet-stream' }, userMetadata: {}, checksum: null, tags: {},
    acl: null, encryption: null, storageClass: 'STANDARD', partsCount: null, partSizes: null, data: { kind: 'inline', bytes: body },
  };
}

async function timed(count: number, concurrency: number, operation: (index: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < count; index = next++) await operation(index);
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function result(name: string, operations: number, seconds: number, bytesPerOperation: number | null, note?: string): StoreBenchResult {
  return {
    name, operations, seconds, operationsPerSecond: operations / seconds,
    megabytesPerSecond: bytesPerOperation === null ? null : (operations * bytesPerOperation) / seconds / 1e6, note,
  };
}

export async function runStoreBench(options: { putCount?: number; directory?: string } = {}): Promise<StoreBenchResult[]> {
  const putCount = options.putCount ?? 20_000;
  const directory = options.directory ?? (await mkdtemp(path.join(tmpdir(), 'crossbucket-store-bench-')));
  const store = openSqliteMetadataStore(path.join(directory, 'metadata.db'));
  const blobs = new FileBlobStore(directory);
  const results: StoreBenchResult[] = [];
  try {
    await store.createBucket({ name: 'bench', accountId: '111111111111', region: 'us-east-1', createdAtMs: Date.now() });
    const body = randomBytes(4096);

    const serialCount = Math.max(200, Math.floor(putCount / 10));
    let stats = store.groupCommitStats();
    let seconds = await timed(serialCount, 1, (index) => store.putObject(inlineObject(`serial/${index}`, body)));
    let after = store.groupCommitStats();
    results.push(result('PUT 4 KiB inline, concurrency 1', serialCount, seconds, 4096, `${after.transactions - stats.transactions} commits`));

    stats = store.groupCommitStats();
    seconds = await timed(putCount, 16, (index) => store.putObject(inlineObject(`c16/${String(index).padStart(6, '0')}`, body)));
    after = store.groupCommitStats();
    const perCommit = (after.mutations - stats.mutations) / Math.max(1, after.transactions - stats.transactions);
    results.push(result('PUT 4 KiB inline, concurrency 16', putCount, seconds, 4096, `${perCommit.toFixed(1)} puts per commit`));

    const background = openSqliteMetadataStore(path.join(directory, 'metadata-background.db'), { walSync: 'background' });
    try {
      await background.createBucket({ name: 'bench', accountId: '111111111111', region: 'us-east-1', createdAtMs: Date.now() });
      seconds = await timed(putCount, 16, (index) => background.putObject(inlineObject(`c16/${index}`, body)));
      const counted = background.groupCommitStats();
      results.push(result("PUT 4 KiB inline, concurrency 16, walSync 'background'", putCount, seconds, 4096, `${(counted.mutations / Math.max(1, counted.syncs)).toFixed(1)} puts per fdatasync`));
    } finally {
      await background.close();
    }

    seconds = await timed(putCount, 16, (index) => store.getObject('bench', `c16/${String(index % putCount).padStart(6, '0')}`));
    results.push(result('GET 4 KiB inline, concurrency 16', putCount, seconds, 4096));

    const listed = 10_000;
    const listRounds = 5;
    seconds = await timed(listRounds, 1, async () => {
      let afterKey = '';
      for (let page = 0; page < listed / 1000; page += 1) {
        const summaries = await store.listObjects({ bucket: 'bench', prefix: 'c16/', afterKey, limit: 1000 });
        afterKey = summaries[summaries.length - 1]!.key;
      }
    });
    results.push(result('LIST 10,000 keys (10 pages of 1,000)', listRounds, seconds, null));

    const big = randomBytes(64 * 1024 * 1024);
    const chunk = 64 * 1024;
    const blobIds: string[] = [];
    seconds = await timed(3, 1, async () => {
      const writer = blobs.createWriter();
      for (let offset = 0; offset < big.length; offset += chunk) await writer.write(big.subarray(offset, offset + chunk));
      blobIds.push((await writer.commit()).blobId);
    });
    results.push(result('blob write 64 MiB (64 KiB chunks, fsync)', 3, seconds, big.length));

    seconds = await timed(3, 1, async (index) => {
      let total = 0;
      for await (const piece of blobs.read(blobIds[index]!)) total += (piece as Buffer).length;
      if (total !== big.length) throw new Error(`read ${total} bytes`);
    });
    results.push(result('blob read 64 MiB', 3, seconds, big.length));
    return results;
  } finally {
    await store.close();
    if (options.directory === undefined) await rm(directory, { recursive: true, force: true });
  }
}

export function formatStoreBench(results: StoreBenchResult[]): string {
  const lines = ['| store operation | ops | seconds | ops/s | MB/s | note |', '|---|---:|---:|---:|---:|---|'];
  for (const row of results) {
    lines.push(
      `| ${row.name} | ${row.operations} | ${row.seconds.toFixed(2)} | ${Math.round(row.operationsPerSecond)} | ${row.megabytesPerSecond === null ? '' : row.megabytesPerSecond.toFixed(0)} | ${row.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runStoreBench();
  process.stdout.write(formatStoreBench(results) + '\n');
}
