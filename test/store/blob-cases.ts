/**
 * The shared BlobStore suite: every implementation runs these cases through runBlobStoreCases.
 */
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { BlobStore } from '../../src/store/types.js';

export interface BlobStoreFixture {
  store: BlobStore;
  dispose(): Promise<void>;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function writeBlob(store: BlobStore, chunks: Buffer[]): Promise<{ blobId: string; sizeBytes: number }> {
  const writer = store.createWriter();
  for (const chunk of chunks) await writer.write(chunk);
  return writer.commit();
}

export function runBlobStoreCases(name: string, factory: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore cases: ${name}`, () => {
    let fixture: BlobStoreFixture;
    let store: BlobStore;
    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    it('writes chunks, commits, and reads back the same bytes', async () => {
      const chunks = [randomBytes(10), randomBytes(70_000), Buffer.alloc(0), randomBytes(3 * 1024 * 1024 + 5)];
      const expected = Buffer.concat(chunks);
      const { blobId, sizeBytes } = await writeBlob(store, chunks);
      assert.equal(sizeBytes, expected.length);
      assert.equal(await store.sizeOf(blobId), expected.length);
      const actual = await readAll(store.read(blobId));
      assert.equal(createHash('sha256').update(actual).digest('hex'), createHash('sha256').update(expected).digest('hex'));
    });

    it('commits an empty blob', async () => {
      const { blobId, sizeBytes } = await writeBlob(store, []);
      assert.equal(sizeBytes, 0);
      assert.equal((await readAll(store.read(blobId))).length, 0);
    });

    it('reads inclusive byte ranges (first byte, middle, last byte, whole, empty)', async () => {
      const bytes = randomBytes(5000);
      const { blobId } = await writeBlob(store, [bytes]);
      assert.deepEqual(await readAll(store.read(blobId, 0, 0)), bytes.subarray(0, 1));
      assert.deepEqual(await readAll(store.read(blobId, 100, 1099)), bytes.subarray(100, 1100));
      assert.deepEqual(await readAll(store.read(blobId, 4999, 4999)), bytes.subarray(4999));
      assert.deepEqual(await readAll(store.read(blobId, 4000)), bytes.subarray(4000));
      assert.deepEqual(await readAll(store.read(blobId, 0, 4999)), bytes);
      assert.equal((await readAll(store.read(blobId, 10, 9))).length, 0);
    });

    it('gives every blob a distinct id', async () => {
      const ids = await Promise.all(Array.from({ length: 20 }, () => writeBlob(store, [Buffer.from('same bytes')])));
      assert.equal(new Set(ids.map((result) => result.blobId)).size, 20);
    });

    it('abort discards the bytes; the writer refuses further use', async () => {
      const writer = store.createWriter();
      await writer.write(Buffer.from('doomed'));
      await writer.abort();
      await assert.rejects(writer.write(Buffer.from('more')));
      await assert.rejects(writer.commit());
      assert.equal(await store.sweepTemporaryFiles(), 0, 'abort left no temporary file');
    });

    it('delete removes the blob; deleting twice is harmless', async () => {
      const { blobId } = await writeBlob(store, [Buffer.from('bye')]);
      await store.delete(blobId);
      await store.delete(blobId);
      await assert.rejects(store.sizeOf(blobId));
      await assert.rejects(readAll(store.read(blobId)));
    });

    it('refuses ids that are not of the generated form (path traversal, separators, empty)', async () => {
      for (const bad of ['../../etc/passwd', '..', '', 'a/b', '/etc/passwd', 'ABCDEF0123456789ABCDEF0123456789', '0'.repeat(31), '0'.repeat(32) + '/', '0'.repeat(31) + '\0']) {
        assert.throws(() => store.read(bad), /invalid blob id/, `read ${JSON.stringify(bad)}`);
        await assert.rejects(store.delete(bad), /invalid blob id/, `delete ${JSON.stringify(bad)}`);
        await assert.rejects(store.sizeOf(bad), /invalid blob id/, `sizeOf ${JSON.stringify(bad)}`);
      }
    });
  });
}
