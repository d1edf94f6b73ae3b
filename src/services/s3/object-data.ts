import { PassThrough, Readable, pipeline } from 'node:stream';
import { ObjectCipherError, ciphertextRange, createDecryptStream, createEncryptStream, decryptBuffer, encryptBuffer, objectNonceBytes } from '../../crypto/object-cipher.js';
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

/** Encrypt while storing: the data key and object nonce; `nonceHeader` writes the nonce first (multipart parts). */
export interface StoreCipher {
  key: Buffer;
  nonce: Buffer;
  nonceHeader?: boolean;
}

/**
 * Stream a body into storage: small bodies stay in memory (stored inline in the metadata DB),
 * larger ones go to a blob file (temp → fsync → rename). The caller commits metadata afterwards;
 * on any error the blob is discarded so an interrupted PUT never leaves a half object. With a
 * cipher, only ciphertext is stored (inline bytes included); hashes and sinks see the plaintext.
 */
export async function storeBody(app: App, body: Readable, declaredLength: number | null, sinks: ByteSink[] = [], cipher: StoreCipher | null = null): Promise<StoredData> {
  const md5 = createHash('md5');
  const inlineCandidate = declaredLength !== null && declaredLength <= limits.inlineObjectMaxBytes && !cipher?.nonceHeader;
  if (inlineCandidate) {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > limits.inlineObjectMaxBytes) {
        // Declared length lied; fall back to a blob for the whole thing.
        return storeToBlob(app, body, [...chunks, buffer], md5, sinks, declaredLength, cipher);
      }
      md5.update(buffer);
      for (const sink of sinks) sink.update(buffer);
      chunks.push(buffer);
    }
    checkLength(declaredLength, total);
    const plain = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
    const bytes = cipher ? encryptBuffer(cipher.key, cipher.nonce, plain) : plain;
    return { data: { kind: 'inline', bytes }, sizeBytes: total, md5Hex: md5.digest('hex') };
  }
  return storeToBlob(app, body, [], md5, sinks, declaredLength, cipher);
}

async function storeToBlob(app: App, body: Readable, already: Buffer[], md5: ReturnType<typeof createHash>, sinks: ByteSink[], declaredLength: number | null, cipher: StoreCipher | null): Promise<StoredData> {
  const writer = app.blobs.createWriter();
  let total = 0;
  async function* plaintext(): AsyncGenerator<Buffer> {
    for (const buffer of already) {
      md5.update(buffer);
      for (const sink of sinks) sink.update(buffer);
      total += buffer.length;
      yield buffer;
    }
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > limits.putObjectMaxBytes) throw s3Error('EntityTooLarge', undefined, { ProposedSize: String(declaredLength ?? total), MaxSizeAllowed: String(limits.putObjectMaxBytes) });
      md5.update(buffer);
      for (const sink of sinks) sink.update(buffer);
      yield buffer;
    }
  }
  try {
    const source: AsyncIterable<Buffer> = cipher ? pipeline(Readable.from(plaintext(), { objectMode: false }), createEncryptStream(cipher.key, cipher.nonce), () => undefined) : plaintext();
    if (cipher?.nonceHeader) await writer.write(Buffer.from(cipher.nonce));
    for await (const chunk of source) await writer.write(chunk as Buffer);
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
export function storeBlob(app: App, body: Readable, declaredLength: number | null, sinks: ByteSink[] = [], cipher: StoreCipher | null = null): Promise<StoredData> {
  return storeToBlob(app, body, [], createHash('md5'), sinks, declaredLength, cipher);
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

/** Object data is opened with its data key and nonce (parts carry their own nonce in their blob). */
export interface ReadCipher {
  key: Buffer;
  nonce: Buffer;
}

function cipherFailure(error: unknown): unknown {
  if (error instanceof ObjectCipherError) return s3Error('InternalError', 'We encountered an internal error. Please try again.');
  return error;
}

/** Bytes [start, endInclusive] of an inline object, decrypted when needed (answered with one write). */
export function readInlineData(record: Pick<ObjectRecord, 'data' | 'sizeBytes'>, start: number, endInclusive: number, cipher: ReadCipher | null = null): Buffer {
  const data = record.data;
  if (data.kind !== 'inline') throw new Error('not an inline object');
  if (endInclusive < start) return Buffer.alloc(0);
  if (!cipher) return data.bytes.subarray(start, endInclusive + 1);
  try {
    return decryptBuffer(cipher.key, cipher.nonce, data.bytes, record.sizeBytes).subarray(start, endInclusive + 1);
  } catch (error) {
    throw cipherFailure(error);
  }
}

/**
 * Stream bytes [start, endInclusive] of an object, across inline, single-blob and multipart storage.
 * Encrypted objects decrypt only the chunks the range touches; every byte is authenticated before it
 * is handed out, and a failure destroys the stream (the connection is aborted, never wrong data).
 */
export function readObjectData(app: App, record: Pick<ObjectRecord, 'data' | 'sizeBytes' | 'partSizes'>, start = 0, endInclusive = record.sizeBytes - 1, cipher: ReadCipher | null = null): Readable {
  const data = record.data;
  if (endInclusive < start) return Readable.from([]);
  if (data.kind === 'inline') {
    if (!cipher) return Readable.from([data.bytes.subarray(start, endInclusive + 1)]);
    let plain: Buffer;
    try {
      plain = decryptBuffer(cipher.key, cipher.nonce, data.bytes, record.sizeBytes);
    } catch (error) {
      throw cipherFailure(error);
    }
    return Readable.from([plain.subarray(start, endInclusive + 1)]);
  }
  if (data.kind === 'blob' && !cipher) return app.blobs.read(data.blobId, start, endInclusive) as Readable;
  const segments: Array<{ blobId: string; from: number; to: number; size: number }> = [];
  if (data.kind === 'blob') {
    segments.push({ blobId: data.blobId, from: start, to: endInclusive, size: record.sizeBytes });
  } else {
    const sizes = record.partSizes ?? [];
    let offset = 0;
    data.blobIds.forEach((blobId, index) => {
      const size = sizes[index] ?? 0;
      const partStart = offset;
      const partEnd = offset + size - 1;
      offset += size;
      if (size === 0 || partEnd < start || partStart > endInclusive) return;
      segments.push({ blobId, from: Math.max(start, partStart) - partStart, to: Math.min(endInclusive, partEnd) - partStart, size });
    });
  }
  const output = new PassThrough({ highWaterMark: limits.streamChunkBytes });
  const multipart = data.kind === 'parts';
  (async () => {
    for (const segment of segments) {
      let source: Readable;
      if (!cipher) {
        source = app.blobs.read(segment.blobId, segment.from, segment.to) as Readable;
      } else {
        const nonce = multipart ? await readAllBytes(app.blobs.read(segment.blobId, 0, objectNonceBytes - 1) as Readable) : cipher.nonce;
        if (nonce.length !== objectNonceBytes) throw new ObjectCipherError('encrypted part is truncated');
        const header = multipart ? objectNonceBytes : 0;
        const range = ciphertextRange(segment.from, segment.to, segment.size);
        const raw = app.blobs.read(segment.blobId, header + range.cipherStart, header + range.cipherEnd) as Readable;
        source = pipeline(raw, createDecryptStream(cipher.key, nonce, { plainLength: segment.size, ...range }), () => undefined);
      }
      for await (const chunk of source) {
        if (!output.write(chunk)) await new Promise((resolve) => output.once('drain', resolve));
      }
    }
    output.end();
  })().catch((error) => output.destroy(cipherFailure(error) as Error));
  return output;
}

async function readAllBytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
