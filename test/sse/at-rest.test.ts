// White-box: no plaintext under the data directory, and tampered ciphertext is an error, never wrong
// data (design.md "Encryption"; issue 5 "Real cryptography at rest").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, open } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { startServer, type Server } from '../e2e/harness.js';
import { expectS3Error, streamToBuffer } from '../e2e/expect.js';

let server: Server;
let owner: S3Client;
let ownerTls: S3Client;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function repeated(marker: string, size: number): Buffer {
  const unit = Buffer.from(marker);
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += unit.length) unit.copy(out, i);
  return out;
}

describe('encryption at rest (white box)', () => {
  before(async () => {
    server = await startServer();
    owner = server.s3('owner');
    ownerTls = server.s3('owner', { https: true });
  });
  after(() => server?.close());

  it('no plaintext marker of inline, blob, multipart, SSE-KMS or SSE-C objects appears in any file under the data directory', async () => {
    const marker = `PLAINTEXT-MARKER-${randomBytes(8).toString('hex')}`;
    const bucket = 'at-rest-scan';
    await owner.send(new CreateBucketCommand({ Bucket: bucket }));
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'small', Body: Buffer.from(`tiny ${marker} tiny`) }));
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'large', Body: repeated(marker, 300_000) }));
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'kms-small', Body: Buffer.from(marker), ServerSideEncryption: 'aws:kms' }));
    await ownerTls.send(new PutObjectCommand({ Bucket: bucket, Key: 'ssec', Body: repeated(marker, 100_000), SSECustomerAlgorithm: 'AES256', SSECustomerKey: randomBytes(32).toString('base64') }));
    const created = await owner.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'multi' }));
    const p1 = await owner.send(new UploadPartCommand({ Bucket: bucket, Key: 'multi', UploadId: created.UploadId, PartNumber: 1, Body: repeated(marker, 5 * 1024 * 1024) }));
    const p2 = await owner.send(new UploadPartCommand({ Bucket: bucket, Key: 'multi', UploadId: created.UploadId, PartNumber: 2, Body: repeated(marker, 1000) }));
    await owner.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'multi', UploadId: created.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }));
    // The objects read back fine, so the scan below looks at real data.
    const small = await streamToBuffer((await owner.send(new GetObjectCommand({ Bucket: bucket, Key: 'small' }))).Body);
    assert.ok(small.includes(Buffer.from(marker)));

    const needle = Buffer.from(marker);
    const files = await filesUnder(server.dataDir);
    assert.ok(files.some((file) => file.includes(`${path.sep}blobs${path.sep}`)), 'blobs were written');
    assert.ok(files.some((file) => /\.db(-wal)?$/.test(file)), 'the metadata database is scanned');
    for (const file of files) {
      const bytes = await readFile(file);
      assert.equal(bytes.indexOf(needle), -1, `plaintext marker found in ${path.relative(server.dataDir, file)}`);
    }
  });

  it('a flipped byte is an error, never wrong data: inline → InternalError, blob → the GET fails', async () => {
    const bucket = 'at-rest-tamper';
    await owner.send(new CreateBucketCommand({ Bucket: bucket }));
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'inline', Body: Buffer.from('small object body') }));
    const big = randomBytes(200_000);
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'blob', Body: big }));
    const dbFile = (await filesUnder(server.dataDir)).find((file) => file.endsWith('.db'))!;
    const db = new Database(dbFile);
    try {
      db.pragma('busy_timeout = 5000');
      const row = db.prepare('SELECT inline_bytes FROM objects WHERE bucket = ? AND object_key = ?').get(bucket, 'inline') as { inline_bytes: Buffer };
      const flipped = Buffer.from(row.inline_bytes);
      flipped[3] ^= 0x01;
      db.prepare('UPDATE objects SET inline_bytes = ? WHERE bucket = ? AND object_key = ?').run(flipped, bucket, 'inline');
      const blobRow = db.prepare('SELECT blob_ids FROM objects WHERE bucket = ? AND object_key = ?').get(bucket, 'blob') as { blob_ids: string };
      const blobId = (JSON.parse(blobRow.blob_ids) as string[])[0]!;
      const blobFile = path.join(server.dataDir, 'blobs', blobId.slice(0, 2), blobId);
      const handle = await open(blobFile, 'r+');
      try {
        const one = Buffer.alloc(1);
        await handle.read(one, 0, 1, 140_000);
        one[0] ^= 0x80;
        await handle.write(one, 0, 1, 140_000);
      } finally {
        await handle.close();
      }
    } finally {
      db.close();
    }
    await expectS3Error(owner.send(new GetObjectCommand({ Bucket: bucket, Key: 'inline' })), 'InternalError', 500);
    // Chunks before the damaged one are fine to read by range…
    const head = await streamToBuffer((await owner.send(new GetObjectCommand({ Bucket: bucket, Key: 'blob', Range: 'bytes=0-99' }))).Body);
    assert.deepEqual(head, big.subarray(0, 100));
    // …but a GET that reaches it aborts instead of returning the wrong bytes.
    let failed = false;
    let received: Buffer | null = null;
    try {
      const out = await owner.send(new GetObjectCommand({ Bucket: bucket, Key: 'blob' }));
      received = await streamToBuffer(out.Body);
    } catch {
      failed = true;
    }
    assert.ok(failed, `the GET returned ${received?.length} bytes without an error`);
  });
});
