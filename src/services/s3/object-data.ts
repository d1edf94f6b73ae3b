import { PassThrough, Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import type { App } from '../../app.js';
import type { ObjectData, ObjectRecord } from '../../store/types.js';
import { limits } from '../../limits.js';
import { s3Error } from '../../protocol/errors.js';

/** Something that sees every body byte once (MD5 for the ETag, x-amz-checksum-* hashers). */
export interface ByteSink {
  update(chunk: Buffer): void;
}

export interface StoredData {
  data: ObjectData;
  sizeBytes: number;
  md5Hex: string;
}

/**
 * Stream a body into storage: small bodies stay in memory (stored inline in the metadata DB),
 * larger ones go to a blob file (temp → fsync → rename). The caller commits metadata afterwards;
 * on any error the blob is discarded so an interrupted PUT never leaves a half object.
 */
export async function storeBody(app: App, body: Readable, declaredLength: number | null, sinks: ByteSink[] = []): Promise<StoredData> {
  const md5 = createHash('md5');
  const inlineCandidate = declaredLength !== null && declaredLength <= limits.inlineObjectMaxBytes;
  if (inlineCandidate) {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > limits.inlineObjectMaxBytes) {
        // Declared length lied; fall back to a blob for the whole thing.
        return storeToBlob(app, body, [...chunks, buffer], md5, sinks, declaredLength);
      }
      md5.update(buffer);
      for (const sink of sinks) sink.update(buffer);
      chunks.push(buffer);
    }
    checkLength(declaredLength, total);
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
    return { data: { kind: 'inline', bytes }, sizeBytes: total, md5Hex: md5.digest('hex') };
  }
  return storeToBlob(app, body, [], md5, sinks, declaredLength);
}

async function storeToBlob(app: App, body: Readable, already: Buffer[], md5: ReturnType<typeof createHash>, sinks: ByteSink[], declaredLength: number | null): Promise<StoredData> {
  const writer = app.blobs.createWriter();
  let total = 0;
  try {
    for (const buffer of already) {
      md5.update(buffer);
      for (const sink of sinks) sink.update(buffer);
      total += buffer.length;
      await writer.write(buffer);
    }
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > limits.putObjectMaxBytes) throw s3Error('EntityTooLarge', undefined, { ProposedSize: String(declaredLength ?? total), MaxSizeAllowed: String(limits.putObjectMaxBytes) });
      md5.update(buffer);
      for (const sink of sinks) sink.update(buffer);
      await writer.write(buffer);
    }
    checkLength(declaredLength, total);
    const md5Hex = md5.digest('hex');
    const { blobId } = await writer.commit();
    return { data: { kind: 'blob', blobId }, sizeBytes: total, md5Hex };
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
}

/** Stream a body straight into a blob file (multipart parts always live in blobs). */
export function storeBlob(app: App, body: Readable, declaredLength: number | null, sinks: ByteSink[] = []): Promise<StoredData> {
  return storeToBlob(app, body, [], createHash('md5'), sinks, declaredLength);
}

function checkLength(declaredLength: number | null, actual: number): void {
  if (declaredLength !== null && actual < declaredLength) {
    throw s3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
  }
}

/** Blob IDs an ObjectData holds (to delete once the record that referenced them is gone). */
export function blobIdsOf(data: ObjectData): string[] {
  if (data.kind === 'blob') return [data.blobId];
  if (data.kind === 'parts') return data.blobIds;
  return [];
}

/** Delete blobs no longer referenced; failures only leave garbage, never lose data. */
export async function releaseBlobs(app: App, record: { data: ObjectData } | null | undefined): Promise<void> {
  if (!record) return;
  await Promise.all(blobIdsOf(record.data).map((id) => app.blobs.delete(id).catch(() => undefined)));
}

/** Stream bytes [start, endInclusive] of an object, across inline, single-blob and multipart storage. */
export function readObjectData(app: App, record: Pick<ObjectRecord, 'data' | 'sizeBytes' | 'partSizes'>, start = 0, endInclusive = record.sizeBytes - 1): Readable {
  const data = record.data;
  if (endInclusive < start) return Readable.from([]);
  if (data.kind === 'inline') return Readable.from([data.bytes.subarray(start, endInclusive + 1)]);
  if (data.kind === 'blob') return app.blobs.read(data.blobId, start, endInclusive) as Readable;
  const sizes = record.partSizes ?? [];
  const segments: Array<{ blobId: string; from: number; to: number }> = [];
  let offset = 0;
  data.blobIds.forEach((blobId, index) => {
    const size = sizes[index] ?? 0;
    const partStart = offset;
    const partEnd = offset + size - 1;
    offset += size;
    if (size === 0 || partEnd < start || partStart > endInclusive) return;
    segments.push({ blobId, from: Math.max(start, partStart) - partStart, to: Math.min(endInclusive, partEnd) - partStart });
  });
  const output = new PassThrough({ highWaterMark: limits.streamChunkBytes });
  (async () => {
    for (const segment of segments) {
      const source = app.blobs.read(segment.blobId, segment.from, segment.to) as Readable;
      for await (const chunk of source) {
        if (!output.write(chunk)) await new Promise((resolve) => output.once('drain', resolve));
      }
    }
    output.end();
  })().catch((error) => output.destroy(error as Error));
  return output;
}
