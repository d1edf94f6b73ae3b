/**
 * BlobStore on the local file system:
 *   <dir>/tmp/<id>              bytes being written (swept on start)
 *   <dir>/blobs/<2-hex>/<id>    committed blobs
 * Ids are random (never derived from object keys) and validated on every call, so no caller input
 * can name a path outside the store. A writer fsyncs its temp file, renames it into place and fsyncs
 * the directory before commit() resolves: a committed blob survives a crash or power loss.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { limits } from '../limits.js';
import type { BlobStore, BlobWriter } from './types.js';

/** 32 lowercase hex characters (128 random bits). */
const blobIdPattern = /^[0-9a-f]{32}$/;

export function isBlobId(value: string): boolean {
  return blobIdPattern.test(value);
}

export function randomBlobId(): string {
  return randomBytes(16).toString('hex');
}

export interface FileBlobStoreOptions {
  /** Id generator (injectable for tests); must return ids matching isBlobId. */
  generateId?: () => string;
  /** Bytes gathered before one write to the temp file, and read-stream chunk size. */
  chunkBytes?: number;
}

function assertBlobId(blobId: string): void {
  if (typeof blobId !== 'string' || !isBlobId(blobId)) throw new Error(`invalid blob id ${JSON.stringify(String(blobId).slice(0, 80))}`);
}

async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export class FileBlobStore implements BlobStore {
  readonly blobsDirectory: string;
  readonly temporaryDirectory: string;
  private readonly generateId: () => string;
  private readonly chunkBytes: number;
  private layoutReady: Promise<void> | null = null;

  constructor(readonly dataDirectory: string, options: FileBlobStoreOptions = {}) {
    this.blobsDirectory = path.join(dataDirectory, 'blobs');
    this.temporaryDirectory = path.join(dataDirectory, 'tmp');
    this.generateId = options.generateId ?? randomBlobId;
    this.chunkBytes = options.chunkBytes ?? limits.streamChunkBytes;
  }

  /** Path of a committed blob (the id is validated first). */
  pathOf(blobId: string): string {
    assertBlobId(blobId);
    return path.join(this.blobsDirectory, blobId.slice(0, 2), blobId);
  }

  createWriter(): BlobWriter {
    const blobId = this.generateId();
    assertBlobId(blobId);
    return new FileBlobWriter(this, blobId, path.join(this.temporaryDirectory, blobId), this.chunkBytes);
  }

  read(blobId: string, start = 0, endInclusive?: number): NodeJS.ReadableStream {
    const file = this.pathOf(blobId);
    if (endInclusive !== undefined && endInclusive < start) return Readable.from([]);
    return createReadStream(file, { start, end: endInclusive, highWaterMark: this.chunkBytes });
  }

  async sizeOf(blobId: string): Promise<number> {
    return (await stat(this.pathOf(blobId))).size;
  }

  async delete(blobId: string): Promise<void> {
    try {
      await unlink(this.pathOf(blobId));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /** Remove temp files left by a crash. Call on start, before any writer exists. */
  async sweepTemporaryFiles(): Promise<number> {
    await this.ensureLayout();
    let removed = 0;
    for (const name of await readdir(this.temporaryDirectory)) {
      try {
        await unlink(path.join(this.temporaryDirectory, name));
        removed += 1;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return removed;
  }

  /** Create <dir>/tmp and <dir>/blobs once (durably). */
  ensureLayout(): Promise<void> {
    this.layoutReady ??= (async () => {
      const createdTmp = await mkdir(this.temporaryDirectory, { recursive: true, mode: 0o700 });
      const createdBlobs = await mkdir(this.blobsDirectory, { recursive: true, mode: 0o700 });
      if (createdTmp !== undefined || createdBlobs !== undefined) await fsyncDirectory(this.dataDirectory);
    })();
    this.layoutReady.catch(() => {
      this.layoutReady = null;
    });
    return this.layoutReady;
  }

  /** Move a fsynced temp file into its shard and make the rename durable. */
  async install(temporaryFile: string, blobId: string): Promise<void> {
    const shard = path.join(this.blobsDirectory, blobId.slice(0, 2));
    const createdShard = await mkdir(shard, { recursive: true, mode: 0o700 });
    if (createdShard !== undefined) await fsyncDirectory(this.blobsDirectory);
    await rename(temporaryFile, path.join(shard, blobId));
    await fsyncDirectory(shard);
  }
}

type WriterState = 'open' | 'committing' | 'committed' | 'aborted';

/** Gathers chunks into writes of ~chunkBytes; keeps references to written chunks until flushed (do not reuse them). */
class FileBlobWriter implements BlobWriter {
  private handle: FileHandle | null = null;
  private opening: Promise<FileHandle> | null = null;
  /** Flushes run one after another, even if a caller does not await write(). */
  private flushed: Promise<void> = Promise.resolve();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<void> | null = null;
  private sizeBytes = 0;
  private state: WriterState = 'open';

  constructor(
    private readonly store: FileBlobStore,
    private readonly blobId: string,
    private readonly temporaryFile: string,
    private readonly chunkBytes: number,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    if (this.state !== 'open') throw new Error(`blob writer is ${this.state}`);
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.sizeBytes += chunk.length;
    if (this.pendingBytes >= this.chunkBytes) {
      // Double buffering: start this flush and return while it runs, so the caller receives and
      // hashes the next chunk during the disk write; wait only when a previous flush is still running.
      const previous = this.inFlight;
      const flush = this.flushInOrder();
      this.inFlight = flush;
      flush.catch(() => undefined); // surfaced by the next write() or by commit()
      if (previous) await previous;
    }
  }

  private flushInOrder(): Promise<void> {
    this.flushed = this.flushed.then(() => this.flushPending());
    return this.flushed;
  }

  async commit(): Promise<{ blobId: string; sizeBytes: number }> {
    if (this.state !== 'open') throw new Error(`blob writer is ${this.state}`);
    this.state = 'committing';
    try {
      await this.flushInOrder();
      const handle = await this.openHandle();
      await handle.sync();
      this.handle = null;
      await handle.close();
      await this.store.install(this.temporaryFile, this.blobId);
      this.state = 'committed';
      return { blobId: this.blobId, sizeBytes: this.sizeBytes };
    } catch (error) {
      this.state = 'open';
      await this.abort();
      throw error;
    }
  }

  async abort(): Promise<void> {
    if (this.state === 'committed' || this.state === 'aborted') return;
    this.state = 'aborted';
    this.pending = [];
    await this.flushed.catch(() => undefined);
    const handle = this.handle ?? (await this.opening?.catch(() => null)) ?? null;
    this.handle = null;
    await handle?.close().catch(() => undefined);
    await unlink(this.temporaryFile).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
    });
  }

  private openHandle(): Promise<FileHandle> {
    this.opening ??= (async () => {
      await this.store.ensureLayout();
      this.handle = await open(this.temporaryFile, 'wx', 0o600);
      return this.handle;
    })();
    return this.opening;
  }

  private async flushPending(): Promise<void> {
    const handle = await this.openHandle();
    while (this.pending.length > 0) {
      const buffers = this.pending;
      const total = this.pendingBytes;
      this.pending = [];
      this.pendingBytes = 0;
      let written = 0;
      while (written < total) {
        const { bytesWritten } = await handle.writev(written === 0 ? buffers : remainingBuffers(buffers, written));
        written += bytesWritten;
      }
    }
  }
}

function remainingBuffers(buffers: Buffer[], skipBytes: number): Buffer[] {
  const rest: Buffer[] = [];
  let skip = skipBytes;
  for (const buffer of buffers) {
    if (skip >= buffer.length) {
      skip -= buffer.length;
      continue;
    }
    rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
    skip = 0;
  }
  return rest;
}
