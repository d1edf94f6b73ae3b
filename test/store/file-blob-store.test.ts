// Runs the shared BlobStore suite on FileBlobStore, plus the on-disk layout and sweep rules (design.md "Data and durability").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileBlobStore, isBlobId } from '../../src/store/file-blob-store.js';
import { runBlobStoreCases, readAll, writeBlob } from './blob-cases.js';

async function temporaryDirectory(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'crossbucket-blobs-'));
}

runBlobStoreCases('FileBlobStore', async () => {
  const directory = await temporaryDirectory();
  // A small chunk size exercises the gathering of several chunks per write.
  return { store: new FileBlobStore(directory, { chunkBytes: 64 * 1024 }), dispose: () => rm(directory, { recursive: true, force: true }) };
});

describe('FileBlobStore layout and recovery', () => {
  it('stores committed blobs at <dir>/blobs/<first 2 hex>/<id> with random 32-hex ids', async () => {
    const directory = await temporaryDirectory();
    const store = new FileBlobStore(directory);
    const { blobId } = await writeBlob(store, [Buffer.from('hello')]);
    assert.ok(isBlobId(blobId));
    assert.match(blobId, /^[0-9a-f]{32}$/);
    const file = path.join(directory, 'blobs', blobId.slice(0, 2), blobId);
    assert.equal((await stat(file)).size, 5);
    assert.equal(store.pathOf(blobId), file);
    assert.deepEqual(await readdir(path.join(directory, 'tmp')), []);
    await rm(directory, { recursive: true, force: true });
  });

  it('keeps uncommitted bytes in <dir>/tmp only, never in blobs/', async () => {
    const directory = await temporaryDirectory();
    const store = new FileBlobStore(directory, { chunkBytes: 16 });
    const writer = store.createWriter();
    await writer.write(Buffer.alloc(100, 1));
    // write() returns while its flush runs (double buffering); the next write waits for that flush.
    await writer.write(Buffer.alloc(100, 2));
    const temporary = await readdir(path.join(directory, 'tmp'));
    assert.equal(temporary.length, 1);
    assert.ok(isBlobId(temporary[0]!));
    assert.deepEqual(await readdir(path.join(directory, 'blobs')), []);
    const { blobId } = await writer.commit();
    assert.equal(blobId, temporary[0]);
    assert.deepEqual(await readdir(path.join(directory, 'tmp')), []);
    await rm(directory, { recursive: true, force: true });
  });

  it('sweepTemporaryFiles removes files left by a crash and keeps committed blobs', async () => {
    const directory = await temporaryDirectory();
    const store = new FileBlobStore(directory);
    const { blobId } = await writeBlob(store, [Buffer.from('keep me')]);
    await mkdir(path.join(directory, 'tmp'), { recursive: true });
    await writeFile(path.join(directory, 'tmp', 'a'.repeat(32)), 'partial');
    await writeFile(path.join(directory, 'tmp', 'b'.repeat(32)), 'partial');
    const restarted = new FileBlobStore(directory);
    assert.equal(await restarted.sweepTemporaryFiles(), 2);
    assert.deepEqual(await readdir(path.join(directory, 'tmp')), []);
    assert.equal((await readAll(restarted.read(blobId))).toString(), 'keep me');
    await rm(directory, { recursive: true, force: true });
  });

  it('sweepTemporaryFiles on a fresh directory creates the layout and removes nothing', async () => {
    const directory = await temporaryDirectory();
    assert.equal(await new FileBlobStore(path.join(directory, 'fresh')).sweepTemporaryFiles(), 0);
    assert.deepEqual((await readdir(path.join(directory, 'fresh'))).sort(), ['blobs', 'tmp']);
    await rm(directory, { recursive: true, force: true });
  });

  it('refuses an id generator that produces unsafe ids', async () => {
    const directory = await temporaryDirectory();
    const store = new FileBlobStore(directory, { generateId: () => '../../escape' });
    assert.throws(() => store.createWriter(), /invalid blob id/);
    await rm(directory, { recursive: true, force: true });
  });
});
