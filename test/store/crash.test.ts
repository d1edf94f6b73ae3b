// Crash safety (issue 2 item 7: "a PUT is acknowledged only when durable"): kill -9 a writer mid-stream,
// reopen the stores, and find every acknowledged object intact and every temp file swept.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openSqliteMetadataStore } from '../../src/store/sqlite-metadata.js';
import { FileBlobStore } from '../../src/store/file-blob-store.js';
import { readAll } from './blob-cases.js';

const writerScript = fileURLToPath(new URL('./fixtures/crash-writer.js', import.meta.url));

/** Run the writer until it acknowledged `acksBeforeKill` puts, SIGKILL it, and return every ACK line it printed. */
function runAndKill(dataDir: string, acksBeforeKill: number, walSync: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerScript, dataDir, walSync], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged = new Map<string, string>();
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [tag, key, sha] = line.split(' ');
        if (tag === 'ACK') acknowledged.set(key!, sha!);
      }
      if (!killed && acknowledged.size >= acksBeforeKill) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
      else resolve(acknowledged);
    });
  });
}

describe('crash safety of the SQLite metadata store and FileBlobStore', () => {
  for (const walSync of ['commit', 'background']) {
    it(`after kill -9 (walSync ${walSync}), every acknowledged put is present and intact and temp files are swept`, async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'crossbucket-crash-'));
      try {
        const acknowledged = await runAndKill(dataDir, 600, walSync);
        assert.ok(acknowledged.size >= 600, `got ${acknowledged.size} acknowledgements`);

        const integrity = new Database(path.join(dataDir, 'metadata.db'));
        assert.equal(integrity.pragma('integrity_check', { simple: true }), 'ok');
        integrity.close();

        const store = openSqliteMetadataStore(path.join(dataDir, 'metadata.db'));
        const blobs = new FileBlobStore(dataDir);
        const swept = await blobs.sweepTemporaryFiles();
        assert.ok(swept >= 1, 'the abandoned writer left a temp file to sweep');
        assert.deepEqual(await readdir(path.join(dataDir, 'tmp')), []);
        let blobBacked = 0;
        for (const [key, sha] of acknowledged) {
          const record = await store.getObject('crash', key);
          assert.ok(record, `acknowledged ${key} is missing after the crash`);
          let bytes: Buffer;
          if (record.data.kind === 'inline') bytes = record.data.bytes;
          else if (record.data.kind === 'blob') {
            blobBacked += 1;
            bytes = await readAll(blobs.read(record.data.blobId));
          } else throw new Error('unexpected multipart data');
          assert.equal(bytes.length, record.sizeBytes);
          assert.equal(createHash('sha256').update(bytes).digest('hex'), sha, `${key} bytes differ`);
        }
        assert.ok(blobBacked > 0, 'some acknowledged objects were blob-backed');
        await store.close();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }
});
